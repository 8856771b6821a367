package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// Buttons: "cs:1:<question>" agrees to the privacy notice and opens the ticket,
// "cs:0:<question>" declines; "nq:<ticket message>" treats a message that went into a
// waiting ticket as a new question instead.
const (
	consentPrefix     = "cs:"
	newQuestionPrefix = "nq:"
)

// officerQuestion turns what a citizen wrote for an officer (/petugas) into a logged
// question, then a ticket.
func (e *Engine) officerQuestion(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, text string) ([]Out, error) {
	res := knowledge.Result{Decision: knowledge.DecisionEscalate}
	qid, err := knowledge.LogQuestion(ctx, tx, c.ID, text, res)
	if err != nil {
		return nil, err
	}
	return e.requestTicket(ctx, tx, c, chat, qid, knowledge.MaskPersonalData(text), res)
}

// requestTicket opens a ticket; when consent is required, only once the citizen has
// agreed to the privacy notice, which it shows until then with the buttons to agree
// or decline.
func (e *Engine) requestTicket(ctx context.Context, tx *sqlx.Tx, c citizen, chat, qid int64, text string, res knowledge.Result) ([]Out, error) {
	if c.Consented || !e.set.RequireConsent {
		return e.openTicket(ctx, tx, c, chat, qid, text, res)
	}
	kb := keyboard{{
		{Text: T(c.Lang, txtBtnConsentYes), Data: fmt.Sprintf("%s1:%d", consentPrefix, qid)},
		{Text: T(c.Lang, txtBtnConsentNo), Data: fmt.Sprintf("%s0:%d", consentPrefix, qid)},
	}}
	return sendHTML(chat, T(c.Lang, txtConsent), kb), nil
}

// consentButton records the citizen's answer to the privacy notice.
func (e *Engine) consentButton(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, q *tgbotapi.CallbackQuery) ([]Out, error) {
	parts := strings.Split(strings.TrimPrefix(q.Data, consentPrefix), ":")
	var qid int64
	if len(parts) == 2 {
		qid, _ = strconv.ParseInt(parts[1], 10, 64)
	}
	question, err := knowledge.GetQuestion(ctx, tx, qid)
	switch {
	case len(parts) != 2 || (parts[0] != "0" && parts[0] != "1") || err == knowledge.ErrNotFound:
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	case err != nil:
		return nil, err
	case question.CitizenID != c.ID:
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtNotYours))}, nil
	}
	outs := []Out{answerCallback(chat, q.ID, "")}
	if q.Message != nil {
		outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), keyboard{}))
	}
	if parts[0] == "0" {
		return append(outs, sendHTML(chat, T(c.Lang, txtConsentDeclined), nil)...), nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE citizens SET consented_at = now() WHERE telegram_user_id = $1 AND consented_at IS NULL`, c.ID); err != nil {
		return nil, fmt.Errorf("bot: consent: %w", err)
	}
	c.Consented = true
	res := knowledge.Result{Decision: question.Decision, Hits: question.Hits()}
	more, err := e.openTicket(ctx, tx, c, chat, question.ID, question.Text, res)
	return append(outs, more...), err
}

// intoWaitingTicket puts a citizen's free message into the ticket that waits for
// their answer, says so, and offers to treat it as a new question instead. ok is
// false when no ticket waits for them.
func (e *Engine) intoWaitingTicket(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, text string) ([]Out, bool, error) {
	t, ok, err := e.waitingTicket(ctx, tx, c.ID)
	if err != nil || !ok {
		return nil, false, err
	}
	before := t
	if t, err = e.tickets.CitizenReplied(ctx, tx, t.ID); err != nil {
		return nil, false, err
	}
	mid, err := e.tickets.AddCitizenMessage(ctx, tx, t.ID, text)
	if err != nil {
		return nil, false, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionCitizenReplied, map[string]any{"length": len(text)}); err != nil {
		return nil, false, err
	}
	kb := keyboard{{{Text: T(c.Lang, txtBtnNewQuestion), Data: fmt.Sprintf("%s%d", newQuestionPrefix, mid)}}}
	outs := sendHTML(chat, T(c.Lang, txtIntoTicket, t.ID), kb)
	outs = append(outs, e.groupNotice(t, staffCitizenReply(t, reporterName(t, c.Name), text))...)
	if cardChanged(before, t) {
		card, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, false, err
		}
		outs = append(outs, card...)
	}
	return outs, true, nil
}

// newQuestionButton answers a message that went into a ticket as a new question.
func (e *Engine) newQuestionButton(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, q *tgbotapi.CallbackQuery) ([]Out, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(q.Data, newQuestionPrefix), 10, 64)
	if err != nil {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	}
	m, err := e.tickets.MessageByID(ctx, tx, id)
	if err == tickets.ErrNotFound || (err == nil && m.Author != tickets.AuthorCitizen) {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	}
	if err != nil {
		return nil, err
	}
	t, err := e.tickets.Get(ctx, tx, m.TicketID)
	if err != nil {
		return nil, err
	}
	if t.CitizenID != c.ID {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtNotYours))}, nil
	}
	outs := []Out{answerCallback(chat, q.ID, "")}
	if q.Message != nil {
		outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), keyboard{}))
	}
	more, err := e.ask(ctx, tx, c, chat, m.Body)
	return append(outs, more...), err
}
