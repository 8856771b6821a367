package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"

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
		if err := e.ReloadCalendar(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("calendar reload", "err", err)
		}
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
		due := formatTime(t.DueAt.Time, e.set.Location, langID)
		outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffBreached, t.ID, due))...)
		outs = append(outs, e.supervisorAlert(ctx, tx, t, fmt.Sprintf(staffBreached, t.ID, due))...)
	}
	unresolved, err := e.tickets.ResolutionBreached(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range unresolved {
		due := formatTime(t.ResolveDueAt.Time, e.set.Location, langID)
		outs = append(outs, e.groupNotice(t, fmt.Sprintf(staffResolutionBreached, t.ID, due))...)
		outs = append(outs, e.supervisorAlert(ctx, tx, t, fmt.Sprintf(staffResolutionBreached, t.ID, due))...)
	}
	summary, err := e.dailySummary(ctx, tx, now)
	if err != nil {
		return err
	}
	outs = append(outs, summary...)
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
	e.observeBreaches(slaFirstResponse, len(late))
	e.observeBreaches(slaResolution, len(unresolved))
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
			if e.calendar() != nil && e.calendar().AddDays(t.UpdatedAt, days).After(now) {
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

// supervisorChat is where the daily summary and breach alerts go.
func (e *Engine) supervisorChat() int64 {
	if e.set.SupervisorChatID != 0 {
		return e.set.SupervisorChatID
	}
	return e.set.StaffChatID
}

// supervisorAlert copies a breach alert to the supervisors' chat when they have one
// of their own, naming the ticket's unit and officer. Confidential reports stay with
// the integrity unit.
func (e *Engine) supervisorAlert(ctx context.Context, q sqlx.QueryerContext, t tickets.Ticket, alert string) []Out {
	chat := e.set.SupervisorChatID
	if chat == 0 || t.Confidential || chat == e.groupOf(t) {
		return nil
	}
	unit := "Tanpa unit"
	if u, err := e.tickets.Unit(ctx, q, t.Unit); err == nil {
		unit = u.Name
	}
	who := "belum diambil"
	if t.AssigneeName != "" {
		who = t.AssigneeName
	}
	return sendHTML(chat, alert+"\n"+fmt.Sprintf(staffAlertWho, tghtml.Escape(unit), tghtml.Escape(who)), nil)
}

// dailySummary posts, once each working day when the office is open, the figures of
// the last 24 hours per unit to the supervisors' chat (or the default staff group).
func (e *Engine) dailySummary(ctx context.Context, tx *sqlx.Tx, now time.Time) ([]Out, error) {
	chat := e.supervisorChat()
	if chat == 0 {
		return nil, nil
	}
	local := now.In(e.location())
	if cal := e.calendar(); cal != nil && !cal.IsOpen(now) {
		return nil, nil
	} else if cal == nil && (local.Hour() < 8 || local.Weekday() == time.Saturday || local.Weekday() == time.Sunday) {
		return nil, nil
	}
	first, err := e.tickets.ClaimDay(ctx, tx, "daily_summary", local)
	if err != nil || !first {
		return nil, err
	}
	rows, err := e.tickets.Summary(ctx, tx, now.Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, staffSummaryHead, formatTime(now, e.set.Location, langID))
	if len(rows) == 0 {
		b.WriteString("\n" + staffSummaryEmpty)
	}
	for _, r := range rows {
		unit := r.Unit
		if unit == "" {
			unit = "Tanpa unit"
		} else if u, err := e.tickets.Unit(ctx, tx, r.Unit); err == nil {
			unit = u.Name
		}
		fmt.Fprintf(&b, staffSummaryRow, tghtml.Escape(unit), r.Open, r.Overdue, r.Opened, r.Resolved)
		if r.Ratings > 0 {
			fmt.Fprintf(&b, staffSummaryRating, strings.Replace(fmt.Sprintf("%.1f", r.AvgRating.Float64), ".", ",", 1), r.Ratings)
		}
	}
	return sendHTML(chat, b.String(), nil), nil
}

// location is the office's time zone.
func (e *Engine) location() *time.Location {
	if e.set.Location != nil {
		return e.set.Location
	}
	return time.Local
}
