package telegramtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// All returns every recorded send, in order.
func (s *Server) All() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// Messages returns the recorded sends to one chat (new messages, edits,
// copies, deletions), in order.
func (s *Server) Messages(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, r := range s.sent {
		if r.ChatID == chatID {
			out = append(out, r)
		}
	}
	return out
}

// SentCount returns how many sends were recorded so far; compare it with
// [Sent.Seq] to wait only for later sends.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// ErrClosed is returned by the wait methods when the server is closed.
var ErrClosed = errors.New("telegramtest: server closed")

// WaitFor blocks until a recorded send matches, checking the ones already
// recorded first, and returns it; after timeout it returns an error that
// lists the last sends. match runs without the server's lock held.
func (s *Server) WaitFor(timeout time.Duration, match func(Sent) bool) (Sent, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return s.WaitForContext(ctx, match)
}

// WaitForContext is WaitFor bounded by a context.
func (s *Server) WaitForContext(ctx context.Context, match func(Sent) bool) (Sent, error) {
	seen := 0
	for {
		s.mu.Lock()
		fresh := slices.Clone(s.sent[seen:])
		wake := s.sentCh
		s.mu.Unlock()
		for _, r := range fresh {
			if match(r) {
				return r, nil
			}
		}
		seen += len(fresh)
		select {
		case <-wake:
		case <-ctx.Done():
			return Sent{}, fmt.Errorf("telegramtest: no matching send: %w; %s", ctx.Err(), s.summary())
		case <-s.done:
			return Sent{}, ErrClosed
		}
	}
}

// WaitCount blocks until at least n sends to chatID are recorded and
// returns them all.
func (s *Server) WaitCount(chatID int64, n int, timeout time.Duration) ([]Sent, error) {
	if n <= 0 {
		return s.Messages(chatID), nil
	}
	count := 0
	_, err := s.WaitFor(timeout, func(r Sent) bool {
		if r.ChatID == chatID {
			count++
		}
		return count >= n
	})
	msgs := s.Messages(chatID)
	if err != nil {
		return msgs, fmt.Errorf("telegramtest: %d of %d sends to chat %d: %w", len(msgs), n, chatID, err)
	}
	return msgs, nil
}

// summary describes the last few sends for failure messages.
func (s *Server) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sent) == 0 {
		return "nothing was sent"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d sends, last ones:", len(s.sent))
	for _, r := range s.sent[max(0, len(s.sent)-5):] {
		fmt.Fprintf(&b, "\n  #%d %s chat=%d msg=%d %q", r.Seq, r.Method, r.ChatID, r.MessageID, r.Text)
	}
	return b.String()
}
