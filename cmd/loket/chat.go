package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"
	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// The terminal citizen and the staff group its tickets go to when none is configured.
const (
	terminalUserID    = 1
	terminalStaffChat = -1
)

func runChat(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lang := fs.String("lang", "id", "the citizen's Telegram language: id or en")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	return chatAs(ctx, e, cfg, db, *lang, false)
}

// chat runs the terminal chat in Indonesian, with the web console beside it.
func chat(ctx context.Context, e env, cfg config.Config, db *sqlx.DB) error {
	return chatAs(ctx, e, cfg, db, "id", true)
}

// chatAs lets a person chat with Loket in the terminal as a citizen, through the same
// engine, outbox and sender as Telegram; only the Bot API is replaced by the terminal.
func chatAs(ctx context.Context, e env, cfg config.Config, db *sqlx.DB, lang string, withConsole bool) error {
	content, err := knowledge.NewStore(db).Content(ctx)
	if err != nil {
		return err
	}
	ix, err := knowledge.NewIndex(content.FAQs, content.Synonyms...)
	if err != nil {
		return err
	}
	staff := cfg.StaffChatID
	if staff == 0 {
		staff = terminalStaffChat
	}
	cal, err := tickets.NewStore(db).Calendar(ctx, cfg.Location, cfg.OfficeHours)
	if err != nil {
		return err
	}
	quiet := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	term := &terminalAPI{w: e.stdout, citizen: terminalUserID, staff: staff}
	unlimited := bot.Limits{Global: rate.Inf, PerChat: rate.Inf, PerGroup: rate.Inf}
	sender := bot.NewSender(db, term, unlimited, quiet)
	set := botSettings(cfg, cal)
	set.StaffChatID = staff
	set.AutoCloseDays, set.RetentionDays = 0, 0 // the terminal chat runs no background jobs
	engine := bot.NewEngine(db, ix, tickets.NewStore(db), set, quiet, nil)
	user := &tgbotapi.User{ID: terminalUserID, FirstName: "Warga", LastName: "Terminal", LanguageCode: lang}
	chat := &tgbotapi.Chat{ID: terminalUserID, Type: "private"}

	fmt.Fprintln(e.stdout, "Loket — obrolan terminal sebagai warga. Tulis pertanyaan lalu Enter; ketik nomor untuk menekan tombol; /keluar untuk berhenti.")
	fmt.Fprintln(e.stdout, "Pesan ke grup petugas ditampilkan dengan tanda │.")
	var flushMu sync.Mutex // the console's actions are delivered from another goroutine
	flush := func(ctx context.Context) error {
		flushMu.Lock()
		defer flushMu.Unlock()
		return sender.Flush(ctx)
	}
	say := func(upd tgbotapi.Update) error {
		if err := engine.Handle(ctx, upd); err != nil {
			return err
		}
		return flush(ctx)
	}
	if withConsole {
		defer chatConsole(ctx, e, cfg, db, ix, engine, flush, quiet)()
	}
	nextMsg := 1
	message := func(text string) tgbotapi.Update {
		nextMsg++
		m := &tgbotapi.Message{MessageID: nextMsg, From: user, Chat: chat, Text: text}
		return tgbotapi.Update{Message: m}
	}
	if err := say(message("/start")); err != nil {
		return err
	}
	sc := bufio.NewScanner(e.stdin)
	for {
		fmt.Fprint(e.stdout, "\n> ")
		if !sc.Scan() {
			fmt.Fprintln(e.stdout)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch line {
		case "":
			continue
		case "/keluar", "/exit", "/quit":
			return nil
		}
		upd := message(line)
		if n, err := strconv.Atoi(line); err == nil {
			if c, ok := term.choice(n); ok {
				upd = tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
					ID: "terminal-" + strconv.Itoa(n), From: user, Data: c.data,
					Message: &tgbotapi.Message{MessageID: c.messageID, Chat: chat},
				}}
			}
		}
		if err := say(upd); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// terminalAPI plays the Bot API for the terminal chat: it prints what the bot sends and
// keeps the last message's buttons as numbered choices.
type terminalAPI struct {
	mu      sync.Mutex
	w       io.Writer
	citizen int64
	staff   int64
	lastID  int
	choices []termChoice
}

type termChoice struct {
	text, data string
	messageID  int
}

func (t *terminalAPI) choice(n int) (termChoice, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n < 1 || n > len(t.choices) {
		return termChoice{}, false
	}
	return t.choices[n-1], true
}

func (t *terminalAPI) MakeRequest(method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ok := &tgbotapi.APIResponse{Ok: true, Result: json.RawMessage("true")}
	switch method {
	case "sendMessage":
		t.lastID++
		text := tghtml.PlainText(p["text"])
		if chat, _ := strconv.ParseInt(p["chat_id"], 10, 64); chat == t.staff {
			fmt.Fprintf(t.w, "\n│ [grup petugas]\n│ %s\n", strings.ReplaceAll(text, "\n", "\n│ "))
		} else {
			fmt.Fprintf(t.w, "\n%s\n", text)
			if kb := p["reply_markup"]; kb != "" {
				t.setChoices(kb, t.lastID)
			}
		}
		ok.Result = json.RawMessage(fmt.Sprintf(`{"message_id":%d}`, t.lastID))
	case "editMessageReplyMarkup":
		id, _ := strconv.Atoi(p["message_id"])
		if len(t.choices) > 0 && t.choices[0].messageID == id {
			t.setChoices(p["reply_markup"], id)
		}
	case "answerCallbackQuery":
		if p["text"] != "" {
			fmt.Fprintf(t.w, "(%s)\n", p["text"])
		}
	}
	return ok, nil
}

// setChoices replaces the numbered choices with a message's inline keyboard.
func (t *terminalAPI) setChoices(markup string, messageID int) {
	var kb struct {
		Rows [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal([]byte(markup), &kb)
	t.choices = nil
	for _, row := range kb.Rows {
		for _, b := range row {
			t.choices = append(t.choices, termChoice{text: b.Text, data: b.Data, messageID: messageID})
			fmt.Fprintf(t.w, "  [%d] %s\n", len(t.choices), b.Text)
		}
	}
}
