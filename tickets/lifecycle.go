package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Status is where a ticket stands.
type Status string

// Ticket states, as the office names them.
const (
	// StatusNew: waiting for an officer to take it.
	StatusNew Status = "baru"
	// StatusInProgress: an officer took it.
	StatusInProgress Status = "diproses"
	// StatusWaitingCitizen: the officer asked the citizen something.
	StatusWaitingCitizen Status = "menunggu_warga"
	// StatusResolved: the officer resolved it, with a resolution note.
	StatusResolved Status = "selesai"
	// StatusClosed: rated by the citizen, or closed after some working days.
	StatusClosed Status = "ditutup"
	// StatusCancelled: the citizen withdrew it.
	StatusCancelled Status = "dibatalkan"
)

// Open reports whether the ticket still needs work.
func (st Status) Open() bool {
	return st == StatusNew || st == StatusInProgress || st == StatusWaitingCitizen
}

// ReopenWindow is how long after resolution a citizen may reopen a ticket.
const ReopenWindow = 7 * 24 * time.Hour

// ErrTransition is returned for a change the ticket's state does not allow.
type ErrTransition struct {
	Ticket int64
	From   Status
	Action string
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("tickets: ticket %d is %s: cannot %s", e.Ticket, e.From, e.Action)
}

// ErrTaken is returned when another officer already took the ticket.
type ErrTaken struct {
	Ticket int64
	By     string
}

func (e *ErrTaken) Error() string {
	return fmt.Sprintf("tickets: ticket %d already taken by %s", e.Ticket, e.By)
}

// ErrNotOwner is returned when a citizen acts on a ticket that is not theirs.
var ErrNotOwner = errors.New("tickets: not the citizen's ticket")

// transition moves a ticket whose state is one of from, in one UPDATE (so two
// concurrent changes cannot both pass the check), and returns it afterwards.
func (s *Store) transition(ctx context.Context, q sqlx.ExtContext, id int64, action string, from []Status, set string, args ...any) (Ticket, error) {
	states := make(pq.StringArray, len(from))
	for i, f := range from {
		states[i] = string(f)
	}
	all := append([]any{id, states}, args...)
	res, err := q.ExecContext(ctx, `UPDATE tickets SET `+set+`, updated_at = now()
		WHERE id = $1 AND status = ANY($2)`, all...)
	if err != nil {
		return Ticket{}, fmt.Errorf("tickets: %s %d: %w", action, id, err)
	}
	t, err := s.Get(ctx, q, id)
	if err != nil {
		return t, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return t, &ErrTransition{Ticket: id, From: t.Status, Action: action}
	}
	return t, nil
}

// Take assigns a ticket to an officer: new or unassigned tickets only. When another
// officer took it first, it returns *ErrTaken naming them; taking one's own ticket
// again is not an error.
func (s *Store) Take(ctx context.Context, q sqlx.ExtContext, id, staffID int64) (Ticket, error) {
	res, err := q.ExecContext(ctx, `UPDATE tickets SET assignee_id = $2, taken_at = now(), updated_at = now(),
			status = CASE WHEN status = 'baru' THEN 'diproses' ELSE status END
		WHERE id = $1 AND assignee_id IS NULL AND status IN ('baru', 'diproses', 'menunggu_warga')`, id, staffID)
	if err != nil {
		return Ticket{}, fmt.Errorf("tickets: take %d: %w", id, err)
	}
	t, err := s.Get(ctx, q, id)
	if err != nil {
		return t, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return t, nil
	}
	switch {
	case !t.Status.Open():
		return t, &ErrTransition{Ticket: id, From: t.Status, Action: "take"}
	case t.AssigneeID.Int64 == staffID:
		return t, nil
	default:
		return t, &ErrTaken{Ticket: id, By: t.AssigneeName}
	}
}

// StaffReplied records that an officer answered the citizen: the ticket now waits for
// the citizen, and an unassigned ticket becomes the officer's.
func (s *Store) StaffReplied(ctx context.Context, q sqlx.ExtContext, id, staffID int64) (Ticket, error) {
	return s.transition(ctx, q, id, "reply", []Status{StatusNew, StatusInProgress, StatusWaitingCitizen},
		`status = 'menunggu_warga', assignee_id = coalesce(assignee_id, $3),
		 taken_at = coalesce(taken_at, now()), first_response_at = coalesce(first_response_at, now())`, staffID)
}

