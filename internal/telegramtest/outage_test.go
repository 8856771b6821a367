package telegramtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

// call makes one Bot API call with client and reports the HTTP status, or the error
// when no answer came.
func call(client *http.Client, srv *telegramtest.Server, method string, p map[string]string) (int, error) {
	resp, err := postFormWith(client, srv.URL()+"/bot"+token+"/"+method, p)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

func TestOutageBadGatewayFailsEveryMethod(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	before := len(srv.All())
	srv.Outage(400*time.Millisecond, telegramtest.OutageBadGateway)
	for _, method := range []string{"getMe", "getUpdates", "sendMessage", "answerCallbackQuery", "editMessageText"} {
		code, env := postForm(t, srv, method, map[string]string{"chat_id": itoa(int(citizen.ID)), "text": "halo"})
		wantError(t, code, env, http.StatusBadGateway, "Bad Gateway")
	}
	// The Bot API client sees Telegram's error, not a garbled answer.
	_, err := bot.Send(tgbotapi.NewMessage(citizen.ID, "halo"))
	if e := tgError(t, err); e.Code != http.StatusBadGateway || e.Message != "Bad Gateway" {
		t.Fatalf("client error %+v", e)
	}
	if n := len(srv.All()); n != before {
		t.Fatalf("%d messages sent during the outage", n-before)
	}
	calls := srv.OutageCalls()
	if calls["sendMessage"] != 2 || calls["getUpdates"] != 1 || calls["getMe"] != 1 {
		t.Fatalf("outage calls %v", calls)
	}
	time.Sleep(450 * time.Millisecond)
	mustSend(t, srv, citizen.ID, "sudah pulih")
	code, env := postForm(t, srv, "getMe", nil)
	wantOK(t, code, env)
	if len(srv.Rejected()) != 0 || len(srv.Violations()) != 0 {
		t.Fatalf("injected failures recorded as rejections %+v or violations %+v", srv.Rejected(), srv.Violations())
	}
}

// A long poll waiting when the outage begins fails at once; updates that arrive during
// the outage are delivered once it is over.
func TestOutageFailsWaitingLongPoll(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
		errc <- err
	}()
	waitUntil(t, srv.Polling)
	start := time.Now()
	srv.Outage(time.Second, telegramtest.OutageBadGateway)
	select {
	case err := <-errc:
		if e := tgError(t, err); e.Code != http.StatusBadGateway || time.Since(start) > 500*time.Millisecond {
			t.Fatalf("waiting poll got %+v after %v", e, time.Since(start))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting poll went on during the outage")
	}
	if srv.Polling() {
		t.Fatal("Polling reports the failed poll")
	}
	srv.SendText(citizen, citizen.ID, "saat gangguan")
	code, env := postForm(t, srv, "getUpdates", nil)
	wantError(t, code, env, http.StatusBadGateway, "Bad Gateway")
	waitUntil(t, func() bool { return time.Since(start) > time.Second })
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].Message == nil || ups[0].Message.Text != "saat gangguan" {
		t.Fatalf("after the outage: %+v, %v", ups, err)
	}
}

