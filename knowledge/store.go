package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

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

// List returns every published FAQ in knowledge-base order: what the bot answers with.
// ListAll returns the unpublished ones too.
func (s *Store) List(ctx context.Context) ([]FAQ, error) {
	var rows []faqRow
	err := s.db.SelectContext(ctx, &rows, `
		SELECT id, category, unit, question, alternates, keywords, answer
		FROM faqs WHERE published ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("knowledge: list faqs: %w", err)
	}
	out := make([]FAQ, len(rows))
	for i, r := range rows {
		out[i] = r.faq()
	}
	return out, nil
}

// Get returns one FAQ, published or not, or ErrNotFound.
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

// Count returns the number of FAQs, published or not.
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

// Content returns everything the index is built from and `kb export` writes: the
// published FAQs and the synonym sets.
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

// Import writes a knowledge-base file to the database from the command line; see
// ImportAs.
func (s *Store) Import(ctx context.Context, f *File, replace bool) (ImportReport, error) {
	return s.ImportAs(ctx, f, replace, Editor{})
}

// ImportAs writes a knowledge-base file to the database in one transaction: all of it
// or nothing. Every FAQ in the file is published. With replace, the published FAQs are
// then exactly the file's: published FAQs not in it are removed (unpublished ones are
// left alone, as `kb export` does not write them) and its synonym sets replace the
// stored ones. Without replace, FAQs are added or updated and the file's synonym sets
// added to the stored ones. Each FAQ added, changed or removed gets a revision by ed
// (the command line when ed is zero); running processes are notified of the change.
func (s *Store) ImportAs(ctx context.Context, f *File, replace bool, ed Editor) (ImportReport, error) {
	var rep ImportReport
	faqs := f.FAQs
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("knowledge: import: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	var existing []storedRow
	if err := tx.SelectContext(ctx, &existing, `
		SELECT `+storedColumns+` FROM faqs f FOR UPDATE`); err != nil {
		return rep, fmt.Errorf("knowledge: import: read: %w", err)
	}
	old := make(map[string]StoredFAQ, len(existing))
	for _, r := range existing {
		old[r.ID] = r.stored()
	}
	keep := make(map[string]bool, len(faqs))
	for pos, f := range faqs {
		keep[f.ID] = true
		prev, ok := old[f.ID]
		switch {
		case !ok:
			rep.Added++
		case sameFAQ(prev.FAQ, f) && prev.Published:
			rep.Unchanged++
			continue
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
				answer = EXCLUDED.answer, published = true, updated_at = now()`,
			f.ID, pos, f.Category, f.Unit, f.Question,
			pq.StringArray(orEmpty(f.Alternates)), pq.StringArray(orEmpty(f.Keywords)), f.Answer); err != nil {
			return rep, fmt.Errorf("knowledge: import %s: %w", f.ID, err)
		}
		if _, err := writeRevision(ctx, tx, f, true, ActionImport, ed, 0); err != nil {
			return rep, err
		}
	}
	// Every FAQ of the file, unchanged ones too, takes its place in the file's order.
	if err := importPositions(ctx, tx, faqs); err != nil {
		return rep, err
	}
	if replace {
		var gone []string
		for id, prev := range old {
			if !keep[id] && prev.Published {
				gone = append(gone, id)
			}
		}
		slices.Sort(gone)
		if len(gone) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM faqs WHERE id = ANY($1)`, pq.StringArray(gone)); err != nil {
				return rep, fmt.Errorf("knowledge: import: remove: %w", err)
			}
		}
		for _, id := range gone {
			if _, err := writeRevision(ctx, tx, old[id].FAQ, false, ActionRemove, ed, 0); err != nil {
				return rep, err
			}
		}
		rep.Removed = len(gone)
	}
	if err := importSynonyms(ctx, tx, f.Synonyms, replace, ed); err != nil {
		return rep, err
	}
	if err := tx.GetContext(ctx, &rep.Synonyms, `SELECT count(*) FROM synonyms`); err != nil {
		return rep, fmt.Errorf("knowledge: import: count synonyms: %w", err)
	}
	if err := notify(ctx, tx, "import"); err != nil {
		return rep, err
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("knowledge: import: commit: %w", err)
	}
	return rep, nil
}

// importPositions sets every imported FAQ's position to its place in the file.
func importPositions(ctx context.Context, tx *sqlx.Tx, faqs []FAQ) error {
	ids := make([]string, len(faqs))
	for i, f := range faqs {
		ids[i] = f.ID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE faqs f SET position = o.pos - 1
		FROM unnest($1::text[]) WITH ORDINALITY AS o(id, pos)
		WHERE f.id = o.id AND f.position <> o.pos - 1`, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("knowledge: import: order: %w", err)
	}
	return nil
}

// notify announces a change of the knowledge base to every process (delivered when tx
// commits).
func notify(ctx context.Context, tx sqlx.ExecerContext, what string) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, ChangeChannel, what); err != nil {
		return fmt.Errorf("knowledge: notify: %w", err)
	}
	return nil
}

// importSynonyms stores synonym sets, replacing the stored ones or adding to them
// (skipping sets already stored). Sets added or deleted are recorded as changes by ed.
func importSynonyms(ctx context.Context, tx *sqlx.Tx, sets [][]string, replace bool, ed Editor) error {
	var rows []synonymRow
	if err := tx.SelectContext(ctx, &rows, `SELECT id, position, terms FROM synonyms ORDER BY position, id FOR UPDATE`); err != nil {
		return fmt.Errorf("knowledge: import synonyms: %w", err)
	}
	key := func(terms []string) string { return strings.Join(terms, "\x00") }
	stored := make(map[string]int64, len(rows))
	for _, r := range rows {
		stored[key(r.Terms)] = r.ID
	}
	if replace {
		want := make(map[string]bool, len(sets))
		for _, set := range sets {
			want[key(set)] = true
		}
		for _, r := range rows {
			if want[key(r.Terms)] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM synonyms WHERE id = $1`, r.ID); err != nil {
				return fmt.Errorf("knowledge: import synonyms: %w", err)
			}
			if err := recordSynonymChange(ctx, tx, r.ID, SynonymDelete, r.Terms, nil, ed); err != nil {
				return err
			}
			delete(stored, key(r.Terms))
		}
	}
	for pos, set := range sets {
		if id, ok := stored[key(set)]; ok {
			if replace {
				if _, err := tx.ExecContext(ctx, `UPDATE synonyms SET position = $2 WHERE id = $1`, id, pos); err != nil {
					return fmt.Errorf("knowledge: import synonyms: %w", err)
				}
			}
			continue
		}
		var id int64
		if err := tx.GetContext(ctx, &id, `INSERT INTO synonyms (position, terms) VALUES ($1, $2) RETURNING id`,
			pos, pq.StringArray(set)); err != nil {
			return fmt.Errorf("knowledge: import synonyms: %w", err)
		}
		stored[key(set)] = id
		if err := recordSynonymChange(ctx, tx, id, SynonymAdd, nil, set, ed); err != nil {
			return err
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
