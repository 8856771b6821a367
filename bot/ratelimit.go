package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// A citizen may ask Settings.CitizenRate questions a minute (DefaultCitizenRate), in
// bursts of up to citizenBurst; beyond that their fresh questions are recorded as handled but not
// answered, and they are asked once per slowDownWindow to wait. Replies within a
// ticket, ticket and rating buttons, and commands are never slowed, so nothing
// already being escalated is lost.
const (
	DefaultCitizenRate = 20
	citizenBurst       = 8
	slowDownWindow     = time.Minute
)

// The limit is a generic cell rate algorithm: one timestamp per citizen (allowed_at,
// the "theoretical arrival time"), updated by a single upsert in the update's own
// transaction, so every replica sees the same limit and a throttled update costs
// one statement. A message is allowed while allowed_at is no later than now plus
// the burst tolerance; each allowed message moves allowed_at one interval on.
const throttleSQL = `INSERT INTO citizen_limits AS l (telegram_user_id, allowed_at, allowed)
	VALUES ($1, now() + $2 * interval '1 millisecond', true)
	ON CONFLICT (telegram_user_id) DO UPDATE SET
		allowed = greatest(l.allowed_at, now()) <= now() + $3 * interval '1 millisecond',
		allowed_at = CASE WHEN greatest(l.allowed_at, now()) <= now() + $3 * interval '1 millisecond'
			THEN greatest(l.allowed_at, now()) + $2 * interval '1 millisecond' ELSE l.allowed_at END,
		noticed_at = CASE WHEN greatest(l.allowed_at, now()) <= now() + $3 * interval '1 millisecond'
			OR l.noticed_at > now() - $4 * interval '1 millisecond' THEN l.noticed_at ELSE now() END
	RETURNING allowed, (NOT allowed AND noticed_at IS NOT NULL AND noticed_at = now()) AS notify`

// throttle counts a fresh question against the citizen's limit. ok is false when the
// question must not be answered; outs then holds the notice to slow down, once per
// window.
func (e *Engine) throttle(ctx context.Context, tx sqlx.QueryerContext, c citizen, chat int64) (outs []Out, ok bool, err error) {
	if e.set.CitizenRate <= 0 {
		return nil, true, nil
	}
	interval := time.Minute / time.Duration(e.set.CitizenRate)
	tolerance := interval * (citizenBurst - 1)
	var res struct {
		Allowed bool `db:"allowed"`
		Notify  bool `db:"notify"`
	}
	if err := sqlx.GetContext(ctx, tx, &res, throttleSQL, c.ID,
		interval.Milliseconds(), tolerance.Milliseconds(), slowDownWindow.Milliseconds()); err != nil {
		return nil, false, fmt.Errorf("bot: rate limit: %w", err)
	}
	switch {
	case res.Allowed:
		return nil, true, nil
	case res.Notify:
		e.log.Info("citizen slowed down", "citizen", c.ID)
		return sendHTML(chat, T(c.Lang, txtSlowDown), nil), false, nil
	}
	e.log.Debug("question from a throttled citizen not answered", "citizen", c.ID)
	return nil, false, nil
}
