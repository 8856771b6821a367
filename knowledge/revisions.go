package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// What a revision records.
const (
	// ActionBaseline: the FAQ as it was when revisions started to be kept.
	ActionBaseline = "baseline"
	ActionCreate   = "create"
	ActionEdit     = "edit"
	ActionPublish  = "publish"
	// ActionUnpublish: the bot stopped answering with it; the FAQ is kept.
	ActionUnpublish = "unpublish"
	// ActionRevert: an older revision's content brought back (Revision.RevertedTo).
	ActionRevert = "revert"
	// ActionImport: added or changed by importing a knowledge-base file.
	ActionImport = "import"
	// ActionRemove: removed from the database by an import that replaced the knowledge
	// base; the revision holds its last content, so it can be brought back.
	ActionRemove = "remove"
)

// Revision is an FAQ's whole content after one change, with who made it and when.
type Revision struct {
	ID     int64
	Action string
	// FAQ is the content after the change; FAQ.ID is the FAQ's id.
	FAQ       FAQ
	Published bool
	// StaffID is the staff member who made the change (0: the command line, or not
	// known for a baseline); Author their name then, or CommandLine.
	StaffID int64
	Author  string
	// RevertedTo is the revision brought back by a revert (0 otherwise).
	RevertedTo int64
	CreatedAt  time.Time
}

type revisionRow struct {
	ID         int64          `db:"id"`
	FAQID      string         `db:"faq_id"`
	Action     string         `db:"action"`
	Published  bool           `db:"published"`
	Category   string         `db:"category"`
	Unit       string         `db:"unit"`
	Question   string         `db:"question"`
	Alternates pq.StringArray `db:"alternates"`
	Keywords   pq.StringArray `db:"keywords"`
	Answer     string         `db:"answer"`
	StaffID    sql.NullInt64  `db:"staff_id"`
	Author     string         `db:"author"`
	RevertedTo sql.NullInt64  `db:"reverted_to"`
	CreatedAt  time.Time      `db:"created_at"`
}

const revisionColumns = `id, faq_id, action, published, category, unit, question, alternates, keywords, answer,
	staff_id, author, reverted_to, created_at`

func (r revisionRow) revision() Revision {
	return Revision{
		ID: r.ID, Action: r.Action, Published: r.Published,
		FAQ: FAQ{ID: r.FAQID, Category: r.Category, Unit: r.Unit, Question: r.Question,
			Alternates: nonNil(r.Alternates), Keywords: nonNil(r.Keywords), Answer: r.Answer},
		StaffID: r.StaffID.Int64, Author: r.Author, RevertedTo: r.RevertedTo.Int64, CreatedAt: r.CreatedAt,
	}
}

// writeRevision records f (with its published state) as changed by ed.
func writeRevision(ctx context.Context, tx sqlx.QueryerContext, f FAQ, published bool, action string, ed Editor, revertedTo int64) (int64, error) {
	var id int64
	err := sqlx.GetContext(ctx, tx, &id, `INSERT INTO faq_revisions (faq_id, action, published, category, unit,
			question, alternates, keywords, answer, staff_id, author, reverted_to)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, 0), $11, nullif($12, 0)) RETURNING id`,
		f.ID, action, published, f.Category, f.Unit, f.Question, pq.StringArray(orEmpty(f.Alternates)),
		pq.StringArray(orEmpty(f.Keywords)), f.Answer, ed.StaffID, ed.author(), revertedTo)
	if err != nil {
		return 0, fmt.Errorf("knowledge: revision of %s: %w", f.ID, err)
	}
	return id, nil
}

// Revisions returns an FAQ's revisions, newest first (also for an FAQ an import
// removed).
func (s *Store) Revisions(ctx context.Context, faqID string) ([]Revision, error) {
	var rows []revisionRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+revisionColumns+` FROM faq_revisions
		WHERE faq_id = $1 ORDER BY id DESC`, faqID); err != nil {
		return nil, fmt.Errorf("knowledge: revisions of %s: %w", faqID, err)
	}
	out := make([]Revision, len(rows))
	for i, r := range rows {
		out[i] = r.revision()
	}
	return out, nil
}

// Revision returns one revision, or ErrNotFound.
func (s *Store) Revision(ctx context.Context, id int64) (Revision, error) {
	return revision(ctx, s.db, id)
}

func revision(ctx context.Context, q sqlx.QueryerContext, id int64) (Revision, error) {
	var r revisionRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+revisionColumns+` FROM faq_revisions WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, ErrNotFound
	}
	if err != nil {
		return Revision{}, fmt.Errorf("knowledge: revision %d: %w", id, err)
	}
	return r.revision(), nil
}

// PreviousRevision returns the revision of the same FAQ before rev; false when rev is
// its first.
func (s *Store) PreviousRevision(ctx context.Context, rev Revision) (Revision, bool, error) {
	var r revisionRow
	err := s.db.GetContext(ctx, &r, `SELECT `+revisionColumns+` FROM faq_revisions
		WHERE faq_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1`, rev.FAQ.ID, rev.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, false, nil
	}
	if err != nil {
		return Revision{}, false, fmt.Errorf("knowledge: revision before %d: %w", rev.ID, err)
	}
	return r.revision(), true, nil
}
