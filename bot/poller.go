package bot

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"
)

// Handler handles one raw update; *Engine is one.
type Handler interface {
	HandleRaw(ctx context.Context, raw json.RawMessage) error
}

// AllowedUpdates are the update kinds Loket asks Telegram for.
var AllowedUpdates = []string{"message", "callback_query"}

// Poller takes updates from the Bot API by long polling. It confirms an update to
// Telegram (by moving the offset past it) only after it has been handled, so an update
// in flight when the process stops is delivered again and, thanks to the recorded
// update ids, handled once.
type Poller struct {
	api     API
	handler Handler
	log     *slog.Logger
	timeout time.Duration
	// ready is called once the first getUpdates call succeeds.
	ready func()
	// lock, when set, keeps polling to one process of those sharing the database.
	lock *pollLock
}

// WithLock makes the poller poll only while it holds a PostgreSQL advisory lock on
// bot (its Telegram id), so that of several processes of one bot on one database one
// polls and the others stand by (and
// take over when it stops). When the database cannot tell, the poller polls:
// Telegram refuses a second concurrent getUpdates (409) and the recorded update ids
// keep an update from being handled twice.
func (p *Poller) WithLock(db *sqlx.DB, bot int64) *Poller {
	p.lock = &pollLock{db: db, bot: bot, log: p.log}
	return p
}

// NewPoller returns a Poller; timeout is the long-polling timeout.
func NewPoller(api API, h Handler, timeout time.Duration, log *slog.Logger) *Poller {
	return &Poller{api: api, handler: h, log: log, timeout: timeout}
}

// maxPollBackoff caps the wait between failed getUpdates calls: short, so that updates
// flow again within seconds of Telegram (or the network) coming back.
const maxPollBackoff = 5 * time.Second

// handleTimeout bounds the handling of one update.
const handleTimeout = 30 * time.Second

// maxHandleFailures is how often an update may fail before it is skipped.
const maxHandleFailures = 5

// An update that replies to a message still being delivered waits for the delivery
// (ErrRetry) up to maxWaits × waitStep, then is handled as it is.
const (
	maxWaits = 25
	waitStep = 200 * time.Millisecond
)

// Run polls until ctx ends. It returns an error only when polling cannot go on (the
// token was refused).
func (p *Poller) Run(ctx context.Context) error {
	allowed, _ := json.Marshal(AllowedUpdates)
	var offset int64
	failures := map[int64]int{}
	waits := map[int64]int{}
	backoff := time.Second
	if p.lock != nil {
		defer p.lock.release()
	}
	for ctx.Err() == nil {
		if p.lock != nil && !p.lock.hold(ctx) {
			sleep(ctx, standbyEvery)
			continue
		}
		resp, err := p.api.MakeRequest("getUpdates", tgbotapi.Params{
			"offset":          strconv.FormatInt(offset, 10),
			"timeout":         strconv.Itoa(int(p.timeout.Seconds())),
			"allowed_updates": string(allowed),
		})
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			var tgErr *tgbotapi.Error
			wait := backoff
			backoff = min(backoff*2, maxPollBackoff)
			if errors.As(err, &tgErr) {
				switch {
				case tgErr.Code == 401 || tgErr.Code == 404:
					return fmt.Errorf("bot: Telegram refused the bot token (%d): check TELEGRAM_BOT_TOKEN", tgErr.Code)
				case tgErr.RetryAfter > 0:
					wait = time.Duration(tgErr.RetryAfter) * time.Second
				case tgErr.Code == 409:
					p.log.Error("another process is polling this bot, or a webhook is set; retrying", "err", tgErr.Message)
				}
			}
			p.log.Warn("getUpdates failed", "err", err, "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		backoff = time.Second
		if p.ready != nil {
			p.ready()
			p.ready = nil
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(resp.Result, &raws); err != nil {
			p.log.Error("getUpdates: undecodable result", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		next, wait, stop := p.handleBatch(ctx, raws, offset, failures, waits)
		if stop {
			return nil
		}
		offset = next
		if wait > 0 {
			sleep(ctx, wait)
		}
	}
	return nil
}

// pollLockSpace is the first key of the advisory lock held by the process that polls
// (the second is the hashed bot id).
const pollLockSpace = 4_202_614

// standbyEvery is how often a standing-by poller tries the lock.
const standbyEvery = 2 * time.Second

// pollLock is a session-level advisory lock held on a connection of its own for as
// long as the process polls; it is released when the connection closes, so a process
// that dies gives it up at once.
type pollLock struct {
	db      *sqlx.DB
	bot     int64
	log     *slog.Logger
	conn    *sql.Conn
	standby bool
}

// hold reports whether this process may poll: it holds the lock, or the database
// cannot tell (unreachable).
func (l *pollLock) hold(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if l.conn != nil {
		if l.conn.PingContext(ctx) == nil {
			return true
		}
		l.drop() // the session, and with it the lock, is gone: take it again
	}
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return true
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashint8($2))`, pollLockSpace, l.bot).Scan(&got); err != nil {
		l.conn = conn
		l.drop()
		return true
	}
	if !got {
		_ = conn.Close()
		if !l.standby {
			l.log.Info("another process is polling Telegram; standing by")
			l.standby = true
		}
		return false
	}
	if l.standby {
		l.log.Info("this process polls Telegram now")
		l.standby = false
	}
	l.conn = conn
	return true
}

// drop closes the lock's connection for good (not back to the pool, where the
// session would keep the lock).
func (l *pollLock) drop() {
	if l.conn == nil {
		return
	}
	_ = l.conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = l.conn.Close()
	l.conn = nil
}

// release gives the lock up when polling ends.
func (l *pollLock) release() { l.drop() }

// updateID reads the update_id of a raw update.
func updateID(raw json.RawMessage) (int64, bool) {
	var u struct {
		UpdateID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &u); err != nil || u.UpdateID == nil {
		return 0, false
	}
	return *u.UpdateID, true
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
