package console_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An editor imports a CSV saved by Excel: the report says what it adds, "Terapkan"
// applies it, and the bot answers with the new FAQ.
func TestBrowserEditorImportsCSV(t *testing.T) {
	e := newEnv(t)
	e.addUser("eka", "editor")
	file := filepath.Join(t.TempDir(), "faq.csv")
	if err := os.WriteFile(file, []byte(reklameCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	loginAs(t, ctx, e, "eka")
	step(t, ctx, "upload the CSV",
		chromedp.Navigate(e.URL+"/faq/impor"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=berkas]`)),
		chromedp.SetUploadFiles(`input[name=berkas]`, []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/faq/impor"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-added`)),
	)
	report := read(t, ctx, "report", chromedp.Text(chromedp.CSS(`main`)))
	for _, want := range []string{"FAQ baru (1)", "Bagaimana mengurus izin reklame?", "FAQ diubah (1)"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	step(t, ctx, "apply",
		chromedp.Click(chromedp.CSS(`form[action="/faq/impor/terapkan"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if flash := read(t, ctx, "flash", chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(flash, "1 FAQ baru") {
		t.Errorf("after applying: %q", flash)
	}
	waitAnswered(t, e, "bagaimana mengurus izin reklame", "izin-reklame")
	m := e.TG.SentCount()
	e.TG.SendText(citizenAni, citizenAni.ID, "bagaimana mengurus izin reklame")
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > m && s.ChatID == citizenAni.ID && strings.Contains(s.Text, "Ajukan lewat OSS lalu bayar pajak reklame")
	}); err != nil {
		t.Fatalf("the bot does not answer with the imported FAQ: %v", err)
	}
}
