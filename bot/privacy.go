package bot

import (
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// Buttons of the erasure confirmation.
const (
	eraseConfirm = "pv:erase"
	eraseCancel  = "pv:keep"
)

// citizenData sends a citizen what Loket keeps about them (/datasaya).
func (e *Engine) citizenData(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64) ([]Out, error) {
	d, err := e.tickets.CitizenData(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, 0, tickets.CitizenActor(c.ID), tickets.ActionCitizenDataExported, map[string]any{"citizen_id": c.ID}); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(T(c.Lang, txtMyDataHead, tghtml.Escape(d.DisplayName), d.TelegramUserID,
		formatTime(d.FirstSeenAt, e.set.Location, c.Lang), len(d.Questions), len(d.Tickets)))
	if len(d.Questions) > 0 {
		b.WriteString("\n\n" + T(c.Lang, txtMyDataQuestions))
		for i, q := range d.Questions {
			if i == 10 {
				break
			}
			fmt.Fprintf(&b, "\n• %s", tghtml.Escape(truncate(q, 100)))
		}
	}
	for _, t := range d.Tickets {
		fmt.Fprintf(&b, "\n\n<b>#%d</b> — %s", t.ID, statusLabel(t.Status, c.Lang))
		for _, m := range t.Messages {
			who := T(c.Lang, txtMyDataYou)
			if m.Author != tickets.AuthorCitizen {
				who = T(c.Lang, txtMyDataOfficer)
			}
			fmt.Fprintf(&b, "\n<i>%s</i>: %s", who, tghtml.Escape(truncate(m.Body, 200)))
		}
	}
	b.WriteString("\n\n" + T(c.Lang, txtMyDataFoot))
	return sendHTML(chat, b.String(), nil), nil
}

// citizenErase asks a citizen to confirm erasing their data (/hapusdata).
func (e *Engine) citizenErase(c citizen, chat int64) []Out {
	kb := keyboard{{
		{Text: T(c.Lang, txtBtnEraseYes), Data: eraseConfirm},
		{Text: T(c.Lang, txtBtnEraseNo), Data: eraseCancel},
	}}
	return sendHTML(chat, T(c.Lang, txtEraseConfirm), kb)
}

// privacyButton handles the erasure confirmation.
func (e *Engine) privacyButton(ctx context.Context, tx *sqlx.Tx, q *tgbotapi.CallbackQuery) ([]Out, error) {
	l := langOf(q.From.LanguageCode)
	chat := q.From.ID
	if q.Message == nil || q.Message.Chat == nil || q.Message.Chat.ID != q.From.ID {
		return []Out{answerCallback(chat, q.ID, T(l, txtNotYours))}, nil
	}
	outs := []Out{answerCallback(chat, q.ID, ""), editKeyboard(chat, int64(q.Message.MessageID), keyboard{})}
	if q.Data != eraseConfirm {
		return append(outs, sendHTML(chat, T(l, txtEraseKept), nil)...), nil
	}
	n, err := e.tickets.EraseCitizen(ctx, tx, q.From.ID)
	if err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, 0, tickets.CitizenActor(q.From.ID), tickets.ActionCitizenDataErased, map[string]any{"citizen_id": q.From.ID, "tickets": n}); err != nil {
		return nil, err
	}
	return append(outs, sendHTML(chat, T(l, txtErased), nil)...), nil
}
