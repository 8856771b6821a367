package console_test

import (
	"context"
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
