package bot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgconn"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	token     = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
	staffChat = int64(-100500)
	waitFor   = 10 * time.Second
)

var (
	citizenAni  = telegramtest.User{ID: 1001, FirstName: "Ani", LastName: "Lestari", LanguageCode: "id"}
	citizenBudi = telegramtest.User{ID: 1002, FirstName: "Budi", LanguageCode: "id"}
	citizenJohn = telegramtest.User{ID: 1003, FirstName: "John", LanguageCode: "en"}
	citizenDewi = telegramtest.User{ID: 1004, FirstName: "Dewi", LanguageCode: "id"} // has not consented yet
	officerSiti = telegramtest.User{ID: 2001, FirstName: "Siti", LastName: "Rahma"}
	strangerRud = telegramtest.User{ID: 2002, FirstName: "Rudi"}
)

// testFAQs is a small knowledge base; one answer holds characters that must be
// escaped in Telegram HTML.
var testFAQs = []knowledge.FAQ{
	{ID: "ktp-baru", Category: "Kependudukan", Unit: "disdukcapil",
		Question:   "Bagaimana cara membuat KTP-el pertama kali?",
		Alternates: []string{"Syarat bikin KTP baru apa saja?"},
		Keywords:   []string{"ktp", "e-ktp", "perekaman"},
		Answer:     "KTP-el dibuat warga berusia **17 tahun** atau lebih.\n\nWarga usia < 17 tahun & belum menikah memakai KIA.\n\n- Fotokopi KK\n- Datang ke Disdukcapil"},
	{ID: "skck", Category: "Kepolisian", Unit: "polres",
		Question: "Bagaimana cara membuat SKCK?",
		Keywords: []string{"skck", "surat kelakuan baik", "catatan kepolisian"},
		Answer:   "Datang ke Polres dengan membawa KTP-el, KK, dan pas foto 4x6.\n\nBiaya Rp30.000."},
	{ID: "pajak-kendaraan", Category: "Pajak Daerah", Unit: "samsat",
		Question: "Bagaimana cara membayar pajak kendaraan bermotor tahunan?",
		Keywords: []string{"pajak motor", "stnk", "samsat"},
		Answer:   "Bayar di Samsat atau aplikasi Samsat digital dengan membawa STNK dan KTP-el."},
	{ID: "panjang", Category: "Layanan Umum",
		Question: "Apa saja layanan di Mal Pelayanan Publik?",
		Keywords: []string{"mal pelayanan publik", "mpp"},
		Answer:   strings.Repeat("Mal Pelayanan Publik melayani banyak urusan dalam satu gedung, dari kependudukan sampai perizinan.\n\n", 60)},
}

// harness runs the real bot (poller, engine, sender) against a fake Bot API and a
// fresh database.
type harness struct {
	t      testing.TB
	engine *bot.Engine
	srv    *telegramtest.Server
	db     *sqlx.DB
	store  *tickets.Store
	start  func()
	stop   func()
	// noConsent runs the bot without the consent step (set before start).
	noConsent bool
	// supervisorChat is the supervisors' chat (set before start; 0: none).
	supervisorChat int64
	// calendar is the office calendar (set before start; nil: plain days).
	calendar *tickets.Calendar
	// proxy stands between the bot and its database when the harness was made
	// withDBProxy: cutting it takes the database away from the bot (h.db, the test's
	// own connection, keeps working).
	proxy *pgtest.Proxy
	// spoolDir keeps the updates taken while the database is away.
	spoolDir string
	// senderAPI, when set before start, wraps the Bot API the sender calls.
	senderAPI func(bot.API) bot.API
}

// harnessOption changes how a harness is made.
type harnessOption func(*harnessConfig)

type harnessConfig struct{ proxy bool }

// withDBProxy puts a proxy between the bot and the database (h.proxy).
func withDBProxy() harnessOption { return func(c *harnessConfig) { c.proxy = true } }

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, bot.DefaultLimits())
}

// newHarnessWith is newHarness with the sender's rate limits given.
func newHarnessWith(t testing.TB, limits bot.Limits) *harness {
	t.Helper()
	return newHarnessOpts(t, limits, true)
}