// A stalled request gets no answer: it is dropped when the outage ends (or earlier
// when the client gives up), and has no effect, so it can be made again.
func TestOutageStallHoldsThenDrops(t *testing.T) {
	srv := newServer(t)
	m := mustSend(t, srv, citizen.ID, "pesan awal")
	qid := srv.PressButton(citizen, citizen.ID, m.MessageID, "x")
	before := len(srv.All())
	const window = 600 * time.Millisecond
	start := time.Now()
	srv.Outage(window, telegramtest.OutageStall)

	patient := &http.Client{Timeout: 10 * time.Second}
	impatient := &http.Client{Timeout: 150 * time.Millisecond}
	var wg sync.WaitGroup
	var patientErr, cbErr error
	var patientTook time.Duration
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, patientErr = call(patient, srv, "sendMessage", map[string]string{"chat_id": itoa(int(citizen.ID)), "text": "tertahan"})
		patientTook = time.Since(start)
	}()
	go func() {
		defer wg.Done()
		_, cbErr = call(patient, srv, "answerCallbackQuery", map[string]string{"callback_query_id": qid, "text": "ok"})
	}()
	t0 := time.Now()
	_, err := call(impatient, srv, "sendMessage", map[string]string{"chat_id": itoa(int(citizen.ID)), "text": "tidak sabar"})
	if err == nil || time.Since(t0) > window/2 {
		t.Fatalf("impatient client: err %v after %v; want its own timeout", err, time.Since(t0))
	}
	wg.Wait()
	if patientErr == nil || cbErr == nil {
		t.Fatalf("stalled requests were answered: %v, %v", patientErr, cbErr)
	}
	if patientTook < window-50*time.Millisecond || patientTook > window+2*time.Second {
		t.Fatalf("stalled request dropped after %v, want about %v", patientTook, window)
	}
	if n := len(srv.All()); n != before {
		t.Fatalf("stalled requests had an effect: %d sends recorded", n-before)
	}
	if len(srv.CallbackAnswers()) != 0 {
		t.Fatalf("stalled answerCallbackQuery was recorded: %+v", srv.CallbackAnswers())
	}
	if calls := srv.OutageCalls(); calls["sendMessage"] != 2 || calls["answerCallbackQuery"] != 1 {
		t.Fatalf("outage calls %v", calls)
	}
	// Made again after the outage, both calls work (the query was not used up).
	mustSend(t, srv, citizen.ID, "tertahan")
	code, env := postForm(t, srv, "answerCallbackQuery", map[string]string{"callback_query_id": qid, "text": "ok"})
	wantOK(t, code, env)
	if len(srv.Rejected()) != 0 {
		t.Fatalf("rejections %+v", srv.Rejected())
	}
}

// A long poll waiting when a stalling outage begins gets no answer; the update queued
// meanwhile is delivered afterwards.
func TestOutageStallsWaitingLongPoll(t *testing.T) {
	srv := newServer(t)
	errc := make(chan error, 1)
	go func() {
		_, err := call(&http.Client{Timeout: 10 * time.Second}, srv, "getUpdates", map[string]string{"timeout": "10"})
		errc <- err
	}()
	waitUntil(t, srv.Polling)
	srv.Outage(400*time.Millisecond, telegramtest.OutageStall)
	srv.SendText(citizen, citizen.ID, "saat gangguan")
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("the waiting poll was answered during a stalling outage")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting poll was not dropped when the outage ended")
	}
	if got := getUpdates(t, srv, nil); len(got) != 1 {
		t.Fatalf("after the outage got updates %v, want the one sent meanwhile", got)
	}
}

// A new call replaces the outage: ending it early releases what it stalls.
func TestOutageEndsEarly(t *testing.T) {
	srv := newServer(t)
	srv.Outage(time.Hour, telegramtest.OutageStall)
	errc := make(chan error, 1)
	go func() {
		_, err := call(&http.Client{Timeout: 10 * time.Second}, srv, "getMe", nil)
		errc <- err
	}()
	waitUntil(t, func() bool { return srv.OutageCalls()["getMe"] == 1 })
	srv.Outage(time.Hour, telegramtest.OutageBadGateway)
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("the stalled request was answered")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a stalled request outlived its outage")
	}
	code, env := postForm(t, srv, "getMe", nil)
	wantError(t, code, env, http.StatusBadGateway, "Bad Gateway")
	srv.Outage(0, 0)
	code, env = postForm(t, srv, "getMe", nil)
	wantOK(t, code, env)
}

// No webhook call is made during an outage; queued updates follow it.
func TestOutagePausesWebhook(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: token, AllowHTTPWebhook: true})
	defer srv.Close()
	var got atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
	defer hook.Close()
	code, env := postForm(t, srv, "setWebhook", map[string]string{"url": hook.URL + "/tg"})
	wantOK(t, code, env)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.PumpWebhook(ctx, 4)
	srv.Outage(500*time.Millisecond, telegramtest.OutageBadGateway)
	srv.SendText(citizen, citizen.ID, "saat gangguan")
	time.Sleep(300 * time.Millisecond)
	if got.Load() != 0 {
		t.Fatal("an update was posted to the webhook during the outage")
	}
	waitUntil(t, func() bool { return got.Load() == 1 })
}

func postFormWith(client *http.Client, u string, p map[string]string) (*http.Response, error) {
	form := url.Values{}
	for k, v := range p {
		form.Set(k, v)
	}
	return client.PostForm(u, form)
}
