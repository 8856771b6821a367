package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a [Server]. The zero value is usable.
type Options struct {
	// Token is the only bot token accepted; default "123456:TEST". The bot's
	// user id is the number before the colon.
	Token string
	// BotUsername is the bot's username without '@'; default "test_bot".
	BotUsername string
	// BotFirstName is the bot's first name; default "Test Bot".
	BotFirstName string
	// PrivacyMode, like Telegram's default for bots that are not group
	// admins, keeps group messages from the bot unless they are commands,
	// replies to the bot or mention it. Off by default (the bot sees all).
	PrivacyMode bool
	// AllowHTTPWebhook lets setWebhook accept http:// URLs on any port, so a
	// webhook can point at a local test server. Telegram requires HTTPS on
	// port 443, 80, 88 or 8443.
	AllowHTTPWebhook bool
}

// Server is a fake Telegram Bot API server. Create it with [New] and stop it
// with [Server.Close].
type Server struct {
	opts      Options
	bot       User
	ts        *httptest.Server
	done      chan struct{}
	closeOnce sync.Once
	hooks     *http.Client

	mu       sync.Mutex
	chats    map[int64]*chatState
	upd      updateState
	webhook  webhookState
	nextCBQ  int64
	queries  map[string]*callbackQuery
	answers  []CallbackAnswer
	commands map[CommandsKey][]BotCommand
	files    map[string]bool       // file ids the server issued
	fileData map[string]*fileState // set with SetFile or ExpireFile (files.go)

	sent       []Sent
	sentCh     chan struct{}
	rejected   []Rejection
	violations []Violation

	flood  floodState
	outage outageState // outage.go
}

// New starts a server on a loopback port.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "123456:TEST"
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "test_bot"
	}
	if opts.BotFirstName == "" {
		opts.BotFirstName = "Test Bot"
	}
	id, err := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	if err != nil || id <= 0 {
		id = 1
	}
	s := &Server{
		opts:     opts,
		bot:      User{ID: id, IsBot: true, FirstName: opts.BotFirstName, Username: opts.BotUsername},
		done:     make(chan struct{}),
		hooks:    &http.Client{Timeout: 30 * time.Second},
		chats:    map[int64]*chatState{},
		queries:  map[string]*callbackQuery{},
		commands: map[CommandsKey][]BotCommand{},
		files:    map[string]bool{},
		sentCh:   make(chan struct{}),
	}
	s.upd.init()
	s.flood.init()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL returns the base URL, e.g. "http://127.0.0.1:40123". Requests go to
// URL()+"/bot"+token+"/"+method; for go-telegram-bot-api use the endpoint
// URL()+"/bot%s/%s".
func (s *Server) URL() string { return s.ts.URL }

// Token returns the accepted bot token.
func (s *Server) Token() string { return s.opts.Token }

// Bot returns the bot's own user, as getMe reports it.
func (s *Server) Bot() User { return s.bot }

// Close ends pending long polls and waits, and shuts the HTTP server down.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.ts.Close()
		s.hooks.CloseIdleConnections()
	})
}

// apiError is an error answer of the Bot API.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	injected   bool // a fault injected by the test, never a rejection
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func tooMany(retryAfter int) *apiError {
	return &apiError{code: http.StatusTooManyRequests, retryAfter: retryAfter,
		desc: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)}
}

// result is a successful answer with an optional description.
type result struct {
	value any
	desc  string
}

// call is one API request being served.
type call struct {
	ctx    context.Context
	method string // canonical name
	p      params
	files  map[string]string // multipart field -> file name
	now    time.Time
}

type handler func(s *Server, c *call) (any, *apiError)

type methodSpec struct {
	name string
	fn   handler
	// flood marks methods that send messages and so count towards the
	// flood limits.
	flood bool
}

var methods = map[string]methodSpec{}

func register(name string, fn handler, flood bool) {
	methods[strings.ToLower(name)] = methodSpec{name: name, fn: fn, flood: flood}
}

