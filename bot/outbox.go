package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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
	// BotID, when not 0, leaves the call to that bot's sender (several bots may share
	// a database); 0: any sender.
	BotID int64
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
		var botID *int64
		if o.BotID != 0 {
			botID = &o.BotID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (chat_id, method, params, ticket_id, link, reply_to_card, edit_card, bot_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, o.ChatID, o.Method, string(params), ticket, o.Link, o.ReplyToCard, o.EditCard, botID); err != nil {
			return fmt.Errorf("bot: outbox: %w", err)
		}
	}
	return nil
}

// Claims: how several processes share the outbox.
//
// A sender claims a chat's due entries before sending them: in one transaction it
// takes a transaction-scoped advisory lock per candidate chat (pg_try_advisory_xact_lock,
// so two processes never claim the same chat at the same moment), then, in a new
// statement that sees every claim committed before the lock was obtained, marks all
// due entries of the chats that nobody else holds a live claim on (claimed_by,
// claimed_until). A chat is therefore drained by one process at a time, in id order,
// and an entry is sent by the process that claimed it. The claim is renewed while the
// chat is drained (before each send, whenever less than claimRenewBelow is left) and
// released when the worker stops; a crashed process's claims expire after the claim
// TTL and another process takes the chat over.
//
// A message can still be sent twice in one case: a process crashes (or loses the
// database) after Telegram accepted a message and before the entry is marked sent;
// when the claim expires the entry is sent again. The claim TTL is longer than a Bot
// API call may take, so a slow call never lets another process in while it runs.

// outboxLockSpace is the first key of the per-chat advisory locks taken while claiming
// (the second is the hashed chat id).
const outboxLockSpace = 4_202_613

// claimChats is the most chats claimed in one round.
const claimChats = 200

// notBehindWaiting is the condition, on an outbox entry o, that no earlier entry of
// its chat waits for a retry: a chat's messages are sent in order, so an entry
// scheduled for a retry holds back the later ones ($bot is the placeholder of the
// bot id, as in claimOutbox).
const notBehindWaiting = `NOT EXISTS (SELECT 1 FROM outbox w WHERE w.chat_id = o.chat_id AND w.id < o.id
	AND w.sent_at IS NULL AND w.failed_at IS NULL AND w.next_attempt_at > now()
	AND ($bot::bigint = 0 OR w.bot_id IS NULL OR w.bot_id = $bot))`

