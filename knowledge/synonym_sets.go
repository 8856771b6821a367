package knowledge

// Editing the synonym sets one at a time (the console). Every change is recorded with
// who made it and notifies every process.

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

// What a synonym change did.
const (
	SynonymAdd    = "add"
	SynonymEdit   = "edit"
	SynonymDelete = "delete"
)

// maxSynonymTerm is the longest synonym term accepted, in characters.
const maxSynonymTerm = 100

// SynonymSet is one editors' synonym set: terms (words or phrases) that mean the same.
type SynonymSet struct {
	ID    int64
	Terms []string
}

type synonymRow struct {
	ID       int64          `db:"id"`
	Position int            `db:"position"`
	Terms    pq.StringArray `db:"terms"`
}

// SynonymChange is one recorded change of a synonym set.
type SynonymChange struct {
	ID        int64
	SynonymID int64
	Action    string
	// Before and After are the set's terms before and after (nil when added or
	// deleted).
	Before, After []string
	StaffID       int64
	Author        string
	CreatedAt     time.Time
}

// CheckSynonymSet normalises a set's terms (trimmed, no empty or case-insensitive
// duplicate terms) and returns the problem with it, in Indonesian, or "".
func CheckSynonymSet(terms []string) ([]string, string) {
	terms = cleanList(terms)
	for _, t := range terms {
		if n := utf8.RuneCountInString(t); n > maxSynonymTerm {
			return terms, fmt.Sprintf("Istilah \"%s…\" terlalu panjang: %d karakter, maksimal %d.", firstRunes(t, 30), n, maxSynonymTerm)
		}
	}
	if len(terms) < 2 {
		return terms, "Satu set sinonim berisi minimal 2 istilah yang berbeda, misalnya: skck, surat kelakuan baik."
	}
	return terms, ""
}

// SynonymSets returns the editors' synonym sets with their ids, in order.
func (s *Store) SynonymSets(ctx context.Context) ([]SynonymSet, error) {
	var rows []synonymRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, position, terms FROM synonyms ORDER BY position, id`); err != nil {
		return nil, fmt.Errorf("knowledge: synonym sets: %w", err)
	}
	out := make([]SynonymSet, len(rows))
	for i, r := range rows {
		out[i] = SynonymSet{ID: r.ID, Terms: r.Terms}
	}
	return out, nil
}

// AddSynonymSet stores a new set at the end and returns its id. ErrExists when the
// same set is already stored; *InvalidError when CheckSynonymSet finds a problem.
func (s *Store) AddSynonymSet(ctx context.Context, terms []string, ed Editor) (int64, error) {
	terms, problem := CheckSynonymSet(terms)
	if problem != "" {
		return 0, &InvalidError{Problems: []FieldProblem{{Field: "terms", Message: problem}}}
	}
	var id int64
	err := s.edit(ctx, "synonyms", func(tx *sqlx.Tx) error {
		if err := sameSetExists(ctx, tx, 0, terms); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &id, `INSERT INTO synonyms (position, terms)
			VALUES ((SELECT coalesce(max(position), -1) + 1 FROM synonyms), $1) RETURNING id`, pq.StringArray(terms)); err != nil {
			return fmt.Errorf("knowledge: add synonym set: %w", err)
		}
		return recordSynonymChange(ctx, tx, id, SynonymAdd, nil, terms, ed)
	})
	return id, err
}

// UpdateSynonymSet replaces a set's terms. ErrNotFound, ErrExists.
func (s *Store) UpdateSynonymSet(ctx context.Context, id int64, terms []string, ed Editor) error {
	terms, problem := CheckSynonymSet(terms)
	if problem != "" {
		return &InvalidError{Problems: []FieldProblem{{Field: "terms", Message: problem}}}
	}
	return s.edit(ctx, "synonyms", func(tx *sqlx.Tx) error {
		before, err := synonymSetForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if strings.Join(before, "\x00") == strings.Join(terms, "\x00") {
			return nil
		}
		if err := sameSetExists(ctx, tx, id, terms); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE synonyms SET terms = $2 WHERE id = $1`, id, pq.StringArray(terms)); err != nil {
			return fmt.Errorf("knowledge: edit synonym set %d: %w", id, err)
		}
		return recordSynonymChange(ctx, tx, id, SynonymEdit, before, terms, ed)
	})
}

