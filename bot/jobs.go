package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/tickets"
)

// jobsLock is the PostgreSQL advisory lock that keeps the periodic jobs to one
// process at a time.
const jobsLock = 4_202_611

// remindBefore is how long before a first-response deadline officers are reminded.
const remindBefore = 2 * time.Hour

// RunJobs does the periodic ticket work every `every` until ctx ends: reminders before
// first-response deadlines and alerts when they pass (in the staff group, as replies
// to the cards), and closing tickets that waited for the citizen, or for a rating,
// more than AutoCloseDays working days.
func (e *Engine) RunJobs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := e.RunJobsOnce(ctx, time.Now()); err != nil && ctx.Err() == nil {
			e.log.Error("ticket jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunJobsOnce runs the periodic jobs once, as of now, unless another process is.
func (e *Engine) RunJobsOnce(ctx context.Context, now time.Time) error {
	tx, err := e.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bot: jobs: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var mine bool
	if err := tx.GetContext(ctx, &mine, `SELECT pg_try_advisory_xact_lock($1)`, jobsLock); err != nil {
		return fmt.Errorf("bot: jobs lock: %w", err)
	}
	if !mine {
		return nil
	}
	var outs []Out
	soon, err := e.tickets.DueSoon(ctx, tx, now.Add(remindBefore))
	if err != nil {
		return err
	}
	for _, t := range soon {
		outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffDueSoon, t.ID, formatTime(t.DueAt.Time, e.set.Location, langID)))...)
	}
	late, err := e.tickets.Breached(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range late {
		outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffBreached, t.ID, formatTime(t.DueAt.Time, e.set.Location, langID)))...)
	}
	unresolved, err := e.tickets.ResolutionBreached(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range unresolved {
		outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffResolutionBreached, t.ID, formatTime(t.ResolveDueAt.Time, e.set.Location, langID)))...)
	}
	closed, err := e.autoClose(ctx, tx, now)
	if err != nil {
		return err
	}
	outs = append(outs, closed...)
	if days := e.set.RetentionDays; days > 0 {
		n, err := e.tickets.Anonymize(ctx, tx, now.AddDate(0, 0, -days))
		if err != nil {
			return err
		}
		if n > 0 {
			e.log.Info("retention: tickets anonymised", "tickets", n, "retention_days", days)
		}
	}
	if err := enqueue(ctx, tx, outs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bot: jobs: %w", err)
	}
	if len(outs) > 0 {
		e.notify()
	}
	return nil
}

// autoClose closes tickets that waited too long for the citizen or for a rating.
func (e *Engine) autoClose(ctx context.Context, tx *sqlx.Tx, now time.Time) ([]Out, error) {
	days := e.set.AutoCloseDays
	if days <= 0 {
		return nil, nil
	}
	var outs []Out
	for _, st := range []tickets.Status{tickets.StatusWaitingCitizen, tickets.StatusResolved} {
		// Working days are never fewer than calendar days: a cheap first cut.
		stale, err := e.tickets.Stale(ctx, tx, st, now.AddDate(0, 0, -days))
		if err != nil {
			return nil, err
		}
		for _, t := range stale {
			if e.set.Calendar != nil && e.set.Calendar.AddDays(t.UpdatedAt, days).After(now) {
				continue
			}
			t, err := e.tickets.AutoClose(ctx, tx, t.ID)
			if err != nil {
				return nil, err
			}
			if err := e.tickets.Audit(ctx, tx, t.ID, tickets.SystemActor(), tickets.DoorSystem, tickets.ActionTicketClosed,
				map[string]any{"reason": "no_response", "from": string(st)}); err != nil {
				return nil, err
			}
			card, err := e.cardUpdate(ctx, tx, t)
			if err != nil {
				return nil, err
			}
			outs = append(outs, card...)
			if st == tickets.StatusWaitingCitizen {
				l, err := citizenLang(ctx, tx, t.CitizenID)
				if err != nil {
					return nil, err
				}
				outs = append(outs, sendHTML(t.CitizenID, T(l, txtAutoClosed, t.ID, days), nil)...)
				outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffAutoClosed, t.ID, days))...)
			}
		}
	}
	return outs, nil
}
