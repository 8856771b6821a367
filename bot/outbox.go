package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// Link kinds: what a sent message is to its ticket. A Telegram reply to any linked
// message is routed to the ticket.
const (
	linkCard    = "card"    // the ticket's card in the staff group
	linkReply   = "reply"   // an officer's reply, in the citizen's chat
	linkCitizen = "citizen" // a citizen's message copied to the staff group
	linkTopic   = "topic"   // the ticket's topic in a forum staff group (message_id: its thread id)
)

// createTopic opens a ticket's topic in a forum staff group; messages about the
// ticket then go into it.
func createTopic(group int64, t tickets.Ticket) Out {
	name := fmt.Sprintf("#%d %s", t.ID, truncate(knowledge.MaskPersonalData(t.Question), 100))
	return Out{ChatID: group, Method: "createForumTopic", Params: map[string]string{"chat_id": itoa(group), "name": name},
		TicketID: t.ID, Link: linkTopic}
}

// topicThread returns the thread of a ticket's topic in a group, or 0.
func topicThread(ctx context.Context, db sqlx.QueryerContext, ticketID, chatID int64) (int64, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, db, &ids, `SELECT message_id FROM message_links
		WHERE ticket_id = $1 AND chat_id = $2 AND kind = 'topic' LIMIT 1`, ticketID, chatID); err != nil {
		return 0, fmt.Errorf("bot: topic of ticket %d: %w", ticketID, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// Out is one Bot API call caused by handling an update. It is written to the outbox
// in the update's transaction and delivered by the sender.
type Out struct {
	ChatID int64
	Method string
	Params map[string]string
	// TicketID links the sent message to a ticket (with Link as its kind).
	TicketID int64
	Link     string
	// ReplyToCard makes the message a reply to its ticket's card, resolved at send time.
	ReplyToCard bool
	// EditCard makes the call edit its ticket's card (message_id resolved at send time).
	EditCard bool
}

// outboxRow is an outbox entry waiting to be sent.
type outboxRow struct {
	ID          int64     `db:"id"`
	ChatID      int64     `db:"chat_id"`
	Method      string    `db:"method"`
	ParamsJSON  []byte    `db:"params"`
	TicketID    *int64    `db:"ticket_id"`
	Link        string    `db:"link"`
	ReplyToCard bool      `db:"reply_to_card"`
	EditCard    bool      `db:"edit_card"`
	Attempts    int       `db:"attempts"`
	CreatedAt   time.Time `db:"created_at"`
}

// enqueue writes outs to the outbox.
func enqueue(ctx context.Context, tx sqlx.ExecerContext, outs []Out) error {
	for _, o := range outs {
		params, err := json.Marshal(o.Params)
		if err != nil {
			return fmt.Errorf("bot: outbox: %w", err)
		}
		var ticket *int64
		if o.TicketID != 0 {
			ticket = &o.TicketID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (chat_id, method, params, ticket_id, link, reply_to_card, edit_card)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ChatID, o.Method, params, ticket, o.Link, o.ReplyToCard, o.EditCard); err != nil {
			return fmt.Errorf("bot: outbox: %w", err)
		}
	}
	return nil
}

// markSent records a delivered entry and, for a message linked to a ticket, the link.
func markSent(ctx context.Context, db *sqlx.DB, row outboxRow, messageID int64) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bot: outbox sent %d: %w", row.ID, err)
	}
	defer func() { _ = tx.Rollback() }()
	var mid *int64
	if messageID != 0 {
		mid = &messageID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = now(), message_id = $2, attempts = attempts + 1
		WHERE id = $1`, row.ID, mid); err != nil {
		return fmt.Errorf("bot: outbox sent %d: %w", row.ID, err)
	}
	if row.TicketID != nil && row.Link != "" && messageID != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_links (chat_id, message_id, ticket_id, kind)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, row.ChatID, messageID, *row.TicketID, row.Link); err != nil {
			return fmt.Errorf("bot: link message: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bot: outbox sent %d: %w", row.ID, err)
	}
	return nil
}

// markRetry schedules another attempt after a transient failure.
func markRetry(ctx context.Context, db sqlx.ExecerContext, id int64, at time.Time, cause string) error {
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
		WHERE id = $1`, id, at, cause); err != nil {
		return fmt.Errorf("bot: outbox retry %d: %w", id, err)
	}
	return nil
}

// markFailed gives up on an entry Telegram refused for good.
func markFailed(ctx context.Context, db sqlx.ExecerContext, id int64, cause string) error {
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, failed_at = now(), last_error = $2
		WHERE id = $1`, id, cause); err != nil {
		return fmt.Errorf("bot: outbox failed %d: %w", id, err)
	}
	return nil
}

// cardMessageID returns the message id of a ticket's card in a staff group, or 0.
func cardMessageID(ctx context.Context, db sqlx.QueryerContext, ticketID, chatID int64) (int64, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, db, &ids, `SELECT message_id FROM message_links
		WHERE ticket_id = $1 AND chat_id = $2 AND kind = 'card' ORDER BY message_id LIMIT 1`, ticketID, chatID); err != nil {
		return 0, fmt.Errorf("bot: card of ticket %d: %w", ticketID, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// linkedTicket returns the ticket a message belongs to and how, or 0.
func linkedTicket(ctx context.Context, db sqlx.QueryerContext, chatID, messageID int64) (int64, string, error) {
	var rows []struct {
		TicketID int64  `db:"ticket_id"`
		Kind     string `db:"kind"`
	}
	if err := sqlx.SelectContext(ctx, db, &rows, `SELECT ticket_id, kind FROM message_links
		WHERE chat_id = $1 AND message_id = $2`, chatID, messageID); err != nil {
		return 0, "", fmt.Errorf("bot: linked ticket: %w", err)
	}
	if len(rows) == 0 {
		return 0, "", nil
	}
	return rows[0].TicketID, rows[0].Kind, nil
}

// linkPending reports whether a message of the bot's may be a ticket message whose
// delivery is not recorded yet: it is newer than every recorded one and the chat has
// ticket messages in flight. A reply to it cannot be routed until that is done.
func linkPending(ctx context.Context, db sqlx.QueryerContext, chatID, messageID int64) (bool, error) {
	var pending bool
	if err := sqlx.GetContext(ctx, db, &pending, `SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = $1
			AND link <> '' AND sent_at IS NULL AND failed_at IS NULL)
		AND $2 > (SELECT coalesce(max(message_id), 0) FROM outbox WHERE chat_id = $1 AND sent_at IS NOT NULL)`,
		chatID, messageID); err != nil {
		return false, fmt.Errorf("bot: pending links: %w", err)
	}
	return pending, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
