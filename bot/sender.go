package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/internal/pgconn"
)

// API is the part of the Bot API client the bot uses; *tgbotapi.BotAPI satisfies it.
type API interface {
	MakeRequest(endpoint string, params tgbotapi.Params) (*tgbotapi.APIResponse, error)
}

// Limits are the sending rates the sender keeps, below Telegram's own.
type Limits struct {
	Global        rate.Limit // all messages
	GlobalBurst   int
	PerChat       rate.Limit // one private chat
	PerChatBurst  int
	PerGroup      rate.Limit // one group
	PerGroupBurst int
}

// DefaultLimits are Telegram's published limits: about 30 messages a second overall,
// one a second per chat (short bursts tolerated), 20 a minute per group.
func DefaultLimits() Limits {
	return Limits{
		// Telegram allows about 30 messages a second; a margin keeps network jitter
		// (a request that arrives early) from crossing it.
		Global: 28, GlobalBurst: 10,
		PerChat: 1, PerChatBurst: 3,
		PerGroup: rate.Limit(20.0 / 60), PerGroupBurst: 3,
	}
}

// Sender delivers the outbox to Telegram: in order within each chat, within the rate
// limits, waiting out 429s and retrying transient failures with backoff. Several
// senders (one per `loket serve` process) may share a database: each claims a chat's
// entries before sending them (see claimOutbox), so an entry is sent once.
type Sender struct {
	db     *sqlx.DB
	api    API
	log    *slog.Logger
	limits Limits
	global *rate.Limiter
	wake   chan struct{}
	// me names this sender in outbox claims.
	me string
	// claimTTL is how long a claim lasts unless renewed.
	claimTTL time.Duration
	// bot is the bot this sender sends for (0: entries of any bot).
	bot int64

	mu     sync.Mutex
	chats  map[int64]*chatState
	active sync.WaitGroup
	// marks are messages sent but not yet recorded as sent (sender_marks.go).
	marks []sentMark
	// stmts are the statements run for every message, prepared (prepared.go).
	stmts *stmtCache

	// failing is set once an entry has been scheduled for a retry, and cleared by
	// the next call Telegram answers, which makes such entries due at once
	// (retryNow): when Telegram is back after an outage, what waited is sent
	// without waiting out its backoff.
	failing atomic.Bool
	// lastRetryNow is when retryNow last ran (guarded by mu).
	lastRetryNow time.Time
}

// chatState is the sender's view of one chat.
type chatState struct {
	limiter     *rate.Limiter
	busy        bool
	pausedUntil time.Time
	// claimedUntil is when this sender's claim on the chat's entries ends at the
	// latest, on the local monotonic clock (set before the claim statement is sent,
	// so it is never later than the database's own expiry).
	claimedUntil time.Time
}

// DefaultClaimTTL is how long a sender's claim on a chat's outbox entries lasts unless
// renewed. It must be well above the Bot API call timeout (30 s in serve): a claim is
// renewed before a send whenever less than two thirds of it are left.
const DefaultClaimTTL = 60 * time.Second

// NewSender returns a Sender.
func NewSender(db *sqlx.DB, api API, limits Limits, log *slog.Logger) *Sender {
	var id [8]byte
	_, _ = rand.Read(id[:])
	return &Sender{
		db: db, api: api, log: log, limits: limits,
		global:   rate.NewLimiter(limits.Global, limits.GlobalBurst),
		wake:     make(chan struct{}, 1),
		chats:    map[int64]*chatState{},
		me:       hex.EncodeToString(id[:]),
		claimTTL: DefaultClaimTTL,
		stmts:    newStmtCache(db),
	}
}

// ForBot makes the sender send only the entries of bot id (and those of no bot), for
// a database several bots share; call it before Run.
func (s *Sender) ForBot(id int64) *Sender {
	s.bot = id
	return s
}

// WithClaimTTL sets how long the sender's outbox claims last unless renewed (tests
// shorten it); call it before Run.
func (s *Sender) WithClaimTTL(d time.Duration) *Sender {
	s.claimTTL = d
	return s
}

// Wake tells the sender that the outbox has new entries.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// pollEvery is how often the outbox is read when nobody calls Wake (entries scheduled
// for retry, entries written by other processes).
const pollEvery = time.Second

