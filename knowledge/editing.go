package knowledge

// Editing FAQs one at a time (the console): create, update, publish and unpublish,
// revert. Every change is one transaction that writes a revision and notifies every
// process, so their indexes follow within a second.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// CommandLine is the author of changes made from the command line.
const CommandLine = "baris perintah"

// Editor is who changes the knowledge base: a staff member (StaffID and the name to
// record), or, when zero, the command line.
type Editor struct {
	StaffID int64
	Name    string
}

// author is the name recorded for the editor.
func (e Editor) author() string {
	switch {
	case e.Name != "":
		return e.Name
	case e.StaffID != 0:
		return fmt.Sprintf("staf #%d", e.StaffID)
	}
	return CommandLine
}

// Errors of the editing functions.
var (
	// ErrExists: an FAQ (or golden question, or synonym set) like it already exists.
	ErrExists = errors.New("knowledge: already exists")
	// ErrConflict: the FAQ changed since the editor opened it.
	ErrConflict = errors.New("knowledge: changed by someone else")
)

// StoredFAQ is an FAQ as the database keeps it.
type StoredFAQ struct {
	FAQ
	// Published FAQs are answered by the bot; unpublished ones are kept for later.
	Published bool
	UpdatedAt time.Time
	// Revision is the id of the FAQ's latest revision (0: none).
	Revision int64
}

// storedColumns selects a storedRow from faqs aliased f.
const storedColumns = `f.id, f.category, f.unit, f.question, f.alternates, f.keywords, f.answer,
	f.published, f.updated_at,
	coalesce((SELECT max(r.id) FROM faq_revisions r WHERE r.faq_id = f.id), 0) AS revision`

type storedRow struct {
	faqRow
	Published bool      `db:"published"`
	UpdatedAt time.Time `db:"updated_at"`
	Revision  int64     `db:"revision"`
}

func (r storedRow) stored() StoredFAQ {
	return StoredFAQ{FAQ: r.faq(), Published: r.Published, UpdatedAt: r.UpdatedAt, Revision: r.Revision}
}

// ListAll returns every FAQ, published or not, in knowledge-base order.
func (s *Store) ListAll(ctx context.Context) ([]StoredFAQ, error) {
	var rows []storedRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+storedColumns+` FROM faqs f ORDER BY f.position, f.id`); err != nil {
		return nil, fmt.Errorf("knowledge: list all faqs: %w", err)
	}
	out := make([]StoredFAQ, len(rows))
	for i, r := range rows {
		out[i] = r.stored()
	}
	return out, nil
}

// Lookup returns one FAQ, published or not, with its state, or ErrNotFound.
func (s *Store) Lookup(ctx context.Context, id string) (StoredFAQ, error) {
	return lookup(ctx, s.db, id, false)
}

func lookup(ctx context.Context, q sqlx.QueryerContext, id string, forUpdate bool) (StoredFAQ, error) {
	query := `SELECT ` + storedColumns + ` FROM faqs f WHERE f.id = $1`
	if forUpdate {
		query += ` FOR UPDATE`
	}
	var r storedRow
	err := sqlx.GetContext(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return StoredFAQ{}, ErrNotFound
	}
	if err != nil {
		return StoredFAQ{}, fmt.Errorf("knowledge: faq %s: %w", id, err)
	}
	return r.stored(), nil
}

// FieldProblem is something wrong with one field of an FAQ, said for editors.
type FieldProblem struct {
	// Field is "id", "question", "alternates", "keywords", "category", "unit" or "answer".
	Field   string
	Message string
}

// InvalidError is returned when an FAQ cannot be saved as it is.
type InvalidError struct{ Problems []FieldProblem }

func (e *InvalidError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Field + ": " + p.Message
	}
	return "knowledge: invalid faq: " + strings.Join(msgs, "; ")
}

