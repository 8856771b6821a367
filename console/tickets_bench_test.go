package console_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/tickets"
)

// The Tickets100k benchmarks measure the officers' pages with 100,000 tickets, 5% of
// them open, over five units, as the issue asks (≤ 100 ms server time each):
//
//	go test -run '^$' -bench Tickets100k -benchtime 200x ./console
//
// Server time is the console's ServeHTTP, called directly with the officer's session
// (no network, no client). Each sub-benchmark reports p50-ms and p99-ms and fails when
// p99 is over bench100kMax.

// bench100kMax is the server time the issue allows a page with 100,000 tickets.
const bench100kMax = 100 * time.Millisecond

// bench100kUnits are the generated tickets' units.
var bench100kUnits = []string{"disdukcapil", "polres", "samsat", "dinsos", "bapenda"}

// bench100kWords are the words questions are made of (and searched for).
var bench100kWords = []string{"ktp", "kk", "akta", "kelahiran", "skck", "pajak", "motor", "mobil", "izin",
	"usaha", "bpjs", "sekolah", "bansos", "pindah", "domisili", "nikah", "kematian", "sertifikat", "tanah",
	"air", "listrik", "jalan", "rusak", "hilang", "biaya", "syarat", "online", "antrean", "loket", "kartu"}

// bench100kSQL generates the data set: 10,000 citizens; 100,000 tickets over a year,
// ids following time, the last 3% 70% open and older ones 3% (a backlog), 5% in all;
// open tickets due within a week either side of now; two messages per ticket.
func bench100kSQL() []string {
	quote := func(ss []string) string {
		q := make([]string, len(ss))
		for i, s := range ss {
			q[i] = "'" + s + "'"
		}
		return "ARRAY[" + strings.Join(q, ", ") + "]"
	}
	words, units := quote(bench100kWords), quote(bench100kUnits)
	// random() is evaluated at each use: three independent words.
	word := fmt.Sprintf("(%s)[1 + floor(random() * %d)::int]", words, len(bench100kWords))
	return []string{
		`SELECT setseed(0.1005)`,
		`INSERT INTO citizens (telegram_user_id, display_name) SELECT 200000000 + g, 'Warga ' || g FROM generate_series(1, 10000) g`,
		`INSERT INTO staff (telegram_user_id, name) SELECT 7000 + g, 'Petugas ' || g FROM generate_series(1, 20) g`,
		fmt.Sprintf(`WITH staff_ids AS (SELECT array_agg(id ORDER BY id) AS ids FROM staff WHERE telegram_user_id > 7000)
		INSERT INTO tickets (citizen_id, question, category, unit, status, assignee_id, created_at, due_at,
			resolve_due_at, updated_at, taken_at, first_response_at, resolved_at, closed_at, resolution)
		SELECT citizen, question, 'Layanan', unit, status,
			CASE WHEN status NOT IN ('baru', 'dibatalkan') THEN staff END,
			created_at,
			CASE WHEN status IN ('baru', 'diproses', 'menunggu_warga') THEN now() + (r - 0.5) * interval '14 days'
				ELSE created_at + interval '1 day' END,
			created_at + interval '5 days', created_at + interval '1 day',
			CASE WHEN status NOT IN ('baru', 'dibatalkan') THEN created_at + interval '2 hours' END,
			CASE WHEN status NOT IN ('baru', 'diproses', 'dibatalkan') THEN created_at + interval '3 hours' END,
			CASE WHEN status IN ('selesai', 'ditutup') THEN created_at + interval '1 day' END,
			CASE WHEN status = 'ditutup' THEN created_at + interval '2 days' END,
			CASE WHEN status IN ('selesai', 'ditutup') THEN 'Sudah ditindaklanjuti.' ELSE '' END
		FROM (
			SELECT i, random() AS r,
				200000000 + 1 + floor(random() * 10000)::bigint AS citizen,
				'Mohon informasi ' || %s || ' ' || %s || ' dan ' || %s || ' untuk keluarga saya (pesan ' || i || ')' AS question,
				(%s)[1 + floor(random() * 5)::int] AS unit,
				(SELECT ids FROM staff_ids)[1 + floor(random() * 20)::int] AS staff,
				now() - interval '365 days' * (1 - i / 100000.0) AS created_at,
				CASE WHEN random() < CASE WHEN i > 97000 THEN 0.7 ELSE 0.03 END
					THEN (ARRAY['baru', 'baru', 'diproses', 'diproses', 'menunggu_warga'])[1 + floor(random() * 5)::int]
					ELSE (ARRAY['ditutup', 'ditutup', 'ditutup', 'ditutup', 'selesai', 'dibatalkan'])[1 + floor(random() * 6)::int]
					END AS status
			FROM generate_series(1, 100000) i
		) g`, word, word, word, units),
		`INSERT INTO ticket_messages (ticket_id, author, staff_id, body, created_at)
		SELECT t.id, m.author, CASE WHEN m.author = 'staff' THEN t.assignee_id END, t.question || ' (' || m.author || ')',
			t.created_at + m.n * interval '1 hour'
		FROM tickets t, (VALUES (1, 'citizen'), (2, 'staff')) AS m (n, author)`,
		`VACUUM ANALYZE citizens, staff, tickets, ticket_messages`,
	}
}

