package metrics

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"
)

// Ticket states, as in the tickets table (migrations/00001_initial.sql).
var (
	openStates   = []string{"baru", "diproses", "menunggu_warga"}
	closedStates = []string{"selesai", "ditutup", "dibatalkan"}
)

// closedEvery is how often the closed-state totals, which need a full scan of the
// tickets table, are counted again; between counts the last one is reported.
const closedEvery = 5 * time.Minute

// durationQuantiles are the quantiles reported for response and resolution times.
var durationQuantiles = []float64{0.5, 0.9, 0.99}

// dbCollector reads tickets and the outbox at scrape time. Readings are cached for
// cacheFor, so frequent or concurrent scrapes cost one round of queries.
type dbCollector struct {
	db       *sqlx.DB
	cacheFor time.Duration
	timeout  time.Duration
	log      *slog.Logger

	tickets, outboxPending, outboxAge, firstResponse, resolution, up, took *prometheus.Desc

	mu       sync.Mutex
	readAt   time.Time
	cached   []prometheus.Metric
	closedAt time.Time
	closed   map[string]int64
}

func newDBCollector(o Options) *dbCollector {
	c := &dbCollector{db: o.DB, cacheFor: o.CacheFor, timeout: o.QueryTimeout, log: o.Log}
	if c.cacheFor <= 0 {
		c.cacheFor = 5 * time.Second
	}
	if c.timeout <= 0 {
		c.timeout = 2 * time.Second
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	name := func(n string) string { return prometheus.BuildFQName(namespace, "", n) }
	c.tickets = prometheus.NewDesc(name("tickets"),
		"Tickets by state; open states are exact, closed ones recounted every few minutes.", []string{"state"}, nil)
	c.outboxPending = prometheus.NewDesc(name("outbox_pending"),
		"Outbox messages not yet sent to Telegram (nor given up).", nil, nil)
	c.outboxAge = prometheus.NewDesc(name("outbox_oldest_pending_age_seconds"),
		"Age of the oldest outbox message not yet sent (0 when none waits).", nil, nil)
	c.firstResponse = prometheus.NewDesc(name("ticket_first_response_seconds"),
		"Time from opening to an officer's first response, of tickets first answered in the last 24 hours.", nil, nil)
	c.resolution = prometheus.NewDesc(name("ticket_resolution_seconds"),
		"Time from opening to resolution, of tickets resolved in the last 24 hours.", nil, nil)
	c.up = prometheus.NewDesc(name("db_scrape_ok"),
		"1 if the last database reading for these metrics succeeded, else 0.", nil, nil)
	c.took = prometheus.NewDesc(name("db_scrape_duration_seconds"),
		"Time the last database reading for these metrics took.", nil, nil)
	return c
}

// Describe sends the descriptors of every metric the collector may send.
func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.tickets, c.outboxPending, c.outboxAge, c.firstResponse, c.resolution, c.up, c.took} {
		ch <- d
	}
}

// Collect sends the cached reading, reading the database again when it is stale.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); c.cached == nil || now.Sub(c.readAt) >= c.cacheFor {
		c.cached = c.read(now)
		c.readAt = now
	}
	for _, m := range c.cached {
		ch <- m
	}
}

// read queries the database once; on failure it reports db_scrape_ok 0 and nothing
// else, rather than stale or partial figures.
func (c *dbCollector) read(now time.Time) []prometheus.Metric {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	ms, err := c.query(ctx, now)
	took := prometheus.MustNewConstMetric(c.took, prometheus.GaugeValue, time.Since(now).Seconds())
	if err != nil {
		c.log.Warn("metrics: database reading failed", "err", err)
		return []prometheus.Metric{prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0), took}
	}
	return append(ms, prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1), took)
}

