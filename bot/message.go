package bot

import (
	"encoding/json"

	"github.com/loket-id/loket/bot/tghtml"
)

// maxMessageLen is Telegram's limit on a message's visible text.
const maxMessageLen = 4096

// button is an inline keyboard button with callback data.
type button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// keyboard is an inline keyboard: rows of buttons.
type keyboard [][]button

func (k keyboard) json() string {
	rows := make([][]button, 0, len(k))
	for _, r := range k {
		if len(r) > 0 {
			rows = append(rows, r)
		}
	}
	b, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
	return string(b)
}

// sendHTML builds sendMessage calls for an HTML text, split at Telegram's limit; the
// keyboard goes on the last part.
func sendHTML(chatID int64, html string, kb keyboard) []Out {
	parts := tghtml.Split(html, maxMessageLen)
	outs := make([]Out, 0, len(parts))
	for i, p := range parts {
		params := map[string]string{
			"chat_id":                  itoa(chatID),
			"text":                     p,
			"parse_mode":               "HTML",
			"disable_web_page_preview": "true",
		}
		if i == len(parts)-1 && len(kb) > 0 {
			params["reply_markup"] = kb.json()
		}
		outs = append(outs, Out{ChatID: chatID, Method: "sendMessage", Params: params})
	}
	return outs
}

// answerCallback acknowledges a button press, optionally with a short notice.
func answerCallback(chatID int64, queryID, text string) Out {
	p := map[string]string{"callback_query_id": queryID}
	if text != "" {
		p["text"] = text
	}
	return Out{ChatID: chatID, Method: "answerCallbackQuery", Params: p}
}

// editKeyboard replaces (or, with an empty keyboard, removes) a message's buttons.
func editKeyboard(chatID, messageID int64, kb keyboard) Out {
	p := map[string]string{"chat_id": itoa(chatID), "message_id": itoa(messageID)}
	p["reply_markup"] = kb.json()
	return Out{ChatID: chatID, Method: "editMessageReplyMarkup", Params: p}
}
