package tickets

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// SLA jobs find the tickets whose deadlines need the officers' attention. Each method
// marks what it returns, in the caller's transaction, so a reminder is sent once even
// with several processes (the caller holds a lock for the job) and never if the
// transaction fails.

// DueSoon returns open tickets without a first response whose deadline falls before
// `before` and that have not been reminded, marking them reminded.
func (s *Store) DueSoon(ctx context.Context, q sqlx.ExtContext, before time.Time) ([]Ticket, error) {
	return s.markAndList(ctx, q, `UPDATE tickets SET reminded_at = now()
		WHERE status IN ('baru', 'diproses') AND first_response_at IS NULL AND reminded_at IS NULL
			AND due_at IS NOT NULL AND due_at <= $1 AND due_at > now()
		RETURNING id`, before)
}

// Breached returns open tickets without a first response whose deadline has passed
// and that officers were not yet told of, marking them.
func (s *Store) Breached(ctx context.Context, q sqlx.ExtContext) ([]Ticket, error) {
	return s.markAndList(ctx, q, `UPDATE tickets SET breached_at = now()
		WHERE status IN ('baru', 'diproses') AND first_response_at IS NULL AND breached_at IS NULL
			AND due_at IS NOT NULL AND due_at <= now()
		RETURNING id`)
}

// ResolutionBreached returns open tickets past their resolution deadline that officers
// were not yet told of, marking them.
func (s *Store) ResolutionBreached(ctx context.Context, q sqlx.ExtContext) ([]Ticket, error) {
	return s.markAndList(ctx, q, `UPDATE tickets SET resolve_breached_at = now()
		WHERE status IN ('baru', 'diproses', 'menunggu_warga') AND resolve_breached_at IS NULL
			AND resolve_due_at IS NOT NULL AND resolve_due_at <= now()
		RETURNING id`)
}

// Stale returns tickets in a state that waited since before `since`: tickets waiting
// for the citizen, or resolved and never rated.
func (s *Store) Stale(ctx context.Context, q sqlx.QueryerContext, st Status, since time.Time) ([]Ticket, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, q, &ids, `SELECT id FROM tickets WHERE status = $1 AND updated_at < $2
		ORDER BY id LIMIT 500`, st, since); err != nil {
		return nil, fmt.Errorf("tickets: stale %s: %w", st, err)
	}
	return s.byIDs(ctx, q, ids)
}

// AutoClose closes a ticket that waited for the citizen, or for a rating, too long.
func (s *Store) AutoClose(ctx context.Context, q sqlx.ExtContext, id int64) (Ticket, error) {
	return s.transition(ctx, q, id, "close", []Status{StatusWaitingCitizen, StatusResolved},
		`status = 'ditutup', closed_at = now()`)
}

func (s *Store) markAndList(ctx context.Context, q sqlx.ExtContext, query string, args ...any) ([]Ticket, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, q, &ids, query, args...); err != nil {
		return nil, fmt.Errorf("tickets: sla: %w", err)
	}
	return s.byIDs(ctx, q, ids)
}

func (s *Store) byIDs(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Ticket, error) {
	out := make([]Ticket, 0, len(ids))
	for _, id := range ids {
		t, err := s.Get(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