func (c *dbCollector) query(ctx context.Context, now time.Time) ([]prometheus.Metric, error) {
	counts, err := c.ticketCounts(ctx, now)
	if err != nil {
		return nil, err
	}
	var ms []prometheus.Metric
	for _, s := range append(append([]string{}, openStates...), closedStates...) {
		ms = append(ms, prometheus.MustNewConstMetric(c.tickets, prometheus.GaugeValue, float64(counts[s]), s))
	}

	// The outbox_pending partial index holds exactly the pending rows.
	var ob struct {
		Pending int64   `db:"pending"`
		Age     float64 `db:"age"`
	}
	if err := sqlx.GetContext(ctx, c.db, &ob, `SELECT count(*) AS pending,
			COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
		FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`); err != nil {
		return nil, fmt.Errorf("metrics: outbox: %w", err)
	}
	ms = append(ms,
		prometheus.MustNewConstMetric(c.outboxPending, prometheus.GaugeValue, float64(ob.Pending)),
		prometheus.MustNewConstMetric(c.outboxAge, prometheus.GaugeValue, max(ob.Age, 0)))

	// Both use the partial indexes on first_response_at and resolved_at (00012).
	fr, err := c.durations(ctx, c.firstResponse, "first response times", `SELECT EXTRACT(EPOCH FROM first_response_at - created_at)::float8 AS d
		FROM tickets WHERE first_response_at IS NOT NULL AND first_response_at > now() - interval '24 hours'`)
	if err != nil {
		return nil, err
	}
	res, err := c.durations(ctx, c.resolution, "resolution times", `SELECT EXTRACT(EPOCH FROM resolved_at - created_at)::float8 AS d
		FROM tickets WHERE resolved_at IS NOT NULL AND resolved_at > now() - interval '24 hours'`)
	if err != nil {
		return nil, err
	}
	return append(ms, fr, res), nil
}

// ticketCounts counts open tickets exactly (a few rows, found through the open-state
// partial indexes) and closed ones at most every closedEvery (a full scan).
func (c *dbCollector) ticketCounts(ctx context.Context, now time.Time) (map[string]int64, error) {
	type row struct {
		State string `db:"status"`
		N     int64  `db:"n"`
	}
	var open []row
	if err := sqlx.SelectContext(ctx, c.db, &open, `SELECT status, count(*) AS n FROM tickets
		WHERE status IN ('baru', 'diproses', 'menunggu_warga') GROUP BY status`); err != nil {
		return nil, fmt.Errorf("metrics: open tickets: %w", err)
	}
	if c.closed == nil || now.Sub(c.closedAt) >= closedEvery {
		var closed []row
		if err := sqlx.SelectContext(ctx, c.db, &closed, `SELECT status, count(*) AS n FROM tickets
			WHERE status IN ('selesai', 'ditutup', 'dibatalkan') GROUP BY status`); err != nil {
			return nil, fmt.Errorf("metrics: closed tickets: %w", err)
		}
		c.closed = map[string]int64{}
		for _, r := range closed {
			c.closed[r.State] = r.N
		}
		c.closedAt = now
	}
	counts := map[string]int64{}
	for s, n := range c.closed {
		counts[s] = n
	}
	for _, r := range open {
		counts[r.State] = r.N
	}
	return counts, nil
}

// durations summarises the durations (one column d, in seconds) a query returns as a
// summary: quantiles, count and sum, all over the query's window.
func (c *dbCollector) durations(ctx context.Context, desc *prometheus.Desc, what, query string) (prometheus.Metric, error) {
	var s struct {
		N   uint64          `db:"n"`
		Sum float64         `db:"sum"`
		Qs  pq.Float64Array `db:"qs"`
	}
	if err := sqlx.GetContext(ctx, c.db, &s, `SELECT count(*) AS n, COALESCE(sum(d), 0)::float8 AS sum,
			percentile_cont($1::float8[]) WITHIN GROUP (ORDER BY d) AS qs
		FROM (`+query+`) t`, pq.Float64Array(durationQuantiles)); err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", what, err)
	}
	qs := make(map[float64]float64, len(durationQuantiles))
	for i, q := range durationQuantiles {
		if i < len(s.Qs) {
			qs[q] = s.Qs[i]
		}
	}
	if s.N == 0 {
		qs = nil // no tickets in the window: no quantiles rather than zeros
	}
	return prometheus.NewConstSummary(desc, s.N, s.Sum, qs)
}