// CheckFAQ normalises an FAQ as ParseFile does (trimmed text, line breaks, no empty or
// duplicate alternates and keywords) and checks it against the same rules. It returns
// the normalised FAQ and the problems, in Indonesian, for editors.
func CheckFAQ(f FAQ) (FAQ, []FieldProblem) {
	f.ID = strings.TrimSpace(f.ID)
	f.Category = strings.TrimSpace(f.Category)
	f.Unit = strings.TrimSpace(f.Unit)
	f.Question = strings.TrimSpace(kbLineBreaks.Replace(f.Question))
	f.Answer = kbCleanAnswer(f.Answer)
	f.Alternates = cleanList(f.Alternates)
	f.Keywords = cleanList(f.Keywords)
	var ps []FieldProblem
	add := func(field, format string, args ...any) {
		ps = append(ps, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case f.ID == "":
		add("id", "Isi id, misalnya '%s'.", slugOr(f.Question))
	case !kbIDPattern.MatchString(f.ID):
		add("id", "Id hanya boleh berisi huruf kecil, angka dan tanda hubung (-), diawali huruf atau angka; misalnya '%s'.", kbSlug(f.ID))
	}
	switch n := utf8.RuneCountInString(f.Question); {
	case n == 0:
		add("question", "Isi pertanyaan baku yang biasa ditanyakan warga.")
	case n > MaxQuestionLength:
		add("question", "Pertanyaan terlalu panjang: %d karakter, maksimal %d.", n, MaxQuestionLength)
	}
	for _, a := range f.Alternates {
		if n := utf8.RuneCountInString(a); n > MaxQuestionLength {
			add("alternates", "Pertanyaan lain \"%s…\" terlalu panjang: %d karakter, maksimal %d.", firstRunes(a, 30), n, MaxQuestionLength)
		}
	}
	switch n := utf8.RuneCountInString(f.Answer); {
	case n == 0:
		add("answer", "Isi jawaban yang akan dikirim bot.")
	case n > MaxAnswerLength:
		add("answer", "Jawaban terlalu panjang: %d karakter, maksimal %d.", n, MaxAnswerLength)
	}
	if strings.ContainsAny(f.Unit, " \t") {
		add("unit", "Unit ditulis sebagai kode unit tanpa spasi, misalnya 'disdukcapil'.")
	}
	return f, ps
}

// cleanList trims the entries and drops empty ones and case-insensitive duplicates.
func cleanList(in []string) []string {
	var out []string
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// Slug suggests an FAQ id for a question: its words in lowercase joined by "-", at
// most about 40 characters.
func Slug(question string) string {
	s := kbSlug(question)
	for len(s) > 40 {
		i := strings.LastIndexByte(s[:40], '-')
		if i <= 0 {
			return s[:40]
		}
		s = s[:i]
	}
	return s
}

func slugOr(question string) string {
	if strings.TrimSpace(question) == "" {
		return "ktp-el-baru"
	}
	return Slug(question)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// validFAQ checks and normalises f, or returns an *InvalidError.
func validFAQ(f FAQ) (FAQ, error) {
	f, ps := CheckFAQ(f)
	if len(ps) > 0 {
		return f, &InvalidError{Problems: ps}
	}
	return f, nil
}

// edit runs fn in a transaction and notifies every process when it commits.
func (s *Store) edit(ctx context.Context, what string, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("knowledge: %s: %w", what, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := notify(ctx, tx, what); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("knowledge: %s: commit: %w", what, err)
	}
	return nil
}

// CreateFAQ adds a new, published FAQ at the end of the knowledge base and returns its
// first revision's id. ErrExists when the id is taken; *InvalidError when it cannot be
// saved as it is.
func (s *Store) CreateFAQ(ctx context.Context, f FAQ, ed Editor) (int64, error) {
	f, err := validFAQ(f)
	if err != nil {
		return 0, err
	}
	var rev int64
	err = s.edit(ctx, "create "+f.ID, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO faqs (id, position, category, unit, question, alternates, keywords, answer)
			VALUES ($1, (SELECT coalesce(max(position), -1) + 1 FROM faqs), $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO NOTHING`,
			f.ID, f.Category, f.Unit, f.Question, pq.StringArray(orEmpty(f.Alternates)), pq.StringArray(orEmpty(f.Keywords)), f.Answer)
		if err != nil {
			return fmt.Errorf("knowledge: create %s: %w", f.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrExists
		}
		rev, err = writeRevision(ctx, tx, f, true, ActionCreate, ed, 0)
		return err
	})
	return rev, err
}

// UpdateFAQ changes an existing FAQ's content (its published state stays) and returns
// the id of its latest revision: a new one, or the current one when nothing changed.
// base is the revision the editor started from: ErrConflict when someone changed the
// FAQ since (0 skips the check). ErrNotFound, *InvalidError.
func (s *Store) UpdateFAQ(ctx context.Context, f FAQ, base int64, ed Editor) (int64, error) {
	f, err := validFAQ(f)
	if err != nil {
		return 0, err
	}
	var rev int64
	err = s.edit(ctx, "edit "+f.ID, func(tx *sqlx.Tx) error {
		cur, err := lookup(ctx, tx, f.ID, true)
		if err != nil {
			return err
		}
		if base != 0 && cur.Revision != base {
			return ErrConflict
		}
		rev = cur.Revision
		if sameFAQ(cur.FAQ, f) {
			return nil
		}
		if err := updateContent(ctx, tx, f, cur.Published); err != nil {
			return err
		}
		rev, err = writeRevision(ctx, tx, f, cur.Published, ActionEdit, ed, 0)
		return err
	})
	return rev, err
}

// SaveFAQ creates an FAQ (published) or updates it (keeping its published state),
// writing a revision by ed. *InvalidError when it cannot be saved as it is.
func (s *Store) SaveFAQ(ctx context.Context, f FAQ, ed Editor) error {
	_, err := s.UpdateFAQ(ctx, f, 0, ed)
	if errors.Is(err, ErrNotFound) {
		_, err = s.CreateFAQ(ctx, f, ed)
	}
	return err
}

// SetPublished publishes or unpublishes an FAQ and returns its latest revision's id
// (a new one unless it already was in that state). ErrNotFound.
func (s *Store) SetPublished(ctx context.Context, id string, published bool, ed Editor) (int64, error) {
	var rev int64
	action := ActionPublish
	if !published {
		action = ActionUnpublish
	}
	err := s.edit(ctx, action+" "+id, func(tx *sqlx.Tx) error {
		cur, err := lookup(ctx, tx, id, true)
		if err != nil {
			return err
		}
		rev = cur.Revision
		if cur.Published == published {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE faqs SET published = $2, updated_at = now() WHERE id = $1`, id, published); err != nil {
			return fmt.Errorf("knowledge: %s %s: %w", action, id, err)
		}
		rev, err = writeRevision(ctx, tx, cur.FAQ, published, action, ed, 0)
		return err
	})
	return rev, err
}

// RevertFAQ brings back the content of revision revID of the FAQ id, published (the
// FAQ is created again if an import removed it), as a new revision whose id it returns.
// ErrNotFound when the revision is not one of that FAQ's.
func (s *Store) RevertFAQ(ctx context.Context, id string, revID int64, ed Editor) (int64, error) {
	var rev int64
	err := s.edit(ctx, "revert "+id, func(tx *sqlx.Tx) error {
		old, err := revision(ctx, tx, revID)
		if err != nil {
			return err
		}
		if old.FAQ.ID != id {
			return ErrNotFound
		}
		f := old.FAQ
		if _, err := lookup(ctx, tx, id, true); errors.Is(err, ErrNotFound) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO faqs (id, position, question, answer)
				VALUES ($1, (SELECT coalesce(max(position), -1) + 1 FROM faqs), $2, $3)`, id, f.Question, f.Answer); err != nil {
				return fmt.Errorf("knowledge: revert %s: %w", id, err)
			}
		} else if err != nil {
			return err
		}
		if err := updateContent(ctx, tx, f, true); err != nil {
			return err
		}
		rev, err = writeRevision(ctx, tx, f, true, ActionRevert, ed, revID)
		return err
	})
	return rev, err
}

// updateContent writes an FAQ's content and published state.
func updateContent(ctx context.Context, tx *sqlx.Tx, f FAQ, published bool) error {
	if _, err := tx.ExecContext(ctx, `UPDATE faqs SET category = $2, unit = $3, question = $4, alternates = $5,
		keywords = $6, answer = $7, published = $8, updated_at = now() WHERE id = $1`,
		f.ID, f.Category, f.Unit, f.Question, pq.StringArray(orEmpty(f.Alternates)), pq.StringArray(orEmpty(f.Keywords)),
		f.Answer, published); err != nil {
		return fmt.Errorf("knowledge: save %s: %w", f.ID, err)
	}
	return nil
}

// WithFAQ returns a copy of the published FAQs faqs as they would be after f is saved
// with the given published state: f in place of the FAQ with its id (at the end when
// new), or without it when unpublished. For building a candidate index before a change.
func WithFAQ(faqs []FAQ, f FAQ, published bool) []FAQ {
	out := make([]FAQ, 0, len(faqs)+1)
	found := false
	for _, g := range faqs {
		if g.ID != f.ID {
			out = append(out, g)
			continue
		}
		found = true
		if published {
			out = append(out, f)
		}
	}
	if !found && published {
		out = append(out, f)
	}
	return out
}
