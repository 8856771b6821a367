package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// sendOpts are the options shared by the methods that create messages.
type sendOpts struct {
	thread int
	reply  *Message
	mk     *markup
}

func (s *Server) parseSendOpts(ch *chatState, p params) (sendOpts, *apiError) {
	var o sendOpts
	thread, err := p.int("message_thread_id")
	if err != nil {
		return o, err
	}
	if thread != 0 {
		if _, ok := ch.topics[int(thread)]; !ok {
			return o, badRequest("message thread not found")
		}
		o.thread = int(thread)
	}
	replyID, err := p.int("reply_to_message_id")
	if err != nil {
		return o, err
	}
	allow := p.bool("allow_sending_without_reply")
	if rp := strings.TrimSpace(p.str("reply_parameters")); rp != "" {
		var r struct {
			MessageID int  `json:"message_id"`
			Allow     bool `json:"allow_sending_without_reply"`
		}
		if json.Unmarshal([]byte(rp), &r) != nil {
			return o, badRequest("can't parse reply parameters JSON object")
		}
		replyID, allow = int64(r.MessageID), allow || r.Allow
	}
	if replyID != 0 {
		o.reply = ch.get(int(replyID))
		if o.reply == nil && !allow {
			return o, badRequest("message to be replied not found")
		}
		if o.reply != nil && o.thread == 0 {
			o.thread = o.reply.MessageThreadID
		}
	}
	o.mk, err = parseMarkup(p.str("reply_markup"), false)
	return o, err
}

// newBotMessage stores a new message from the bot in ch.
func (s *Server) newBotMessage(ch *chatState, c *call, o sendOpts) *Message {
	bot := s.bot
	m := &Message{From: &bot, Date: unixTime(c.now), MessageThreadID: o.thread, IsTopicMessage: o.thread != 0}
	if o.reply != nil {
		r := cloneMessage(o.reply)
		r.ReplyToMessage = nil
		m.ReplyToMessage = &r
	}
	if o.mk.isInline() {
		m.ReplyMarkup = o.mk.echo
	}
	ch.add(m)
	return m
}

func replyID(o sendOpts) int {
	if o.reply == nil {
		return 0
	}
	return o.reply.MessageID
}

func (s *Server) sendMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.targetChat(c.p)
	if err != nil {
		return nil, err
	}
	if c.p.str("text") == "" {
		return nil, badRequest("message text is empty")
	}
	ct, err := parseContent(c.p.str("text"), c.p.str("parse_mode"), c.p.str("entities"), false)
	if err != nil {
		return nil, err
	}
	o, err := s.parseSendOpts(ch, c.p)
	if err != nil {
		return nil, err
	}
	m := s.newBotMessage(ch, c, o)
	m.Text, m.Entities = ct.text, ct.entities
	s.record(sentFor(c, m, ct, o.mk, replyID(o)))
	return cloneMessage(m), nil
}

func (s *Server) sendPhoto(c *call) (any, *apiError)    { return s.sendMedia(c, "photo") }
func (s *Server) sendDocument(c *call) (any, *apiError) { return s.sendMedia(c, "document") }

func (s *Server) sendMedia(c *call, field string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.targetChat(c.p)
	if err != nil {
		return nil, err
	}
	ref := strings.TrimSpace(c.p.str(field))
	_, uploaded := c.files[field]
	switch {
	case ref == "" && !uploaded:
		return nil, badRequest("there is no %s in the request", field)
	case !uploaded && !s.files[ref] && !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://"):
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	ct, err := parseContent(c.p.str("caption"), c.p.str("parse_mode"), c.p.str("caption_entities"), true)
	if err != nil {
		return nil, err
	}
	o, err := s.parseSendOpts(ch, c.p)
	if err != nil {
		return nil, err
	}
	m := s.newBotMessage(ch, c, o)
	s.attachMedia(m, field)
	m.Caption, m.CaptionEntities = ct.text, ct.entities
	s.record(sentFor(c, m, ct, o.mk, replyID(o)))
	return cloneMessage(m), nil
}

// attachMedia gives a stored message a fresh photo or document.
func (s *Server) attachMedia(m *Message, kind string) {
	id := fmt.Sprintf("%s_%d_%d", kind, m.Chat.ID, m.MessageID)
	s.files[id] = true
	if kind == "photo" {
		m.Photo = []PhotoSize{{FileID: id, FileUniqueID: "u" + id, Width: 1280, Height: 960, FileSize: 123456}}
	} else {
		m.Document = &Document{FileID: id, FileUniqueID: "u" + id, FileName: "file.pdf"}
	}
}

func (s *Server) copyMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.targetChat(c.p)
	if err != nil {
		return nil, err
	}
	from, err := s.chatFor(c.p, "from_chat_id")
	if err != nil {
		return nil, err
	}
	mid, err := c.p.int("message_id")
	if err != nil {
		return nil, err
	}
	src := from.get(int(mid))
	if src == nil {
		return nil, badRequest("message to copy not found")
	}
	if src.ForumTopicCreated != nil {
		return nil, badRequest("message can't be copied")
	}
	ct := content{text: src.Text, entities: src.Entities}
	media := src.Photo != nil || src.Document != nil
	if media {
		ct = content{text: src.Caption, entities: src.CaptionEntities}
		if c.p.has("caption") {
			if ct, err = parseContent(c.p.str("caption"), c.p.str("parse_mode"), c.p.str("caption_entities"), true); err != nil {
				return nil, err
			}
		}
	}
	o, err := s.parseSendOpts(ch, c.p)
	if err != nil {
		return nil, err
	}
	m := s.newBotMessage(ch, c, o)
	m.Photo, m.Document = src.Photo, src.Document
	if media {
		m.Caption, m.CaptionEntities = ct.text, ct.entities
	} else {
		m.Text, m.Entities = ct.text, ct.entities
	}
	rec := sentFor(c, m, ct, o.mk, replyID(o))
	rec.FromChatID = from.chat.ID
	s.record(rec)
	return map[string]int{"message_id": m.MessageID}, nil
}

