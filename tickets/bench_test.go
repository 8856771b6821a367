package tickets_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/migrations"
	"github.com/loket-id/loket/tickets"
)

// The 1M benchmarks measure the queries officers and citizens run most against a
// large office: a million tickets over two years, 5% of them open.
//
//	go test -run '^$' -bench 1M -benchtime 200x ./tickets
//
// Each reports its latency percentiles (p50-ms, p99-ms) and fails when p99 is over the
// 50 ms the issue allows. The data set is built once per server, the first time a 1M
// benchmark runs (40 s on two cores), into a template database that each benchmark
// copies (under a second; not timed, nor is it in plain go test runs): on the
// throwaway cluster of a test run it goes away with the cluster; on a server given by
// LOKET_TEST_DATABASE_URL it stays for the next runs (about 400 MB; its name starts with
// tmpl_loket_bench1m) until the migrations or the generator change.

// bench1MUnits are the units of the generated tickets, busiest first.
var bench1MUnits = []string{"disdukcapil", "polres", "samsat", "dpmptsp", "bapenda", "dinsos",
	"mpp", "bpjs", "pdam", "imigrasi", "disdik", "dinkes", "dishub", "dlh", "diskominfo",
	"inspektorat", "disnaker", "dinas-pu", "satpol-pp", "damkar"}

// Citizens of the generated tickets are Telegram ids bench1MCitizen0+1 … +bench1MCitizens.
const (
	bench1MCitizen0 = 100_000_000
	bench1MCitizens = 100_000
)

// bench1MSQL generates the data set, in order. random() is seeded, so the data is the
// same every time except for its position in time: "now" is when it was built.
var bench1MSQL = []string{
	`SELECT setseed(0.2026)`,
	fmt.Sprintf(`INSERT INTO citizens (telegram_user_id, display_name, first_seen_at, last_seen_at)
	SELECT %d + g, 'Warga ' || g, now() - interval '730 days', now()
	FROM generate_series(1, %d) g`, bench1MCitizen0, bench1MCitizens),
	`INSERT INTO staff (telegram_user_id, name) SELECT 5000 + g, 'Petugas ' || g FROM generate_series(1, 60) g`,
	// Ticket i was created at fraction i/1e6 of the last two years, so ids follow time.
	// The last 3% (about three weeks) are 70% open, older ones 3% (a backlog): 5% in
	// all. Units are skewed (the busiest has ~14% of the tickets, the quietest ~3%),
	// citizens uniform (10 tickets each on average). Open tickets are due within two
	// weeks either side of now, 2% without a deadline; closed ones three days after
	// they were opened.
	fmt.Sprintf(`WITH staff_ids AS (SELECT array_agg(id ORDER BY id) AS ids FROM staff)
	INSERT INTO tickets (citizen_id, question, category, unit, status, assignee_id,
		created_at, due_at, updated_at, taken_at, first_response_at, resolved_at, resolved_by,
		resolution, closed_at, cancelled_at, rating)
	SELECT citizen, question, 'Layanan', unit, status,
		CASE WHEN status NOT IN ('baru', 'dibatalkan') THEN staff END,
		created_at,
		CASE WHEN status NOT IN ('baru', 'diproses', 'menunggu_warga') THEN created_at + interval '3 days'
			WHEN r_due < 0.02 THEN NULL
			ELSE now() + (r_due - 0.5) * interval '28 days' END,
		created_at + interval '1 day',
		CASE WHEN status NOT IN ('baru', 'dibatalkan') THEN created_at + interval '2 hours' END,
		CASE WHEN status NOT IN ('baru', 'diproses', 'dibatalkan') THEN created_at + interval '3 hours' END,
		CASE WHEN status IN ('selesai', 'ditutup') THEN created_at + interval '1 day' END,
		CASE WHEN status IN ('selesai', 'ditutup') THEN staff END,
		CASE WHEN status IN ('selesai', 'ditutup') THEN 'Sudah ditindaklanjuti.' ELSE '' END,
		CASE WHEN status = 'ditutup' THEN created_at + interval '2 days' END,
		CASE WHEN status = 'dibatalkan' THEN created_at + interval '1 hour' END,
		CASE WHEN status = 'ditutup' AND r_due < 0.7 THEN 1 + floor(r_due * 7)::int END
	FROM (
		SELECT i, random() AS r_due,
			%d + 1 + floor(random() * %d)::bigint AS citizen,
			'Mohon informasi nomor ' || i || ': ' || md5(i::text) || ' ' || md5((i * 7)::text) AS question,
			(%s)[1 + floor(20 * power(random(), 1.5))::int] AS unit,
			(SELECT ids FROM staff_ids)[1 + floor(random() * 60)::int] AS staff,
			now() - interval '730 days' * (1 - i / 1000000.0) AS created_at,
			CASE WHEN random() < CASE WHEN i > 970000 THEN 0.7 ELSE 0.03 END
				THEN (ARRAY['baru', 'baru', 'diproses', 'diproses', 'menunggu_warga'])[1 + floor(random() * 5)::int]
				ELSE (ARRAY['ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup',
					'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup', 'ditutup',
					'ditutup', 'ditutup', 'selesai', 'selesai', 'dibatalkan'])[1 + floor(random() * 20)::int]
				END AS status
		FROM generate_series(1, 1000000) i
	) g`, bench1MCitizen0, bench1MCitizens, bench1MUnitsArray()),
	// As autovacuum would have long done: hint bits, visibility map (for index-only
	// scans), statistics. FREEZE makes VACUUM wait for pages another backend has pinned
	// (an autovacuum ANALYZE of the new rows) instead of leaving them not all-visible.
	`VACUUM (FREEZE, ANALYZE) citizens, staff, tickets`,
}

