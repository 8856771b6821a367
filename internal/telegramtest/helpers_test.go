package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

const token = "123:ABC"

var (
	citizen = telegramtest.User{ID: 1001, FirstName: "Ani", Username: "ani", LanguageCode: "id"}
	officer = telegramtest.User{ID: 2002, FirstName: "Budi", LastName: "Santoso"}
)

const groupID int64 = -4001

// newServer starts a server with a registered citizen chat and officer group.
func newServer(t *testing.T) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_bot"})
	t.Cleanup(srv.Close)
	srv.AddPrivateChat(citizen)
	srv.AddGroup(groupID, "Officers")
	return srv
}

// newBot connects go-telegram-bot-api's real client to srv.
func newBot(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(token, srv.URL()+"/bot%s/%s", &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return bot
}

// envelope is the Bot API answer.
type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func decode(t *testing.T, resp *http.Response) (int, envelope) {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, body)
	}
	if env.OK == (resp.StatusCode != http.StatusOK) {
		t.Fatalf("status %d with ok=%v", resp.StatusCode, env.OK)
	}
	if !env.OK && env.ErrorCode != resp.StatusCode {
		t.Fatalf("error_code %d != status %d", env.ErrorCode, resp.StatusCode)
	}
	return resp.StatusCode, env
}

// postForm calls a method the way go-telegram-bot-api does.
func postForm(t *testing.T, srv *telegramtest.Server, method string, p map[string]string) (int, envelope) {
	t.Helper()
	v := url.Values{}
	for k, x := range p {
		v.Set(k, x)
	}
	resp, err := http.PostForm(srv.URL()+"/bot"+token+"/"+method, v)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

// postJSON calls a method with a JSON body.
func postJSON(t *testing.T, srv *telegramtest.Server, method string, body any) (int, envelope) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL()+"/bot"+token+"/"+method, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

// send sends a text message with optional extra parameters.
func send(t *testing.T, srv *telegramtest.Server, chatID int64, text string, extra ...string) (int, envelope) {
	t.Helper()
	p := map[string]string{"chat_id": strconv.FormatInt(chatID, 10), "text": text}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	return postForm(t, srv, "sendMessage", p)
}

func wantError(t *testing.T, code int, env envelope, wantCode int, wantDesc string) {
	t.Helper()
	if code != wantCode || env.Description != wantDesc {
		t.Fatalf("got %d %q, want %d %q", code, env.Description, wantCode, wantDesc)
	}
}

func wantOK(t *testing.T, code int, env envelope) {
	t.Helper()
	if code != http.StatusOK || !env.OK {
		t.Fatalf("got %d %q, want ok", code, env.Description)
	}
}

func tgError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func inlineKeyboard(rows ...[]map[string]any) string {
	b, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
	return string(b)
}

// mustSend sends a text message that must be accepted and returns the
// resulting Message.
func mustSend(t *testing.T, srv *telegramtest.Server, chatID int64, text string, extra ...string) telegramtest.Message {
	t.Helper()
	code, env := send(t, srv, chatID, text, extra...)
	wantOK(t, code, env)
	var m telegramtest.Message
	if err := json.Unmarshal(env.Result, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func httpPostForm(u string, p map[string]string) (*http.Response, error) {
	v := url.Values{}
	for k, x := range p {
		v.Set(k, x)
	}
	return http.PostForm(u, v)
}
