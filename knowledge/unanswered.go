package knowledge

// The editors' tools for questions the bot could not answer well: the confidence of a
// search, the unanswered and unhelpful questions grouped by their normalised form, and
// adding a citizen's wording to an FAQ as an alternate.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// AnswerConfidence is the confidence at or above which the best FAQ is answered.
const AnswerConfidence = answerConfidence

// Confidence is how sure the search is of its best hit, from 0 to 1: the share of the
// question the best FAQ covers, less the share the runner-up comes close to it.
func (r Result) Confidence() float64 { return confidence(r.Hits) }

// Accented letters and the letters they fold to for Normalize. The same pair is in
// the definition of questions.normalized (migrations/00011_kb_uploads.sql): change
// both together.
const (
	normalizeAccents = "ÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÑÇàáâãäåèéêëìíîïòóôõöùúûüýÿñç"
	normalizeFolded  = "AAAAAAEEEEIIIIOOOOOUUUUYYNCaaaaaaeeeeiiiiooooouuuuyync"
)

// normalizeFold maps each accented letter to its plain letter.
var normalizeFold = func() map[rune]rune {
	m := make(map[rune]rune, len(normalizeFolded))
	for i, r := range []rune(normalizeAccents) {
		m[r] = rune(normalizeFolded[i])
	}
	return m
}()