// Run delivers the outbox until ctx ends, then waits for the messages being sent.
func (s *Sender) Run(ctx context.Context) error {
	dbDown := false
	for {
		err := s.dispatch(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
		case err != nil && pgconn.Unavailable(err):
			// Said once per outage, not every second.
			if !dbDown {
				s.log.Error("outbox: database unreachable; messages wait for it", "err", err)
			}
			dbDown = true
		case err != nil:
			s.log.Error("outbox", "err", err)
		case dbDown:
			s.log.Info("outbox: database reachable again")
			dbDown = false
		}
		select {
		case <-ctx.Done():
			s.active.Wait()
			// What is still claimed goes to the other processes at once.
			if err := releaseClaims(context.Background(), s.db, s.me, 0); err != nil {
				s.log.Warn("outbox claims not released; they expire", "err", err)
			}
			return nil
		case <-s.wake:
		case <-time.After(pollEvery):
		}
	}
}

// dispatch starts a worker for every chat that has entries due and none running.
func (s *Sender) dispatch(ctx context.Context) error {
	s.mu.Lock()
	busy := make([]int64, 0, len(s.chats))
	for id, c := range s.chats {
		if c.busy {
			busy = append(busy, id)
		}
	}
	s.mu.Unlock()
	if err := s.flushMarks(ctx); err != nil {
		return err // the database is still away: claiming would fail too
	}
	claimedAt := time.Now()
	rows, err := claimOutbox(ctx, s.db, s.me, s.bot, s.claimTTL, busy)
	if err != nil {
		return err
	}
	byChat := map[int64][]outboxRow{}
	var order []int64
	for _, r := range rows {
		if _, ok := byChat[r.ChatID]; !ok {
			order = append(order, r.ChatID)
		}
		byChat[r.ChatID] = append(byChat[r.ChatID], r)
	}
	for _, chat := range order {
		st := s.chat(chat)
		s.mu.Lock()
		if st.busy {
			s.mu.Unlock()
			continue
		}
		st.busy = true
		st.claimedUntil = claimedAt.Add(s.claimTTL)
		s.mu.Unlock()
		s.active.Add(1)
		go s.drain(ctx, chat, byChat[chat])
	}
	return nil
}

// chat returns the state of a chat, creating it.
func (s *Sender) chat(id int64) *chatState {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[id]
	if !ok {
		lim := rate.NewLimiter(s.limits.PerChat, s.limits.PerChatBurst)
		if id < 0 {
			lim = rate.NewLimiter(s.limits.PerGroup, s.limits.PerGroupBurst)
		}
		c = &chatState{limiter: lim}
		s.chats[id] = c
	}
	return c
}

// drain sends one chat's entries in order, stopping at the first that must wait.
func (s *Sender) drain(ctx context.Context, chat int64, rows []outboxRow) {
	left := len(rows)
	defer func() {
		// Entries left (waiting for a retry, or the sender stopping) are released so
		// that any process may take the chat; this one too, at its next round.
		if left == 0 {
			// Nothing claimed is left unsent: no statement needed.
		} else if err := releaseClaims(context.WithoutCancel(ctx), s.db, s.me, chat); err != nil {
			s.log.Warn("outbox claims not released; they expire", "chat_id", chat, "err", err)
		}
		s.mu.Lock()
		s.chats[chat].busy = false
		s.mu.Unlock()
		s.active.Done()
		s.Wake()
	}()
	for _, r := range rows {
		if !s.deliver(ctx, r) {
			return
		}
		left--
	}
}

