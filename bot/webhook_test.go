package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// hookBot runs the bot in webhook mode: the engine behind bot.Webhook on a local
// HTTP server the fake Bot API posts to, and a sender.
type hookBot struct {
	t      *testing.T
	db     *sqlx.DB
	srv    *telegramtest.Server
	ts     *httptest.Server
	secret string
}

func newHookBot(t *testing.T) *hookBot {
	t.Helper()
	db := dbtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := knowledge.NewStore(db).Import(ctx, &knowledge.File{FAQs: testFAQs}, true); err != nil {
		t.Fatal(err)
	}
	ix, err := knowledge.NewIndex(testFAQs)
	if err != nil {
		t.Fatal(err)
	}
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot", AllowHTTPWebhook: true})
	t.Cleanup(srv.Close)
	for _, u := range []telegramtest.User{citizenAni, citizenBudi} {
		srv.AddPrivateChat(u)
		if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name, consented_at)
			VALUES ($1, $2, now())`, u.ID, u.FirstName); err != nil {
			t.Fatal(err)
		}
	}
	srv.AddGroup(staffChat, "Petugas Loket")
	store := tickets.NewStore(db)
	if _, err := store.AddStaff(ctx, officerSiti.ID, "Siti Rahma"); err != nil {
		t.Fatal(err)
	}
	log := testLogger(t)
	api, err := bot.Connect(ctx, srv.URL(), token, 10*time.Second, log)
	if err != nil {
		t.Fatal(err)
	}
	sender := bot.NewSender(db, api, looseLimits(), log)
	engine := bot.NewEngine(db, ix, store, bot.Settings{
		BotID: api.Self.ID, StaffChatID: staffChat, OfficeName: "Pemerintah Kota Uji", ResponseDays: 1, ResolutionDays: 5,
		Location: time.UTC, RequireConsent: true,
	}, log, sender.Wake)
	secret, err := bot.WebhookSecret(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(bot.NewWebhook(engine, secret, db.PingContext, log))
	t.Cleanup(ts.Close)
	if err := bot.SetWebhook(api, ts.URL+"/telegram/webhook", secret, 40); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = sender.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &hookBot{t: t, db: db, srv: srv, ts: ts, secret: secret}
}

// looseLimits lets the sender go as fast as the tests need.
func looseLimits() bot.Limits {
	return bot.Limits{Global: rate.Inf, GlobalBurst: 1, PerChat: rate.Inf, PerChatBurst: 1, PerGroup: rate.Inf, PerGroupBurst: 1}
}

// testLogger keeps the bot's log and shows it when the test fails.
func testLogger(t *testing.T) *slog.Logger {
	logs := &syncBuffer{}
	var w io.Writer = logs
	if os.Getenv("LOKET_TEST_LOG") != "" {
		w = io.MultiWriter(logs, os.Stderr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bot log:\n%s", logs.String())
		}
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// post posts body to the webhook with the secret given ("" sends no header).
func (b *hookBot) post(secret string, body []byte) int {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+"/telegram/webhook", bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(bot.SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (b *hookBot) processed() int {
	b.t.Helper()
	var n int
	if err := b.db.Get(&n, `SELECT count(*) FROM processed_updates`); err != nil {
		b.t.Fatal(err)
	}
	return n
}

// textUpdate is an update with a private message from u.
func textUpdate(id int64, u telegramtest.User, text string) []byte {
	return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":%d,`+
		`"chat":{"id":%d,"type":"private","first_name":%q},"from":{"id":%d,"is_bot":false,"first_name":%q,"language_code":"id"},"text":%q}}`,
		id, id, time.Now().Unix(), u.ID, u.FirstName, u.ID, u.FirstName, text)
}

func TestWebhookAnswersAQuestion(t *testing.T) {
	b := newHookBot(t)
	if !strings.HasSuffix(b.srv.WebhookURL(), "/telegram/webhook") {
		t.Fatalf("webhook URL = %q", b.srv.WebhookURL())
	}
	// The generated secret is kept: another replica, or a restart, gets the same.
	again, err := bot.WebhookSecret(context.Background(), b.db, "")
	if err != nil || again != b.secret || len(b.secret) < 32 {
		t.Fatalf("secret kept = %v (%v)", again == b.secret, err)
	}
	b.srv.SendText(citizenAni, citizenAni.ID, "Bagaimana cara membuat SKCK?")
	n, err := b.srv.DeliverWebhook(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("delivered %d: %v", n, err)
	}
	// 200 came only after the effects were committed: the answer is in the outbox.
	var queued int
	if err := b.db.Get(&queued, `SELECT count(*) FROM outbox WHERE chat_id = $1 AND params->>'text' LIKE '%Polres%'`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if queued != 1 || b.processed() != 1 {
		t.Fatalf("after 200: %d answers queued, %d updates recorded", queued, b.processed())
	}
	if _, err := b.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.ChatID == citizenAni.ID && strings.Contains(s.Text, "Polres")
	}); err != nil {
		t.Fatalf("answer: %v\n%s", err, dump(b.srv.All()))
	}
}

