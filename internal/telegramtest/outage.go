package telegramtest

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// OutageMode is how the Bot API fails during an outage (see [Server.Outage]).
type OutageMode int

const (
	// OutageBadGateway answers every request 502 "Bad Gateway" in the Bot API's
	// error envelope, without processing it, as when Telegram's front end is up and
	// what is behind it is not.
	OutageBadGateway OutageMode = iota + 1
	// OutageStall holds every request without processing it until the client gives
	// up or the outage ends, then drops the connection without an answer, as when
	// Telegram's servers cannot be reached. A stalled request has no effect, so a
	// bot may safely make it again.
	OutageStall
)

func (m OutageMode) String() string {
	switch m {
	case OutageBadGateway:
		return "502 Bad Gateway"
	case OutageStall:
		return "stalled requests"
	}
	return "none"
}

// outageState is the outage in force, if any. Its fields are guarded by s.mu.
type outageState struct {
	mode  OutageMode // 0: none
	until time.Time
	gen   int // counts Outage calls, so an old window's timer cannot end a newer one
	// changed is closed (and replaced) whenever the outage ends or is replaced, to
	// release the requests it stalls.
	changed chan struct{}
	calls   map[string]int // requests refused or stalled, by method
}

// errStalled is the answer of a long poll caught by the start of a stalling outage:
// no answer at all (see [Server.reply]).
var errStalled = &apiError{code: http.StatusBadGateway, desc: "Bad Gateway", injected: true}

// Outage makes every request to the Bot API fail for d from now, as mode says:
// answered 502 "Bad Gateway" (OutageBadGateway) or stalled and dropped
// (OutageStall). getUpdates fails too, including a long poll waiting when the
// outage begins (its updates stay queued, as they were not confirmed), and
// [Server.PumpWebhook] delivers nothing meanwhile; what users do (SendText,
// PressButton, ...) is queued as usual and reaches the bot afterwards. Requests
// being handled when the outage begins complete normally. A new call replaces the
// outage in force; a zero or negative d ends it. Failed requests are neither
// rejections nor violations; [Server.OutageCalls] counts them.
func (s *Server) Outage(d time.Duration, mode OutageMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &s.outage
	o.gen++
	if o.changed != nil {
		close(o.changed) // stalled requests look again (and are dropped if it ended)
	}
	o.changed = make(chan struct{})
	if d <= 0 || mode == 0 {
		o.mode, o.until = 0, time.Time{}
		return
	}
	o.mode, o.until = mode, time.Now().Add(d)
	gen := o.gen
	time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if o.gen == gen {
			o.mode, o.until = 0, time.Time{}
			close(o.changed)
			o.changed = make(chan struct{})
		}
	})
	if p := s.upd.poll; p != nil {
		p.reason = &apiError{code: http.StatusBadGateway, desc: "Bad Gateway", injected: true}
		if mode == OutageStall {
			p.reason = errStalled
		}
		close(p.stop)
		s.upd.poll = nil
		o.count("getUpdates")
	}
}

// OutageCalls returns how many requests outages refused or stalled, by method
// (as requested, or its canonical name for a known method).
func (s *Server) OutageCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.outage.calls))
	for k, v := range s.outage.calls {
		out[k] = v
	}
	return out
}

// count counts a request refused or stalled. The caller holds s.mu.
func (o *outageState) count(method string) {
	if o.calls == nil {
		o.calls = map[string]int{}
	}
	o.calls[method]++
}

// outageMode returns the outage in force at now (0: none). The caller holds s.mu.
func (s *Server) outageMode(now time.Time) OutageMode {
	if s.outage.mode != 0 && now.Before(s.outage.until) {
		return s.outage.mode
	}
	return 0
}

// refuseInOutage answers or stalls a request during an outage, and reports
// whether it did (the request must then not be handled).
func (s *Server) refuseInOutage(w http.ResponseWriter, r *http.Request, now time.Time) bool {
	s.mu.Lock()
	mode := s.outageMode(now)
	if mode == 0 {
		s.mu.Unlock()
		return false
	}
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if spec, ok := methods[strings.ToLower(method)]; ok {
		method = spec.name
	}
	s.outage.count(method)
	s.mu.Unlock()
	if mode == OutageStall {
		s.stall(w, r.Context())
		return true
	}
	s.reply(w, &call{method: method, now: now}, nil, &apiError{code: http.StatusBadGateway, desc: "Bad Gateway", injected: true})
	return true
}

// stall holds a request until the client gives up, the stalling outage ends or the
// server closes, then drops the connection without an answer.
func (s *Server) stall(w http.ResponseWriter, ctx context.Context) {
	s.stalled(ctx)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler) // not HTTP/1: abort the response all the same
}

// stalled returns when no stalling outage is in force any more, ctx ends or the
// server closes.
func (s *Server) stalled(ctx context.Context) {
	for {
		s.mu.Lock()
		stalling := s.outageMode(time.Now()) == OutageStall
		changed := s.outage.changed
		s.mu.Unlock()
		if !stalling {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
	}
}
