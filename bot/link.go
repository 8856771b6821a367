package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// linkStaff redeems "/tautkan CODE": the console account that made the code is now
// the officer with this Telegram account.
func (e *Engine) linkStaff(ctx context.Context, tx *sqlx.Tx, chat, telegramUserID int64, code string) ([]Out, error) {
	if code == "" {
		return sendHTML(chat, staffLinkUsage, nil), nil
	}
	st, err := e.tickets.LinkTelegram(ctx, tx, code, telegramUserID)
	switch {
	case errors.Is(err, tickets.ErrLinkCode):
		return sendHTML(chat, staffLinkBadCode, nil), nil
	case errors.Is(err, tickets.ErrTelegramTaken):
		return sendHTML(chat, fmt.Sprintf(staffLinkTaken, telegramUserID), nil), nil
	case err != nil:
		return nil, err
	}
	return sendHTML(chat, fmt.Sprintf(staffLinked, tghtml.Escape(st.Username)), nil), nil
}