// BenchmarkTickets100k measures GET /tiket (an officer's queue: default filters, and
// with a text search) and GET /tiket/{id} (a ticket with a long conversation).
func BenchmarkTickets100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100k tickets: not in -short mode")
	}
	start := time.Now()
	e := newEnvWith(b, envOptions{units: map[string]string{"disdukcapil": "Disdukcapil", "polres": "Polres",
		"samsat": "Samsat", "dinsos": "Dinsos", "bapenda": "Bapenda"}})
	e.addUser("siti", tickets.RoleOfficer, "disdukcapil")
	for _, q := range bench100kSQL() {
		if _, err := e.DB.Exec(q); err != nil {
			b.Fatalf("%.60s…: %v", q, err)
		}
	}
	// The ticket viewed: the first of Siti's queue, with a conversation of 40 messages,
	// notes, a photo and a document among them.
	var viewed int64
	if err := e.DB.Get(&viewed, `SELECT id FROM tickets WHERE unit = 'disdukcapil'
		AND status IN ('baru', 'diproses', 'menunggu_warga') ORDER BY due_at NULLS LAST, id LIMIT 1`); err != nil {
		b.Fatal(err)
	}
	e.mustExec(`INSERT INTO ticket_messages (ticket_id, author, staff_id, internal, body, file_id, file_kind, file_name)
		SELECT $1, (ARRAY['citizen', 'staff', 'staff', 'system'])[1 + g % 4],
			CASE WHEN g % 4 IN (1, 2) THEN (SELECT min(id) FROM staff) END, g % 4 = 2,
			'Pesan ' || g || ': NIK 3171234567890001, telepon 081234567890, mohon dibantu segera.',
			CASE WHEN g = 5 THEN 'photo_1_5' WHEN g = 9 THEN 'document_1_9' ELSE '' END,
			CASE WHEN g = 5 THEN 'photo' WHEN g = 9 THEN 'document' ELSE '' END,
			CASE WHEN g = 9 THEN 'surat.pdf' ELSE '' END
		FROM generate_series(1, 40) g`, viewed)
	e.mustExec(`ANALYZE ticket_messages`)
	b.Logf("100k tickets ready in %v", time.Since(start).Round(time.Millisecond))

	siti := e.login("siti")
	base, _ := url.Parse(e.URL)
	cookies := siti.http.Jar.Cookies(base)
	serve := func(b *testing.B, path, want string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		t0 := time.Now()
		e.Console.ServeHTTP(rec, req)
		d := time.Since(t0)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			b.Fatalf("GET %s: %d, no %q", path, rec.Code, want)
		}
		return d
	}
	run := func(name string, path func(i int) string, want string) {
		b.Run(name, func(b *testing.B) {
			for i := range 10 { // warm the caches
				serve(b, path(i), want)
			}
			var lat []time.Duration
			i := 0
			for b.Loop() {
				lat = append(lat, serve(b, path(i), want))
				i++
			}
			reportPageLatencies(b, lat, bench100kMax)
		})
	}
	rng := rand.New(rand.NewPCG(5, 100))
	run("queue", func(int) string { return "/tiket" }, "<b>#")
	run("queue-search", func(int) string {
		return "/tiket?q=" + bench100kWords[rng.IntN(len(bench100kWords))]
	}, "Antrean tiket")
	run("queue-search-all-states", func(int) string {
		return "/tiket?status=semua&q=" + bench100kWords[rng.IntN(len(bench100kWords))] + "+" + bench100kWords[rng.IntN(len(bench100kWords))]
	}, "Antrean tiket")
	run("ticket", func(int) string { return fmt.Sprintf("/tiket/%d", viewed) }, "Pesan 40")
}

// reportPageLatencies adds the p50-ms and p99-ms metrics and fails the benchmark when p99
// exceeds limit.
func reportPageLatencies(b *testing.B, lat []time.Duration, limit time.Duration) {
	b.Helper()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(at(0.50)), "p50-ms")
	b.ReportMetric(ms(at(0.99)), "p99-ms")
	b.Logf("%d requests: p50 %v, p99 %v", len(lat), at(0.50), at(0.99))
	if at(0.99) > limit {
		b.Errorf("p99 latency %v over %v", at(0.99), limit)
	}
}