// claimOutbox claims the due entries of up to claimChats chats not in busy and not
// claimed by another process, and returns them in id order; entries behind one that
// waits for a retry are left (notBehindWaiting). bot (0: any) limits the entries to
// those any bot, or that bot, may send.
func claimOutbox(ctx context.Context, db *sqlx.DB, me string, bot int64, ttl time.Duration, busy []int64) ([]outboxRow, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("bot: outbox claim: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var chats []int64
	if err := tx.SelectContext(ctx, &chats, `WITH cand AS MATERIALIZED (
			SELECT chat_id FROM outbox o
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() AND chat_id <> ALL($1)
				AND (claimed_until IS NULL OR claimed_until <= now() OR claimed_by = $2)
				AND ($5::bigint = 0 OR bot_id IS NULL OR bot_id = $5)
				AND `+strings.ReplaceAll(notBehindWaiting, "$bot", "$5")+`
			GROUP BY chat_id ORDER BY min(id) LIMIT $3)
		SELECT chat_id FROM cand WHERE pg_try_advisory_xact_lock($4, hashint8(chat_id))`,
		pq.Int64Array(busy), me, claimChats, outboxLockSpace, bot); err != nil {
		return nil, fmt.Errorf("bot: outbox claim: %w", err)
	}
	if len(chats) == 0 {
		return nil, nil
	}
	var rows []outboxRow
	if err := tx.SelectContext(ctx, &rows, `UPDATE outbox o SET claimed_by = $2, claimed_until = now() + $3 * interval '1 millisecond'
		WHERE o.chat_id = ANY($1) AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= now()
			AND ($4::bigint = 0 OR o.bot_id IS NULL OR o.bot_id = $4)
			AND `+strings.ReplaceAll(notBehindWaiting, "$bot", "$4")+`
			AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.chat_id = o.chat_id AND c.sent_at IS NULL
				AND c.failed_at IS NULL AND c.claimed_until > now() AND c.claimed_by <> $2)
		RETURNING o.id, o.chat_id, o.method, o.params, o.ticket_id, o.link, o.reply_to_card, o.edit_card,
			o.attempts, o.created_at`, pq.Int64Array(chats), me, ttl.Milliseconds(), bot); err != nil {
		return nil, fmt.Errorf("bot: outbox claim: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("bot: outbox claim: %w", err)
	}
	slices.SortFunc(rows, func(a, b outboxRow) int { return cmp.Compare(a.ID, b.ID) })
	return rows, nil
}

// renewClaim extends this process's claim on a chat's unsent entries and reports
// whether entry id is still among them (false: another process took the chat over
// after the claim expired, or sent the entry; it must not be sent). An expired claim
// that nobody took is still this process's: a chat that waited long for its turn under
// the global rate limit goes on rather than giving up its place.
func renewClaim(ctx context.Context, db *sqlx.DB, me string, ttl time.Duration, chat, id int64) (bool, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, db, &ids, `UPDATE outbox SET claimed_until = now() + $3 * interval '1 millisecond'
		WHERE chat_id = $1 AND claimed_by = $2 AND sent_at IS NULL AND failed_at IS NULL
		RETURNING id`, chat, me, ttl.Milliseconds()); err != nil {
		return false, fmt.Errorf("bot: outbox claim renewal: %w", err)
	}
	return slices.Contains(ids, id), nil
}

// releaseClaims gives up this process's claims on a chat's unsent entries (chat 0:
// on every chat), so that another process may send them at once.
func releaseClaims(ctx context.Context, db sqlx.ExecerContext, me string, chat int64) error {
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
		WHERE claimed_by = $1 AND ($2::bigint = 0 OR chat_id = $2) AND sent_at IS NULL AND failed_at IS NULL`, me, chat); err != nil {
		return fmt.Errorf("bot: outbox release: %w", err)
	}
	return nil
}

// markSent records a delivered entry and, for a message linked to a ticket, the link,
// in one statement (one round trip: it runs for every message sent).
func markSent(ctx context.Context, db sqlx.ExecerContext, row outboxRow, messageID int64) error {
	var mid, ticket *int64
	if messageID != 0 {
		mid = &messageID
	}
	if row.TicketID != nil && row.Link != "" && messageID != 0 {
		ticket = row.TicketID
	}
	if _, err := db.ExecContext(ctx, `WITH sent AS (
			UPDATE outbox SET sent_at = now(), message_id = $2, attempts = attempts + 1
			WHERE id = $1 RETURNING chat_id)
		INSERT INTO message_links (chat_id, message_id, ticket_id, kind)
		SELECT sent.chat_id, $2, $3, $4 FROM sent WHERE $3::bigint IS NOT NULL
		ON CONFLICT DO NOTHING`, row.ID, mid, ticket, row.Link); err != nil {
		return fmt.Errorf("bot: outbox sent %d: %w", row.ID, err)
	}
	return nil
}

// markRetry schedules another attempt after a transient failure.
func markRetry(ctx context.Context, db sqlx.ExecerContext, id int64, at time.Time, cause string) error {
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
		WHERE id = $1 AND sent_at IS NULL`, id, at, cause); err != nil {
		return fmt.Errorf("bot: outbox retry %d: %w", id, err)
	}
	return nil
}

// markFailed gives up on an entry Telegram refused for good.
func markFailed(ctx context.Context, db sqlx.ExecerContext, id int64, cause string) error {
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, failed_at = now(), last_error = $2
		WHERE id = $1 AND sent_at IS NULL`, id, cause); err != nil {
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