// deliver sends one entry. It returns false when the chat must wait (the entry is
// scheduled for retry, or the sender is stopping) and later entries must not overtake it.
func (s *Sender) deliver(ctx context.Context, r outboxRow) bool {
	var params tgbotapi.Params
	if err := json.Unmarshal(r.ParamsJSON, &params); err != nil {
		s.fail(r, "bad params: "+err.Error())
		return true
	}
	if (r.ReplyToCard || r.EditCard) && r.TicketID != nil {
		card, err := cardMessageID(context.WithoutCancel(ctx), s.db, *r.TicketID, r.ChatID)
		if err != nil {
			s.retry(r, err)
			return false
		}
		switch {
		case r.EditCard && card == 0:
			// The card was never delivered: there is nothing to edit.
			_ = markSent(context.WithoutCancel(ctx), s.stmts.on(nil), r, 0)
			return true
		case r.EditCard:
			params["message_id"] = itoa(card)
		case card != 0:
			params["reply_to_message_id"] = itoa(card)
			params["allow_sending_without_reply"] = "true"
		}
	}
	if r.TicketID != nil && r.ChatID < 0 && (r.Method == "sendMessage" || r.Method == "copyMessage") {
		thread, err := topicThread(context.WithoutCancel(ctx), s.db, *r.TicketID, r.ChatID)
		if err != nil {
			s.retry(r, err)
			return false
		}
		if thread != 0 {
			params["message_thread_id"] = itoa(thread)
		}
	}
	for {
		if err := s.waitTurn(ctx, r.ChatID, r.Method); err != nil {
			return false // stopping: the entry stays in the outbox
		}
		if !s.holdClaim(ctx, r) {
			return false
		}
		resp, err := s.api.MakeRequest(r.Method, params)
		if err == nil {
			if err := markSent(context.WithoutCancel(ctx), s.stmts.on(nil), r, resultMessageID(resp)); err != nil {
				s.keepMark(r, resultMessageID(resp), err) // sender_marks.go
			}
			s.answered(ctx)
			return true
		}
		var tgErr *tgbotapi.Error
		if !errors.As(err, &tgErr) {
			s.retry(r, err) // network error or an answer that is not the Bot API's
			return false
		}
		if tgErr.Code < 500 && tgErr.Code != 429 && tgErr.RetryAfter == 0 {
			s.answered(ctx) // a definite answer: Telegram is up
		}
		switch {
		case tgErr.Code == 429 || tgErr.RetryAfter > 0:
			wait := time.Duration(max(tgErr.RetryAfter, 1)) * time.Second
			s.log.Warn("telegram asked to slow down", "method", r.Method, "chat_id", r.ChatID, "retry_after_s", wait.Seconds())
			s.pause(r.ChatID, wait)
		case tgErr.Code >= 500:
			s.retry(r, err)
			return false
		case strings.Contains(tgErr.Message, "can't parse entities") && params["parse_mode"] != "":
			// Never lose a message to a formatting mistake: send it as plain text.
			s.log.Error("telegram refused HTML; sending plain text", "outbox_id", r.ID, "err", tgErr.Message)
			params["text"] = tghtml.PlainText(params["text"])
			delete(params, "parse_mode")
		case strings.Contains(tgErr.Message, "message is not modified"):
			_ = markSent(context.WithoutCancel(ctx), s.stmts.on(nil), r, 0)
			return true
		default:
			s.fail(r, tgErr.Error())
			return true
		}
	}
}

// holdClaim makes sure this sender still holds its claim on the chat of r for longer
// than a Bot API call may take, renewing it when needed. It returns false when the
// claim is lost (another process may own the chat now) or cannot be checked.
func (s *Sender) holdClaim(ctx context.Context, r outboxRow) bool {
	st := s.chat(r.ChatID)
	s.mu.Lock()
	left := time.Until(st.claimedUntil)
	s.mu.Unlock()
	if left > s.claimTTL*2/3 {
		return true
	}
	at := time.Now()
	ok, err := renewClaim(context.WithoutCancel(ctx), s.db, s.me, s.claimTTL, r.ChatID, r.ID)
	if err != nil {
		s.log.Warn("outbox claim not renewed; the chat waits", "chat_id", r.ChatID, "err", err)
		return false
	}
	if !ok {
		s.log.Warn("outbox claim lost; the chat is left to whoever holds it", "chat_id", r.ChatID, "outbox_id", r.ID)
		return false
	}
	s.mu.Lock()
	st.claimedUntil = at.Add(s.claimTTL)
	s.mu.Unlock()
	return true
}

// waitTurn blocks until the rate limits allow the next call to a chat.
func (s *Sender) waitTurn(ctx context.Context, chat int64, method string) error {
	st := s.chat(chat)
	s.mu.Lock()
	until := st.pausedUntil
	s.mu.Unlock()
	if d := time.Until(until); d > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	if method == "answerCallbackQuery" || method == "setMyCommands" || method == "deleteWebhook" {
		return nil // not messages: Telegram's message limits do not apply
	}
	if err := st.limiter.Wait(ctx); err != nil {
		return err
	}
	return s.global.Wait(ctx)
}

func (s *Sender) pause(chat int64, d time.Duration) {
	st := s.chat(chat)
	s.mu.Lock()
	st.pausedUntil = time.Now().Add(d)
	s.mu.Unlock()
}