func init() {
	register("getMe", (*Server).getMe, false)
	register("getUpdates", (*Server).getUpdates, false)
	register("setWebhook", (*Server).setWebhook, false)
	register("deleteWebhook", (*Server).deleteWebhook, false)
	register("getWebhookInfo", (*Server).getWebhookInfo, false)
	register("sendMessage", (*Server).sendMessage, true)
	register("sendPhoto", (*Server).sendPhoto, true)
	register("sendDocument", (*Server).sendDocument, true)
	register("copyMessage", (*Server).copyMessage, true)
	register("editMessageText", (*Server).editMessageText, false)
	register("editMessageReplyMarkup", (*Server).editMessageReplyMarkup, false)
	register("deleteMessage", (*Server).deleteMessage, false)
	register("answerCallbackQuery", (*Server).answerCallbackQuery, false)
	register("setMyCommands", (*Server).setMyCommands, false)
	register("getMyCommands", (*Server).getMyCommands, false)
	register("deleteMyCommands", (*Server).deleteMyCommands, false)
	register("sendChatAction", (*Server).sendChatAction, false)
	register("createForumTopic", (*Server).createForumTopic, false)
	register("getChat", (*Server).getChat, false)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	if s.refuseInOutage(w, r, now) {
		return
	}
	if strings.HasPrefix(r.URL.Path, "/file/") {
		s.serveFile(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, name, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		s.reply(w, &call{now: now}, nil, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	c := &call{ctx: r.Context(), method: name, now: now}
	p, files, perr := parseRequest(r)
	c.p, c.files = p, files
	if token != s.opts.Token {
		s.reply(w, c, nil, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	spec, known := methods[strings.ToLower(name)]
	if known {
		c.method = spec.name
	}
	if err := s.downError(now); err != nil {
		s.reply(w, c, nil, err)
		return
	}
	if !known {
		s.reply(w, c, nil, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	if perr != nil {
		s.reply(w, c, nil, perr)
		return
	}
	if err := s.admit(c, spec); err != nil {
		s.reply(w, c, nil, err)
		return
	}
	res, err := spec.fn(s, c)
	s.reply(w, c, res, err)
}

// reply writes the Bot API envelope and records rejections.
func (s *Server) reply(w http.ResponseWriter, c *call, res any, e *apiError) {
	if e == errStalled {
		s.stall(w, c.ctx) // a long poll caught by a stalling outage: no answer
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if raw, ok := res.(rawJSON); ok && e == nil {
		_, _ = w.Write(append(append([]byte(`{"ok":true,"result":`), raw...), "}\n"...))
		return
	}
	body := map[string]any{"ok": e == nil}
	status := http.StatusOK
	if e != nil {
		status = e.code
		body["error_code"] = e.code
		body["description"] = e.desc
		if e.retryAfter > 0 {
			body["parameters"] = map[string]int{"retry_after": e.retryAfter}
		}
		if e.code >= 400 && e.code < 500 && e.code != http.StatusTooManyRequests && !e.injected {
			s.mu.Lock()
			s.rejected = append(s.rejected, Rejection{Method: c.method, Params: maps.Clone(c.p),
				Code: e.code, Description: e.desc, Time: c.now})
			s.mu.Unlock()
		}
	} else {
		switch v := res.(type) {
		case result:
			body["result"] = v.value
			if v.desc != "" {
				body["description"] = v.desc
			}
		default:
			body["result"] = v
		}
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) getMe(c *call) (any, *apiError) {
	u := struct {
		User
		CanJoinGroups           bool `json:"can_join_groups"`
		CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
		SupportsInlineQueries   bool `json:"supports_inline_queries"`
	}{User: s.bot, CanJoinGroups: true, CanReadAllGroupMessages: !s.opts.PrivacyMode}
	return u, nil
}

// Rejected returns every request Telegram would have rejected, in order.
func (s *Server) Rejected() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Rejection(nil), s.rejected...)
}

// Violations returns every flood-rule breach, in order. A well-behaved bot
// leaves it empty.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}
