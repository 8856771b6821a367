package loadtest_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/loadtest"
	"github.com/loket-id/loket/internal/pgconn"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/internal/telegramtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const token = "424242:LOADTEST-abcdefghijklmnopqrstuvwxyz"

// startBot runs Loket in-process against a fresh fake Bot API (with Telegram's limits
// when opts.TelegramLimits) and database.
func startBot(t *testing.T, opts loadtest.BotOptions) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_load_bot", PrivacyMode: true, AllowHTTPWebhook: true})
	t.Cleanup(srv.Close)
	srv.SetRateLimits(opts.TelegramLimits)
	db := dbtest.New(t)
	// As `loket serve` opens it: a bounded pool, fewer connections than the webhook
	// posts updates at once.
	pgconn.Size(db)
	opts.Log = slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stop, err := loadtest.StartBot(context.Background(), db, srv, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv
}

// check fails the test unless every message was answered exactly once, within
// Telegram's rules.
func check(t *testing.T, r *loadtest.Report, wantUpdates int) {
	t.Helper()
	var out strings.Builder
	r.Print(&out)
	t.Logf("\n%s", out.String())
	if r.Missing != 0 || r.Duplicates != 0 || r.Late != 0 {
		t.Errorf("missing %d, duplicate %d, late %d replies; want none", r.Missing, r.Duplicates, r.Late)
	}
	if r.Updates < wantUpdates || r.Replies < wantUpdates {
		t.Errorf("%d updates sent and %d replies received; want at least %d each", r.Updates, r.Replies, wantUpdates)
	}
	if len(r.Violations) != 0 || r.TooMany != 0 {
		t.Errorf("Telegram's limits exceeded %d times (429s: %d), first: %+v", len(r.Violations), r.TooMany, r.Violations[0])
	}
	for _, rj := range r.Rejected {
		t.Errorf("Telegram would have rejected %s: %s", rj.Method, rj.Description)
	}
	if r.Pending != 0 {
		t.Errorf("%d updates left unhandled", r.Pending)
	}
	if !r.OK() {
		t.Error("report says FAIL")
	}
}

// TestLoadPolling: 200 citizens × 5 messages through long polling, some passed on to
// officers who answer them: every message is answered exactly once.
func TestLoadPolling(t *testing.T) {
	t.Parallel()
	srv := startBot(t, loadtest.BotOptions{Officers: 3})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	r, err := loadtest.Run(ctx, srv, loadtest.Config{Citizens: 200, Messages: 5, Escalate: 0.05, Officers: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	check(t, r, 1000)
	checkTickets(t, r)
}

// TestLoadWebhook is TestLoadPolling through the webhook, the fake posting 40 updates
// at once with no regard for chats, as Telegram may.
func TestLoadWebhook(t *testing.T) {
	t.Parallel()
	srv := startBot(t, loadtest.BotOptions{Officers: 3, Webhook: true, MaxConnections: 40})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	r, err := loadtest.Run(ctx, srv, loadtest.Config{Citizens: 200, Messages: 5, Escalate: 0.05, Officers: 3, Seed: 3, WebhookConnections: 40})
	if err != nil {
		t.Fatal(err)
	}
	if srv.WebhookURL() == "" {
		t.Fatal("the bot set no webhook")
	}
	check(t, r, 1000)
	checkTickets(t, r)
}

// TestLoadAPIOutage: the Bot API answers 502 to every call for 3 s in the middle of
// the run; once it is back every message is still answered exactly once.
func TestLoadAPIOutage(t *testing.T) {
	t.Parallel()
	srv := startBot(t, loadtest.BotOptions{Officers: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	r, err := loadtest.Run(ctx, srv, loadtest.Config{Citizens: 50, Messages: 4, Escalate: 0.1, Officers: 2, Seed: 4,
		Think: 200 * time.Millisecond, APIOutage: 3 * time.Second, APIOutageAfter: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	check(t, r, 200)
	if r.Answered != r.Tickets || r.Tickets == 0 {
		t.Errorf("%d tickets opened, %d officer answers delivered; want some, all delivered", r.Tickets, r.Answered)
	}
	// The outage struck while citizens waited for replies.
	calls := srv.OutageCalls()
	if calls["getUpdates"] == 0 || calls["sendMessage"] == 0 || r.Max < 2*time.Second {
		t.Errorf("outage refused %v, slowest reply %v: the outage should have held replies back", calls, r.Max)
	}
}

func checkTickets(t *testing.T, r *loadtest.Report) {
	t.Helper()
	// About 50 citizens ask something unanswerable; those not taken for small talk
	// pass it on, and every one gets a ticket and the officer's answer.
	if r.Escalated < 20 || r.Tickets != r.Escalated || r.Answered != r.Tickets {
		t.Errorf("%d questions passed on, %d tickets opened, %d officer answers delivered; want over 20, all opened and delivered",
			r.Escalated, r.Tickets, r.Answered)
	}
}

// TestLoadBurstWithTelegramLimits: 2,000 citizens write at once with Telegram's flood
// limits on; the 2,000 replies drain at Telegram's pace without one 429.
func TestLoadBurstWithTelegramLimits(t *testing.T) {
	t.Parallel()
	n := 2000
	if testing.Short() {
		n = 300
	}
	srv := startBot(t, loadtest.BotOptions{TelegramLimits: true})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r, err := loadtest.Run(ctx, srv, loadtest.Config{Citizens: n, Messages: 1, ReplyTimeout: 2 * time.Minute, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	check(t, r, n)
	// Telegram allows about 30 messages a second: draining faster means a limit was
	// not kept, even if the fake missed it.
	if floor := time.Duration(float64(n-30) / 30 * float64(time.Second)); r.Elapsed < floor {
		t.Errorf("%d replies drained in %s; Telegram's 30/s allows no less than %s", n, r.Elapsed, floor)
	}
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
