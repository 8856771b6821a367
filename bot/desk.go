package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// The desk is how another door (the web console) acts on a ticket: with the same
// rules, messages to the citizen, card updates and audit entries as an officer in the
// staff group, recorded as done through the console.

// ErrNotAllowed is returned when the officer may not act on the ticket (another
// unit's, or a confidential report outside the integrity unit).
var ErrNotAllowed = errors.New("bot: not allowed to act on this ticket")

type doorKey struct{}

// doorOf is the door an action came through: Telegram unless the desk says otherwise.
func doorOf(ctx context.Context) tickets.Door {
	if d, ok := ctx.Value(doorKey{}).(tickets.Door); ok {
		return d
	}
	return tickets.DoorTelegram
}

// desk runs one officer action on a ticket in a transaction, from the console: it
// checks the officer may act on the ticket, queues the messages the action makes and
// returns the notice for the officer as plain text.
func (e *Engine) desk(ctx context.Context, officer tickets.Staff, id int64, act func(context.Context, *sqlx.Tx, tickets.Ticket) ([]Out, string, error)) (string, error) {
	ctx = context.WithValue(ctx, doorKey{}, tickets.DoorConsole)
	tx, err := e.db.BeginTxx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("bot: desk: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	t, err := e.tickets.Get(ctx, tx, id)
	if err != nil {
		return "", err
	}
	if !officer.Active || !e.tickets.CanAct(ctx, tx, officer, t.Unit) {
		return "", ErrNotAllowed
	}
	outs, notice, err := act(ctx, tx, t)
	if err != nil {
		return "", err
	}
	if err := enqueue(ctx, tx, outs); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("bot: desk: %w", err)
	}
	if len(outs) > 0 {
		e.notify()
	}
	return tghtml.PlainText(notice), nil
}

// DeskTake gives the ticket to the officer (exactly one of two officers taking it at
// once gets it; the other is told who did).
func (e *Engine) DeskTake(ctx context.Context, officer tickets.Staff, id int64) (string, error) {
	return e.desk(ctx, officer, id, func(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket) ([]Out, string, error) {
		return e.staffTake(ctx, tx, officer, t.ID)
	})
}

// DeskReply sends the officer's text to the citizen in Telegram (through the outbox);
// the staff group sees it under the card.
func (e *Engine) DeskReply(ctx context.Context, officer tickets.Staff, id int64, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", fmt.Errorf("bot: desk: empty reply")
	}
	return e.desk(ctx, officer, id, func(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket) ([]Out, string, error) {
		outs, notice, err := e.staffReply(ctx, tx, officer, t, text)
		if err != nil || len(outs) == 0 {
			return outs, notice, err
		}
		seen := fmt.Sprintf(staffConsoleReply, tghtml.Escape(officer.Name), tghtml.Escape(text))
		return append(outs, e.groupNotice(t, seen)...), notice, nil
	})
}

// DeskNote stores an internal note, never sent to the citizen.
func (e *Engine) DeskNote(ctx context.Context, officer tickets.Staff, id int64, note string) (string, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return "", fmt.Errorf("bot: desk: empty note")
	}
	return e.desk(ctx, officer, id, func(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket) ([]Out, string, error) {
		return nil, fmt.Sprintf(staffNoteSaved, t.ID), e.staffNote(ctx, tx, officer, t, note)
	})
}

// DeskResolve resolves the ticket with a resolution note for the citizen (may be empty).
func (e *Engine) DeskResolve(ctx context.Context, officer tickets.Staff, id int64, note string) (string, error) {
	return e.desk(ctx, officer, id, func(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket) ([]Out, string, error) {
		return e.staffResolve(ctx, tx, officer, t.ID, strings.TrimSpace(note))
	})
}

// DeskHandOver passes the ticket to another active unit with an internal note; the
// citizen is told which unit now handles it. Confidential reports stay where they are.
func (e *Engine) DeskHandOver(ctx context.Context, officer tickets.Staff, id int64, unit, note string) (string, error) {
	return e.desk(ctx, officer, id, func(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket) ([]Out, string, error) {
		if t.Confidential {
			return nil, staffNoHandoverReport, nil
		}
		targets, err := e.handoverTargets(ctx, tx, t)
		if err != nil {
			return nil, "", err
		}
		for _, u := range targets {
			if u.Slug == unit {
				return e.handOverTo(ctx, tx, officer, t, u, strings.TrimSpace(note))
			}
		}
		return nil, "", ErrNotAllowed
	})
}

// HandoverTargets lists the units the ticket may be handed over to (none for a
// confidential report).
func (e *Engine) HandoverTargets(ctx context.Context, t tickets.Ticket) ([]tickets.Unit, error) {
	if t.Confidential {
		return nil, nil
	}
	return e.handoverTargets(ctx, e.db, t)
}