// editTarget resolves the bot message an edit refers to.
func (s *Server) editTarget(p params) (*chatState, *Message, *apiError) {
	if p.has("inline_message_id") {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	ch, err := s.targetChat(p)
	if err != nil {
		return nil, nil, err
	}
	mid, err := p.int("message_id")
	if err != nil {
		return nil, nil, err
	}
	if mid == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := ch.get(int(mid))
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if m.From == nil || m.From.ID != s.bot.ID {
		return nil, nil, badRequest("message can't be edited")
	}
	return ch, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, m, err := s.editTarget(c.p)
	if err != nil {
		return nil, err
	}
	if m.Text == "" {
		return nil, badRequest("there is no text in the message to edit")
	}
	if c.p.str("text") == "" {
		return nil, badRequest("message text is empty")
	}
	ct, err := parseContent(c.p.str("text"), c.p.str("parse_mode"), c.p.str("entities"), false)
	if err != nil {
		return nil, err
	}
	mk, err := parseMarkup(c.p.str("reply_markup"), true)
	if err != nil {
		return nil, err
	}
	if ct.text == m.Text && entitiesEqual(ct.entities, m.Entities) && sameMarkup(mk, m.ReplyMarkup) {
		return nil, badRequest(notModified)
	}
	m.Text, m.Entities, m.EditDate = ct.text, ct.entities, unixTime(c.now)
	m.ReplyMarkup = nil
	if mk.isInline() {
		m.ReplyMarkup = mk.echo
	}
	s.record(sentFor(c, m, ct, mk, 0))
	return cloneMessage(m), nil
}

func (s *Server) editMessageReplyMarkup(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, m, err := s.editTarget(c.p)
	if err != nil {
		return nil, err
	}
	mk, err := parseMarkup(c.p.str("reply_markup"), true)
	if err != nil {
		return nil, err
	}
	if sameMarkup(mk, m.ReplyMarkup) {
		return nil, badRequest(notModified)
	}
	m.EditDate = unixTime(c.now)
	m.ReplyMarkup = nil
	if mk.isInline() {
		m.ReplyMarkup = mk.echo
	}
	ct := content{text: m.Text, entities: m.Entities}
	if m.Text == "" {
		ct.text = m.Caption
	}
	s.record(sentFor(c, m, ct, mk, 0))
	return cloneMessage(m), nil
}

func (s *Server) deleteMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.targetChat(c.p)
	if err != nil {
		return nil, err
	}
	mid, err := c.p.int("message_id")
	if err != nil {
		return nil, err
	}
	if mid == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	if ch.get(int(mid)) == nil {
		return nil, badRequest("message to delete not found")
	}
	ch.deleted[int(mid)] = true
	s.record(Sent{Method: c.method, ChatID: ch.chat.ID, MessageID: int(mid), Time: c.now})
	return true, nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.targetChat(c.p); err != nil {
		return nil, err
	}
	if !chatActions[c.p.str("action")] {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}

func (s *Server) getChat(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.chatFor(c.p, "chat_id")
	if err != nil {
		return nil, err
	}
	return ch.chat, nil
}

var topicColors = map[int64]bool{7322096: true, 16766590: true, 13338331: true, 9367192: true, 16749490: true, 16478047: true}

func (s *Server) createForumTopic(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.targetChat(c.p)
	if err != nil {
		return nil, err
	}
	if !ch.chat.IsForum {
		return nil, badRequest("the chat is not a forum")
	}
	name := strings.TrimSpace(c.p.str("name"))
	if n := UTF16Len(name); n == 0 || n > 128 {
		return nil, badRequest("TOPIC_TITLE_EMPTY")
	}
	color, err := c.p.int("icon_color")
	if err != nil {
		return nil, err
	}
	if color == 0 {
		color = 7322096
	}
	if !topicColors[color] {
		return nil, badRequest("TOPIC_COLOR_INVALID")
	}
	bot := s.bot
	m := &Message{From: &bot, Date: unixTime(c.now), IsTopicMessage: true,
		ForumTopicCreated: &ForumTopicCreated{Name: name, IconColor: int(color)}}
	ch.add(m)
	m.MessageThreadID = m.MessageID
	t := ForumTopic{MessageThreadID: m.MessageID, Name: name, IconColor: int(color), IconCustomEmojiID: c.p.str("icon_custom_emoji_id")}
	ch.topics[t.MessageThreadID] = t
	s.record(Sent{Method: c.method, ChatID: ch.chat.ID, MessageID: m.MessageID, ThreadID: m.MessageID, Text: name, Time: c.now})
	return t, nil
}
