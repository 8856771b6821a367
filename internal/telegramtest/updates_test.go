package telegramtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

// getUpdates polls with the given parameters and returns the update ids.
func getUpdates(t *testing.T, srv *telegramtest.Server, p map[string]string) []int {
	t.Helper()
	code, env := postForm(t, srv, "getUpdates", p)
	wantOK(t, code, env)
	var ups []struct {
		UpdateID int `json:"update_id"`
	}
	if err := json.Unmarshal(env.Result, &ups); err != nil {
		t.Fatal(err)
	}
	ids := []int{}
	for _, u := range ups {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	srv := newServer(t)
	for _, text := range []string{"/start", "halo", "lapor"} {
		srv.SendText(citizen, citizen.ID, text)
	}
	first := srv.LastUpdateID() - 2
	all := []int{first, first + 1, first + 2}
	if got := getUpdates(t, srv, nil); !equalInts(got, all) {
		t.Fatalf("first poll %v, want %v", got, all)
	}
	if got := getUpdates(t, srv, nil); !equalInts(got, all) {
		t.Fatalf("unconfirmed updates must come again: %v", got)
	}
	if got := getUpdates(t, srv, map[string]string{"offset": itoa(first + 1), "limit": "1"}); !equalInts(got, all[1:2]) {
		t.Fatalf("offset+limit %v", got)
	}
	if n := srv.PendingUpdates(); n != 2 {
		t.Fatalf("pending %d, want 2", n)
	}
	if got := getUpdates(t, srv, map[string]string{"offset": itoa(first + 3)}); len(got) != 0 || srv.PendingUpdates() != 0 {
		t.Fatalf("after confirming all: %v pending %d", got, srv.PendingUpdates())
	}
	for range 3 {
		srv.SendText(citizen, citizen.ID, "lagi")
	}
	if got := getUpdates(t, srv, map[string]string{"offset": "-1"}); !equalInts(got, []int{srv.LastUpdateID()}) || srv.PendingUpdates() != 1 {
		t.Fatalf("offset -1: %v pending %d", got, srv.PendingUpdates())
	}
}

func TestUpdatesThroughClient(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	start := srv.SendText(citizen, citizen.ID, "/start@loket_bot now")
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1, AllowedUpdates: []string{"message", "callback_query"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].Message == nil {
		t.Fatalf("updates %+v", ups)
	}
	m := ups[0].Message
	if !m.IsCommand() || m.Command() != "start" || m.CommandArguments() != "now" || m.From.ID != citizen.ID ||
		m.From.LanguageCode != "id" || m.Chat.Type != "private" || m.MessageID != start.MessageID {
		t.Fatalf("message %+v entities %+v", m, m.Entities)
	}

	// The bot replies; the citizen answers the bot's message.
	sent, err := bot.Send(tgbotapi.NewMessage(citizen.ID, "Kirim alamat"))
	if err != nil {
		t.Fatal(err)
	}
	srv.ReplyText(citizen, citizen.ID, sent.MessageID, "Jl. Merdeka 1")
	ups, err = bot.GetUpdates(tgbotapi.NewUpdate(ups[0].UpdateID + 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].Message.ReplyToMessage == nil || ups[0].Message.ReplyToMessage.Text != "Kirim alamat" ||
		!ups[0].Message.ReplyToMessage.From.IsBot {
		t.Fatalf("reply update %+v", ups)
	}
}

func TestGetUpdatesJSONBody(t *testing.T) {
	srv := newServer(t)
	srv.SendText(citizen, citizen.ID, "halo")
	code, env := postJSON(t, srv, "getUpdates", map[string]any{"offset": 0, "limit": 10, "timeout": 0, "allowed_updates": []string{"message"}})
	wantOK(t, code, env)
	if !strings.Contains(string(env.Result), `"text":"halo"`) {
		t.Fatalf("result %s", env.Result)
	}
}

func TestLongPoll(t *testing.T) {
	srv := newServer(t)
	go func() {
		time.Sleep(150 * time.Millisecond)
		srv.SendText(citizen, citizen.ID, "halo")
	}()
	start := time.Now()
	got := getUpdates(t, srv, map[string]string{"timeout": "10"})
	if len(got) != 1 || time.Since(start) > 5*time.Second {
		t.Fatalf("long poll returned %v after %v", got, time.Since(start))
	}

	start = time.Now()
	got = getUpdates(t, srv, map[string]string{"timeout": "1", "offset": itoa(got[0] + 1)})
	if len(got) != 0 || time.Since(start) < 900*time.Millisecond {
		t.Fatalf("empty long poll returned %v after %v", got, time.Since(start))
	}
}

func TestLongPollHonoursCancellation(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/bot"+token+"/getUpdates?timeout=30", nil)
	start := time.Now()
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("cancelled request succeeded")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("cancellation not honoured")
	}
	waitUntil(t, func() bool { return !srv.Polling() })
	getUpdates(t, srv, nil)
	if rej := srv.Rejected(); len(rej) != 0 {
		t.Fatalf("the cancelled poll was still pending: %+v", rej)
	}
}

func TestConcurrentGetUpdatesConflict(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
		errc <- err
	}()
	waitUntil(t, srv.Polling)
	// The newer request wins; the pending one is terminated, as in Telegram.
	getUpdates(t, srv, nil)
	select {
	case err := <-errc:
		e := tgError(t, err)
		if e.Code != http.StatusConflict || e.Message != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
			t.Fatalf("terminated poll got %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("first poll was not terminated")
	}
	if rej := srv.Rejected(); len(rej) != 1 || rej[0].Code != http.StatusConflict {
		t.Fatalf("rejections %+v", rej)
	}
}

func TestWebhookSettings(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	srv.SendText(citizen, citizen.ID, "halo")
	code, env := postForm(t, srv, "setWebhook", map[string]string{"url": "https://loket.id/hook", "secret_token": "s3cret_-X"})
	wantOK(t, code, env)
	if env.Description != "Webhook was set" || srv.WebhookURL() != "https://loket.id/hook" {
		t.Fatalf("setWebhook %+v", env)
	}
	_, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if e := tgError(t, err); e.Code != 409 || !strings.Contains(e.Message, "webhook is active") {
		t.Fatalf("getUpdates with webhook: %+v", e)
	}
	info, err := bot.GetWebhookInfo()
	if err != nil || info.URL != "https://loket.id/hook" || info.PendingUpdateCount != 1 {
		t.Fatalf("webhook info %+v %v", info, err)
	}
	bad := map[string]map[string]string{
		"Bad Request: secret token contains unallowed characters":                           {"url": "https://a.b/h", "secret_token": "no spaces"},
		"Bad Request: bad webhook: An HTTPS URL must be provided for webhook":               {"url": "http://a.b/h"},
		"Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443": {"url": "https://a.b:1234/h"},
	}
	for want, p := range bad {
		code, env := postForm(t, srv, "setWebhook", p)
		wantError(t, code, env, 400, want)
	}
	code, env = postForm(t, srv, "setWebhook", map[string]string{"url": "https://a.b/h", "secret_token": strings.Repeat("a", 257)})
	wantError(t, code, env, 400, "Bad Request: secret token contains unallowed characters")

	code, env = postForm(t, srv, "deleteWebhook", nil)
	wantOK(t, code, env)
	if got := getUpdates(t, srv, nil); len(got) != 1 {
		t.Fatalf("after deleteWebhook: %v", got)
	}
	code, env = postForm(t, srv, "deleteWebhook", map[string]string{"drop_pending_updates": "true"})
	wantOK(t, code, env)
	if srv.PendingUpdates() != 0 || env.Description != "Webhook is already deleted" {
		t.Fatalf("drop_pending_updates: %d %q", srv.PendingUpdates(), env.Description)
	}
}

func TestAllowedUpdates(t *testing.T) {
	srv := newServer(t)
	sent := mustSend(t, srv, citizen.ID, "pilih", "reply_markup", inlineKeyboard([]map[string]any{{"text": "a", "callback_data": "a"}}))
	getUpdates(t, srv, map[string]string{"allowed_updates": `["callback_query"]`})
	srv.SendText(citizen, citizen.ID, "ignored")
	srv.PressButton(citizen, citizen.ID, sent.MessageID, "a")
	code, env := postForm(t, srv, "getUpdates", nil)
	wantOK(t, code, env)
	if strings.Contains(string(env.Result), `"message":{"message_id":2`) || !strings.Contains(string(env.Result), "callback_query") {
		t.Fatalf("allowed_updates not applied: %s", env.Result)
	}
	getUpdates(t, srv, map[string]string{"allowed_updates": `[]`, "offset": itoa(srv.LastUpdateID() + 1)})
	srv.SendText(citizen, citizen.ID, "delivered again")
	if got := getUpdates(t, srv, nil); len(got) != 1 {
		t.Fatalf("empty allowed_updates must restore the default: %v", got)
	}
}

func TestRedeliverAndInjectRaw(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	srv.SendText(citizen, citizen.ID, "sekali")
	id := srv.LastUpdateID()
	getUpdates(t, srv, map[string]string{"offset": itoa(id + 1)})
	if err := srv.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	if got := getUpdates(t, srv, map[string]string{"offset": itoa(id + 1)}); !equalInts(got, []int{id}) {
		t.Fatalf("redelivered %v, want [%d]", got, id)
	}
	if got := getUpdates(t, srv, map[string]string{"offset": itoa(id + 1)}); len(got) != 0 {
		t.Fatalf("redelivered update must then be confirmable: %v", got)
	}
	if err := srv.Redeliver(99999); err == nil {
		t.Fatal("Redeliver of an unknown id succeeded")
	}

	rawID := srv.InjectRaw(json.RawMessage(`{"message":{"message_id":50,"date":1,"chat":{"id":1001,"type":"private"},"text":"raw"}}`))
	if rawID != id+1 {
		t.Fatalf("raw id %d, want %d", rawID, id+1)
	}
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(id + 1))
	if err != nil || len(ups) != 1 || ups[0].UpdateID != rawID || ups[0].Message.Text != "raw" {
		t.Fatalf("raw update %+v %v", ups, err)
	}
	srv.InjectRaw(json.RawMessage(`{"update_id":5,"message":{"text":"old id"}}`))
	if got := getUpdates(t, srv, map[string]string{"offset": itoa(rawID + 1)}); !equalInts(got, []int{5}) {
		t.Fatalf("explicit old update_id %v", got)
	}

	srv.InjectRaw(json.RawMessage(`{broken`))
	resp, err := http.Get(srv.URL() + "/bot" + token + "/getUpdates?offset=" + itoa(rawID+1))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "[{broken]") {
		t.Fatalf("malformed update not served verbatim: %s", body)
	}
	if srv.PendingUpdates() != 0 {
		t.Fatalf("malformed update must be dropped after one delivery, pending %d", srv.PendingUpdates())
	}
}

