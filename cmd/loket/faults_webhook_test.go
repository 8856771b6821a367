package main

// Process-level fault tests in webhook mode (see faults_test.go).

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/loadtest"
	"github.com/loket-id/loket/internal/telegramtest"
)

// TestServeWebhookMode runs `loket serve` with LOKET_WEBHOOK_URL (plain http on
// loopback, which the configuration accepts for a local test server): it sets the
// webhook with a secret, refuses calls without it, and answers every message of a
// load run exactly once.
func TestServeWebhookMode(t *testing.T) {
	rig := newFaultRig(t, 2, true)
	t.Parallel()
	start := time.Now()
	p := rig.serve("webhook serve", map[string]string{"LOKET_WEBHOOK_URL": "http://{addr}/telegram/webhook"})
	hookURL := "http://" + p.addr + "/telegram/webhook"
	waitWebhook(t, rig.srv, hookURL)

	// Without the secret, or with a wrong one: 401, nothing handled.
	body := `{"update_id": 999999, "message": {"message_id": 1, "date": 1, "chat": {"id": 4242, "type": "private"}, "from": {"id": 4242, "is_bot": false, "first_name": "Penyusup"}, "text": "halo"}}`
	for _, secret := range []string{"", "not-the-secret"} {
		req, _ := http.NewRequest(http.MethodPost, hookURL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("webhook call with secret %q: status %d, want 401", secret, resp.StatusCode)
		}
	}
	var stray int
	if err := rig.db.Get(&stray, `SELECT count(*) FROM processed_updates WHERE update_id = 999999`); err != nil {
		t.Fatal(err)
	}
	if stray != 0 {
		t.Error("an update posted without the secret was handled")
	}

	cfg := loadtest.Config{Citizens: 100, Messages: 3, Escalate: 0.025, Officers: 2,
		ReplyTimeout: 30 * time.Second, Settle: 2 * time.Second}
	rep := awaitReport(t, startRun(t, rig.srv, cfg))
	rig.check(t, rep, 0)
	if !rep.OK() {
		t.Error("the run was not answered exactly once (see the report above)")
	}
	if !p.running() {
		t.Errorf("the process stopped: %s", p.exitState())
	}
	t.Logf("done in %s", time.Since(start).Round(time.Second))
}

// TestWebhookReplicasOneKilled runs two webhook `loket serve` replicas behind a
// round-robin proxy (which, like a load balancer, tries the other replica when one
// cannot be reached) and kills one of them with SIGKILL in the middle of a run: the
// other carries on and nothing is lost.
func TestWebhookReplicasOneKilled(t *testing.T) {
	rig := newFaultRig(t, 3, true)
	t.Parallel()
	start := time.Now()
	lb := newFailoverProxy(t)
	hookURL := lb.url + "/telegram/webhook"
	extra := map[string]string{"LOKET_WEBHOOK_URL": hookURL}
	a := rig.serve("webhook replica A", extra)
	b := rig.serve("webhook replica B", extra)
	lb.setBackends(a.addr, b.addr)
	waitWebhook(t, rig.srv, hookURL)
	// B's setWebhook may land after A's: both set the same URL, so it does not matter.
	b.waitLog(t, "webhook set", 15*time.Second)

	cfg := faultLoad(t)
	run := startRun(t, rig.srv, cfg)
	rig.killMidRun(t, a, cfg, true)
	rep := awaitReport(t, run)
	f := rig.check(t, rep, maxDoublesAtKill)
	if !b.running() {
		t.Errorf("replica B stopped: %s", b.exitState())
	}
	t.Logf("proxy: %d webhook calls, %d retried on the other replica", lb.calls.Load(), lb.failovers.Load())
	t.Logf("done in %s: %d tickets, %d doubles at the kill (%d replies, %d cards)",
		time.Since(start).Round(time.Second), f.tickets, f.replyDoubles+f.cardDoubles, f.replyDoubles, f.cardDoubles)
}

// waitPolling waits until a bot long-polls the fake.
func waitPolling(t *testing.T, srv *telegramtest.Server) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !srv.Polling() {
		if time.Now().After(deadline) {
			t.Fatal("no process polls the fake Bot API within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitWebhook waits until the webhook is set to url.
func waitWebhook(t *testing.T, srv *telegramtest.Server, url string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for srv.WebhookURL() != url {
		if time.Now().After(deadline) {
			t.Fatalf("the webhook is %q, want %q", srv.WebhookURL(), url)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// failoverProxy is a tiny load balancer for the webhook: a reverse proxy sending
// each call to the next replica in turn, and to the other one when a replica cannot
// be reached (connection refused or reset: the request may have been handled, which
// the recorded update ids make harmless).
type failoverProxy struct {
	url              string
	backends         atomic.Pointer[[]string]
	next             atomic.Uint64
	calls, failovers atomic.Int64
}

func newFailoverProxy(t *testing.T) *failoverProxy {
	t.Helper()
	p := &failoverProxy{}
	rp := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.Out.URL.Scheme, pr.Out.URL.Host = "http", "backend" },
		Transport: p,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "no replica reachable: "+err.Error(), http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: rp, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	p.url = "http://" + ln.Addr().String()
	return p
}

func (p *failoverProxy) setBackends(addrs ...string) { p.backends.Store(&addrs) }

var backendTransport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}

// RoundTrip sends the request to the replicas in turn until one answers.
func (p *failoverProxy) RoundTrip(r *http.Request) (*http.Response, error) {
	p.calls.Add(1)
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		_ = r.Body.Close()
	}
	bp := p.backends.Load()
	if bp == nil || len(*bp) == 0 {
		return nil, fmt.Errorf("no replica configured")
	}
	backends := *bp
	first := p.next.Add(1)
	var lastErr error
	for i := range backends {
		out := r.Clone(r.Context())
		out.URL = &url.URL{Scheme: "http", Host: backends[(first+uint64(i))%uint64(len(backends))], Path: r.URL.Path, RawQuery: r.URL.RawQuery}
		out.Host = ""
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
		resp, err := backendTransport.RoundTrip(out)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if r.Context().Err() != nil {
			break
		}
		p.failovers.Add(1)
	}
	return nil, lastErr
}
