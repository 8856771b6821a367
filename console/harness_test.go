package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/internal/dbtest"
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
	// password is every test account's password.
	password = "kata-sandi-uji-123"
)

var (
	citizenAni  = telegramtest.User{ID: 1001, FirstName: "Ani", LastName: "Lestari", LanguageCode: "id"}
	citizenBudi = telegramtest.User{ID: 1002, FirstName: "Budi", LanguageCode: "id"}
	officerSiti = telegramtest.User{ID: 2001, FirstName: "Siti", LastName: "Rahma"}
)

// testFAQs is a small knowledge base for the console's tests.
var testFAQs = []knowledge.FAQ{
	{ID: "ktp-hilang", Category: "Kependudukan", Unit: "disdukcapil", Question: "Bagaimana cara mengurus KTP yang hilang?",
		Alternates: []string{"ktp saya hilang", "bikin ktp baru karena hilang"},
		Answer:     "Bawa **surat kehilangan** dari kepolisian dan fotokopi KK ke kantor Disdukcapil."},
	{ID: "skck", Category: "Kepolisian", Unit: "polres", Question: "Apa syarat membuat SKCK?",
		Alternates: []string{"syarat skck", "bikin skck"},
		Answer:     "Bawa KTP, KK, akta lahir dan pas foto 4x6 ke Polres."},
	{ID: "pajak-kendaraan", Category: "Kendaraan", Unit: "samsat", Question: "Bagaimana cara bayar pajak kendaraan?",
		Alternates: []string{"bayar pajak motor", "perpanjang stnk tahunan"},
		Answer:     "Bayar di kantor Samsat atau lewat aplikasi Samsat daerah dengan KTP dan STNK."},
}

// env runs the whole of Loket that the console needs: a fresh database, the knowledge
// base and its live index, the bot (engine, sender, poller) against a fake Bot API,
// and the console on an httptest server.
type env struct {
	t       testing.TB
	DB      *sqlx.DB
	URL     string
	Tickets *tickets.Store
	KB      *knowledge.Store
	Index   *knowledge.Index
	TG      *telegramtest.Server
	Engine  *bot.Engine
	Console *console.Server
}

// envOptions change newEnv's setup.
type envOptions struct {
	// units are created before start (slug → name); each gets no group of its own.
	units map[string]string
	// publicStats serves /publik.
	publicStats bool
}

func newEnv(t testing.TB) *env { return newEnvWith(t, envOptions{}) }

