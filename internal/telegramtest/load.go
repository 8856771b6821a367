package telegramtest

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Handler returns the server's Bot API handler, so that a load-test tool can serve
// the same fake on an address of its choosing (for example 127.0.0.1:9081, for a
// `loket serve` started by hand) besides the loopback port of [Server.URL].
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// PumpWebhook delivers queued updates to the webhook, while one is set, until ctx
// ends: like Telegram with max_connections, up to n requests at once, oldest update
// first, with no regard for chats (two updates of one chat may be in flight at once;
// the bot must keep their order). An update is confirmed only by a 2xx answer; a
// failed one is retried after a pause and reported by getWebhookInfo. Unlike
// [Server.DeliverWebhook] it does not stop at the first failure.
func (s *Server) PumpWebhook(ctx context.Context, n int) {
	n = max(n, 1)
	slots := make(chan struct{}, n)
	inflight := map[*queued]bool{} // guarded by s.mu
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		s.mu.Lock()
		hook := s.webhook
		var next *queued
		if hook.url != "" && s.outageMode(time.Now()) == 0 {
			for _, q := range s.upd.queue {
				if !inflight[q] {
					next = q
					break
				}
			}
		}
		if next == nil {
			wake := s.upd.wake
			s.mu.Unlock()
			<-slots
			select {
			case <-wake:
			case <-time.After(50 * time.Millisecond): // a webhook set, or a retry freed
			case <-ctx.Done():
				return
			}
			continue
		}
		inflight[next] = true
		s.mu.Unlock()
		go func(q *queued) {
			defer func() { <-slots }()
			err := s.post(ctx, hook, q.body)
			s.mu.Lock()
			delete(inflight, q)
			if err == nil {
				s.upd.remove(q.id, q.body)
			} else if s.webhook.url == hook.url {
				msg := err.Error()
				s.webhook.lastErrDate, s.webhook.lastErrMsg = time.Now().Unix(), strings.ToUpper(msg[:1])+msg[1:]
			}
			s.mu.Unlock()
			if err != nil {
				select {
				case <-time.After(100 * time.Millisecond):
				case <-ctx.Done():
				}
			}
		}(next)
	}
}
