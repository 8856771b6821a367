package main

// Helpers of the process-level fault tests (faults_test.go): the real `loket` binary,
// built once and shared by the tests running at the time, `loket serve` subprocesses
// with captured logs, and a fake Bot API with the simulated officers registered.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/loadtest"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge/sample"
)

// builtBinary is the loket binary shared by the tests that run it: built by the first
// test that needs it and removed when the last test using it ends (a later test builds
// it again, from Go's build cache, in a second or two).
var builtBinary struct {
	mu   sync.Mutex
	refs int
	dir  string
	path string
}

// loketBinary builds `loket` (without -race, even when the tests run with it: the
// processes under test are as deployed, and faster) and returns its path.
func loketBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the loket binary and runs `loket serve` processes under load: skipped with -short")
	}
	b := &builtBinary
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refs == 0 {
		dir, err := os.MkdirTemp("", "loket-faults-bin-")
		if err != nil {
			t.Fatal(err)
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			_ = os.RemoveAll(dir)
			t.Fatalf("building the loket binary needs the go tool on PATH: %v", err)
		}
		path := filepath.Join(dir, "loket")
		// The test runs in cmd/loket: "." is this command's package.
		cmd := exec.Command(goTool, "build", "-o", path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			_ = os.RemoveAll(dir)
			t.Fatalf("go build of the loket binary: %v\n%s", err, out)
		}
		b.dir, b.path = dir, path
	}
	b.refs++
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.refs--
		if b.refs == 0 {
			_ = os.RemoveAll(b.dir)
			b.dir, b.path = "", ""
		}
	})
	return b.path
}

// childEnv is the environment of a loket subprocess: this process's, without any
// Loket or Telegram setting of the developer's, plus vars.
func childEnv(vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "LOKET_") || strings.HasPrefix(k, "TELEGRAM_") || k == "DATABASE_URL" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// logBuffer collects a process's output; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail returns the last n lines.
func (b *logBuffer) tail(n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("… (%d earlier lines)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// count returns how many lines contain s.
func (b *logBuffer) count(s string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			n++
		}
	}
	return n
}

// serveProc is one `loket serve` subprocess.
type serveProc struct {
	name string
	addr string // LOKET_HTTP_ADDR
	cmd  *exec.Cmd
	logs *logBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
}

// faultRig is what the fault tests share: the binary, one database, the fake Bot API
// (with the staff group and the simulated officers registered) and the environment
// every `loket serve` gets.
type faultRig struct {
	t    *testing.T
	bin  string
	srv  *telegramtest.Server
	db   *sqlx.DB
	vars map[string]string
}

// newFaultRig prepares a database with the sample knowledge base and officers
// registered (with the loket binary, as an operator would) and a fake Bot API that
// behaves like Telegram with privacy mode on.
func newFaultRig(t *testing.T, officers int, allowHTTPWebhook bool) *faultRig {
	t.Helper()
	bin := loketBinary(t)
	dbURL := dbtest.NewURL(t)
	srv := telegramtest.New(telegramtest.Options{Token: loadtestToken(), BotUsername: "loket_faults_bot",
		PrivacyMode: true, AllowHTTPWebhook: allowHTTPWebhook})
	t.Cleanup(srv.Close)
	srv.AddGroup(loadtest.StaffChatID, "Petugas Loket (uji gangguan)")
	r := &faultRig{t: t, bin: bin, srv: srv, vars: map[string]string{
		"DATABASE_URL":        dbURL,
		"TELEGRAM_BOT_TOKEN":  srv.Token(),
		"TELEGRAM_API_URL":    srv.URL(),
		"LOKET_STAFF_CHAT_ID": fmt.Sprint(loadtest.StaffChatID),
		"LOKET_OFFICE_NAME":   "Pemerintah Kota Sukamaju (uji gangguan)",
		"LOKET_CITIZEN_RATE":  "0", // the simulated citizens ask back to back
		"LOKET_LOG_FORMAT":    "json",
	}}
	kb := filepath.Join(t.TempDir(), "kb.yaml")
	if err := os.WriteFile(kb, sample.KB, 0o644); err != nil {
		t.Fatal(err)
	}
	r.loket("kb", "import", kb)
	for i, id := range loadtest.OfficerIDs(officers) {
		r.loket("staff", "add", "--telegram-id", fmt.Sprint(id), "--name", fmt.Sprintf("Petugas Uji %d", i+1))
	}
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	t.Cleanup(func() { _ = db.Close() })
	r.db = db
	return r
}

// loket runs a one-shot loket command (kb import, staff add…) and fails the test if
// it fails.
func (r *faultRig) loket(args ...string) string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Env = childEnv(map[string]string{"DATABASE_URL": r.vars["DATABASE_URL"]})
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("loket %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// serve starts `loket serve` on a free loopback port with the rig's environment and
// extra (which may refer to the port as {addr}), and waits until /readyz answers 200.
// On failure the test shows the end of its logs; at the end a process still running
// gets SIGTERM (and SIGKILL if it does not stop).
func (r *faultRig) serve(name string, extra map[string]string) *serveProc {
	r.t.Helper()
	addr := freeAddr(r.t)
	vars := map[string]string{"LOKET_HTTP_ADDR": addr}
	for k, v := range r.vars {
		vars[k] = v
	}
	for k, v := range extra {
		vars[k] = strings.ReplaceAll(v, "{addr}", addr)
	}
	p := &serveProc{name: name, addr: addr, logs: &logBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(r.bin, "serve")
	p.cmd.Env = childEnv(vars)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		r.t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	r.t.Cleanup(func() {
		p.stop(r.t)
		if r.t.Failed() {
			r.t.Logf("logs of %s (%s):\n%s", p.name, p.exitState(), p.logs.tail(60))
		}
	})
	p.waitReady(r.t, 30*time.Second)
	return p
}

// waitReady waits until the process answers 200 on /readyz.
func (p *serveProc) waitReady(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("%s exited before it was ready (%s):\n%s", p.name, p.exitState(), p.logs.tail(40))
		default:
		}
		resp, err := client.Get("http://" + p.addr + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: /readyz never answered 200 within %s:\n%s", p.name, timeout, p.logs.tail(40))
}

// waitLog waits until a line of the process's log contains s.
func (p *serveProc) waitLog(t *testing.T, s string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.logs.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not log %q within %s:\n%s", p.name, s, timeout, p.logs.tail(40))
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited (%s) before logging %q:\n%s", p.name, p.exitState(), s, p.logs.tail(40))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// kill9 kills the process with SIGKILL, as a crash or the OOM killer would, and
// waits until it is gone.
func (p *serveProc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill -9 %s: %v", p.name, err)
	}
	<-p.done
}

// stop ends the process gracefully (SIGTERM), or kills it after 20 s.
func (p *serveProc) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Errorf("%s did not stop within 20 s of SIGTERM; killed", p.name)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *serveProc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *serveProc) exitState() string {
	select {
	case <-p.done:
		if p.err == nil {
			return "exited with status 0"
		}
		return p.err.Error()
	default:
		return "running"
	}
}
