package knowledge

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Question is a citizen's question as kept in the question log, with its personal data
// masked.
type Question struct {
	ID        int64         `db:"id"`
	CitizenID int64         `db:"citizen_id"`
	Text      string        `db:"text"`
	Decision  Decision      `db:"decision"`
	HitsJSON  []byte        `db:"hits"`
	Feedback  sql.NullInt16 `db:"feedback"`
}

// Hits decodes the ranked hits stored with the question.
func (q Question) Hits() []Hit {
	var hits []Hit
	_ = json.Unmarshal(q.HitsJSON, &hits)
	return hits
}

// LogQuestion records a citizen's question with the search result and returns its id.
// The text is stored with NIKs and phone numbers masked.
func LogQuestion(ctx context.Context, q sqlx.QueryerContext, citizenID int64, text string, res Result) (int64, error) {
	hits, err := json.Marshal(res.Hits)
	if err != nil {
		return 0, fmt.Errorf("knowledge: log question: %w", err)
	}
	var id int64
	err = sqlx.GetContext(ctx, q, &id, `INSERT INTO questions (citizen_id, text, decision, hits)
		VALUES ($1, $2, $3, $4) RETURNING id`, citizenID, MaskPersonalData(text), res.Decision, string(hits))
	if err != nil {
		return 0, fmt.Errorf("knowledge: log question: %w", err)
	}
	return id, nil
}

// GetQuestion returns a logged question, or ErrNotFound.
func GetQuestion(ctx context.Context, q sqlx.QueryerContext, id int64) (Question, error) {
	var out Question
	err := sqlx.GetContext(ctx, q, &out, `SELECT id, citizen_id, text, decision, hits, feedback
		FROM questions WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return out, ErrNotFound
	}
	if err != nil {
		return out, fmt.Errorf("knowledge: question %d: %w", id, err)
	}
	return out, nil
}

// SetFeedback records whether the answer to a question helped (+1) or not (-1).
func SetFeedback(ctx context.Context, q sqlx.ExecerContext, id int64, helpful bool) error {
	v := -1
	if helpful {
		v = 1
	}
	if _, err := q.ExecContext(ctx, `UPDATE questions SET feedback = $2 WHERE id = $1`, id, v); err != nil {
		return fmt.Errorf("knowledge: feedback %d: %w", id, err)
	}
	return nil
}