func TestWebhookRefusesWithoutTheSecret(t *testing.T) {
	b := newHookBot(t)
	body := textUpdate(700, citizenAni, "Bagaimana cara membuat SKCK?")
	for name, secret := range map[string]string{"missing": "", "forged": "forged-secret", "prefix": b.secret[:10]} {
		if code := b.post(secret, body); code != http.StatusUnauthorized {
			t.Errorf("%s secret: status %d, want 401", name, code)
		}
	}
	// Too large a body is refused unread when the secret is wrong.
	if code := b.post("forged", bytes.Repeat([]byte("x"), 2<<20)); code != http.StatusUnauthorized {
		t.Errorf("forged large body: status %d, want 401", code)
	}
	if n := b.processed(); n != 0 {
		t.Fatalf("%d updates handled from refused calls", n)
	}
	var questions int
	if err := b.db.Get(&questions, `SELECT count(*) FROM questions`); err != nil || questions != 0 {
		t.Fatalf("questions recorded from refused calls: %d (%v)", questions, err)
	}
	// The same update with the right secret is handled.
	if code := b.post(b.secret, body); code != http.StatusOK || b.processed() != 1 {
		t.Fatalf("right secret: status %d, %d handled", code, b.processed())
	}
}

func TestWebhookHostileBodies(t *testing.T) {
	b := newHookBot(t)
	// A 2 MB body.
	big := append(textUpdate(800, citizenAni, strings.Repeat("a", 2<<20)), ' ')
	if code := b.post(b.secret, big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB body: status %d, want 413", code)
	}
	// Malformed and unknown updates are accepted (Telegram would send them forever)
	// and skipped.
	for name, body := range map[string]string{
		"not json":       `{"update_id": 801, "message": {`,
		"no update id":   `{"message": {"text": "halo"}}`,
		"wrong types":    `{"update_id": 802, "message": "halo"}`,
		"unknown kind":   `{"update_id": 803, "chat_boost": {"chat": {"id": 1}}}`,
		"array":          `[1, 2, 3]`,
		"empty":          ``,
		"sql in unknown": `{"update_id": 804, "x": "'; DROP TABLE outbox; --"}`,
	} {
		if code := b.post(b.secret, []byte(body)); code != http.StatusOK {
			t.Errorf("%s: status %d, want 200", name, code)
		}
	}
	var queued int
	if err := b.db.Get(&queued, `SELECT count(*) FROM outbox WHERE chat_id <> 0 AND method <> 'setMyCommands'`); err != nil || queued != 0 {
		t.Errorf("messages queued for malformed updates: %d (%v)", queued, err)
	}
	// Only POST.
	resp, err := http.Get(b.ts.URL + "/telegram/webhook")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
	// The bot still works.
	if code := b.post(b.secret, textUpdate(805, citizenAni, "Bagaimana cara membuat SKCK?")); code != http.StatusOK {
		t.Fatalf("valid update after hostile ones: status %d", code)
	}
}

// Telegram posts several updates at once; one chat's are handled one at a time, in
// update id order, while other chats go on.
func TestWebhookKeepsAChatInOrder(t *testing.T) {
	b := newHookBot(t)
	ctx := context.Background()
	// Hold the chat's lock from outside, as another replica handling one of Ani's
	// updates would: the first update waits inside the engine.
	conn, err := b.db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(4202612, hashint8($1))`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	codes := make([]int, n+1)
	postAt := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = b.post(b.secret, textUpdate(int64(900+i), citizenAni, fmt.Sprintf("Bagaimana cara membuat SKCK nomor %d?", i)))
		}()
		time.Sleep(50 * time.Millisecond)
	}
	postAt(1)
	// The others arrive while the first is in hand, in reverse order.
	for i := n; i >= 2; i-- {
		postAt(i)
	}
	// Another chat is not held up.
	if code := b.post(b.secret, textUpdate(999, citizenBudi, "Bagaimana cara membuat SKCK?")); code != http.StatusOK {
		t.Fatalf("other chat: status %d", code)
	}
	if got := b.processed(); got != 1 {
		t.Fatalf("%d updates handled while Ani's chat was held, want only Budi's", got)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock(4202612, hashint8($1))`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i := 1; i <= n; i++ {
		if codes[i] != http.StatusOK {
			t.Errorf("update %d: status %d", i, codes[i])
		}
	}
	var texts []string
	if err := b.db.Select(&texts, `SELECT text FROM questions WHERE citizen_id = $1 ORDER BY id`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if len(texts) != n {
		t.Fatalf("%d questions recorded, want %d: %q", len(texts), n, texts)
	}
	for i, text := range texts {
		if !strings.Contains(text, fmt.Sprintf("nomor %d?", i+1)) {
			t.Fatalf("questions handled out of order: %q", texts)
		}
	}
}
