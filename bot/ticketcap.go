package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// maxOpenTickets is how many tickets a citizen may have open at once. Beyond it a new
// question is not turned into a ticket: the citizen is shown their open tickets and
// asked to add to one of them. Confidential reports (/lapor) are neither capped nor
// counted: a report of misconduct goes to another unit and must always get through.
const maxOpenTickets = 3

// openTicketsOf returns the citizen's open tickets (reports aside), oldest first, unless question
// qid already has a ticket (pressing "Ask an officer" again only shows its number).
func openTicketsOf(ctx context.Context, q sqlx.QueryerContext, citizenID, qid int64) ([]tickets.Ticket, error) {
	var ts []tickets.Ticket
	err := sqlx.SelectContext(ctx, q, &ts, `SELECT id, question FROM tickets
		WHERE citizen_id = $1 AND status IN ($2, $3, $4) AND NOT confidential
			AND NOT EXISTS (SELECT 1 FROM tickets WHERE question_id = $5)
		ORDER BY id`,
		citizenID, tickets.StatusNew, tickets.StatusInProgress, tickets.StatusWaitingCitizen, qid)
	if err != nil {
		return nil, fmt.Errorf("bot: open tickets of %d: %w", citizenID, err)
	}
	return ts, nil
}

// ticketCap refuses a new ticket when the citizen already has maxOpenTickets open:
// ok is false and outs lists their open tickets.
func (e *Engine) ticketCap(ctx context.Context, tx sqlx.QueryerContext, c citizen, chat, qid int64) (outs []Out, ok bool, err error) {
	open, err := openTicketsOf(ctx, tx, c.ID, qid)
	if err != nil || len(open) < maxOpenTickets {
		return nil, err == nil, err
	}
	var b strings.Builder
	b.WriteString(T(c.Lang, txtTicketCap, len(open)))
	for _, t := range open {
		fmt.Fprintf(&b, "\n• <b>#%d</b> %s", t.ID, tghtml.Escape(truncate(t.Question, 80)))
	}
	b.WriteString("\n\n" + T(c.Lang, txtTicketCapHint))
	e.log.Info("ticket refused: too many open tickets", "citizen", c.ID, "open", len(open))
	return sendHTML(chat, b.String(), nil), false, nil
}