// DeleteSynonymSet removes a set. ErrNotFound.
func (s *Store) DeleteSynonymSet(ctx context.Context, id int64, ed Editor) error {
	return s.edit(ctx, "synonyms", func(tx *sqlx.Tx) error {
		before, err := synonymSetForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM synonyms WHERE id = $1`, id); err != nil {
			return fmt.Errorf("knowledge: delete synonym set %d: %w", id, err)
		}
		return recordSynonymChange(ctx, tx, id, SynonymDelete, before, nil, ed)
	})
}

// SynonymChanges returns the latest changes of the synonym sets, newest first.
func (s *Store) SynonymChanges(ctx context.Context, limit int) ([]SynonymChange, error) {
	var rows []struct {
		ID        int64          `db:"id"`
		SynonymID int64          `db:"synonym_id"`
		Action    string         `db:"action"`
		Before    pq.StringArray `db:"before"`
		After     pq.StringArray `db:"after"`
		StaffID   sql.NullInt64  `db:"staff_id"`
		Author    string         `db:"author"`
		CreatedAt time.Time      `db:"created_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, synonym_id, action, before, after, staff_id, author, created_at
		FROM synonym_changes ORDER BY id DESC LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("knowledge: synonym changes: %w", err)
	}
	out := make([]SynonymChange, len(rows))
	for i, r := range rows {
		out[i] = SynonymChange{ID: r.ID, SynonymID: r.SynonymID, Action: r.Action, Before: nonNil(r.Before),
			After: nonNil(r.After), StaffID: r.StaffID.Int64, Author: r.Author, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// WithSynonymSet returns a copy of sets with set number i (0-based) replaced by terms,
// removed when terms is nil, or terms appended when i is -1. For building a candidate
// index before a change.
func WithSynonymSet(sets [][]string, i int, terms []string) [][]string {
	out := make([][]string, 0, len(sets)+1)
	for j, set := range sets {
		switch {
		case j != i:
			out = append(out, set)
		case terms != nil:
			out = append(out, terms)
		}
	}
	if i < 0 {
		out = append(out, terms)
	}
	return out
}

func synonymSetForUpdate(ctx context.Context, tx *sqlx.Tx, id int64) ([]string, error) {
	var terms pq.StringArray
	err := tx.GetContext(ctx, &terms, `SELECT terms FROM synonyms WHERE id = $1 FOR UPDATE`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("knowledge: synonym set %d: %w", id, err)
	}
	return terms, nil
}

// sameSetExists returns ErrExists when a set other than id holds the same terms
// (ignoring case and order).
func sameSetExists(ctx context.Context, tx *sqlx.Tx, id int64, terms []string) error {
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM synonyms s WHERE s.id <> $1
		AND (SELECT array_agg(lower(t) ORDER BY lower(t)) FROM unnest(s.terms) t) =
		    (SELECT array_agg(lower(t) ORDER BY lower(t)) FROM unnest($2::text[]) t)`, id, pq.StringArray(terms)); err != nil {
		return fmt.Errorf("knowledge: synonym sets: %w", err)
	}
	if n > 0 {
		return ErrExists
	}
	return nil
}

func recordSynonymChange(ctx context.Context, tx *sqlx.Tx, id int64, action string, before, after []string, ed Editor) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO synonym_changes (synonym_id, action, before, after, staff_id, author)
		VALUES ($1, $2, $3, $4, nullif($5, 0), $6)`, id, action, pq.StringArray(orEmpty(before)),
		pq.StringArray(orEmpty(after)), ed.StaffID, ed.author()); err != nil {
		return fmt.Errorf("knowledge: record synonym change: %w", err)
	}
	return nil
}