func TestPressButtonOnDeletedMessage(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	sent := mustSend(t, srv, citizen.ID, "x", "reply_markup", inlineKeyboard([]map[string]any{{"text": "a", "callback_data": "a"}}))
	code, env := postForm(t, srv, "deleteMessage", map[string]string{"chat_id": "1001", "message_id": itoa(sent.MessageID)})
	wantOK(t, code, env)
	srv.PressButton(citizen, citizen.ID, sent.MessageID, "a")
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil || len(ups) != 1 || ups[0].CallbackQuery.Message.Date != 0 || ups[0].CallbackQuery.Message.Chat.ID != citizen.ID {
		t.Fatalf("inaccessible message %+v %v", ups, err)
	}
}

func TestPrivacyMode(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_bot", PrivacyMode: true})
	defer srv.Close()
	srv.AddGroup(groupID, "Officers")
	srv.SendText(officer, groupID, "obrolan biasa")
	if srv.PendingUpdates() != 0 {
		t.Fatal("plain group message reached a bot in privacy mode")
	}
	srv.SendText(officer, groupID, "/ambil 7")
	srv.SendText(officer, groupID, "tolong @Loket_Bot")
	m := mustSend(t, srv, groupID, "Tiket baru")
	srv.ReplyText(officer, groupID, m.MessageID, "saya ambil")
	srv.SendText(officer, officer.ID, "private is always seen")
	if n := srv.PendingUpdates(); n != 4 {
		t.Fatalf("pending %d, want 4", n)
	}
}

