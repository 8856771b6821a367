package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Draft is an FAQ proposed by an officer from a ticket, waiting for an editor.
type Draft struct {
	ID        int64         `db:"id"`
	Question  string        `db:"question"`
	Answer    string        `db:"answer"`
	Category  string        `db:"category"`
	Unit      string        `db:"unit"`
	TicketID  sql.NullInt64 `db:"ticket_id"`
	CreatedBy sql.NullInt64 `db:"created_by"`
	// CreatedByName is the officer's name ("" if unknown).
	CreatedByName string       `db:"created_by_name"`
	CreatedAt     time.Time    `db:"created_at"`
	ClosedAt      sql.NullTime `db:"closed_at"`
	// FAQID is the FAQ an editor made of it ("" if open or dismissed).
	FAQID string `db:"faq_id"`
}

// AddDraft stores a draft and returns its id. The question is stored with NIKs and
// phone numbers masked; staffID and ticketID may be 0.
func AddDraft(ctx context.Context, q sqlx.QueryerContext, d Draft, staffID, ticketID int64) (int64, error) {
	d.Question, d.Answer = strings.TrimSpace(MaskPersonalData(d.Question)), strings.TrimSpace(d.Answer)
	if d.Question == "" || d.Answer == "" {
		return 0, fmt.Errorf("knowledge: draft: question and answer are required")
	}
	var id int64
	err := sqlx.GetContext(ctx, q, &id, `INSERT INTO faq_drafts (question, answer, category, unit, ticket_id, created_by)
		VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, 0)) RETURNING id`,
		d.Question, d.Answer, d.Category, d.Unit, ticketID, staffID)
	if err != nil {
		return 0, fmt.Errorf("knowledge: draft: %w", err)
	}
	return id, nil
}

const draftColumns = `d.id, d.question, d.answer, d.category, d.unit, d.ticket_id, d.created_by,
	coalesce((SELECT name FROM staff WHERE id = d.created_by), '') AS created_by_name, d.created_at, d.closed_at, d.faq_id`

// OpenDrafts returns the drafts no editor has handled yet, newest first.
func OpenDrafts(ctx context.Context, q sqlx.QueryerContext, limit int) ([]Draft, error) {
	var ds []Draft
	if err := sqlx.SelectContext(ctx, q, &ds, `SELECT `+draftColumns+` FROM faq_drafts d
		WHERE d.closed_at IS NULL ORDER BY d.created_at DESC LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("knowledge: drafts: %w", err)
	}
	return ds, nil
}

// GetDraft returns one draft, or ErrNotFound.
func GetDraft(ctx context.Context, q sqlx.QueryerContext, id int64) (Draft, error) {
	var d Draft
	err := sqlx.GetContext(ctx, q, &d, `SELECT `+draftColumns+` FROM faq_drafts d WHERE d.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("knowledge: draft %d: %w", id, err)
	}
	return d, nil
}

// CloseDraft marks a draft handled by an editor: made into faqID, or dismissed ("").
func CloseDraft(ctx context.Context, q sqlx.ExecerContext, id, staffID int64, faqID string) error {
	res, err := q.ExecContext(ctx, `UPDATE faq_drafts SET closed_at = now(), closed_by = nullif($2, 0), faq_id = $3
		WHERE id = $1 AND closed_at IS NULL`, id, staffID, faqID)
	if err != nil {
		return fmt.Errorf("knowledge: close draft %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
