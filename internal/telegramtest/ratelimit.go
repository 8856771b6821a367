package telegramtest

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// Flood limits enforced after SetRateLimits(true), per Telegram's FAQ.
const (
	globalRate    = 30.0        // messages per second over all chats
	globalBurst   = 30.0        //
	privateRate   = 1.0         // messages per second in one private chat
	privateBurst  = 3.0         //
	groupRate     = 20.0 / 60.0 // messages per second in one group
	groupBurst    = 20.0        //
	globalKey     = "global"
	earlyRequest  = "request made before retry_after expired"
	chatLimited   = "per-chat flood limit exceeded"
	globalLimited = "global flood limit exceeded"
)

type bucket struct {
	tokens, rate, burst float64
	last                time.Time
}

// refill tops the bucket up and returns how long until one token is there.
func (b *bucket) refill(now time.Time) time.Duration {
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = math.Min(b.burst, b.tokens+dt*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

type failure struct {
	left, code, retryAfter int
}

type floodState struct {
	enabled   bool
	buckets   map[string]*bucket
	blocks    map[string]time.Time
	failures  map[string][]*failure
	downUntil time.Time
}

func (f *floodState) init() {
	f.buckets = map[string]*bucket{}
	f.blocks = map[string]time.Time{}
	f.failures = map[string][]*failure{}
}

func (f *floodState) bucket(key string, chatID int64, now time.Time) *bucket {
	if b, ok := f.buckets[key]; ok {
		return b
	}
	b := &bucket{rate: globalRate, burst: globalBurst, last: now}
	switch {
	case key == globalKey:
	case chatID > 0:
		b.rate, b.burst = privateRate, privateBurst
	default:
		b.rate, b.burst = groupRate, groupBurst
	}
	b.tokens = b.burst
	f.buckets[key] = b
	return b
}

func ceilSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// SetRateLimits turns Telegram's flood limits on or off (off by default):
// about 30 messages per second overall, 1 per second per private chat with a
// burst of 3, and 20 per minute per group. Only methods that send messages
// (sendMessage, sendPhoto, sendDocument, copyMessage) count. A request over a
// limit gets 429 "Too Many Requests: retry after N" and is a [Violation].
// Turning limits on starts with full buckets.
func (s *Server) SetRateLimits(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flood.enabled = on
	s.flood.buckets = map[string]*bucket{}
}

// FailNext makes the next n calls of method (case-insensitive) fail with the
// given HTTP/error code without being processed: 429 answers "Too Many
// Requests: retry after N" with parameters.retry_after (when retryAfter > 0)
// and, like Telegram, refuses the same chat (or, for methods without a chat,
// the same method) until it expires; other codes answer with their HTTP
// status text (500 "Internal Server Error", 502 "Bad Gateway", ...).
// Injected failures are neither rejections nor violations, but a request made
// before an injected retry_after expired is a violation. Calls add up. It
// panics on a method the server does not implement.
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	if n <= 0 {
		return
	}
	k := strings.ToLower(method)
	if _, ok := methods[k]; !ok {
		panic("telegramtest: FailNext: unknown method " + method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flood.failures[k] = append(s.flood.failures[k], &failure{left: n, code: code, retryAfter: retryAfter})
}

// SetDown makes every request answer 502 "Bad Gateway" for d from now, as
// when Telegram's front end is down. A zero or negative d ends it.
func (s *Server) SetDown(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flood.downUntil = time.Now().Add(d)
}

func (s *Server) downError(now time.Time) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.flood.downUntil) {
		return &apiError{code: http.StatusBadGateway, desc: "Bad Gateway", injected: true}
	}
	return nil
}

// admit applies retry_after blocks, injected failures and flood limits to a
// request before it is handled.
func (s *Server) admit(c *call, spec methodSpec) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	chatID, hasChat := c.p.chatKey()
	key := "method:" + spec.name
	if spec.flood && hasChat {
		key = fmt.Sprintf("chat:%d", chatID)
	}
	keys := []string{key}
	if spec.flood {
		keys = append(keys, globalKey)
	}
	for _, k := range keys {
		if until, ok := s.flood.blocks[k]; ok && c.now.Before(until) {
			ra := ceilSeconds(until.Sub(c.now))
			s.violate(c, chatID, earlyRequest, ra)
			return tooMany(ra)
		}
	}
	if e := s.injected(c, spec, key); e != nil {
		return e
	}
	if !spec.flood || !s.flood.enabled || !hasChat {
		return nil
	}
	chatB := s.flood.bucket(key, chatID, c.now)
	globalB := s.flood.bucket(globalKey, 0, c.now)
	waitC, waitG := chatB.refill(c.now), globalB.refill(c.now)
	if waitC > 0 || waitG > 0 {
		k, wait, reason := key, waitC, chatLimited
		if waitC == 0 {
			k, wait, reason = globalKey, waitG, globalLimited
		}
		ra := ceilSeconds(wait)
		s.flood.blocks[k] = c.now.Add(time.Duration(ra) * time.Second)
		s.violate(c, chatID, reason, ra)
		return tooMany(ra)
	}
	chatB.tokens--
	globalB.tokens--
	return nil
}

func (s *Server) violate(c *call, chatID int64, reason string, ra int) {
	s.violations = append(s.violations, Violation{Method: c.method, ChatID: chatID, Reason: reason, RetryAfter: ra, Time: c.now})
}

// injected consumes and returns the next injected failure for the method.
func (s *Server) injected(c *call, spec methodSpec, key string) *apiError {
	k := strings.ToLower(spec.name)
	list := s.flood.failures[k]
	if len(list) == 0 {
		return nil
	}
	f := list[0]
	if f.left--; f.left <= 0 {
		s.flood.failures[k] = list[1:]
	}
	e := &apiError{code: f.code, injected: true, desc: http.StatusText(f.code)}
	if e.desc == "" {
		e.desc = "Error"
	}
	if f.code == http.StatusTooManyRequests {
		e.retryAfter = f.retryAfter
		e.desc = fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter)
		if f.retryAfter > 0 {
			s.flood.blocks[key] = c.now.Add(time.Duration(f.retryAfter) * time.Second)
		}
	}
	return e
}
