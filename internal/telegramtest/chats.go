package telegramtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// chatState is everything the server knows about one chat.
type chatState struct {
	chat    Chat
	nextID  int
	msgs    map[int]*Message
	deleted map[int]bool
	blocked bool
	topics  map[int]ForumTopic
}

func newChatState(c Chat) *chatState {
	return &chatState{chat: c, msgs: map[int]*Message{}, deleted: map[int]bool{}, topics: map[int]ForumTopic{}}
}

// get returns a live (not deleted) message, or nil.
func (ch *chatState) get(id int) *Message {
	if ch.deleted[id] {
		return nil
	}
	return ch.msgs[id]
}

// add stores m under the next message id of the chat.
func (ch *chatState) add(m *Message) {
	ch.nextID++
	m.MessageID = ch.nextID
	m.Chat = ch.chat
	ch.msgs[m.MessageID] = m
}

// AddPrivateChat registers the private chat with u (its id is u.ID), as if
// u had started the bot. Sending to a chat the server never saw fails with
// "Bad Request: chat not found".
func (s *Server) AddPrivateChat(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.privateChat(u)
}

func (s *Server) privateChat(u User) *chatState {
	if ch, ok := s.chats[u.ID]; ok {
		return ch
	}
	ch := newChatState(Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, LastName: u.LastName, Username: u.Username})
	s.chats[u.ID] = ch
	return ch
}

// AddGroup registers a group the bot is a member of. chatID must be negative;
// ids below -1000000000000 (the -100... form) are supergroups, others basic
// groups. It panics on a non-negative id.
func (s *Server) AddGroup(chatID int64, title string) {
	s.addGroup(chatID, title, false)
}

// AddForum registers a supergroup with topics enabled, where
// createForumTopic works. chatID must be below -1000000000000.
func (s *Server) AddForum(chatID int64, title string) {
	if chatID > -1000000000000 {
		panic(fmt.Sprintf("telegramtest: forum id %d must be a supergroup id (-100...)", chatID))
	}
	s.addGroup(chatID, title, true)
}

func (s *Server) addGroup(chatID int64, title string, forum bool) {
	if chatID >= 0 {
		panic(fmt.Sprintf("telegramtest: group id %d must be negative", chatID))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.group(chatID, title).chat.IsForum = forum
}

func (s *Server) group(chatID int64, title string) *chatState {
	if ch, ok := s.chats[chatID]; ok {
		return ch
	}
	typ := "group"
	if chatID < -1000000000000 {
		typ = "supergroup"
	}
	if title == "" {
		title = fmt.Sprintf("Group %d", -chatID)
	}
	ch := newChatState(Chat{ID: chatID, Type: typ, Title: title})
	s.chats[chatID] = ch
	return ch
}

// SetBlocked makes sends to a chat fail as when the user blocked the bot
// (403 "Forbidden: bot was blocked by the user") or the bot was removed from
// the group (403 "Forbidden: bot was kicked from the group chat").
func (s *Server) SetBlocked(chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch, ok := s.chats[chatID]; ok {
		ch.blocked = blocked
	}
}

// Lookup returns the current state of a message (after edits), and false if
// it does not exist or was deleted.
func (s *Server) Lookup(chatID int64, messageID int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.chats[chatID]
	if !ok || ch.get(messageID) == nil {
		return Message{}, false
	}
	return cloneMessage(ch.get(messageID)), true
}

// cloneMessage copies m deeply enough that callers cannot alter the store.
func cloneMessage(m *Message) Message {
	c := *m
	c.Entities = slices.Clone(m.Entities)
	c.CaptionEntities = slices.Clone(m.CaptionEntities)
	c.Photo = slices.Clone(m.Photo)
	c.ReplyMarkup = slices.Clone(m.ReplyMarkup)
	if m.From != nil {
		u := *m.From
		c.From = &u
	}
	if m.Document != nil {
		d := *m.Document
		c.Document = &d
	}
	if m.ReplyToMessage != nil {
		r := cloneMessage(m.ReplyToMessage)
		r.ReplyToMessage = nil
		c.ReplyToMessage = &r
	}
	return c
}

// chatFor resolves the chat named by parameter key (chat_id, from_chat_id).
func (s *Server) chatFor(p params, key string) (*chatState, *apiError) {
	v := strings.TrimSpace(p.str(key))
	if v == "" {
		return nil, badRequest("%s is empty", key)
	}
	if name, ok := strings.CutPrefix(v, "@"); ok {
		for _, ch := range s.chats {
			if ch.chat.Username != "" && strings.EqualFold(ch.chat.Username, name) {
				return ch, nil
			}
		}
		return nil, badRequest("chat not found")
	}
	id, ok := p.chatKeyOf(key)
	if !ok {
		return nil, badRequest("chat not found")
	}
	ch, found := s.chats[id]
	if !found {
		return nil, badRequest("chat not found")
	}
	return ch, nil
}

// targetChat resolves chat_id for a request that writes to the chat.
func (s *Server) targetChat(p params) (*chatState, *apiError) {
	ch, err := s.chatFor(p, "chat_id")
	if err != nil {
		return nil, err
	}
	if ch.blocked {
		if ch.chat.Type == "private" {
			return nil, &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
		}
		return nil, &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was kicked from the " + ch.chat.Type + " chat"}
	}
	return ch, nil
}

// record appends a Sent and wakes waiters. The caller holds s.mu.
func (s *Server) record(r Sent) {
	r.Seq = len(s.sent) + 1
	s.sent = append(s.sent, r)
	close(s.sentCh)
	s.sentCh = make(chan struct{})
}

// sentFor builds the record of a message-producing request.
func sentFor(c *call, m *Message, ct content, mk *markup, replyTo int) Sent {
	r := Sent{
		Method: c.method, ChatID: m.Chat.ID, MessageID: m.MessageID, ThreadID: m.MessageThreadID,
		Text: ct.text, HTML: ct.raw, ParseMode: ct.mode, Entities: ct.entities, ReplyTo: replyTo, Time: c.now,
	}
	if mk != nil {
		r.Keyboard, r.ReplyKeyboard, r.RemoveKeyboard, r.ForceReply, r.Markup = mk.inline, mk.reply, mk.remove, mk.force, mk.raw
	}
	return r
}

func unixTime(t time.Time) int64 { return t.Unix() }
