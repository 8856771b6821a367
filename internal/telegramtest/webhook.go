package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type webhookState struct {
	url          string
	secret       string
	maxConns     int
	lastErrDate  int64
	lastErrMsg   string
	allowedIsSet bool
}

func validSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' && s[i] != '-' {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(c *call) (any, *apiError) {
	raw := strings.TrimSpace(c.p.str("url"))
	if raw == "" {
		return s.deleteWebhook(c)
	}
	secret := c.p.str("secret_token")
	if c.p.has("secret_token") && secret != "" && !validSecret(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, badRequest("bad webhook: Failed to parse webhook URL")
	}
	switch {
	case strings.EqualFold(u.Scheme, "https"):
	case strings.EqualFold(u.Scheme, "http") && s.opts.AllowHTTPWebhook:
	default:
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if port := u.Port(); !s.opts.AllowHTTPWebhook && port != "" && port != "443" && port != "80" && port != "88" && port != "8443" {
		return nil, badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
	}
	maxConns, aerr := c.p.int("max_connections")
	if aerr != nil {
		return nil, aerr
	}
	if maxConns == 0 {
		maxConns = 40
	}
	var allowed []string
	rawAllowed := strings.TrimSpace(c.p.str("allowed_updates"))
	if rawAllowed != "" && json.Unmarshal([]byte(rawAllowed), &allowed) != nil {
		return nil, badRequest("can't parse allowed_updates JSON array")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	desc := "Webhook was set"
	if s.webhook.url == raw {
		desc = "Webhook is already set"
	}
	s.webhook = webhookState{url: raw, secret: secret, maxConns: int(min(max(maxConns, 1), 100))}
	if rawAllowed != "" {
		s.upd.setAllowed(allowed)
		s.webhook.allowedIsSet = true
	}
	if c.p.bool("drop_pending_updates") {
		s.upd.queue = nil
	}
	if p := s.upd.poll; p != nil {
		p.reason = conflict(webhookActive)
		close(p.stop)
		s.upd.poll = nil
	}
	return result{value: true, desc: desc}, nil
}

func (s *Server) deleteWebhook(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	desc := "Webhook is already deleted"
	if s.webhook.url != "" {
		desc = "Webhook was deleted"
	}
	s.webhook = webhookState{}
	if c.p.bool("drop_pending_updates") {
		s.upd.queue = nil
	}
	return result{value: true, desc: desc}, nil
}

func (s *Server) getWebhookInfo(*call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{
		"url":                    s.webhook.url,
		"has_custom_certificate": false,
		"pending_update_count":   len(s.upd.queue),
	}
	if s.webhook.url != "" {
		info["max_connections"] = s.webhook.maxConns
		if s.webhook.allowedIsSet && s.upd.allowed != nil {
			var kinds []string
			for k := range s.upd.allowed {
				kinds = append(kinds, k)
			}
			info["allowed_updates"] = kinds
		}
		if s.webhook.lastErrDate != 0 {
			info["last_error_date"] = s.webhook.lastErrDate
			info["last_error_message"] = s.webhook.lastErrMsg
		}
	}
	return info, nil
}

// WebhookURL returns the webhook URL set by the bot ("" if none).
func (s *Server) WebhookURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook.url
}

// DeliverWebhook posts the queued updates, oldest first and one per request,
// to the webhook URL with the X-Telegram-Bot-Api-Secret-Token header (when a
// secret was set). An update is confirmed only by a 2xx answer; the first
// failure stops the delivery, is reported by getWebhookInfo and returned.
// It returns how many updates were delivered.
func (s *Server) DeliverWebhook(ctx context.Context) (int, error) {
	delivered := 0
	for {
		s.mu.Lock()
		hook := s.webhook
		if hook.url == "" {
			s.mu.Unlock()
			return delivered, errors.New("telegramtest: no webhook is set")
		}
		if len(s.upd.queue) == 0 {
			s.mu.Unlock()
			return delivered, nil
		}
		q := s.upd.queue[0]
		id, body := q.id, q.body
		s.mu.Unlock()

		err := s.post(ctx, hook, body)
		s.mu.Lock()
		if err != nil {
			if s.webhook.url == hook.url {
				msg := err.Error()
				s.webhook.lastErrDate, s.webhook.lastErrMsg = time.Now().Unix(), strings.ToUpper(msg[:1])+msg[1:]
			}
			s.mu.Unlock()
			return delivered, fmt.Errorf("telegramtest: webhook delivery of update %d: %w", id, err)
		}
		s.upd.remove(id, body)
		s.mu.Unlock()
		delivered++
	}
}

func (s *Server) post(ctx context.Context, hook webhookState, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := s.hooks.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("wrong response from the webhook: %s", resp.Status)
	}
	return nil
}
