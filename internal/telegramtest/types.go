package telegramtest

import (
	"encoding/json"
	"time"
)

// User is a Telegram user or bot, encoded as the Bot API User object.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat, encoded as the Bot API Chat object.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// Entity is a MessageEntity. Offset and Length count UTF-16 code units.
type Entity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Document is a general file.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
}

// ForumTopic is the result of createForumTopic.
type ForumTopic struct {
	MessageThreadID   int    `json:"message_thread_id"`
	Name              string `json:"name"`
	IconColor         int    `json:"icon_color"`
	IconCustomEmojiID string `json:"icon_custom_emoji_id,omitempty"`
}

// ForumTopicCreated is the service content of a topic's first message.
type ForumTopicCreated struct {
	Name      string `json:"name"`
	IconColor int    `json:"icon_color"`
}

// Message is a Telegram message, encoded as the Bot API Message object.
// ReplyMarkup holds the inline keyboard only, as in the Bot API.
type Message struct {
	MessageID         int                `json:"message_id"`
	MessageThreadID   int                `json:"message_thread_id,omitempty"`
	From              *User              `json:"from,omitempty"`
	Chat              Chat               `json:"chat"`
	Date              int64              `json:"date"`
	EditDate          int64              `json:"edit_date,omitempty"`
	IsTopicMessage    bool               `json:"is_topic_message,omitempty"`
	ReplyToMessage    *Message           `json:"reply_to_message,omitempty"`
	Text              string             `json:"text,omitempty"`
	Entities          []Entity           `json:"entities,omitempty"`
	Photo             []PhotoSize        `json:"photo,omitempty"`
	Document          *Document          `json:"document,omitempty"`
	Caption           string             `json:"caption,omitempty"`
	CaptionEntities   []Entity           `json:"caption_entities,omitempty"`
	ForumTopicCreated *ForumTopicCreated `json:"forum_topic_created,omitempty"`
	ReplyMarkup       json.RawMessage    `json:"reply_markup,omitempty"`
}

// Button is one inline keyboard button as recorded in [Sent]. Only the
// callback_data and url kinds are broken out; other kinds (web_app,
// switch_inline_query, ...) leave both empty.
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// Sent records one request the server accepted that changed a chat:
// sendMessage, sendPhoto, sendDocument, copyMessage, editMessageText,
// editMessageReplyMarkup, deleteMessage and createForumTopic.
type Sent struct {
	// Seq is the 1-based position of this record in [Server.All]. Use it to
	// wait only for sends that happen after a given point.
	Seq       int
	Method    string
	ChatID    int64
	MessageID int
	ThreadID  int
	// Text is the visible text (or caption) after entity parsing and trimming.
	Text string
	// HTML is the raw text (or caption) parameter as the bot sent it.
	HTML      string
	ParseMode string
	Entities  []Entity
	// ReplyTo is the id of the message replied to, 0 if none.
	ReplyTo int
	// Keyboard is the inline keyboard, nil if none.
	Keyboard [][]Button
	// ReplyKeyboard holds the button texts of a ReplyKeyboardMarkup.
	ReplyKeyboard  [][]string
	RemoveKeyboard bool
	ForceReply     bool
	// Markup is the reply_markup parameter as sent, "" if none.
	Markup string
	// FromChatID is the source chat of copyMessage.
	FromChatID int64
	Time       time.Time
}

// Rejection records a request Telegram would have rejected (any 4xx answer
// except 429). Injected faults and flood-limit answers are not rejections.
type Rejection struct {
	Method      string
	Params      map[string]string
	Code        int
	Description string
	Time        time.Time
}

// Violation records a breach of Telegram's flood rules: a request answered
// 429 because of the limits enabled by [Server.SetRateLimits], or a request
// made before a previously returned retry_after had expired.
type Violation struct {
	Method     string
	ChatID     int64
	Reason     string
	RetryAfter int
	Time       time.Time
}

// CallbackAnswer records an accepted answerCallbackQuery together with the
// button press it answers.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	ChatID    int64
	MessageID int
	Data      string
	Time      time.Time
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandsKey identifies one command list: a scope and a language code.
// Scope is "default", "all_private_chats", "all_group_chats",
// "all_chat_administrators", "chat:<id>", "chat_administrators:<id>" or
// "chat_member:<chat id>:<user id>"; LanguageCode is "" for all languages.
type CommandsKey struct {
	Scope        string
	LanguageCode string
}
