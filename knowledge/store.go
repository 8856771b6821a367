package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ChangeChannel is the PostgreSQL NOTIFY channel on which FAQ changes are announced,
// so every running process rebuilds its index.
const ChangeChannel = "loket_faqs_changed"

// Store keeps the FAQs in PostgreSQL.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

type faqRow struct {
	ID         string         `db:"id"`
	Category   string         `db:"category"`
	Unit       string         `db:"unit"`
	Question   string         `db:"question"`
	Alternates pq.StringArray `db:"alternates"`
	Keywords   pq.StringArray `db:"keywords"`
	Answer     string         `db:"answer"`
}

func (r faqRow) faq() FAQ {
	return FAQ{
		ID: r.ID, Category: r.Category, Unit: r.Unit, Question: r.Question,
		Alternates: nonNil(r.Alternates), Keywords: nonNil(r.Keywords), Answer: r.Answer,
	}
}

func nonNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// List returns every FAQ in knowledge-base order.
func (s *Store) List(ctx context.Context) ([]FAQ, error) {
	var rows []faqRow
	err := s.db.SelectContext(ctx, &rows, `
		SELECT id, category, unit, question, alternates, keywords, answer
		FROM faqs ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge: list faqs: %w", err)
	}
	out := make([]FAQ, len(rows))
	for i, r := range rows {
		out[i] = r.faq()
	}
	return out, nil
}

// Get returns one FAQ, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (FAQ, error) {
	var r faqRow
	err := s.db.GetContext(ctx, &r, `
		SELECT id, category, unit, question, alternates, keywords, answer
		FROM faqs WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return FAQ{}, ErrNotFound
	}
	if err != nil {
		return FAQ{}, fmt.Errorf("knowledge: get faq %s: %w", id, err)
	}
	return r.faq(), nil
}

// Count returns the number of FAQs.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM faqs`); err != nil {
		return 0, fmt.Errorf("knowledge: count faqs: %w", err)
	}
	return n, nil
}

// ImportReport says what an import changed.
type ImportReport struct {
	Added, Changed, Unchanged, Removed int
	// Synonyms is the number of synonym sets in the database after the import.
	Synonyms int
}

// Synonyms returns the editors' synonym sets.
func (s *Store) Synonyms(ctx context.Context) ([][]string, error) {
	var rows []pq.StringArray
	if err := s.db.SelectContext(ctx, &rows, `SELECT terms FROM synonyms ORDER BY position, id`); err != nil {
		return nil, fmt.Errorf("knowledge: list synonyms: %w", err)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, nil
}

// Content returns everything the index is built from: the FAQs and the synonym sets.
func (s *Store) Content(ctx context.Context) (*File, error) {
	faqs, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	syns, err := s.Synonyms(ctx)
	if err != nil {
		return nil, err
	}
	return &File{FAQs: faqs, Synonyms: syns}, nil
}

// Import writes a knowledge-base file to the database in one transaction: all of it
// or nothing. With replace, the database then holds exactly the file: FAQs not in it
// are removed and its synonym sets replace the stored ones. Without replace, FAQs are
// added or updated and the file's synonym sets added to the stored ones. Running
// processes are notified of the change.
func (s *Store) Import(ctx context.Context, f *File, replace bool) (ImportReport, error) {
	var rep ImportReport
	faqs := f.FAQs
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("knowledge: import: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	var existing []faqRow
	if err := tx.SelectContext(ctx, &existing, `
		SELECT id, category, unit, question, alternates, keywords, answer
		FROM faqs FOR UPDATE`); err != nil {
		return rep, fmt.Errorf("knowledge: import: read: %w", err)
	}
	old := make(map[string]FAQ, len(existing))
	for _, r := range existing {
		old[r.ID] = r.faq()
	}
	keep := make(map[string]bool, len(faqs))
	for pos, f := range faqs {
		keep[f.ID] = true
		prev, ok := old[f.ID]
		switch {
		case !ok:
			rep.Added++
		case sameFAQ(prev, f):
			rep.Unchanged++
		default:
			rep.Changed++
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO faqs (id, position, category, unit, question, alternates, keywords, answer)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET
				position = EXCLUDED.position, category = EXCLUDED.category,
				unit = EXCLUDED.unit, question = EXCLUDED.question,
				alternates = EXCLUDED.alternates, keywords = EXCLUDED.keywords,
				answer = EXCLUDED.answer,
				updated_at = CASE WHEN (faqs.category, faqs.unit, faqs.question, faqs.alternates,
					faqs.keywords, faqs.answer) IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.unit,
					EXCLUDED.question, EXCLUDED.alternates, EXCLUDED.keywords, EXCLUDED.answer)
					THEN now() ELSE faqs.updated_at END`,
			f.ID, pos, f.Category, f.Unit, f.Question,
			pq.StringArray(orEmpty(f.Alternates)), pq.StringArray(orEmpty(f.Keywords)), f.Answer); err != nil {
			return rep, fmt.Errorf("knowledge: import %s: %w", f.ID, err)
		}
	}
	if replace {
		var gone []string
		for id := range old {
			if !keep[id] {
				gone = append(gone, id)
			}
		}
		if len(gone) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM faqs WHERE id = ANY($1)`, pq.StringArray(gone)); err != nil {
				return rep, fmt.Errorf("knowledge: import: remove: %w", err)
			}
		}
		rep.Removed = len(gone)
	}
	if err := importSynonyms(ctx, tx, f.Synonyms, replace); err != nil {
		return rep, err
	}
	if err := tx.GetContext(ctx, &rep.Synonyms, `SELECT count(*) FROM synonyms`); err != nil {
		return rep, fmt.Errorf("knowledge: import: count synonyms: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, 'import')`, ChangeChannel); err != nil {
		return rep, fmt.Errorf("knowledge: import: notify: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("knowledge: import: commit: %w", err)
	}
	return rep, nil
}

// importSynonyms stores synonym sets, replacing the stored ones or adding to them
// (skipping sets already stored).
func importSynonyms(ctx context.Context, tx *sqlx.Tx, sets [][]string, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM synonyms`); err != nil {
			return fmt.Errorf("knowledge: import synonyms: %w", err)
		}
	}
	for pos, set := range sets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO synonyms (position, terms)
			SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM synonyms WHERE terms = $2)`,
			pos, pq.StringArray(set)); err != nil {
			return fmt.Errorf("knowledge: import synonyms: %w", err)
		}
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sameFAQ(a, b FAQ) bool {
	return a.Category == b.Category && a.Unit == b.Unit && a.Question == b.Question &&
		a.Answer == b.Answer && slices.Equal(a.Alternates, b.Alternates) &&
		slices.Equal(a.Keywords, b.Keywords)
}
