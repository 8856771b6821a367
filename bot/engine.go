package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/logctx"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// Searcher answers questions from the knowledge base.
type Searcher interface {
	Search(ctx context.Context, question string) (knowledge.Result, error)
	FAQ(id string) (knowledge.FAQ, bool)
	Categories() []knowledge.Category // for browsing (/layanan, browse.go)
}

// Settings are what the dialogs need to know about the deployment.
type Settings struct {
	// BotID is the bot's Telegram user id: update ids are counted per bot.
	BotID int64
	// StaffChatID is the officers' group.
	StaffChatID int64
	// SupervisorChatID receives the daily summary and breach alerts; 0 sends them
	// to the staff group.
	SupervisorChatID int64
	// OfficeName is shown in the greeting.
	OfficeName string
	// ResponseDays is the first-response time promised when a ticket opens, in
	// working days.
	ResponseDays int
	// Calendar is the office's working calendar; nil counts plain days.
	Calendar *tickets.Calendar
	// ResolutionDays is the resolution time, in working days, for tickets of no unit.
	ResolutionDays int
	// RequireConsent asks the citizen to agree to the privacy notice with a button
	// before their first ticket is opened.
	RequireConsent bool
	// CitizenRate is how many fresh questions a citizen may ask a minute, in bursts
	// of citizenBurst (0: no limit; ratelimit.go).
	CitizenRate int
	// RetentionDays anonymises tickets closed this many days ago (0: keep).
	RetentionDays int
	// AutoCloseDays closes tickets that waited this many working days for the
	// citizen or for a rating (0: never).
	AutoCloseDays int
	// Location is the office's time zone.
	Location *time.Location
}

// Engine handles Telegram updates: the citizen and staff dialogs.
type Engine struct {
	db      *sqlx.DB
	search  Searcher
	tickets *tickets.Store
	set     Settings
	log     *slog.Logger
	// notify is called after a transaction that wrote to the outbox commits.
	notify func()
	// cal is the office calendar as last loaded (nil: plain days).
	cal atomic.Pointer[tickets.Calendar]
	// metrics receives counts (nil: none); see SetMetrics.
	metrics Metrics
	// stmts are the statements of every update, prepared (prepared.go).
	stmts *stmtCache
	// rendered holds FAQ answers rendered as Telegram HTML (renderAnswer).
	rendered  sync.Map
	renderedN atomic.Int64
}

// NewEngine returns an Engine. notify (may be nil) is called whenever new messages are
// waiting in the outbox, typically Sender.Wake.
func NewEngine(db *sqlx.DB, search Searcher, ts *tickets.Store, set Settings, log *slog.Logger, notify func()) *Engine {
	if notify == nil {
		notify = func() {}
	}
	e := &Engine{db: db, search: search, tickets: ts, set: set, log: log, notify: notify, stmts: newStmtCache(db)}
	e.cal.Store(set.Calendar)
	return e
}

// calendar is the office calendar (nil: plain days).
func (e *Engine) calendar() *tickets.Calendar { return e.cal.Load() }

// Calendar is the office calendar as last loaded (nil: plain days), for the console.
func (e *Engine) Calendar() *tickets.Calendar { return e.calendar() }

// ReloadCalendar reads the holidays again, so that `loket calendar import` takes
// effect in a running process. RunJobs calls it every round.
func (e *Engine) ReloadCalendar(ctx context.Context) error {
	cur := e.calendar()
	if cur == nil {
		return nil
	}
	hs, err := e.tickets.Holidays(ctx)
	if err != nil {
		return err
	}
	next, err := cur.WithHolidays(hs)
	if err != nil {
		return fmt.Errorf("bot: calendar: %w", err)
	}
	e.cal.Store(next)
	return nil
}

// ErrMalformed marks an update that cannot be decoded; it is skipped, not retried.
var ErrMalformed = errors.New("bot: malformed update")

// maxUpdateSize is the largest update handled: a message holds at most 4096
// characters, its reply and entities a few times that.
const maxUpdateSize = 256 << 10