// CitizenReplied records that the citizen answered: a ticket waiting for them is in
// progress again.
func (s *Store) CitizenReplied(ctx context.Context, q sqlx.ExtContext, id int64) (Ticket, error) {
	return s.transition(ctx, q, id, "take the citizen's reply", []Status{StatusNew, StatusInProgress, StatusWaitingCitizen},
		`status = CASE WHEN status = 'menunggu_warga' THEN 'diproses' ELSE status END`)
}

// Resolve marks a ticket resolved by an officer, with a resolution note.
func (s *Store) Resolve(ctx context.Context, q sqlx.ExtContext, id, staffID int64, note string) (Ticket, error) {
	return s.transition(ctx, q, id, "resolve", []Status{StatusNew, StatusInProgress, StatusWaitingCitizen},
		`status = 'selesai', resolved_at = now(), resolved_by = $3, resolution = $4,
		 assignee_id = coalesce(assignee_id, $3), first_response_at = coalesce(first_response_at, now())`, staffID, note)
}

// Rate records the citizen's satisfaction (1–5) with a resolved ticket and closes it.
func (s *Store) Rate(ctx context.Context, q sqlx.ExtContext, id, citizenID int64, stars int, comment string) (Ticket, error) {
	if stars < 1 || stars > 5 {
		return Ticket{}, fmt.Errorf("tickets: rating %d out of 1..5", stars)
	}
	if err := s.owned(ctx, q, id, citizenID); err != nil {
		return Ticket{}, err
	}
	return s.transition(ctx, q, id, "rate", []Status{StatusResolved},
		`status = 'ditutup', closed_at = now(), rating = $3, rating_comment = $4, rated_at = now()`, stars, comment)
}

// Comment adds the citizen's comment to their rating.
func (s *Store) Comment(ctx context.Context, q sqlx.ExtContext, id, citizenID int64, comment string) error {
	if err := s.owned(ctx, q, id, citizenID); err != nil {
		return err
	}
	_, err := s.transition(ctx, q, id, "comment", []Status{StatusClosed}, `rating_comment = $3`, comment)
	return err
}

// Reopen puts a resolved or closed ticket back in progress, within ReopenWindow of
// its resolution.
func (s *Store) Reopen(ctx context.Context, q sqlx.ExtContext, id, citizenID int64) (Ticket, error) {
	if err := s.owned(ctx, q, id, citizenID); err != nil {
		return Ticket{}, err
	}
	t, err := s.Get(ctx, q, id)
	if err != nil {
		return t, err
	}
	if t.ResolvedAt.Valid && time.Since(t.ResolvedAt.Time) > ReopenWindow {
		return t, ErrReopenExpired
	}
	return s.transition(ctx, q, id, "reopen", []Status{StatusResolved, StatusClosed},
		`status = 'diproses', reopen_count = reopen_count + 1, resolved_at = NULL, closed_at = NULL,
		 rating = NULL, rated_at = NULL`)
}

// ErrReopenExpired: the ticket was resolved more than ReopenWindow ago.
var ErrReopenExpired = errors.New("tickets: too late to reopen")

// Cancel withdraws a citizen's open ticket.
func (s *Store) Cancel(ctx context.Context, q sqlx.ExtContext, id, citizenID int64) (Ticket, error) {
	if err := s.owned(ctx, q, id, citizenID); err != nil {
		return Ticket{}, err
	}
	return s.transition(ctx, q, id, "cancel", []Status{StatusNew, StatusInProgress, StatusWaitingCitizen},
		`status = 'dibatalkan', cancelled_at = now()`)
}

// owned checks that a ticket belongs to a citizen.
func (s *Store) owned(ctx context.Context, q sqlx.QueryerContext, id, citizenID int64) error {
	var owner int64
	err := sqlx.GetContext(ctx, q, &owner, `SELECT citizen_id FROM tickets WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("tickets: owner of %d: %w", id, err)
	}
	if owner != citizenID {
		return ErrNotOwner
	}
	return nil
}

// OpenStates lists the states of tickets that still need work.
func OpenStates() []Status {
	return []Status{StatusNew, StatusInProgress, StatusWaitingCitizen}
}

// HandOver passes an open ticket to another unit (and its staff group, 0 for the
// default group): it is unassigned and new again for that unit.
func (s *Store) HandOver(ctx context.Context, q sqlx.ExtContext, id int64, unit string, staffChatID int64) (Ticket, error) {
	return s.transition(ctx, q, id, "hand over", OpenStates(),
		`unit = $3, staff_chat_id = $4, assignee_id = NULL, taken_at = NULL, status = 'baru'`,
		unit, sql.NullInt64{Int64: staffChatID, Valid: staffChatID != 0})
}