func newEnvWith(t testing.TB, opts envOptions) *env {
	t.Helper()
	dbURL := dbtest.NewURL(t)
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ts := tickets.NewStore(db)
	for slug, name := range opts.units {
		if _, err := ts.AddUnit(ctx, tickets.Unit{Slug: slug, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	ks := knowledge.NewStore(db)
	if _, err := ks.Import(ctx, &knowledge.File{FAQs: testFAQs}, true); err != nil {
		t.Fatal(err)
	}
	ix, err := knowledge.NewIndex(testFAQs)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	var w io.Writer = logs
	if os.Getenv("LOKET_TEST_LOG") != "" {
		w = io.MultiWriter(logs, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	})

	tg := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot", PrivacyMode: true})
	t.Cleanup(tg.Close)
	for _, u := range []telegramtest.User{citizenAni, citizenBudi, officerSiti} {
		tg.AddPrivateChat(u)
	}
	tg.AddGroup(staffChat, "Petugas Loket")
	for _, u := range []telegramtest.User{citizenAni, citizenBudi} {
		if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name, consented_at) VALUES ($1, $2, now())`, u.ID, u.FirstName); err != nil {
			t.Fatal(err)
		}
	}
	api, err := bot.Connect(ctx, tg.URL(), token, 10*time.Second, log)
	if err != nil {
		t.Fatal(err)
	}
	limits := bot.DefaultLimits()
	limits.PerGroupBurst = 50
	sender := bot.NewSender(db, api, limits, log)
	engine := bot.NewEngine(db, ix, ts, bot.Settings{
		BotID: api.Self.ID, StaffChatID: staffChat, OfficeName: "Pemerintah Kota Uji",
		ResponseDays: 1, ResolutionDays: 5, AutoCloseDays: 10, Location: time.UTC, CitizenRate: bot.DefaultCitizenRate,
	}, log, sender.Wake)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); _ = sender.Run(ctx) }()
	go func() { defer wg.Done(); _ = bot.NewPoller(api, engine, time.Second, log).Run(ctx) }()
	go func() { defer wg.Done(); _ = knowledge.Watch(ctx, dbURL, ks, ix, log) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	c, err := console.New(console.Config{
		DB: db, Tickets: ts, Knowledge: ks, Search: ix, Desk: engine, Files: bot.NewFiles(tg.URL(), token, nil),
		Location: time.UTC, OfficeName: "Pemerintah Kota Uji", BotUsername: "loket_test_bot",
		PublicStats: opts.publicStats, Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(c)
	t.Cleanup(hs.Close)
	return &env{t: t, DB: db, URL: hs.URL, Tickets: ts, KB: ks, Index: ix, TG: tg, Engine: engine, Console: c}
}

// addUser creates a console account with the test password.
func (e *env) addUser(username, role string, units ...string) tickets.Staff {
	e.t.Helper()
	st, err := console.CreateUser(context.Background(), e.DB, e.Tickets, console.NewUser{
		Username: username, Name: strings.ToUpper(username[:1]) + username[1:], Role: role, Password: password, Units: units,
	}, tickets.Actor{Kind: tickets.ActorAdmin, Name: "Uji"}, tickets.DoorCLI)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// openTicket has a citizen ask something the knowledge base cannot answer and press
// "Tanya petugas"; it returns the ticket's number once its card is in the staff group.
func (e *env) openTicket(from telegramtest.User, question string) int64 {
	e.t.Helper()
	m := e.TG.SentCount()
	e.TG.SendText(from, from.ID, question)
	no, err := e.TG.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > m && s.ChatID == from.ID && strings.Contains(s.Text, "belum punya jawaban")
	})
	if err != nil {
		e.t.Fatalf("no-answer message: %v", err)
	}
	var data string
	for _, row := range no.Keyboard {
		for _, b := range row {
			if strings.Contains(b.Text, "petugas") {
				data = b.CallbackData
			}
		}
	}
	e.TG.PressButton(from, from.ID, no.MessageID, data)
	if _, err := e.TG.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > m && s.ChatID == staffChat && strings.Contains(s.Text, "Tiket #")
	}); err != nil {
		e.t.Fatalf("ticket card: %v", err)
	}
	var id int64
	if err := e.DB.Get(&id, `SELECT max(id) FROM tickets WHERE citizen_id = $1`, from.ID); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// client is a browser: it keeps cookies, does not follow redirects, and adds the
// session's CSRF token to the forms it posts.
type client struct {
	t    testing.TB
	base string
	http *http.Client
	csrf string
}

// response is what the console answered.
type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

// anon returns a client that has not logged in.
func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login returns a client logged in as username (with the test password).
func (e *env) login(username string) *client {
	e.t.Helper()
	c := e.anon()
	r := c.postForm("/masuk", url.Values{"username": {username}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d\n%s", username, r.Status, r.Body)
	}
	c.refreshCSRF()
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// refreshCSRF reads the session's CSRF token from a page.
func (c *client) refreshCSRF() {
	c.t.Helper()
	r := c.get("/akun")
	m := csrfField.FindStringSubmatch(r.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token on /akun (status %d)", r.Status)
	}
	c.csrf = m[1]
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

// get fetches a page.
func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post submits a form with the session's CSRF token.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf)
	return c.postForm(path, form)
}

// postForm submits a form as it is (no CSRF token added).
func (c *client) postForm(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
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

// tgSent is a message the bot sent to the fake Bot API.
type tgSent = telegramtest.Sent
