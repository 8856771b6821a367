package logctx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// lines decodes JSON log output, one record a line.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for l := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestHandlerAddsIDsFromContext(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := WithUpdateID(context.Background(), 4242)
	log.InfoContext(ctx, "handled")
	log.InfoContext(WithRequestID(context.Background(), "abc-1"), "served")
	log.InfoContext(ctx, "explicit", "update_id", 4242) // not doubled
	log.With("component", "x").InfoContext(WithUpdateID(context.Background(), 0), "no id")

	got := lines(t, &buf)
	if len(got) != 4 {
		t.Fatalf("%d lines, want 4: %s", len(got), buf.String())
	}
	if got[0]["update_id"] != float64(4242) {
		t.Errorf("update_id = %v, want 4242", got[0]["update_id"])
	}
	if got[1]["request_id"] != "abc-1" || got[1]["update_id"] != nil {
		t.Errorf("request line = %v", got[1])
	}
	if n := strings.Count(strings.Split(buf.String(), "\n")[2], `"update_id"`); n != 1 {
		t.Errorf("explicit update_id appears %d times, want 1", n)
	}
	if _, ok := got[3]["update_id"]; ok || got[3]["component"] != "x" {
		t.Errorf("update id 0 must add nothing, attrs kept: %v", got[3])
	}
}

func TestMiddlewareRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	var seen string
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
		log.InfoContext(r.Context(), "inside")
		http.Error(w, "nope", http.StatusForbidden)
	}), log)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tickets?q=3201234567890123", nil))
	id := rec.Header().Get(RequestIDHeader)
	if len(id) != 16 || seen != id {
		t.Fatalf("response id %q, handler saw %q", id, seen)
	}
	got := lines(t, &buf)
	if len(got) != 2 || got[0]["request_id"] != id || got[1]["request_id"] != id {
		t.Fatalf("log lines lack the request id %q: %s", id, buf.String())
	}
	if got[1]["status"] != float64(http.StatusForbidden) || got[1]["path"] != "/tickets" {
		t.Errorf("access line = %v", got[1])
	}
	if strings.Contains(buf.String(), "3201234567890123") {
		t.Errorf("the query string was logged: %s", buf.String())
	}

	// A proxy's id is kept; a hostile one is replaced.
	for hdr, keep := range map[string]bool{"req-77.a_b": true, "evil\" injected": false, strings.Repeat("a", 65): false} {
		buf.Reset()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set(RequestIDHeader, hdr)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get(RequestIDHeader); (got == hdr) != keep {
			t.Errorf("incoming id %q: response id %q, keep=%v", hdr, got, keep)
		}
	}
}
