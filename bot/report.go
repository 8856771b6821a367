package bot

import (
	"context"
	"encoding/json"
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
	data, _ := json.Marshal(map[string]string{"report": text})
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (chat_id, state, data) VALUES ($1, $2, $3)
		ON CONFLICT (chat_id) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data, updated_at = now()`,
		chat, stateAwaitReportChoice, data); err != nil {
		return nil, fmt.Errorf("bot: keep report: %w", err)
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
	var st struct {
		State string          `db:"state"`
		Data  json.RawMessage `db:"data"`
	}
	err := tx.GetContext(ctx, &st, `SELECT state, data FROM conversations WHERE chat_id = $1`, chat)
	var data map[string]string
	if err == nil {
		_ = json.Unmarshal(st.Data, &data)
	}
	if err != nil || st.State != stateAwaitReportChoice || data["report"] == "" {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET state = '', data = '{}' WHERE chat_id = $1`, chat); err != nil {
		return nil, fmt.Errorf("bot: clear report: %w", err)
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
	card := sendHTML(e.groupOf(t), staffCard(t, reporterName(t, c.Name), e.set.Location), cardKeyboard(t))
	card[0].TicketID, card[0].Link = t.ID, linkCard
	return append(outs, card...), nil
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