// ErrRetry marks an update that cannot be handled yet (it replies to a message still
// being delivered); the poller hands it in again shortly.
var ErrRetry = errors.New("bot: update must wait")

// replyTarget returns the ticket a reply belongs to and how, or 0. A reply to a ticket
// message whose delivery is still being recorded asks for a retry (ErrRetry), so a
// quick reply is never taken for a new question.
func (e *Engine) replyTarget(ctx context.Context, tx *sqlx.Tx, m *tgbotapi.Message) (int64, string, error) {
	if m.ReplyToMessage == nil {
		return 0, "", nil
	}
	replyTo := int64(m.ReplyToMessage.MessageID)
	// Whether a delivery is in flight is read before the link, not after: the sender
	// may record the link between the two statements, and in that order it is seen.
	pending := false
	if from := m.ReplyToMessage.From; from != nil && from.IsBot {
		var err error
		if pending, err = linkPending(ctx, tx, m.Chat.ID, replyTo); err != nil {
			return 0, "", err
		}
	}
	ticketID, kind, err := linkedTicket(ctx, tx, m.Chat.ID, replyTo)
	if err != nil || ticketID != 0 {
		return ticketID, kind, err
	}
	if t := cardTicket(m); t != 0 {
		// A card Telegram accepted but whose sending was never recorded (the process
		// died in between; the card may have been sent again since): its buttons
		// name the ticket. Link it now, so the officer's reply is not lost.
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_links (chat_id, message_id, ticket_id, kind)
			SELECT $1, $2, id, $4 FROM tickets WHERE id = $3 ON CONFLICT DO NOTHING`, m.Chat.ID, replyTo, t, linkCard); err != nil {
			return 0, "", fmt.Errorf("bot: link card: %w", err)
		}
		if id, kind, err := linkedTicket(ctx, tx, m.Chat.ID, replyTo); err != nil || id != 0 {
			return id, kind, err
		}
	}
	if pending && !impatient(ctx) {
		return 0, "", ErrRetry
	}
	return 0, "", nil
}

// cardTicket returns the ticket named by the buttons of the bot's group message that m
// replies to (a ticket's card), or 0.
func cardTicket(m *tgbotapi.Message) int64 {
	r := m.ReplyToMessage
	if m.Chat == nil || m.Chat.Type == "private" || r == nil || r.From == nil || !r.From.IsBot || r.ReplyMarkup == nil {
		return 0
	}
	for _, row := range r.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == nil {
				continue
			}
			if c, err := parseTicketCallback(*b.CallbackData); err == nil && c.Ticket > 0 {
				return c.Ticket
			}
		}
	}
	return 0
}

type threadKey struct{}

// threadOf returns the forum topic thread the update's message was written in, or 0.
func threadOf(ctx context.Context) int64 {
	id, _ := ctx.Value(threadKey{}).(int64)
	return id
}

type impatientKey struct{}

// Impatient marks a context whose update must be handled now even if it replies to a
// message still being delivered (the poller's last try after ErrRetry).
func Impatient(ctx context.Context) context.Context {
	return context.WithValue(ctx, impatientKey{}, true)
}

func impatient(ctx context.Context) bool { return ctx.Value(impatientKey{}) != nil }

// HandleRaw decodes and handles one update as received from the Bot API.
func (e *Engine) HandleRaw(ctx context.Context, raw json.RawMessage) error {
	if len(raw) > maxUpdateSize { // Telegram's own updates are far smaller
		return fmt.Errorf("%w: %d bytes", ErrMalformed, len(raw))
	}
	var upd tgbotapi.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		e.observeUpdate(tgbotapi.Update{}, ErrMalformed) // kind unknown: "other"
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	scrubNUL(&upd) // PostgreSQL cannot store NUL characters in text
	// The Bot API library predates forum topics: read the thread id ourselves.
	var topic struct {
		Message *struct {
			ThreadID int64 `json:"message_thread_id"`
			IsTopic  bool  `json:"is_topic_message"`
		} `json:"message"`
	}
	if json.Unmarshal(raw, &topic) == nil && topic.Message != nil && topic.Message.IsTopic {
		ctx = context.WithValue(ctx, threadKey{}, topic.Message.ThreadID)
	}
	return e.Handle(ctx, upd)
}

// Handle handles one update in one transaction: its id is recorded with its effects,
// so an update delivered twice is handled once. An update id of 0 is not recorded
// (the terminal chat has no Telegram update ids).
func (e *Engine) Handle(ctx context.Context, upd tgbotapi.Update) (err error) {
	ctx = logctx.WithUpdateID(ctx, upd.UpdateID)
	defer func() { e.observeUpdate(upd, err) }()
	tx, err := e.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bot: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if upd.UpdateID != 0 {
		// The chat's lock, taken first and held to the end of the transaction, keeps
		// one chat's updates in order when several are handled at once (webhook
		// connections, replicas).
		res, err := e.stmts.on(tx).ExecContext(ctx, `INSERT INTO processed_updates (bot_id, update_id)
			SELECT $1::bigint, $2::bigint FROM (SELECT pg_advisory_xact_lock($3, hashint8($4))) AS chat_lock
			ON CONFLICT DO NOTHING`, e.set.BotID, upd.UpdateID, chatLockSpace, chatOf(upd))
		if err != nil {
			return fmt.Errorf("bot: record update %d: %w", upd.UpdateID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			e.log.DebugContext(ctx, "update already handled", "update_id", upd.UpdateID)
			return nil
		}
	}
	outs, err := e.route(ctx, tx, upd)
	if err != nil {
		return fmt.Errorf("bot: update %d: %w", upd.UpdateID, err)
	}
	outs = replayed(ctx, outs) // an update kept during an outage: outage.go
	for i := range outs {
		outs[i].BotID = e.set.BotID // answers go out through the bot that was written to
	}
	if err := enqueue(ctx, e.stmts.on(tx), outs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bot: commit update %d: %w", upd.UpdateID, err)
	}
	if len(outs) > 0 {
		e.notify()
	}
	return nil
}

// route sends an update to the dialog it belongs to.
func (e *Engine) route(ctx context.Context, tx *sqlx.Tx, upd tgbotapi.Update) ([]Out, error) {
	switch {
	case upd.Message != nil && upd.Message.Chat != nil && upd.Message.From != nil:
		m := upd.Message
		switch {
		case m.Chat.Type == "private":
			return e.citizenMessage(ctx, tx, m)
		default:
			staff, err := e.isStaffGroup(ctx, tx, m.Chat.ID)
			if err != nil || !staff {
				return nil, err
			}
			return e.staffMessage(ctx, tx, m)
		}
	case upd.CallbackQuery != nil && upd.CallbackQuery.From != nil:
		switch data := upd.CallbackQuery.Data; {
		case strings.HasPrefix(data, ticketPrefix):
			return e.ticketButton(ctx, tx, upd.CallbackQuery)
		case data == eraseConfirm || data == eraseCancel:
			return e.privacyButton(ctx, tx, upd.CallbackQuery)
		}
		return e.citizenCallback(ctx, tx, upd.CallbackQuery)
	}
	// Other updates (edited messages, other groups, channel posts) need nothing.
	return nil, nil
}

// scrubNUL removes NUL characters, which PostgreSQL refuses in text, from what the
// dialogs store of an update: otherwise a message holding one fails every time it is
// handled and is lost.
func scrubNUL(upd *tgbotapi.Update) {
	clean := func(s *string) { *s = strings.ReplaceAll(*s, "\x00", "") }
	user := func(u *tgbotapi.User) {
		if u != nil {
			clean(&u.FirstName)
			clean(&u.LastName)
			clean(&u.UserName)
			clean(&u.LanguageCode)
		}
	}
	for _, m := range []*tgbotapi.Message{upd.Message, upd.EditedMessage} {
		for ; m != nil; m = m.ReplyToMessage {
			clean(&m.Text)
			clean(&m.Caption)
			user(m.From)
			if m.Chat != nil {
				clean(&m.Chat.Title)
			}
		}
	}
	if q := upd.CallbackQuery; q != nil {
		clean(&q.Data)
		user(q.From)
	}
}