// Normalize returns the form under which questions are grouped: personal data masked,
// common accents folded, lowercase, every run of other characters than a–z and 0–9 a
// single space (so punctuation and emoji go), every masked number (its groups of
// digits written apart too) "#", trimmed. "KTP saya hilang!!", "ktp  saya hilang?" and "Ktp saya hilang 😢" share it.
// It matches the questions.normalized column.
func Normalize(text string) string {
	text = MaskPersonalData(text)
	var b strings.Builder
	word := func(w string) {
		if w == "" {
			return
		}
		if strings.Contains(w, "*") {
			if strings.HasSuffix(b.String(), "#") {
				return // one mask for a number written in groups
			}
			w = "#"
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	var cur []byte
	for _, r := range text {
		if f, ok := normalizeFold[r]; ok {
			r = f
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '*' {
			cur = append(cur, byte(r))
			continue
		}
		word(string(cur))
		cur = cur[:0]
	}
	word(string(cur))
	return b.String()
}

// UnansweredSort orders the groups of unanswered questions.
type UnansweredSort int

const (
	// ByCount puts the most asked first (then the most recent).
	ByCount UnansweredSort = iota
	// ByRecent puts the most recently asked first.
	ByRecent
)

// UnansweredFilter selects the unanswered questions to group.
type UnansweredFilter struct {
	// Since is the start of the period.
	Since time.Time
	Sort  UnansweredSort
	// Limit and Offset page through the groups (Limit 0: 50).
	Limit, Offset int
	// Skip are texts to leave out, such as the placeholder of erased questions (with
	// the questions that normalise like them).
	Skip []string
}

// UnansweredGroup is the questions of a period that share a normalised form and that
// the bot escalated or clarified, or whose answer the citizen marked as unhelpful.
// Questions asked before an editor hid the group are left out.
type UnansweredGroup struct {
	// Key is the normalised form (see Normalize).
	Key string `db:"normalized"`
	// Text is the latest wording, masked.
	Text string `db:"text"`
	// Count is the number of questions; Escalated, Clarified and Unhelpful count those
	// escalated, clarified and marked unhelpful.
	Count     int       `db:"total"`
	Escalated int       `db:"escalated"`
	Clarified int       `db:"clarified"`
	Unhelpful int       `db:"unhelpful"`
	FirstSeen time.Time `db:"first_seen"`
	LastSeen  time.Time `db:"last_seen"`
	// TopFAQ is the FAQ most often ranked first for these questions ("" when none).
	TopFAQ string `db:"top_faq"`
}

// unansweredWhere selects the unanswered questions x from the placeholder since, not
// hidden by h, whose normalised form is not in the array placeholder skip.
func unansweredWhere(since, skip string) string {
	return `x.created_at >= ` + since + `
		AND (x.decision IN ('escalate', 'clarify') OR x.feedback = -1)
		AND x.normalized <> ALL (` + skip + `)
		AND (h.hidden_at IS NULL OR x.created_at > h.hidden_at)`
}

// Unanswered returns a page of groups of unanswered questions and the number of groups
// in all. The groups are counted from the questions_unanswered index alone; the latest
// wording and the FAQ most often ranked first are then read for the page's groups only.
func Unanswered(ctx context.Context, q sqlx.QueryerContext, f UnansweredFilter) ([]UnansweredGroup, int, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	order := `total DESC, last_seen DESC, normalized`
	if f.Sort == ByRecent {
		order = `last_seen DESC, total DESC, normalized`
	}
	skip := []string{""}
	for _, t := range f.Skip {
		skip = append(skip, Normalize(t))
	}
	var rows []struct {
		UnansweredGroup
		HiddenAt *time.Time `db:"hidden_at"`
		Groups   int        `db:"groups"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, `
		WITH g AS (
			SELECT x.normalized, h.hidden_at, count(*) AS total,
				count(*) FILTER (WHERE x.decision = 'escalate') AS escalated,
				count(*) FILTER (WHERE x.decision = 'clarify') AS clarified,
				count(*) FILTER (WHERE x.feedback = -1) AS unhelpful,
				min(x.created_at) AS first_seen, max(x.created_at) AS last_seen
			FROM questions x LEFT JOIN unanswered_hidden h ON h.normalized = x.normalized
			WHERE `+unansweredWhere("$1", "$4")+`
			GROUP BY x.normalized, h.hidden_at
		), page AS (
			SELECT g.*, count(*) OVER () AS groups FROM g ORDER BY `+order+` LIMIT $2 OFFSET $3
		)
		SELECT p.normalized, p.hidden_at, p.total, p.escalated, p.clarified, p.unhelpful,
			p.first_seen, p.last_seen, p.groups, latest.text, coalesce(top.id, '') AS top_faq
		FROM page p
		CROSS JOIN LATERAL (
			SELECT x.text FROM questions x
			WHERE x.normalized = p.normalized AND x.created_at = p.last_seen
				AND (x.decision IN ('escalate', 'clarify') OR x.feedback = -1)
			ORDER BY x.id DESC LIMIT 1
		) latest
		LEFT JOIN LATERAL (
			SELECT x.hits->0->>'id' AS id FROM questions x
			WHERE x.normalized = p.normalized AND x.created_at >= $1
				AND (x.decision IN ('escalate', 'clarify') OR x.feedback = -1)
				AND (p.hidden_at IS NULL OR x.created_at > p.hidden_at)
				AND x.hits->0->>'id' IS NOT NULL
			GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
		) top ON true
		ORDER BY `+order, f.Since, f.Limit, f.Offset, pq.StringArray(skip))
	if err != nil {
		return nil, 0, fmt.Errorf("knowledge: unanswered: %w", err)
	}
	out := make([]UnansweredGroup, len(rows))
	total := 0
	for i, r := range rows {
		out[i] = r.UnansweredGroup
		total = r.Groups
	}
	if len(rows) == 0 && f.Offset > 0 {
		// Past the last page: count the groups on their own.
		err := sqlx.GetContext(ctx, q, &total, `
			SELECT count(DISTINCT x.normalized)
			FROM questions x LEFT JOIN unanswered_hidden h ON h.normalized = x.normalized
			WHERE `+unansweredWhere("$1", "$2"), f.Since, pq.StringArray(skip))
		if err != nil {
			return nil, 0, fmt.Errorf("knowledge: unanswered: count: %w", err)
		}
	}
	return out, total, nil
}

// HideUnanswered marks a group of unanswered questions as handled by a staff member:
// the questions asked until now leave the list; the group comes back if it is asked
// again.
func HideUnanswered(ctx context.Context, q sqlx.ExecerContext, key string, staffID int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO unanswered_hidden (normalized, staff_id) VALUES ($1, nullif($2, 0))
		ON CONFLICT (normalized) DO UPDATE SET staff_id = EXCLUDED.staff_id, hidden_at = now()`, key, staffID)
	if err != nil {
		return fmt.Errorf("knowledge: hide unanswered: %w", err)
	}
	return nil
}

// ErrPhrasingTaken is returned by AddAlternate when the FAQ already has the wording as
// its question or an alternate (compared case-insensitively).
var ErrPhrasingTaken = errors.New("knowledge: the faq already has this wording")

// AddAlternate adds a wording to an FAQ's alternates as ed, with a revision; every
// process's index is notified. ErrNotFound, ErrPhrasingTaken, *InvalidError (an empty
// or too long wording).
func (s *Store) AddAlternate(ctx context.Context, faqID, phrasing string, ed Editor) error {
	phrasing = strings.Join(strings.Fields(phrasing), " ")
	if phrasing == "" || utf8.RuneCountInString(phrasing) > MaxQuestionLength {
		return &InvalidError{Problems: []FieldProblem{{Field: "alternates",
			Message: fmt.Sprintf("Pertanyaan lain harus berisi 1 sampai %d karakter.", MaxQuestionLength)}}}
	}
	// Retried when someone else changes the FAQ in between.
	for range 3 {
		cur, err := s.Lookup(ctx, faqID)
		if err != nil {
			return err
		}
		for _, a := range append([]string{cur.Question}, cur.Alternates...) {
			if strings.EqualFold(a, phrasing) {
				return ErrPhrasingTaken
			}
		}
		f := cur.FAQ
		f.Alternates = append(append([]string(nil), cur.Alternates...), phrasing)
		_, err = s.UpdateFAQ(ctx, f, cur.Revision, ed)
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("knowledge: add alternate to %s: %w", faqID, ErrConflict)
}
