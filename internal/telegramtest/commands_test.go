package telegramtest_test

import (
	"encoding/json"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

func TestCommands(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	cmds := []tgbotapi.BotCommand{{Command: "start", Description: "Mulai"}, {Command: "lapor", Description: "Buat laporan"}}
	if _, err := bot.Request(tgbotapi.NewSetMyCommands(cmds...)); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "en",
		tgbotapi.BotCommand{Command: "start", Description: "Start"})); err != nil {
		t.Fatal(err)
	}
	got := srv.Commands()
	if d := got[telegramtest.CommandsKey{Scope: "default"}]; len(d) != 2 || d[1].Command != "lapor" {
		t.Fatalf("default commands %+v", got)
	}
	if en := got[telegramtest.CommandsKey{Scope: "all_private_chats", LanguageCode: "en"}]; len(en) != 1 || en[0].Description != "Start" {
		t.Fatalf("scoped commands %+v", got)
	}
	back, err := bot.GetMyCommands()
	if err != nil || len(back) != 2 {
		t.Fatalf("getMyCommands %+v %v", back, err)
	}
	bad := []struct {
		cmd  tgbotapi.BotCommand
		want string
	}{
		{tgbotapi.BotCommand{Command: "Start", Description: "x"}, "Bad Request: BOT_COMMAND_INVALID"},
		{tgbotapi.BotCommand{Command: "/start", Description: "x"}, "Bad Request: BOT_COMMAND_INVALID"},
		{tgbotapi.BotCommand{Command: strings.Repeat("a", 33), Description: "x"}, "Bad Request: BOT_COMMAND_INVALID"},
		{tgbotapi.BotCommand{Command: "a", Description: ""}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
		{tgbotapi.BotCommand{Command: "a", Description: strings.Repeat("d", 257)}, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"},
	}
	for _, b := range bad {
		_, err := bot.Request(tgbotapi.NewSetMyCommands(b.cmd))
		if e := tgError(t, err); e.Message != b.want {
			t.Errorf("%+v: got %q want %q", b.cmd, e.Message, b.want)
		}
	}
	many := make([]tgbotapi.BotCommand, 101)
	for i := range many {
		many[i] = tgbotapi.BotCommand{Command: "c" + itoa(i), Description: "d"}
	}
	_, err = bot.Request(tgbotapi.NewSetMyCommands(many...))
	if e := tgError(t, err); e.Message != "Bad Request: too many commands specified" {
		t.Fatalf("101 commands: %+v", e)
	}
	code, env := postForm(t, srv, "setMyCommands", nil)
	wantError(t, code, env, 400, `Bad Request: parameter "commands" is required`)
}

func TestChatActionsTopicsAndGetChat(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	if _, err := bot.Request(tgbotapi.NewChatAction(citizen.ID, tgbotapi.ChatTyping)); err != nil {
		t.Fatal(err)
	}
	code, env := postForm(t, srv, "sendChatAction", map[string]string{"chat_id": "1001", "action": "dancing"})
	wantError(t, code, env, 400, "Bad Request: wrong parameter action in request")

	code, env = postForm(t, srv, "createForumTopic", map[string]string{"chat_id": "-4001", "name": "Tiket 1"})
	wantError(t, code, env, 400, "Bad Request: the chat is not a forum")
	const forum int64 = -1001234567890
	srv.AddForum(forum, "Loket Officers")
	code, env = postForm(t, srv, "createForumTopic", map[string]string{"chat_id": "-1001234567890", "name": "Tiket #9"})
	wantOK(t, code, env)
	var topic telegramtest.ForumTopic
	if err := json.Unmarshal(env.Result, &topic); err != nil || topic.MessageThreadID == 0 || topic.Name != "Tiket #9" {
		t.Fatalf("topic %+v %v", topic, err)
	}
	m := mustSend(t, srv, forum, "detail", "message_thread_id", itoa(topic.MessageThreadID))
	if m.MessageThreadID != topic.MessageThreadID || !m.IsTopicMessage || m.MessageID <= topic.MessageThreadID {
		t.Fatalf("topic message %+v", m)
	}
	code, env = send(t, srv, forum, "x", "message_thread_id", "999")
	wantError(t, code, env, 400, "Bad Request: message thread not found")

	code, env = postForm(t, srv, "getChat", map[string]string{"chat_id": "-1001234567890"})
	wantOK(t, code, env)
	var chat telegramtest.Chat
	if err := json.Unmarshal(env.Result, &chat); err != nil || chat.Type != "supergroup" || !chat.IsForum {
		t.Fatalf("chat %+v %v", chat, err)
	}
}
