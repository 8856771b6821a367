package knowledge

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DecisionCounts is how many questions the bot answered, asked to clarify, escalated to
// officers and took as small talk. Other is any other decision stored.
type DecisionCounts struct {
	Answer, Clarify, Escalate, Smalltalk, Other int
}

// Total is every question counted.
func (c DecisionCounts) Total() int {
	return c.Answer + c.Clarify + c.Escalate + c.Smalltalk + c.Other
}

// Add adds o to c.
func (c *DecisionCounts) Add(o DecisionCounts) {
	c.Answer += o.Answer
	c.Clarify += o.Clarify
	c.Escalate += o.Escalate
	c.Smalltalk += o.Smalltalk
	c.Other += o.Other
}

// DecisionsPerDay counts the questions asked between consecutive bounds by the bot's
// decision: the result has len(bounds)-1 entries, entry i for [bounds[i], bounds[i+1]).
// bounds are the starts of the days (or any periods) in the office's time zone and the
// end of the last, ascending; fewer than two give none. It is an index-only scan of the
// range on (created_at, decision) (migration 00012).
func DecisionsPerDay(ctx context.Context, q sqlx.QueryerContext, bounds []time.Time) ([]DecisionCounts, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	for i := 1; i < len(bounds); i++ {
		if !bounds[i].After(bounds[i-1]) {
			return nil, fmt.Errorf("knowledge: decisions per day: bounds not ascending at %d", i)
		}
	}
	var rows []struct {
		Bucket   int      `db:"bucket"`
		Decision Decision `db:"decision"`
		N        int      `db:"n"`
	}
	texts := make(pq.StringArray, len(bounds))
	for i, b := range bounds {
		texts[i] = b.Format(time.RFC3339Nano)
	}
	// width_bucket gives i for bounds[i-1] <= created_at < bounds[i] (1-based).
	err := sqlx.SelectContext(ctx, q, &rows, `SELECT width_bucket(created_at, $1::timestamptz[]) AS bucket, decision, count(*) AS n
		FROM questions
		WHERE created_at >= $2 AND created_at < $3
		GROUP BY 1, 2`, texts, bounds[0], bounds[len(bounds)-1])
	if err != nil {
		return nil, fmt.Errorf("knowledge: decisions per day: %w", err)
	}
	out := make([]DecisionCounts, len(bounds)-1)
	for _, r := range rows {
		if r.Bucket < 1 || r.Bucket > len(out) {
			continue
		}
		c := &out[r.Bucket-1]
		switch r.Decision {
		case DecisionAnswer:
			c.Answer += r.N
		case DecisionClarify:
			c.Clarify += r.N
		case DecisionEscalate:
			c.Escalate += r.N
		case DecisionSmalltalk:
			c.Smalltalk += r.N
		default:
			c.Other += r.N
		}
	}
	return out, nil
}
