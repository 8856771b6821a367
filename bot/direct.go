package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/bot/tghtml"
)

// directTries is how often SendNow tries a call that Telegram asks to slow down.
const directTries = 3

// SendNow makes one Bot API call at once, without the outbox, within the same rate
// limits as the outbox's messages, and returns the id of the message it created (0
// if none). It is for the time the database cannot be reached (see Outage): nothing
// records the call, so the caller must.
func (s *Sender) SendNow(ctx context.Context, o Out) (int64, error) {
	params := tgbotapi.Params{}
	for k, v := range o.Params {
		params[k] = v
	}
	for try := 1; ; try++ {
		if err := s.waitTurn(ctx, o.ChatID, o.Method); err != nil {
			return 0, fmt.Errorf("bot: send now: %w", err)
		}
		resp, err := s.api.MakeRequest(o.Method, params)
		if err == nil {
			return resultMessageID(resp), nil
		}
		var tgErr *tgbotapi.Error
		switch {
		case errors.As(err, &tgErr) && (tgErr.Code == 429 || tgErr.RetryAfter > 0) && try < directTries:
			wait := time.Duration(max(tgErr.RetryAfter, 1)) * time.Second
			s.pause(o.ChatID, wait)
		case errors.As(err, &tgErr) && strings.Contains(tgErr.Message, "can't parse entities") && params["parse_mode"] != "":
			params["text"] = tghtml.PlainText(params["text"])
			delete(params, "parse_mode")
		default:
			return 0, fmt.Errorf("bot: send now %s: %w", o.Method, err)
		}
	}
}
