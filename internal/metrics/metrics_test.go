package metrics

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// scrape fetches the handler's text exposition and returns each series (name with its
// labels, as printed) with its value.
func scrape(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// expect checks series values.
func expect(t *testing.T, got map[string]float64, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		v, ok := got[k]
		if !ok {
			t.Errorf("no series %s", k)
			continue
		}
		if v != w {
			t.Errorf("%s = %v, want %v", k, v, w)
		}
	}
}

func TestCountersAfterEvents(t *testing.T) {
	m := New(Options{IndexSize: func() int { return 7 }, Kept: func() int { return 4 }})
	before := scrape(t, m)
	expect(t, before, map[string]float64{
		// Known series exist at zero from the start, so alerts on rate() work at once.
		`loket_updates_total{kind="message",result="ok"}`:      0,
		`loket_updates_total{kind="other",result="malformed"}`: 0,
		`loket_decisions_total{decision="escalate"}`:           0,
		`loket_sla_breaches_total{sla="resolution"}`:           0,
		`loket_telegram_429_total`:                             0,
		`loket_index_faqs`:                                     7,
		`loket_outage_kept_updates`:                            4,
	})

	m.Update(KindMessage, ResultOK)
	m.Update(KindMessage, ResultOK)
	m.Update(KindCallback, ResultError)
	m.Update(KindOther, ResultMalformed)
	m.Decision("answer")
	m.Decision("escalate")
	m.Decision("escalate")
	m.SearchDuration(300 * time.Microsecond) // below the first bucket
	m.SearchDuration(3 * time.Millisecond)
	m.SearchDuration(2 * time.Second) // above the last
	m.APICall("sendMessage", APIResultOK)
	m.APICall("sendMessage", APIResult429)
	m.APICall("editMessageText", APIResult4xx)
	m.APICall("sendMessage", APIResultNetwork)
	m.SLABreach(BreachFirstResponse)

	got := scrape(t, m)
	expect(t, got, map[string]float64{
		`loket_updates_total{kind="message",result="ok"}`:                       2,
		`loket_updates_total{kind="callback",result="error"}`:                   1,
		`loket_updates_total{kind="other",result="malformed"}`:                  1,
		`loket_decisions_total{decision="answer"}`:                              1,
		`loket_decisions_total{decision="escalate"}`:                            2,
		`loket_decisions_total{decision="clarify"}`:                             0,
		`loket_search_duration_seconds_count`:                                   3,
		`loket_search_duration_seconds_bucket{le="0.0005"}`:                     1,
		`loket_search_duration_seconds_bucket{le="1"}`:                          2,
		`loket_search_duration_seconds_bucket{le="+Inf"}`:                       3,
		`loket_telegram_api_calls_total{method="sendMessage",result="ok"}`:      1,
		`loket_telegram_api_calls_total{method="sendMessage",result="429"}`:     1,
		`loket_telegram_api_calls_total{method="editMessageText",result="4xx"}`: 1,
		`loket_telegram_api_calls_total{method="sendMessage",result="network"}`: 1,
		`loket_telegram_429_total`:                                              1,
		`loket_sla_breaches_total{sla="first_response"}`:                        1,
		`loket_sla_breaches_total{sla="resolution"}`:                            0,
	})
	// The buckets run from 0.5 ms to 1 s.
	var les []string
	for k := range got {
		if strings.HasPrefix(k, "loket_search_duration_seconds_bucket") {
			les = append(les, k)
		}
	}
	if len(les) < 10 {
		t.Errorf("only %d search buckets: %v", len(les), les)
	}
	// The runtime and process are there too.
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	// Without a database there are no database metrics.
	if _, ok := got["loket_db_scrape_ok"]; ok {
		t.Error("database metrics without a database")
	}
}

