package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Incoming describes a message a user sends, for [Server.Post].
type Incoming struct {
	// Text is the message text, or the caption when Photo or Document is set.
	Text string
	// ReplyTo is the id of a message in the same chat being replied to. The
	// update then carries the full reply_to_message, as Telegram's does; a
	// missing or deleted message is left out, as Telegram leaves it out.
	ReplyTo int
	// ThreadID is the forum topic the message is posted in.
	ThreadID int
	// Photo attaches a photo; Document attaches a file.
	Photo    bool
	Document bool
}

// SendText makes from send text to chatID (a private chat with the bot when
// chatID == from.ID, a group when negative) and queues the message update.
// Commands such as "/start" get bot_command entities. Chats are registered
// on first use. It returns the message as stored.
func (s *Server) SendText(from User, chatID int64, text string) Message {
	return s.Post(from, chatID, Incoming{Text: text})
}

// ReplyText is SendText replying to message replyToMessageID of the chat.
func (s *Server) ReplyText(from User, chatID int64, replyToMessageID int, text string) Message {
	return s.Post(from, chatID, Incoming{Text: text, ReplyTo: replyToMessageID})
}

// SendPhoto makes from send a photo with a caption; the bot can pass its
// file_id to sendPhoto or copy the message.
func (s *Server) SendPhoto(from User, chatID int64, caption string) Message {
	return s.Post(from, chatID, Incoming{Text: caption, Photo: true})
}

// Post makes from send a message described by in to chatID and queues the
// message update (unless Options.PrivacyMode hides it from the bot). It
// panics when chatID is positive but not from.ID, or zero.
func (s *Server) Post(from User, chatID int64, in Incoming) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.injectChat(from, chatID)
	sender := from
	m := &Message{From: &sender, Date: time.Now().Unix(), MessageThreadID: in.ThreadID, IsTopicMessage: in.ThreadID != 0}
	toBot := false
	if in.ReplyTo != 0 {
		if r := ch.get(in.ReplyTo); r != nil {
			rr := cloneMessage(r)
			rr.ReplyToMessage = nil
			m.ReplyToMessage = &rr
			toBot = r.From != nil && r.From.ID == s.bot.ID
			if m.MessageThreadID == 0 && r.MessageThreadID != 0 {
				m.MessageThreadID, m.IsTopicMessage = r.MessageThreadID, true
			}
		}
	}
	ch.add(m)
	switch {
	case in.Photo:
		s.attachMedia(m, "photo")
		m.Caption, m.CaptionEntities = in.Text, botCommandEntities(in.Text)
	case in.Document:
		s.attachMedia(m, "document")
		m.Caption, m.CaptionEntities = in.Text, botCommandEntities(in.Text)
	default:
		m.Text, m.Entities = in.Text, botCommandEntities(in.Text)
	}
	if s.visibleToBot(ch, m, in.Text, toBot) {
		s.enqueue("message", cloneMessage(m))
	}
	return cloneMessage(m)
}

// visibleToBot applies privacy mode to a group message.
func (s *Server) visibleToBot(ch *chatState, m *Message, text string, toBot bool) bool {
	if !s.opts.PrivacyMode || ch.chat.Type == "private" || toBot {
		return true
	}
	ents := m.Entities
	if ents == nil {
		ents = m.CaptionEntities
	}
	if len(ents) > 0 && ents[0].Offset == 0 {
		return true
	}
	return strings.Contains(strings.ToLower(text), "@"+strings.ToLower(s.bot.Username))
}

// injectChat returns the chat a user writes to, registering it if needed.
func (s *Server) injectChat(from User, chatID int64) *chatState {
	switch {
	case chatID > 0 && chatID == from.ID:
		return s.privateChat(from)
	case chatID < 0:
		return s.group(chatID, "")
	}
	panic(fmt.Sprintf("telegramtest: user %d cannot write to chat %d (a private chat id is the user's id)", from.ID, chatID))
}

// PressButton makes from press an inline button with callback data on message
// messageID of chatID, queues the callback_query update (with the message as
// stored, including its reply_markup, or an inaccessible message if it is
// gone) and returns the callback query id the bot must answer. The data is
// not checked against the keyboard, so tests can forge presses.
func (s *Server) PressButton(from User, chatID int64, messageID int, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.injectChat(from, chatID)
	s.nextCBQ++
	id := strconv.FormatInt(4000000000000000000+s.nextCBQ, 10)
	var msg any
	if m := ch.get(messageID); m != nil {
		msg = cloneMessage(m)
	} else {
		msg = map[string]any{"chat": ch.chat, "message_id": messageID, "date": 0}
	}
	sender := from
	s.queries[id] = &callbackQuery{chatID: ch.chat.ID, messageID: messageID, data: data}
	s.enqueue("callback_query", map[string]any{
		"id":            id,
		"from":          &sender,
		"message":       msg,
		"chat_instance": strconv.FormatInt(ch.chat.ID*31+7, 10),
		"data":          data,
	})
	return id
}
