package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests drive Debian's Chromium headless through chromedp: what officers,
// editors and supervisors do, clicked as they click it. .ci/run installs Chromium;
// without it they are skipped locally and fail in CI.

// browser returns a chromedp context for one headless Chromium.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("LOKET_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed (apt-get install chromium); .ci/run installs it")
		}
		t.Skip("Chromium not installed; the browser tests run in CI")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser, which lives as long as this context: no
	// timeout on it; each test's steps get their own through step().
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// step runs browser actions with a time limit.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// read runs one browser action that returns a value, with a time limit.
func read[T any](t *testing.T, ctx context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// loginAs logs the browser in through the login form.
func loginAs(t *testing.T, ctx context.Context, e *env, username string) {
	t.Helper()
	step(t, ctx, "log in as "+username,
		chromedp.Navigate(e.URL+"/masuk"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.logout`)),
	)
	where := read(t, ctx, "location", chromedp.Location())
	if strings.Contains(where, "/masuk") {
		t.Fatalf("still on the login page after logging in as %s", username)
	}
}

func TestBrowserLoginAndLinkTelegram(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin", "admin")
	ctx := browser(t)
	loginAs(t, ctx, e, "admin")
	step(t, ctx, "make a link code",
		chromedp.Navigate(e.URL+"/akun"),
		chromedp.Click(chromedp.CSS(`form[action="/akun/telegram"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#link-code`)),
	)
	code := read(t, ctx, "link code", chromedp.Text(chromedp.CSS(`#link-code`)))
	if !strings.HasPrefix(code, "/tautkan ") || len(strings.TrimPrefix(code, "/tautkan ")) != 8 {
		t.Errorf("link code shown as %q", code)
	}
	// Logging out ends the session: the account page sends back to the login form.
	step(t, ctx, "log out",
		chromedp.Click(chromedp.CSS(`form.logout button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.Navigate(e.URL+"/akun"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
	)
	where := read(t, ctx, "location", chromedp.Location())
	if !strings.Contains(where, "/masuk") {
		t.Errorf("after logout /akun shows %s", where)
	}
}

// An officer answers a ticket in the console: the reply reaches the citizen through the
// fake Bot API.
func TestBrowserOfficerAnswersTicket(t *testing.T) {
	e := newEnv(t)
	e.addUser("siti", "officer")
	id := e.openTicket(citizenAni, "lampu penerangan jalan di gang mawar mati sejak minggu lalu")
	ctx := browser(t)
	loginAs(t, ctx, e, "siti")
	link := fmt.Sprintf(`a[href="/tiket/%d"]`, id)
	m := e.TG.SentCount()
	step(t, ctx, "open the ticket from the queue and answer it",
		chromedp.Navigate(e.URL+"/tiket"),
		chromedp.WaitVisible(chromedp.CSS(link)),
		chromedp.Click(chromedp.CSS(link)),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name=teks]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=teks]`), "Petugas kami akan memeriksa lampu itu besok pagi."),
		chromedp.Submit(chromedp.CSS(`textarea[name=teks]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	got, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > m && s.ChatID == citizenAni.ID && strings.Contains(s.Text, "memeriksa lampu itu besok pagi")
	})
	if err != nil {
		t.Fatalf("the reply did not reach the citizen: %v", err)
	}
	if !strings.Contains(got.Text, fmt.Sprintf("#%d", id)) {
		t.Errorf("the citizen's message does not name the ticket: %q", got.Text)
	}
	conversation := read(t, ctx, "conversation", chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(conversation, "memeriksa lampu itu besok pagi") {
		t.Errorf("the reply is not in the conversation shown")
	}
}

// An editor changes an FAQ's answer in the console; the bot gives the new answer within
// a second.
func TestBrowserEditorChangesAnswer(t *testing.T) {
	e := newEnv(t)
	e.addUser("budi", "editor")
	ctx := browser(t)
	loginAs(t, ctx, e, "budi")
	const newAnswer = "Mulai Desember, SKCK dibuat di Mal Pelayanan Publik lantai 2 dengan KTP dan pas foto."
	step(t, ctx, "edit the SKCK answer",
		chromedp.Navigate(e.URL+"/faq/skck"),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name=answer]`)),
		chromedp.Clear(chromedp.CSS(`textarea[name=answer]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=answer]`), newAnswer),
		chromedp.Click(chromedp.CSS(`button[name=aksi][value=simpan]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	saved := time.Now()
	deadline := saved.Add(time.Second)
	for {
		m := e.TG.SentCount()
		e.TG.SendText(citizenBudi, citizenBudi.ID, "apa syarat bikin skck")
		s, err := e.TG.WaitFor(waitFor, func(s tgSent) bool { return s.Seq > m && s.ChatID == citizenBudi.ID })
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s.Text, "Mal Pelayanan Publik lantai 2") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after saving, the bot still answers %q", s.Text)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("new answer given %v after saving", time.Since(saved).Round(time.Millisecond))
}

// A supervisor reads the dashboard: the ticket an officer answered counts, and the
// charts are drawn.
func TestBrowserSupervisorReadsDashboard(t *testing.T) {
	e := newEnv(t)
	siti := e.addUser("siti", "officer")
	e.addUser("dewi", "supervisor")
	id := e.openTicket(citizenAni, "trotoar di depan pasar kota berlubang besar")
	if _, err := e.Engine.DeskReply(t.Context(), siti, id, "Sudah kami teruskan ke dinas pekerjaan umum."); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	loginAs(t, ctx, e, "dewi")
	step(t, ctx, "open the dashboard", chromedp.Navigate(e.URL+"/dasbor"), chromedp.WaitVisible(chromedp.CSS(`#fig-opened`)))
	opened := read(t, ctx, "tickets opened", chromedp.Text(chromedp.CSS(`#fig-opened`)))
	escalated := read(t, ctx, "questions escalated", chromedp.Text(chromedp.CSS(`#q-escalate`)))
	charts := read(t, ctx, "charts", chromedp.Evaluate[int](`document.querySelectorAll(".chart-wrap svg").length`))
	if opened != "1" || escalated != "1" {
		t.Errorf("dashboard shows %q tickets opened and %q questions escalated, want 1 and 1", opened, escalated)
	}
	if charts != 3 {
		t.Errorf("%d charts drawn, want 3", charts)
	}
}