// seed adds tickets in every state and outbox rows: pending, sent and failed.
func seed(t *testing.T, db *sqlx.DB) {
	t.Helper()
	stmts := []string{
		`INSERT INTO citizens (telegram_user_id, display_name) VALUES (1, 'Ani')`,
		`INSERT INTO tickets (citizen_id, question, status) VALUES (1, 'a', 'baru'), (1, 'b', 'baru'), (1, 'c', 'diproses'),
			(1, 'd', 'menunggu_warga'), (1, 'e', 'dibatalkan')`,
		// Resolved 1 h ago: first response after 30 min, resolution after 60 min.
		`INSERT INTO tickets (citizen_id, question, status, created_at, first_response_at, resolved_at)
			VALUES (1, 'f', 'selesai', now() - interval '2 hours', now() - interval '90 minutes', now() - interval '1 hour')`,
		// Answered and resolved 3 days ago: outside the 24 h window.
		`INSERT INTO tickets (citizen_id, question, status, created_at, first_response_at, resolved_at, closed_at)
			VALUES (1, 'g', 'ditutup', now() - interval '4 days', now() - interval '3 days', now() - interval '3 days', now() - interval '3 days')`,
		`INSERT INTO outbox (chat_id, method, params, created_at) VALUES (1, 'sendMessage', '{}', now() - interval '90 seconds'),
			(1, 'sendMessage', '{}', now() - interval '10 seconds')`,
		`INSERT INTO outbox (chat_id, method, params, created_at, sent_at) VALUES (1, 'sendMessage', '{}', now() - interval '1 hour', now())`,
		`INSERT INTO outbox (chat_id, method, params, created_at, failed_at) VALUES (1, 'sendMessage', '{}', now() - interval '1 hour', now())`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestDatabaseGauges(t *testing.T) {
	db := dbtest.New(t)
	seed(t, db)
	m := New(Options{DB: db, IndexSize: func() int { return 3 }})
	got := scrape(t, m)
	expect(t, got, map[string]float64{
		`loket_db_scrape_ok`:                                   1,
		`loket_tickets{state="baru"}`:                          2,
		`loket_tickets{state="diproses"}`:                      1,
		`loket_tickets{state="menunggu_warga"}`:                1,
		`loket_tickets{state="selesai"}`:                       1,
		`loket_tickets{state="ditutup"}`:                       1,
		`loket_tickets{state="dibatalkan"}`:                    1,
		`loket_outbox_pending`:                                 2,
		`loket_ticket_first_response_seconds_count`:            1,
		`loket_ticket_first_response_seconds_sum`:              1800,
		`loket_ticket_first_response_seconds{quantile="0.5"}`:  1800,
		`loket_ticket_first_response_seconds{quantile="0.99"}`: 1800,
		`loket_ticket_resolution_seconds_count`:                1,
		`loket_ticket_resolution_seconds_sum`:                  3600,
		`loket_ticket_resolution_seconds{quantile="0.9"}`:      3600,
		`loket_index_faqs`:                                     3,
	})
	if age := got["loket_outbox_oldest_pending_age_seconds"]; age < 90 || age > 120 {
		t.Errorf("oldest pending age = %v s, want about 90", age)
	}
}

func TestDatabaseReadingsAreCached(t *testing.T) {
	db := dbtest.New(t)
	m := New(Options{DB: db, CacheFor: time.Hour})
	fresh := New(Options{DB: db})
	expect(t, scrape(t, m), map[string]float64{`loket_outbox_pending`: 0})
	if _, err := db.Exec(`INSERT INTO outbox (chat_id, method, params) VALUES (1, 'sendMessage', '{}')`); err != nil {
		t.Fatal(err)
	}
	expect(t, scrape(t, m), map[string]float64{`loket_outbox_pending`: 0}) // within CacheFor
	got := scrape(t, fresh)
	expect(t, got, map[string]float64{`loket_outbox_pending`: 1})
	if age := got[`loket_outbox_oldest_pending_age_seconds`]; age > 5 {
		t.Errorf("oldest pending age = %v s, want about 0", age)
	}
}

func TestDatabaseDownStillServesCounters(t *testing.T) {
	db := dbtest.New(t)
	m := New(Options{DB: db})
	m.Update(KindMessage, ResultOK)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, m)
	expect(t, got, map[string]float64{
		`loket_db_scrape_ok`:                              0,
		`loket_updates_total{kind="message",result="ok"}`: 1,
	})
	if _, ok := got[`loket_tickets{state="baru"}`]; ok {
		t.Error("ticket counts reported while the database is down")
	}
}