// bench1MUnitsArray is bench1MUnits as an SQL array literal.
func bench1MUnitsArray() string {
	s := "ARRAY["
	for i, u := range bench1MUnits {
		if i > 0 {
			s += ", "
		}
		s += "'" + u + "'"
	}
	return s + "]"
}

// build1M migrates a database and generates the data set in it.
func build1M(ctx context.Context, db *sqlx.DB) error {
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		return err
	}
	for _, q := range bench1MSQL {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.60s…: %w", q, err)
		}
	}
	var visible float64
	if err := db.GetContext(ctx, &visible, `SELECT relallvisible::float8 / greatest(relpages, 1)
		FROM pg_class WHERE oid = 'tickets'::regclass`); err != nil {
		return err
	}
	if visible < 0.99 {
		return fmt.Errorf("after VACUUM only %.0f%% of the tickets' pages are all-visible", 100*visible)
	}
	return nil
}

// bench1M returns a database of its own holding the 1M data set.
func bench1M(b *testing.B) *sqlx.DB {
	b.Helper()
	if testing.Short() {
		b.Skip("1M tickets: not in -short mode")
	}
	start := time.Now()
	db := pgtest.New(b, pgtest.WithTemplate(dbtest.TemplateKey(b, "loket-bench1m", bench1MSQL...), build1M))
	b.Logf("1M tickets ready in %v", time.Since(start).Round(time.Millisecond))
	return db
}

// latencies records how long each iteration took and reports percentiles.
type latencies []time.Duration

// report adds the p50-ms and p99-ms metrics and fails the benchmark when p99 exceeds
// limit.
func (l latencies) report(b *testing.B, limit time.Duration) {
	b.Helper()
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(p float64) time.Duration { return l[min(len(l)-1, int(p*float64(len(l))))] }
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(at(0.50)), "p50-ms")
	b.ReportMetric(ms(at(0.99)), "p99-ms")
	if at(0.99) > limit {
		b.Errorf("p99 latency %v over %v", at(0.99), limit)
	}
}

// bench1MMax is the latency the issue allows each query with a million tickets.
const bench1MMax = 50 * time.Millisecond

// BenchmarkQueueUnit1M reads the first page (50) of a random unit's open queue,
// sorted by deadline.
func BenchmarkQueueUnit1M(b *testing.B) {
	db := bench1M(b)
	s := tickets.NewStore(db)
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(unit string) time.Duration {
		start := time.Now()
		ts, err := s.Queue(ctx, db, tickets.QueueFilter{Units: []string{unit}, Limit: 50})
		d := time.Since(start)
		if err != nil || len(ts) != 50 {
			b.Fatalf("Queue(%s) = %d tickets, %v", unit, len(ts), err)
		}
		return d
	}
	for _, u := range bench1MUnits { // a freshly copied database: warm its cache
		run(u)
	}
	var lat latencies
	for b.Loop() {
		lat = append(lat, run(bench1MUnits[rng.IntN(len(bench1MUnits))]))
	}
	lat.report(b, bench1MMax)
}

// BenchmarkCitizenStatus1M reads a random citizen's last 10 tickets (/status).
func BenchmarkCitizenStatus1M(b *testing.B) {
	db := bench1M(b)
	s := tickets.NewStore(db)
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(3, 4))
	var lat latencies
	for b.Loop() {
		citizen := int64(bench1MCitizen0 + 1 + rng.IntN(bench1MCitizens))
		start := time.Now()
		ts, err := s.ByCitizen(ctx, db, citizen, 10)
		lat = append(lat, time.Since(start))
		if err != nil || len(ts) == 0 {
			b.Fatalf("ByCitizen(%d) = %d tickets, %v", citizen, len(ts), err)
		}
	}
	lat.report(b, bench1MMax)
}

// BenchmarkCountByStateUnit1M counts a random unit's tickets by state, closed ones
// included.
func BenchmarkCountByStateUnit1M(b *testing.B) {
	db := bench1M(b)
	s := tickets.NewStore(db)
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(5, 6))
	var lat latencies
	for b.Loop() {
		unit := bench1MUnits[rng.IntN(len(bench1MUnits))]
		start := time.Now()
		_, err := s.CountByState(ctx, db, []string{unit})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	lat.report(b, bench1MMax)
}