// newHarnessOpts is newHarnessWith with the fake server's privacy mode given (off: the
// bot sees every group message, as when it is a group admin).
func newHarnessOpts(t testing.TB, limits bot.Limits, privacy bool, opts ...harnessOption) *harness {
	t.Helper()
	var cfg harnessConfig
	for _, o := range opts {
		o(&cfg)
	}
	var db, botDB *sqlx.DB
	var proxy *pgtest.Proxy
	if cfg.proxy {
		url := dbtest.NewURL(t)
		var proxied string
		proxy, proxied = pgtest.NewProxy(t, url)
		db, botDB = connectDB(t, url), connectDB(t, proxied)
	} else {
		db = dbtest.New(t)
		botDB = db
	}
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := knowledge.NewStore(db).Import(ctx, &knowledge.File{FAQs: testFAQs}, true); err != nil {
		t.Fatal(err)
	}
	ix, err := knowledge.NewIndex(testFAQs)
	if err != nil {
		t.Fatal(err)
	}
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot", PrivacyMode: privacy})
	t.Cleanup(srv.Close)
	for _, u := range []telegramtest.User{citizenAni, citizenBudi, citizenJohn, citizenDewi} {
		srv.AddPrivateChat(u)
	}
	srv.AddGroup(staffChat, "Petugas Loket")
	// The bot's log is kept and shown when the test fails (always with LOKET_TEST_LOG).
	logs := &syncBuffer{}
	var w io.Writer = logs
	if os.Getenv("LOKET_TEST_LOG") != "" {
		w = io.MultiWriter(logs, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bot log:\n%s", logs.String())
		}
	})
	// The regular test citizens agreed to the privacy notice earlier (the consent
	// flow itself has its own test, with a citizen who has not).
	for _, u := range []telegramtest.User{citizenAni, citizenBudi, citizenJohn} {
		if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name, consented_at)
			VALUES ($1, $2, now())`, u.ID, u.FirstName); err != nil {
			t.Fatal(err)
		}
	}
	store := tickets.NewStore(db)
	if _, err := store.AddStaff(ctx, officerSiti.ID, "Siti Rahma"); err != nil {
		t.Fatal(err)
	}
	if err := bot.EnqueueCommands(ctx, db); err != nil {
		t.Fatal(err)
	}
	cancel()
	h := &harness{t: t, srv: srv, db: db, store: store, proxy: proxy, spoolDir: t.TempDir()}
	// start runs a bot process: a new engine, sender and poller on the same database
	// and Bot API, as after a restart.
	h.start = func() {
		ctx, cancel := context.WithCancel(context.Background())
		api, err := bot.Connect(ctx, srv.URL(), token, 10*time.Second, log)
		if err != nil {
			t.Fatal(err)
		}
		limits.PerGroupBurst = max(limits.PerGroupBurst, 20) // tests send more to the group than Telegram's pace allows
		var sendAPI bot.API = api
		if h.senderAPI != nil {
			sendAPI = h.senderAPI(api)
		}
		sender := bot.NewSender(botDB, sendAPI, limits, log)
		h.engine = bot.NewEngine(botDB, ix, store, bot.Settings{
			BotID: api.Self.ID, StaffChatID: staffChat, OfficeName: "Pemerintah Kota Uji", ResponseDays: 1, ResolutionDays: 5, AutoCloseDays: 10, Location: time.UTC,
			RequireConsent: !h.noConsent, SupervisorChatID: h.supervisorChat, Calendar: h.calendar, CitizenRate: bot.DefaultCitizenRate,
		}, log, sender.Wake)
		// As in `loket serve`: updates go through the outage handler.
		spool, err := bot.OpenSpool(h.spoolDir)
		if err != nil {
			t.Fatal(err)
		}
		outage := bot.NewOutage(h.engine, sender, spool, botDB.PingContext, log)
		done := make(chan struct{}, 3)
		go func() { _ = sender.Run(ctx); done <- struct{}{} }()
		go func() { outage.Run(ctx); done <- struct{}{} }()
		go func() { _ = bot.NewPoller(api, outage, time.Second, log).Run(ctx); done <- struct{}{} }()
		var once sync.Once
		h.stop = func() {
			once.Do(func() {
				cancel()
				<-done
				<-done
				<-done
				_ = spool.Close()
			})
		}
	}
	h.start()
	t.Cleanup(func() {
		h.stop()
		for _, r := range srv.Rejected() {
			t.Errorf("Telegram would have rejected %s: %s", r.Method, r.Description)
		}
		for _, v := range srv.Violations() {
			t.Errorf("rate limit violated: %+v", v)
		}
	})
	return h
}

// connectDB opens a connection pool to url as `loket serve` does.
func connectDB(t testing.TB, url string) *sqlx.DB {
	t.Helper()
	db, err := pgconn.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// wait returns the first message sent to chat after seq that satisfies match.
func (h *harness) wait(chat int64, after int, what string, match func(telegramtest.Sent) bool) telegramtest.Sent {
	h.t.Helper()
	s, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > after && s.ChatID == chat && s.Method == "sendMessage" && match(s)
	})
	if err != nil {
		h.t.Fatalf("waiting for %s: %v\nsent so far:\n%s", what, err, dump(h.srv.All()))
	}
	return s
}

// mark returns the position of the last recorded send, to wait for later ones.
func (h *harness) mark() int { return h.srv.SentCount() }

func contains(sub string) func(telegramtest.Sent) bool {
	return func(s telegramtest.Sent) bool { return strings.Contains(s.Text, sub) }
}

// button returns the callback data of the button whose label contains label.
func button(t *testing.T, s telegramtest.Sent, label string) string {
	t.Helper()
	for _, row := range s.Keyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q on message %q (keyboard %+v)", label, s.Text, s.Keyboard)
	return ""
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func dump(all []telegramtest.Sent) string {
	var b strings.Builder
	for _, s := range all {
		b.WriteString("  ")
		b.WriteString(s.Method)
		b.WriteString(" ")
		b.WriteString(strings.ReplaceAll(s.Text, "\n", " ⏎ "))
		b.WriteString("\n")
	}
	return b.String()
}