// maxRetryBackoff caps the wait before retrying a transient failure: an outage of
// Telegram's rarely lasts long, and a message should not wait minutes once it is
// over (retryNow usually sends it at once anyway).
const maxRetryBackoff = 30 * time.Second

// retryBackoff is the wait before the n-th retry of a transient failure: 1, 2, 4, 8,
// 16, then 30 s.
func retryBackoff(attempts int) time.Duration {
	d := time.Second << min(attempts, 5)
	return min(d, maxRetryBackoff)
}

func (s *Sender) retry(r outboxRow, cause error) {
	at := time.Now().Add(retryBackoff(r.Attempts))
	s.log.Warn("send failed, will retry", "outbox_id", r.ID, "method", r.Method, "attempt", r.Attempts+1, "retry_at", at, "err", cause)
	if err := markRetry(context.Background(), s.db, r.ID, at, cause.Error()); err != nil {
		s.log.Error("outbox", "id", r.ID, "err", err)
	}
	// After the entry is scheduled, so that the retryNow of the next answer sees it.
	s.failing.Store(true)
}

// minRetryNowGap is the least time between two retryNow runs: when Telegram fails
// some calls and answers others, entries still back off rather than being tried
// again after every answer.
const minRetryNowGap = 5 * time.Second

// answered notes that Telegram answered a call. The first answer after entries were
// scheduled for a retry makes them due at once (and wakes the sender): Telegram is
// back, so they need not wait out their backoff. It costs an atomic load otherwise.
func (s *Sender) answered(ctx context.Context) {
	if !s.failing.Load() {
		return
	}
	s.mu.Lock()
	if time.Since(s.lastRetryNow) < minRetryNowGap || !s.failing.CompareAndSwap(true, false) {
		s.mu.Unlock()
		return
	}
	s.lastRetryNow = time.Now()
	s.mu.Unlock()
	n, err := retryNow(context.WithoutCancel(ctx), s.db, s.bot)
	if err != nil {
		s.failing.Store(true) // the next answer tries again
		s.log.Warn("outbox: entries waiting for a retry not rescheduled; they wait out their backoff", "err", err)
		return
	}
	if n > 0 {
		s.log.Info("Telegram answers again: retrying waiting messages now", "messages", n)
		s.Wake()
	}
}

// retryNow makes the entries scheduled for a retry after a failure due now, and
// returns how many there were. bot (0: any) limits them as in claimOutbox.
func retryNow(ctx context.Context, db *sqlx.DB, bot int64) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = now()
		WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0 AND next_attempt_at > now()
			AND ($1::bigint = 0 OR bot_id IS NULL OR bot_id = $1)`, bot)
	if err != nil {
		return 0, fmt.Errorf("bot: outbox retry now: %w", err)
	}
	return res.RowsAffected()
}

func (s *Sender) fail(r outboxRow, cause string) {
	s.log.Error("telegram refused a message; not retrying", "outbox_id", r.ID, "method", r.Method, "chat_id", r.ChatID, "err", cause)
	if err := markFailed(context.Background(), s.db, r.ID, cause); err != nil {
		s.log.Error("outbox", "id", r.ID, "err", err)
	}
}

// resultMessageID returns the id of the message a call created (for a forum topic,
// its thread id), or 0.
func resultMessageID(resp *tgbotapi.APIResponse) int64 {
	if resp == nil || len(resp.Result) == 0 || resp.Result[0] != '{' {
		return 0
	}
	var m struct {
		MessageID int64 `json:"message_id"`
		ThreadID  int64 `json:"message_thread_id"` // createForumTopic
	}
	_ = json.Unmarshal(resp.Result, &m)
	if m.MessageID == 0 {
		return m.ThreadID
	}
	return m.MessageID
}

// Flush delivers every entry that is due now and returns when none is left (entries
// scheduled for a later retry stay). It is for callers that do not Run the sender,
// such as the terminal chat; do not call it while Run is running.
func (s *Sender) Flush(ctx context.Context) error {
	for {
		if err := s.dispatch(ctx); err != nil {
			return err
		}
		s.active.Wait()
		var n int
		if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM outbox o
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
				AND (claimed_until IS NULL OR claimed_until <= now() OR claimed_by = $1)
				AND ($2::bigint = 0 OR bot_id IS NULL OR bot_id = $2)
				AND `+strings.ReplaceAll(notBehindWaiting, "$bot", "$2"), s.me, s.bot); err != nil {
			return fmt.Errorf("bot: flush: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
