package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

const maxCallbackData = 64

// inlineButtonKinds are the optional fields of InlineKeyboardButton, exactly
// one of which must be used.
var inlineButtonKinds = []string{
	"callback_data", "url", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
	"callback_game", "pay", "web_app", "copy_text",
}

// markup is a parsed reply_markup.
type markup struct {
	raw    string
	inline [][]Button
	// echo is the normalized InlineKeyboardMarkup stored on the message and
	// returned in Message.reply_markup; nil when there is no inline keyboard.
	echo   json.RawMessage
	reply  [][]string
	remove bool
	force  bool
}

func (m *markup) isInline() bool { return m != nil && m.echo != nil }

// parseMarkup validates a reply_markup parameter. An empty parameter gives
// nil. With inlineOnly, only an InlineKeyboardMarkup is accepted (edits).
func parseMarkup(raw string, inlineOnly bool) (*markup, *apiError) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	m := &markup{raw: raw}
	switch {
	case obj["inline_keyboard"] != nil:
		if err := m.parseInline(obj["inline_keyboard"]); err != nil {
			return nil, err
		}
		return m, nil
	case inlineOnly:
		return nil, badRequest("inline keyboard expected")
	case obj["keyboard"] != nil:
		return m, m.parseReply(obj["keyboard"])
	case obj["remove_keyboard"] != nil:
		if string(obj["remove_keyboard"]) != "true" {
			return nil, badRequest("can't parse reply keyboard markup JSON object: field \"remove_keyboard\" must be true")
		}
		m.remove = true
		return m, nil
	case obj["force_reply"] != nil:
		if string(obj["force_reply"]) != "true" {
			return nil, badRequest("can't parse reply keyboard markup JSON object: field \"force_reply\" must be true")
		}
		m.force = true
		return m, nil
	}
	return nil, badRequest("can't parse reply keyboard markup JSON object")
}

func (m *markup) parseInline(raw json.RawMessage) *apiError {
	var rows [][]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return badRequest("can't parse inline keyboard markup JSON object: field \"inline_keyboard\" must be an Array of Arrays of InlineKeyboardButton")
	}
	echo := make([][]map[string]json.RawMessage, 0, len(rows))
	for _, row := range rows {
		var brow []Button
		var erow []map[string]json.RawMessage
		for _, b := range row {
			btn, e, err := parseInlineButton(b)
			if err != nil {
				return err
			}
			brow = append(brow, btn)
			erow = append(erow, e)
		}
		if len(brow) > 0 {
			m.inline = append(m.inline, brow)
			echo = append(echo, erow)
		}
	}
	if len(m.inline) == 0 {
		// An empty inline keyboard removes the keyboard.
		return nil
	}
	m.echo, _ = json.Marshal(map[string]any{"inline_keyboard": echo})
	return nil
}

func parseInlineButton(b map[string]json.RawMessage) (Button, map[string]json.RawMessage, *apiError) {
	var btn Button
	if b == nil {
		return btn, nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
	}
	if err := json.Unmarshal(b["text"], &btn.Text); err != nil || b["text"] == nil {
		return btn, nil, badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
	}
	if strings.TrimSpace(btn.Text) == "" {
		return btn, nil, badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	text, _ := json.Marshal(btn.Text)
	echo := map[string]json.RawMessage{"text": text}
	used := 0
	for _, kind := range inlineButtonKinds {
		v, ok := b[kind]
		if !ok || string(v) == "null" || string(v) == `""` || string(v) == "false" {
			continue
		}
		used++
		echo[kind] = v
		switch kind {
		case "callback_data":
			if err := json.Unmarshal(v, &btn.CallbackData); err != nil {
				return btn, nil, badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String")
			}
			if len(btn.CallbackData) > maxCallbackData {
				return btn, nil, badRequest("BUTTON_DATA_INVALID")
			}
		case "url":
			if err := json.Unmarshal(v, &btn.URL); err != nil {
				return btn, nil, badRequest("can't parse inline keyboard button: Field \"url\" must be of type String")
			}
			if !validButtonURL(btn.URL) {
				return btn, nil, badRequest("BUTTON_URL_INVALID")
			}
		}
	}
	switch {
	case used == 0:
		return btn, nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	case used > 1:
		return btn, nil, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	}
	return btn, echo, nil
}

// validButtonURL accepts http(s) URLs with a host (a missing scheme means
// http, as in Telegram) and tg:// links.
func validButtonURL(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\n") {
		return false
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Hostname() != "" && strings.Contains(u.Hostname(), ".") || u.Hostname() == "localhost"
	case "tg":
		return u.Host != "" || u.Opaque != ""
	}
	return false
}

func (m *markup) parseReply(raw json.RawMessage) *apiError {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return badRequest("can't parse reply keyboard markup JSON object: field \"keyboard\" must be an Array of Arrays of KeyboardButton")
	}
	for _, row := range rows {
		var texts []string
		for _, b := range row {
			var text string
			if json.Unmarshal(b, &text) != nil {
				var obj struct {
					Text *string `json:"text"`
				}
				if json.Unmarshal(b, &obj) != nil || obj.Text == nil {
					return badRequest("can't parse keyboard button: Field \"text\" must be of type String")
				}
				text = *obj.Text
			}
			if strings.TrimSpace(text) == "" {
				return badRequest("can't parse keyboard button: Text must be non-empty")
			}
			texts = append(texts, text)
		}
		if len(texts) > 0 {
			m.reply = append(m.reply, texts)
		}
	}
	return nil
}

// sameMarkup reports whether an edit would leave the keyboard unchanged.
func sameMarkup(m *markup, current json.RawMessage) bool {
	var next json.RawMessage
	if m.isInline() {
		next = m.echo
	}
	return bytes.Equal(next, current)
}
