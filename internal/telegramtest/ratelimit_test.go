package telegramtest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

func TestFailNext429DecodesRetryAfter(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	srv.FailNext("sendMessage", 1, http.StatusTooManyRequests, 1)
	_, err := bot.Send(tgbotapi.NewMessage(citizen.ID, "halo"))
	e := tgError(t, err)
	if e.Code != 429 || e.RetryAfter != 1 || e.Message != "Too Many Requests: retry after 1" {
		t.Fatalf("injected 429 decoded as %+v", e)
	}
	if len(srv.Rejected()) != 0 || len(srv.Violations()) != 0 || len(srv.All()) != 0 {
		t.Fatalf("an injected 429 is neither a rejection, a violation nor a send")
	}
	// Retrying at once breaks the retry_after.
	_, err = bot.Send(tgbotapi.NewMessage(citizen.ID, "halo"))
	if e := tgError(t, err); e.Code != 429 || e.RetryAfter != 1 {
		t.Fatalf("early retry got %+v", e)
	}
	v := srv.Violations()
	if len(v) != 1 || v[0].ChatID != citizen.ID || v[0].Method != "sendMessage" || v[0].Reason != "request made before retry_after expired" {
		t.Fatalf("violations %+v", v)
	}
	// Another chat is not blocked; waiting out retry_after works.
	if _, err := bot.Send(tgbotapi.NewMessage(groupID, "group")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := bot.Send(tgbotapi.NewMessage(citizen.ID, "halo")); err != nil {
		t.Fatal(err)
	}
	if len(srv.Violations()) != 1 {
		t.Fatalf("violations %+v", srv.Violations())
	}
}

func TestFailNextServerErrors(t *testing.T) {
	srv := newServer(t)
	srv.FailNext("SENDMESSAGE", 2, http.StatusInternalServerError, 0)
	srv.FailNext("sendMessage", 1, http.StatusBadGateway, 0)
	for _, want := range []struct {
		code int
		desc string
	}{{500, "Internal Server Error"}, {500, "Internal Server Error"}, {502, "Bad Gateway"}} {
		code, env := send(t, srv, citizen.ID, "x")
		wantError(t, code, env, want.code, want.desc)
	}
	mustSend(t, srv, citizen.ID, "x")
	srv.FailNext("getUpdates", 1, http.StatusTooManyRequests, 2)
	code, env := postForm(t, srv, "getUpdates", nil)
	if code != 429 || env.Parameters == nil || env.Parameters.RetryAfter != 2 {
		t.Fatalf("getUpdates 429: %d %+v", code, env)
	}
	code, _ = postForm(t, srv, "getUpdates", nil)
	if code != 429 || len(srv.Violations()) != 1 {
		t.Fatalf("early getUpdates: %d %+v", code, srv.Violations())
	}
	if len(srv.Rejected()) != 0 {
		t.Fatalf("rejections %+v", srv.Rejected())
	}
}

func TestSetDown(t *testing.T) {
	srv := newServer(t)
	srv.SetDown(200 * time.Millisecond)
	code, env := postForm(t, srv, "getMe", nil)
	wantError(t, code, env, 502, "Bad Gateway")
	time.Sleep(250 * time.Millisecond)
	code, env = postForm(t, srv, "getMe", nil)
	wantOK(t, code, env)
}

func TestRateLimitsOffByDefault(t *testing.T) {
	srv := newServer(t)
	for range 10 {
		mustSend(t, srv, citizen.ID, "cepat")
	}
	if len(srv.Violations()) != 0 {
		t.Fatal(srv.Violations())
	}
}

func TestRateLimitPrivateChat(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	srv.SetRateLimits(true)
	for range 3 {
		mustSend(t, srv, citizen.ID, "burst")
	}
	_, err := bot.Send(tgbotapi.NewMessage(citizen.ID, "one too many"))
	if e := tgError(t, err); e.Code != 429 || e.RetryAfter != 1 {
		t.Fatalf("4th message: %+v", e)
	}
	v := srv.Violations()
	if len(v) != 1 || v[0].Reason != "per-chat flood limit exceeded" || v[0].RetryAfter != 1 {
		t.Fatalf("violations %+v", v)
	}
	mustSend(t, srv, groupID, "other chats are not limited")
	code, _ := send(t, srv, citizen.ID, "impatient")
	if code != 429 || len(srv.Violations()) != 2 {
		t.Fatalf("early retry: %d %+v", code, srv.Violations())
	}
	time.Sleep(1100 * time.Millisecond)
	mustSend(t, srv, citizen.ID, "patient")
	if len(srv.Violations()) != 2 {
		t.Fatal(srv.Violations())
	}
	if len(srv.Rejected()) != 0 {
		t.Fatalf("flood answers are not rejections: %+v", srv.Rejected())
	}
}

func TestRateLimitGroup(t *testing.T) {
	srv := newServer(t)
	srv.SetRateLimits(true)
	for range 20 {
		mustSend(t, srv, groupID, "pengumuman")
	}
	code, env := send(t, srv, groupID, "21st")
	if code != 429 || env.Parameters == nil || env.Parameters.RetryAfter != 3 {
		t.Fatalf("21st group message: %d %+v", code, env)
	}
}

func TestRateLimitGlobal(t *testing.T) {
	srv := newServer(t)
	srv.SetRateLimits(true)
	const n = 80
	for i := range n {
		srv.AddPrivateChat(telegramtest.User{ID: int64(5000 + i), FirstName: "W"})
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Go(func() {
			resp, err := http.PostForm(srv.URL()+"/bot"+token+"/sendMessage",
				url.Values{"chat_id": {strconv.Itoa(5000 + i)}, "text": {"broadcast"}})
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	global := 0
	for _, v := range srv.Violations() {
		if v.Reason == "global flood limit exceeded" {
			global++
		}
	}
	accepted := len(srv.All())
	if limit := 30 + int(30*elapsed) + 1; global == 0 || accepted > limit || accepted+len(srv.Violations()) != n {
		t.Fatalf("%d sends accepted in %.2fs (limit %d), %d global violations", accepted, elapsed, limit, global)
	}
}
