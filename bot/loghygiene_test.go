package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/logctx"
	"github.com/loket-id/loket/internal/metrics"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// What the citizen types: a NIK and a phone number, in the form people write them.
const (
	citizenNIK   = "3201234567890123"
	citizenPhone = "0812-3456-7890"
)

// observedBot runs the real bot as `loket serve` wires it: JSON logs through the
// logctx handler at debug level, the token-redacting API, and metrics.
type observedBot struct {
	*harness
	logs *syncBuffer
	met  *metrics.Metrics
	drop *dropper
}

func newObservedBot(t *testing.T) *observedBot {
	t.Helper()
	db := dbtest.New(t)
	ctx := t.Context()
	if _, err := knowledge.NewStore(db).Import(ctx, &knowledge.File{FAQs: testFAQs}, true); err != nil {
		t.Fatal(err)
	}
	ix, err := knowledge.NewIndex(testFAQs)
	if err != nil {
		t.Fatal(err)
	}
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot", PrivacyMode: true})
	t.Cleanup(srv.Close)
	srv.AddPrivateChat(citizenAni)
	srv.AddGroup(staffChat, "Petugas Loket")
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name, consented_at) VALUES ($1, $2, now())`,
		citizenAni.ID, citizenAni.FirstName); err != nil {
		t.Fatal(err)
	}
	store := tickets.NewStore(db)
	if _, err := store.AddStaff(ctx, officerSiti.ID, "Siti Rahma"); err != nil {
		t.Fatal(err)
	}

	logs := &syncBuffer{}
	log := slog.New(logctx.NewHandler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bot log:\n%s", logs.String())
		}
	})
	met := metrics.New(metrics.Options{DB: db, IndexSize: ix.Len, CacheFor: time.Nanosecond})

	// The bot reaches the Bot API through a proxy that can drop connections, so that
	// network errors (whose messages hold the request URL, token included) happen.
	drop := &dropper{}
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = stdlog.New(io.Discard, "", 0) // calls cut short at shutdown
	proxy := httptest.NewServer(drop.wrap(rp))
	t.Cleanup(proxy.Close)

	runCtx, cancel := context.WithCancel(context.Background())
	api, err := bot.Connect(runCtx, proxy.URL, token, 10*time.Second, log)
	if err != nil {
		t.Fatal(err)
	}
	limits := bot.DefaultLimits()
	limits.PerGroupBurst = 20
	sender := bot.NewSender(db, bot.Redacting(api, token), limits, log)
	sender.SetMetrics(met)
	engine := bot.NewEngine(db, ix, store, bot.Settings{
		BotID: api.Self.ID, StaffChatID: staffChat, OfficeName: "Pemerintah Kota Uji", ResponseDays: 1, ResolutionDays: 5,
		Location: time.UTC, RequireConsent: true,
	}, log, sender.Wake)
	engine.SetMetrics(met)
	done := make(chan struct{}, 2)
	go func() { _ = sender.Run(runCtx); done <- struct{}{} }()
	go func() {
		_ = bot.NewPoller(bot.Redacting(api, token), engine, time.Second, log).Run(runCtx)
		done <- struct{}{}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
	})
	h := &harness{t: t, engine: engine, srv: srv, db: db, store: store}
	return &observedBot{harness: h, logs: logs, met: met, drop: drop}
}

// dropper closes the connection of the next calls to chosen Bot API methods.
type dropper struct {
	mu    sync.Mutex
	calls map[string]int
}

// next makes the next n calls to method fail with a dropped connection.
func (d *dropper) next(method string, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.calls == nil {
		d.calls = map[string]int{}
	}
	d.calls[method] += n
}

func (d *dropper) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		d.mu.Lock()
		drop := d.calls[method] > 0
		if drop {
			d.calls[method]--
		}
		d.mu.Unlock()
		if drop {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// TestLogsCarryNoTokenNIKOrPhone runs a whole conversation with personal data, and
// failures on the way (a malformed update, a 429, a 502, dropped connections while
// polling and sending), then reads every log line:
// none may hold the bot token, the citizen's NIK or phone number.
func TestLogsCarryNoTokenNIKOrPhone(t *testing.T) {
	b := newObservedBot(t)
	b.srv.InjectRaw(json.RawMessage(`{"update_id": 999999, "message": {"message_id": "not a number", "text": "` + citizenNIK + `"}}`))
	b.srv.FailNext("sendMessage", 1, 429, 1)
	b.srv.FailNext("sendMessage", 1, 502, 0)
	b.drop.next("sendMessage", 1)
	b.drop.next("getUpdates", 1)

	m := b.mark()
	b.srv.SendText(citizenAni, citizenAni.ID, "berapa harga cabai rawit di pasar hari ini? NIK saya "+citizenNIK+", HP "+citizenPhone)
	no := b.wait(citizenAni.ID, m, "honest no-answer", contains("belum punya jawaban"))
	b.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	opened := b.wait(citizenAni.ID, no.Seq, "ticket number", contains("Nomor tiket"))
	var ticket int64
	if _, err := fmt.Sscanf(opened.Text[strings.Index(opened.Text, "#"):], "#%d", &ticket); err != nil {
		t.Fatalf("no ticket number in %q", opened.Text)
	}
	card := b.wait(staffChat, m, "staff card", contains(fmt.Sprintf("Tiket #%d", ticket)))

	b.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Baik, kami akan menelepon "+citizenPhone+" besok.")
	reply := b.wait(citizenAni.ID, card.Seq, "officer reply", contains("Balasan petugas untuk tiket"))
	b.srv.ReplyText(citizenAni, citizenAni.ID, reply.MessageID, "NIK saya "+citizenNIK+" dan nomor "+citizenPhone+" sudah benar")
	b.wait(staffChat, reply.Seq, "citizen reply in group", contains("sudah benar"))
	b.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai")
	b.wait(citizenAni.ID, reply.Seq, "closure", contains("telah diselesaikan"))

	lines := strings.Split(strings.TrimSpace(b.logs.String()), "\n")
	forbidden := map[string]string{
		"bot token":           token,
		"bot token's secret":  token[strings.IndexByte(token, ':')+1:],
		"NIK":                 citizenNIK,
		"phone number":        citizenPhone,
		"phone number digits": strings.ReplaceAll(citizenPhone, "-", ""),
	}
	sawRetry, sawNetwork := false, false
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("log line is not JSON: %s", l)
		}
		for what, s := range forbidden {
			if strings.Contains(l, s) {
				t.Errorf("a log line holds the %s: %s", what, l)
			}
		}
		sawRetry = sawRetry || strings.Contains(l, "will retry")
		sawNetwork = sawNetwork || strings.Contains(l, "EOF")
	}
	// The failure paths ran, so their lines were checked too.
	if !sawRetry || !sawNetwork || !strings.Contains(b.logs.String(), "malformed update skipped") {
		t.Errorf("the 502 retry, a dropped connection or the malformed update was not logged; the check saw %d lines", len(lines))
	}
}

// TestMetricsCountTheConversation checks that the bot's hooks report what happened:
// updates by kind and result, decisions, search times, Bot API calls and 429s, an
// SLA breach, and the tickets read from the database.
func TestMetricsCountTheConversation(t *testing.T) {
	b := newObservedBot(t)
	b.srv.InjectRaw(json.RawMessage(`{"update_id": 999999, "message": {"message_id": "not a number"}}`))
	b.srv.FailNext("sendMessage", 1, 429, 1)

	m := b.mark()
	b.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")
	answer := b.wait(citizenAni.ID, m, "answer", contains("SKCK"))
	b.srv.SendText(citizenAni, citizenAni.ID, "berapa harga cabai rawit di pasar hari ini")
	no := b.wait(citizenAni.ID, answer.Seq, "honest no-answer", contains("belum punya jawaban"))
	b.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	opened := b.wait(citizenAni.ID, no.Seq, "ticket number", contains("Nomor tiket"))
	b.wait(staffChat, m, "staff card", contains("Tiket #"))

	// The first-response deadline passes: the jobs alert once.
	if _, err := b.db.Exec(`UPDATE tickets SET due_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	if err := b.engine.RunJobsOnce(t.Context(), time.Now()); err != nil {
		t.Fatal(err)
	}
	b.wait(staffChat, opened.Seq, "breach alert", func(telegramtest.Sent) bool { return true })

	got := scrapeMetrics(t, b.met)
	want := map[string]float64{
		`loket_updates_total{kind="message",result="ok"}`:                   2,
		`loket_updates_total{kind="callback",result="ok"}`:                  1,
		`loket_updates_total{kind="other",result="malformed"}`:              1,
		`loket_decisions_total{decision="answer"}`:                          1,
		`loket_decisions_total{decision="escalate"}`:                        1,
		`loket_search_duration_seconds_count`:                               2,
		`loket_telegram_api_calls_total{method="sendMessage",result="429"}`: 1,
		`loket_telegram_429_total`:                                          1,
		`loket_sla_breaches_total{sla="first_response"}`:                    1,
		`loket_sla_breaches_total{sla="resolution"}`:                        0,
		`loket_tickets{state="baru"}`:                                       1,
		`loket_index_faqs`:                                                  float64(len(testFAQs)),
		`loket_db_scrape_ok`:                                                1,
	}
	for k, w := range want {
		if v, ok := got[k]; !ok || v != w {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, w)
		}
	}
	if got[`loket_telegram_api_calls_total{method="sendMessage",result="ok"}`] < 4 {
		t.Errorf("successful sendMessage calls not counted: %v", got)
	}
}

// scrapeMetrics reads the text exposition: each series with its value.
func scrapeMetrics(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", l, err)
		}
		out[l[:i]] = v
	}
	return out
}
