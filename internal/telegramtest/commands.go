package telegramtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

const maxCallbackAnswer = 200

// callbackQuery is a button press the server issued.
type callbackQuery struct {
	chatID    int64
	messageID int
	data      string
	answered  bool
}

func (s *Server) answerCallbackQuery(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := c.p.str("callback_query_id")
	q, ok := s.queries[id]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := c.p.str("text")
	if UTF16Len(text) > maxCallbackAnswer {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cache, err := c.p.int("cache_time")
	if err != nil {
		return nil, err
	}
	q.answered = true
	s.answers = append(s.answers, CallbackAnswer{
		QueryID: id, Text: text, ShowAlert: c.p.bool("show_alert"), URL: c.p.str("url"),
		CacheTime: int(cache), ChatID: q.chatID, MessageID: q.messageID, Data: q.data, Time: c.now,
	})
	return true, nil
}

// CallbackAnswers returns every accepted answerCallbackQuery, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// UnansweredCallbacks returns the ids of button presses the bot has not
// answered yet (Telegram clients show a spinner until it does).
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, q := range s.queries {
		if !q.answered {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// commandsKey parses the scope and language_code parameters.
func (s *Server) commandsKey(p params) (CommandsKey, *apiError) {
	k := CommandsKey{Scope: "default", LanguageCode: p.str("language_code")}
	if lc := k.LanguageCode; lc != "" && (len(lc) != 2 || !isLower(lc)) {
		return k, badRequest("invalid language code specified")
	}
	raw := strings.TrimSpace(p.str("scope"))
	if raw == "" {
		return k, nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if json.Unmarshal([]byte(raw), &sc) != nil {
		return k, badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		k.Scope = sc.Type
		return k, nil
	case "chat", "chat_administrators", "chat_member":
	default:
		return k, badRequest("unsupported bot command scope type specified")
	}
	var chatID string
	if json.Unmarshal(sc.ChatID, &chatID) != nil {
		chatID = string(sc.ChatID)
	}
	ch, err := s.chatFor(params{"chat_id": chatID}, "chat_id")
	if err != nil {
		return k, err
	}
	k.Scope = fmt.Sprintf("%s:%d", sc.Type, ch.chat.ID)
	if sc.Type == "chat_member" {
		if sc.UserID == 0 {
			return k, badRequest("user not found")
		}
		k.Scope += fmt.Sprintf(":%d", sc.UserID)
	}
	return k, nil
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'a' && c[i] <= 'z' || c[i] >= '0' && c[i] <= '9' || c[i] == '_') {
			return false
		}
	}
	return true
}

func (s *Server) setMyCommands(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	raw := strings.TrimSpace(c.p.str("commands"))
	if raw == "" {
		return nil, badRequest("parameter \"commands\" is required")
	}
	var cmds []BotCommand
	if json.Unmarshal([]byte(raw), &cmds) != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, cmd := range cmds {
		if !validCommand(cmd.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := UTF16Len(strings.TrimSpace(cmd.Description)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	k, err := s.commandsKey(c.p)
	if err != nil {
		return nil, err
	}
	if len(cmds) == 0 {
		delete(s.commands, k)
	} else {
		s.commands[k] = cmds
	}
	return true, nil
}

func (s *Server) getMyCommands(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.commandsKey(c.p)
	if err != nil {
		return nil, err
	}
	cmds := s.commands[k]
	if cmds == nil {
		cmds = []BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.commandsKey(c.p)
	if err != nil {
		return nil, err
	}
	delete(s.commands, k)
	return true, nil
}

// Commands returns the command lists set with setMyCommands, by scope and
// language; e.g. Commands()[CommandsKey{Scope: "default"}].
func (s *Server) Commands() map[CommandsKey][]BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := maps.Clone(s.commands)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}
