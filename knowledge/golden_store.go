package knowledge

// Golden questions kept in the database by the editors, run against an index one by
// one, and compared between the live index and a candidate before a change is
// published.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// GoldenQuestion is a golden question kept in the database.
type GoldenQuestion struct {
	ID       int64
	Question string
	// Expect is the id of the FAQ that must answer it, or ExpectNone.
	Expect    string
	StaffID   int64
	Author    string
	CreatedAt time.Time
}

// Case returns the question as a golden case.
func (g GoldenQuestion) Case() Case { return Case{Q: g.Question, Expect: g.Expect} }

// GoldenQuestions returns the stored golden questions, oldest first.
func (s *Store) GoldenQuestions(ctx context.Context) ([]GoldenQuestion, error) {
	var rows []struct {
		ID        int64         `db:"id"`
		Question  string        `db:"question"`
		Expect    string        `db:"expect"`
		CreatedBy sql.NullInt64 `db:"created_by"`
		Author    string        `db:"author"`
		CreatedAt time.Time     `db:"created_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, question, expect, created_by, author, created_at
		FROM golden_questions ORDER BY id`); err != nil {
		return nil, fmt.Errorf("knowledge: golden questions: %w", err)
	}
	out := make([]GoldenQuestion, len(rows))
	for i, r := range rows {
		out[i] = GoldenQuestion{ID: r.ID, Question: r.Question, Expect: r.Expect, StaffID: r.CreatedBy.Int64,
			Author: r.Author, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// GoldenCases returns the questions as golden cases, for RunGolden and GoldenImpact.
func GoldenCases(qs []GoldenQuestion) []Case {
	out := make([]Case, len(qs))
	for i, q := range qs {
		out[i] = q.Case()
	}
	return out
}

// AddGoldenQuestion stores a golden question and returns its id. expect is an FAQ id
// or ExpectNone. ErrExists when the same question (ignoring case) is already stored.
func (s *Store) AddGoldenQuestion(ctx context.Context, question, expect string, ed Editor) (int64, error) {
	question = strings.Join(strings.Fields(question), " ")
	expect = strings.TrimSpace(expect)
	if isNone(expect) {
		expect = ExpectNone
	}
	if question == "" || !kbIDPattern.MatchString(expect) {
		return 0, fmt.Errorf("knowledge: golden question: question and expected id are required")
	}
	var id int64
	err := s.db.GetContext(ctx, &id, `INSERT INTO golden_questions (question, expect, created_by, author)
		VALUES ($1, $2, nullif($3, 0), $4) RETURNING id`, question, expect, ed.StaffID, ed.author())
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return 0, ErrExists
	}
	if err != nil {
		return 0, fmt.Errorf("knowledge: add golden question: %w", err)
	}
	return id, nil
}

// DeleteGoldenQuestion removes a golden question. ErrNotFound.
func (s *Store) DeleteGoldenQuestion(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM golden_questions WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("knowledge: delete golden question %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// CaseResult is how one golden case fared against an index.
type CaseResult struct {
	Case Case
	// Pass: the expected FAQ is the first hit (and, if answered, the one answered); for
	// a case expecting none, the bot does not answer it. Exactly the cases RunGolden
	// does not list as misses.
	Pass     bool
	Decision Decision
	Hits     []Hit
	// Top1 and Hit3: the expected FAQ is the first hit, or among the first three
	// (always false for a case expecting none).
	Top1, Hit3 bool
}

// First is the id of the first hit, or "".
func (r CaseResult) First() string {
	if len(r.Hits) == 0 {
		return ""
	}
	return r.Hits[0].ID
}

// CheckCases runs every case against ix and returns each case's result, scored as
// RunGolden scores it (a case passes exactly when RunGolden does not list it as a
// miss). The searches run in parallel.
func CheckCases(ctx context.Context, ix *Index, cases []Case) ([]CaseResult, error) {
	out := make([]CaseResult, len(cases))
	errs := make([]error, len(cases))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cases)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(cases); i = int(next.Add(1) - 1) {
				out[i], errs[i] = checkCase(ctx, ix, cases[i])
				if errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func checkCase(ctx context.Context, ix *Index, c Case) (CaseResult, error) {
	res, err := ix.Search(ctx, c.Q)
	if err != nil {
		return CaseResult{}, err
	}
	r := CaseResult{Case: c, Decision: res.Decision, Hits: res.Hits}
	expect := strings.TrimSpace(c.Expect)
	if isNone(expect) {
		r.Pass = res.Decision != DecisionAnswer
		return r, nil
	}
	for j, h := range res.Hits {
		if j < 3 && h.ID == expect {
			r.Top1, r.Hit3 = j == 0, true
		}
	}
	r.Pass = r.Top1
	return r, nil
}

// GoldenChange is a golden case whose outcome a change would turn: passing Before and
// failing After (a regression), or the other way round.
type GoldenChange struct {
	Case          Case
	Before, After CaseResult
}

// Broken reports whether the change makes a passing case fail.
func (c GoldenChange) Broken() bool { return c.Before.Pass && !c.After.Pass }

// GoldenImpact runs the cases against the current index and a candidate built with a
// change, and returns the cases whose pass or fail the change would turn, in case order.
func GoldenImpact(ctx context.Context, current, candidate *Index, cases []Case) ([]GoldenChange, error) {
	before, err := CheckCases(ctx, current, cases)
	if err != nil {
		return nil, err
	}
	after, err := CheckCases(ctx, candidate, cases)
	if err != nil {
		return nil, err
	}
	var out []GoldenChange
	for i, c := range cases {
		if before[i].Pass != after[i].Pass {
			out = append(out, GoldenChange{Case: c, Before: before[i], After: after[i]})
		}
	}
	return out, nil
}

// Close releases an index no longer needed (such as a candidate built to check a
// change): its current generation and the background work that keeps it. Searches
// after Close find nothing.
func (ix *Index) Close() error {
	if s := ix.cur.Swap(nil); s != nil {
		if err := s.idx.Close(); err != nil {
			return fmt.Errorf("knowledge: close index: %w", err)
		}
	}
	return nil
}
