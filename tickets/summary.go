package tickets

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// UnitSummary is one unit's figures for the daily summary.
type UnitSummary struct {
	Unit      string          `db:"unit"`
	Open      int             `db:"open"`
	Overdue   int             `db:"overdue"`
	Opened    int             `db:"opened"`
	Resolved  int             `db:"resolved"`
	AvgRating sql.NullFloat64 `db:"avg_rating"`
	Ratings   int             `db:"ratings"`
}

// Summary returns, per unit, the open and overdue tickets now, and those opened and
// resolved since `since`, with the average rating given since then.
func (s *Store) Summary(ctx context.Context, q sqlx.QueryerContext, since time.Time) ([]UnitSummary, error) {
	var out []UnitSummary
	err := sqlx.SelectContext(ctx, q, &out, `SELECT unit,
			count(*) FILTER (WHERE status IN ('baru', 'diproses', 'menunggu_warga')) AS open,
			count(*) FILTER (WHERE status IN ('baru', 'diproses', 'menunggu_warga')
				AND ((first_response_at IS NULL AND due_at < now()) OR resolve_due_at < now())) AS overdue,
			count(*) FILTER (WHERE created_at >= $1) AS opened,
			count(*) FILTER (WHERE resolved_at >= $1) AS resolved,
			avg(rating) FILTER (WHERE rated_at >= $1) AS avg_rating,
			count(rating) FILTER (WHERE rated_at >= $1) AS ratings
		FROM tickets
		WHERE NOT confidential AND (status IN ('baru', 'diproses', 'menunggu_warga')
			OR created_at >= $1 OR resolved_at >= $1 OR rated_at >= $1)
		GROUP BY unit ORDER BY unit`, since)
	if err != nil {
		return nil, fmt.Errorf("tickets: summary: %w", err)
	}
	return out, nil
}

// ClaimDay records that a daily job ran on day (in the office's time zone) and reports
// whether this call is the first for that day.
func (s *Store) ClaimDay(ctx context.Context, q sqlx.ExtContext, job string, day time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO job_runs (name, last_day) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET last_day = EXCLUDED.last_day WHERE job_runs.last_day < EXCLUDED.last_day`,
		job, day.Format(time.DateOnly))
	if err != nil {
		return false, fmt.Errorf("tickets: claim %s: %w", job, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
