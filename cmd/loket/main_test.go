package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/internal/telegramtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// loket runs a command in-process with the given environment.
func loket(t *testing.T, vars map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	err := run(context.Background(), args, e)
	return out.String(), errOut.String(), err
}

const goodKB = `faqs:
  - id: skck
    category: Kepolisian
    question: Bagaimana cara membuat SKCK?
    keywords: [skck, surat kelakuan baik]
    answer: Datang ke Polres membawa KTP-el dan KK. Biaya Rp30.000 & antre < 1 jam.
  - id: pbb
    category: Pajak Daerah
    question: Bagaimana cara membayar PBB?
    answer: Bayar di bank atau aplikasi pajak daerah.
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAskJSONFromFile(t *testing.T) {
	kb := writeFile(t, "kb.yaml", goodKB)
	out, _, err := loket(t, nil, "cara bikin skck\nharga cabai hari ini\n", "ask", "--kb", kb, "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d result lines, want 2: %q", len(lines), out)
	}
	var first, second askResult
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first.Q != "cara bikin skck" || first.Decision != "answer" || len(first.Hits) == 0 || first.Hits[0].ID != "skck" || first.Hits[0].Score <= 0 {
		t.Errorf("first = %+v", first)
	}
	if second.Decision != "escalate" || second.Hits == nil {
		t.Errorf("second = %+v (hits must be a list, even empty)", second)
	}
	// The documented shape, field by field.
	var raw map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &raw)
	hit := raw["hits"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "score", "question"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit lacks %q: %v", k, hit)
		}
	}
}

func TestKBImportExportAndBrokenFile(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	out, _, err := loket(t, vars, "", "kb", "import", writeFile(t, "kb.yaml", goodKB))
	if err != nil || !strings.Contains(out, "2 baru") {
		t.Fatalf("import: %q, %v", out, err)
	}
	broken := strings.Replace(goodKB, "id: pbb", "id: skck", 1) + "  - id: kosong\n    question: Tanpa jawaban?\n"
	_, _, err = loket(t, vars, "", "kb", "import", writeFile(t, "broken.yaml", broken))
	if err == nil {
		t.Fatal("a broken file was imported")
	}
	for _, want := range []string{"baris 7", "baris 11", "skck"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	exported, _, err := loket(t, vars, "", "kb", "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exported, "id: pbb") || !strings.Contains(exported, "antre < 1 jam") {
		t.Errorf("export after a failed import should be the first file:\n%s", exported)
	}
	out, _, err = loket(t, vars, "", "ask", "--json", "cara bayar pbb")
	if err != nil || !strings.Contains(out, `"id":"pbb"`) {
		t.Errorf("ask from the database: %q, %v", out, err)
	}
	jsonOut, _, err := loket(t, vars, "", "kb", "export", "--format", "json")
	if err != nil || !json.Valid([]byte(jsonOut)) {
		t.Errorf("JSON export invalid: %v\n%s", err, jsonOut)
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"no token", map[string]string{"DATABASE_URL": "postgres://x/y"}, "TELEGRAM_BOT_TOKEN"},
		{"bad token", map[string]string{"TELEGRAM_BOT_TOKEN": "nope"}, "TELEGRAM_BOT_TOKEN"},
		{"no staff chat", map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "DATABASE_URL": "postgres://x/y"}, "LOKET_STAFF_CHAT_ID"},
		{"bad staff chat", map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "DATABASE_URL": "postgres://x/y", "LOKET_STAFF_CHAT_ID": "grup"}, "LOKET_STAFF_CHAT_ID"},
		{"no database", map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "LOKET_STAFF_CHAT_ID": "-100"}, "DATABASE_URL"},
		{"bad addr", map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "LOKET_STAFF_CHAT_ID": "-100", "DATABASE_URL": "postgres://x/y", "LOKET_HTTP_ADDR": "8080"}, "LOKET_HTTP_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := loket(t, tt.vars, "", "serve")
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line naming %s", err, tt.want)
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

// TestServe runs `loket serve` as an operator would, against a fake Bot API: health
// endpoints, an answer, a live FAQ import reaching the running index, and a clean stop.
func TestServe(t *testing.T) {
	const token = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
	srv := telegramtest.New(telegramtest.Options{Token: token, PrivacyMode: true})
	defer srv.Close()
	ani := telegramtest.User{ID: 77, FirstName: "Ani"}
	srv.AddPrivateChat(ani)
	srv.AddGroup(-4242, "Petugas")
	addr := freeAddr(t)
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": srv.URL(), "DATABASE_URL": dbtest.NewURL(t),
		"LOKET_STAFF_CHAT_ID": "-4242", "LOKET_HTTP_ADDR": addr,
	}
	if _, _, err := loket(t, vars, "", "kb", "import", writeFile(t, "kb.yaml", goodKB)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, env{stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, getenv: func(k string) string { return vars[k] }})
	}()
	waitHTTP(t, "http://"+addr+"/readyz")

	srv.SendText(ani, ani.ID, "cara membuat skck")
	if _, err := srv.WaitFor(10*time.Second, func(s telegramtest.Sent) bool { return s.ChatID == ani.ID && strings.Contains(s.Text, "Polres") }); err != nil {
		t.Fatalf("no answer: %v\nlogs:\n%s", err, logs.String())
	}
	// An import while serving reaches the running index within a second or so.
	updated := strings.Replace(goodKB, "Bayar di bank atau aplikasi pajak daerah.", "Bayar di kantor pos terdekat.", 1)
	if _, _, err := loket(t, vars, "", "kb", "import", writeFile(t, "kb2.yaml", updated)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := srv.SentCount()
		srv.SendText(ani, ani.ID, "cara bayar pbb")
		s, err := srv.WaitFor(10*time.Second, func(s telegramtest.Sent) bool {
			return s.Seq > m && s.ChatID == ani.ID && strings.Contains(s.Text, "PBB")
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s.Text, "kantor pos") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running bot still answers the old FAQ: %q", s.Text)
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of the signal")
	}
	if strings.Contains(logs.String(), token) {
		t.Error("the bot token appears in the logs")
	}
	for _, r := range srv.Rejected() {
		t.Errorf("Telegram would have rejected %s: %s", r.Method, r.Description)
	}
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200", url)
}

// TestLiveUpdateAcrossTwoServes runs two `loket serve` processes on one database (each
// with its own bot, as two offices' replicas would poll separately) and checks that an
// FAQ imported while they run is answered by both within a second or so.
func TestLiveUpdateAcrossTwoServes(t *testing.T) {
	dbURL := dbtest.NewURL(t)
	base := map[string]string{"DATABASE_URL": dbURL}
	if _, _, err := loket(t, base, "", "kb", "import", writeFile(t, "kb.yaml", goodKB)); err != nil {
		t.Fatal(err)
	}
	type proc struct {
		srv  *telegramtest.Server
		done chan error
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ani := telegramtest.User{ID: 77, FirstName: "Ani"}
	var procs []proc
	for i := range 2 {
		token := fmt.Sprintf("12345%d:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz", i)
		srv := telegramtest.New(telegramtest.Options{Token: token})
		defer srv.Close()
		srv.AddPrivateChat(ani)
		srv.AddGroup(-4242, "Petugas")
		addr := freeAddr(t)
		vars := map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": srv.URL(), "DATABASE_URL": dbURL,
			"LOKET_STAFF_CHAT_ID": "-4242", "LOKET_HTTP_ADDR": addr,
		}
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve"}, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return vars[k] }})
		}()
		waitHTTP(t, "http://"+addr+"/readyz")
		procs = append(procs, proc{srv: srv, done: done})
	}
	const newFAQ = `  - id: kir
    category: Perhubungan
    question: Di mana lokasi uji kir kendaraan?
    answer: Uji kir dilayani di UPT Pengujian Kendaraan Dishub, Jalan Lingkar 5.
`
	start := time.Now()
	if _, _, err := loket(t, base, "", "kb", "import", writeFile(t, "kb2.yaml", goodKB+newFAQ)); err != nil {
		t.Fatal(err)
	}
	for i, p := range procs {
		for {
			m := p.srv.SentCount()
			p.srv.SendText(ani, ani.ID, "lokasi uji kir dimana")
			s, err := p.srv.WaitFor(10*time.Second, func(s telegramtest.Sent) bool { return s.Seq > m && s.ChatID == ani.ID })
			if err != nil {
				t.Fatalf("process %d: %v", i, err)
			}
			if strings.Contains(s.Text, "Jalan Lingkar 5") {
				t.Logf("process %d answers the new FAQ %v after the import", i, time.Since(start).Round(time.Millisecond))
				break
			}
			if time.Since(start) > 3*time.Second {
				t.Fatalf("process %d still does not know the new FAQ: %q", i, s.Text)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	cancel()
	for _, p := range procs {
		if err := <-p.done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}
