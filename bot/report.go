package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// Confidential reports of misconduct (/lapor): illegal fees (pungli), a bribe request,
// an officer's misconduct. They go only to the integrity unit (e.g. the Inspektorat),
// never to the unit reported, and are not kept in the question log editors read. The
// citizen may stay anonymous: their identity is then shown to nobody.
const (
	stateAwaitReport       = "await_report"
	stateAwaitReportChoice = "await_report_choice"

	reportPrefix = "lp:"
	reportNamed  = "lp:named"
	reportAnon   = "lp:anon"
	reportCancel = "lp:cancel"
)

// reportStart handles /lapor.
func (e *Engine) reportStart(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64) ([]Out, error) {
	u, err := e.tickets.IntegrityUnit(ctx, tx)
	if errors.Is(err, tickets.ErrNotFound) {
		return sendHTML(chat, T(c.Lang, txtReportUnavailable), nil), nil
	}
	if err != nil {
		return nil, err
	}
	if err := setState(ctx, tx, chat, stateAwaitReport); err != nil {
		return nil, err
	}
	return sendHTML(chat, T(c.Lang, txtReportPrompt, tghtml.Escape(u.Name)), nil), nil
}

// reportText keeps the report's text and asks whether to show the citizen's identity.
func (e *Engine) reportText(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, text string) ([]Out, error) {
	if err := setStateData(ctx, tx, chat, stateAwaitReportChoice, map[string]string{"report": text}); err != nil {
		return nil, err
	}
	u, err := e.tickets.IntegrityUnit(ctx, tx)
	if err != nil {
		return nil, err
	}
	kb := keyboard{
		{{Text: T(c.Lang, txtBtnReportNamed), Data: reportNamed}},
		{{Text: T(c.Lang, txtBtnReportAnon), Data: reportAnon}},
		{{Text: T(c.Lang, txtBtnEraseNo), Data: reportCancel}},
	}
	return sendHTML(chat, T(c.Lang, txtReportIdentity, tghtml.Escape(u.Name)), kb), nil
}

// reportButton files the report, named or anonymous, or drops it.
func (e *Engine) reportButton(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, q *tgbotapi.CallbackQuery) ([]Out, error) {
	var data map[string]string
	state, err := stateData(ctx, tx, chat, &data)
	if err != nil {
		return nil, err
	}
	if state != stateAwaitReportChoice || data["report"] == "" {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	}
	if err := setState(ctx, tx, chat, stateNone); err != nil {
		return nil, err
	}
	outs := []Out{answerCallback(chat, q.ID, "")}
	if q.Message != nil {
		outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), keyboard{}))
	}
	if q.Data == reportCancel {
		return append(outs, sendHTML(chat, T(c.Lang, txtReportCancelled), nil)...), nil
	}
	u, err := e.tickets.IntegrityUnit(ctx, tx)
	if errors.Is(err, tickets.ErrNotFound) {
		return append(outs, sendHTML(chat, T(c.Lang, txtReportUnavailable), nil)...), nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE citizens SET consented_at = coalesce(consented_at, now()) WHERE telegram_user_id = $1`, c.ID); err != nil {
		return nil, fmt.Errorf("bot: consent: %w", err)
	}
	t, _, err := e.tickets.Open(ctx, tx, tickets.New{
		CitizenID: c.ID, Question: data["report"], Category: "Laporan rahasia", Unit: u.Slug,
		StaffChatID: u.StaffChatID.Int64, Confidential: true, Anonymous: q.Data == reportAnon,
		DueAt: e.deadline(time.Now(), u.FirstResponseDays),
	})
	if err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionTicketOpened,
		map[string]any{"confidential": true, "anonymous": t.Anonymous, "unit": u.Slug, "length": len(data["report"])}); err != nil {
		return nil, err
	}
	outs = append(outs, sendHTML(chat, T(c.Lang, txtReportFiled, t.ID, tghtml.Escape(u.Name)), nil)...)
	return append(outs, e.newCard(e.groupOf(t), t, c.Name)...), nil
}

// reporterName is how officers see who wrote a ticket: nobody's name on an anonymous
// report.
func reporterName(t tickets.Ticket, name string) string {
	if t.Anonymous {
		return "Pelapor anonim"
	}
	return name
}

// isReportData reports whether callback data belongs to /lapor.
func isReportData(data string) bool { return strings.HasPrefix(data, reportPrefix) }