func TestDeliverWebhook(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token, AllowHTTPWebhook: true})
	defer srv.Close()
	var mu sync.Mutex
	var got []string
	fail := true
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if fail {
			fail = false
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
	}))
	defer hook.Close()
	if _, err := srv.DeliverWebhook(context.Background()); err == nil {
		t.Fatal("delivery without a webhook succeeded")
	}
	code, env := postForm(t, srv, "setWebhook", map[string]string{"url": hook.URL + "/tg", "secret_token": "tok"})
	wantOK(t, code, env)
	srv.SendText(citizen, citizen.ID, "satu")
	srv.SendText(citizen, citizen.ID, "dua")
	n, err := srv.DeliverWebhook(context.Background())
	if err == nil || n != 0 || srv.PendingUpdates() != 2 {
		t.Fatalf("failed delivery: n=%d err=%v pending=%d", n, err, srv.PendingUpdates())
	}
	code, env = postForm(t, srv, "getWebhookInfo", nil)
	wantOK(t, code, env)
	if !strings.Contains(string(env.Result), "500 Internal Server Error") {
		t.Fatalf("last error not reported: %s", env.Result)
	}
	n, err = srv.DeliverWebhook(context.Background())
	if err != nil || n != 2 || srv.PendingUpdates() != 0 {
		t.Fatalf("delivery: n=%d err=%v pending=%d", n, err, srv.PendingUpdates())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !strings.Contains(got[0], `"text":"satu"`) || !strings.Contains(got[1], `"text":"dua"`) {
		t.Fatalf("webhook got %v", got)
	}
}

func TestCloseEndsLongPolls(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := telegramtest.New(telegramtest.Options{Token: token})
	tr := &http.Transport{}
	client := &http.Client{Transport: tr}
	done := make(chan int, 1)
	go func() {
		resp, err := client.Post(srv.URL()+"/bot"+token+"/getUpdates?timeout=60", "", nil)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	waitUntil(t, srv.Polling)
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Fatalf("long poll ended with %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the long poll")
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung")
	}
	if _, err := srv.WaitFor(time.Minute, func(telegramtest.Sent) bool { return false }); err != telegramtest.ErrClosed {
		t.Fatalf("WaitFor after Close: %v", err)
	}
	tr.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
