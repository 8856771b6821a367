package telegramtest_test

import (
	"html"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

// TestEndToEndWithUpdatesChan runs a tiny bot on go-telegram-bot-api's own
// polling loop against the server, the way Loket's end-to-end tests will.
func TestEndToEndWithUpdatesChan(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 1
	updates := bot.GetUpdatesChan(cfg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for up := range updates {
			switch {
			case up.Message != nil:
				reply := tgbotapi.NewMessage(up.Message.Chat.ID, "Echo: <i>"+html.EscapeString(up.Message.Text)+"</i>")
				reply.ParseMode = tgbotapi.ModeHTML
				reply.ReplyToMessageID = up.Message.MessageID
				reply.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
					tgbotapi.NewInlineKeyboardButtonData("OK", "ack")))
				_, _ = bot.Send(reply)
			case up.CallbackQuery != nil:
				q := up.CallbackQuery
				_, _ = bot.Request(tgbotapi.NewCallback(q.ID, "Siap"))
				_, _ = bot.Send(tgbotapi.NewEditMessageText(q.Message.Chat.ID, q.Message.MessageID, "Selesai"))
			}
		}
	}()

	mark := srv.SentCount()
	srv.SendText(citizen, citizen.ID, `a < b & "c" 'd'`)
	echo, err := srv.WaitFor(5*time.Second, func(s telegramtest.Sent) bool {
		return s.Seq > mark && s.ChatID == citizen.ID && s.Method == "sendMessage"
	})
	if err != nil {
		t.Fatal(err)
	}
	if echo.Text != `Echo: a < b & "c" 'd'` || echo.ReplyTo == 0 || len(echo.Keyboard) != 1 {
		t.Fatalf("echo %+v", echo)
	}
	srv.PressButton(citizen, citizen.ID, echo.MessageID, "ack")
	msgs, err := srv.WaitCount(citizen.ID, 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[1].Method != "editMessageText" || msgs[1].Text != "Selesai" || msgs[1].Keyboard != nil {
		t.Fatalf("edit %+v", msgs[1])
	}
	if a := srv.CallbackAnswers(); len(a) != 1 || a[0].Text != "Siap" {
		t.Fatalf("answers %+v", a)
	}
	if len(srv.Rejected()) != 0 || len(srv.Violations()) != 0 || len(srv.UnansweredCallbacks()) != 0 {
		t.Fatalf("rejected %+v violations %+v", srv.Rejected(), srv.Violations())
	}

	bot.StopReceivingUpdates()
	srv.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the polling loop did not stop")
	}
}

func TestWaitHelpers(t *testing.T) {
	srv := newServer(t)
	go func() {
		time.Sleep(100 * time.Millisecond)
		mustSendNoT(srv, "satu")
		mustSendNoT(srv, "dua")
	}()
	got, err := srv.WaitFor(5*time.Second, func(s telegramtest.Sent) bool { return s.Text == "dua" })
	if err != nil || got.Seq != 2 {
		t.Fatalf("WaitFor: %+v %v", got, err)
	}
	// Already recorded sends match at once.
	if _, err := srv.WaitFor(time.Millisecond, func(s telegramtest.Sent) bool { return s.Text == "satu" }); err != nil {
		t.Fatal(err)
	}
	if msgs, err := srv.WaitCount(citizen.ID, 2, time.Second); err != nil || len(msgs) != 2 {
		t.Fatalf("WaitCount: %v %v", msgs, err)
	}
	_, err = srv.WaitFor(50*time.Millisecond, func(s telegramtest.Sent) bool { return s.Text == "tiga" })
	if err == nil || !strings.Contains(err.Error(), `"dua"`) {
		t.Fatalf("timeout error should list the last sends: %v", err)
	}
	if _, err := srv.WaitCount(citizen.ID, 3, 50*time.Millisecond); err == nil {
		t.Fatal("WaitCount did not time out")
	}
}

// mustSendNoT sends from a goroutine, where t.Fatal is not allowed.
func mustSendNoT(srv *telegramtest.Server, text string) {
	resp, err := httpPostForm(srv.URL()+"/bot"+token+"/sendMessage", map[string]string{"chat_id": "1001", "text": text})
	if err == nil {
		resp.Body.Close()
	}
}
