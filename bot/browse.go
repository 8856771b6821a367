package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/knowledge"
)

// Browsing (/layanan): a citizen who does not know what to ask picks a service
// category, then a question; the answer comes exactly as a searched one. The list is
// one message edited in place. Buttons carry short hashes of category names and FAQ
// ids, never the names themselves, resolved against the index when pressed: a button
// whose category or FAQ has left the knowledge base is refused as expired.

const (
	// browseFAQsPerPage is the most FAQ buttons on one page of a category.
	browseFAQsPerPage = 8
	// browseCategoriesPerPage is the most category buttons on one page of the list
	// (a keyboard stays well below Telegram's limit of 100 buttons).
	browseCategoriesPerPage = 20
	// browseLabelLen is the longest button label, in characters.
	browseLabelLen = 60
	// browseMaxPage bounds the page numbers accepted from callback data.
	browseMaxPage = 999
)

// browseHash is the reference to a category name or FAQ id carried in callback data:
// the first 8 hex digits of its SHA-256.
func browseHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// browseData is parsed browse callback data.
type browseData struct {
	Action string // actBrowseHome, actBrowseCategory or actBrowseFAQ
	Hash   string
	Page   int
}

func (b browseData) String() string {
	switch b.Action {
	case actBrowseCategory:
		return b.Action + ":" + b.Hash + ":" + strconv.Itoa(b.Page)
	case actBrowseFAQ:
		return b.Action + ":" + b.Hash
	}
	return actBrowseHome + ":" + strconv.Itoa(b.Page)
}

// isBrowseData reports whether callback data belongs to browsing (valid or not).
func isBrowseData(data string) bool {
	action, _, _ := strings.Cut(data, ":")
	return action == actBrowseHome || action == actBrowseCategory || action == actBrowseFAQ
}

// parseBrowse parses and validates browse callback data.
func parseBrowse(data string) (browseData, bool) {
	parts := strings.Split(data, ":")
	b := browseData{Action: parts[0]}
	page := func(s string) bool {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > browseMaxPage || strconv.Itoa(n) != s {
			return false
		}
		b.Page = n
		return true
	}
	hash := func(s string) bool {
		if len(s) != 8 {
			return false
		}
		if _, err := hex.DecodeString(s); err != nil || strings.ToLower(s) != s {
			return false
		}
		b.Hash = s
		return true
	}
	switch {
	case b.Action == actBrowseHome && len(parts) == 2:
		return b, page(parts[1])
	case b.Action == actBrowseCategory && len(parts) == 3:
		return b, hash(parts[1]) && page(parts[2])
	case b.Action == actBrowseFAQ && len(parts) == 2:
		return b, hash(parts[1])
	}
	return b, false
}

// browseStart answers /layanan with the list of categories.
func (e *Engine) browseStart(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64) ([]Out, error) {
	// Browsing ends a pending /petugas prompt: the next text is a question again.
	if err := setState(ctx, tx, chat, stateNone); err != nil {
		return nil, err
	}
	html, kb := e.browseHomeView(c.Lang, 0)
	return sendHTML(chat, html, kb), nil
}

// browseCallback handles a press of a browse button.
func (e *Engine) browseCallback(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, q *tgbotapi.CallbackQuery) ([]Out, error) {
	b, ok := parseBrowse(q.Data)
	if !ok {
		return e.browseExpired(c, chat, q), nil
	}
	cats := e.search.Categories()
	switch b.Action {
	case actBrowseHome:
		html, kb := e.browseHomeView(c.Lang, b.Page)
		return append([]Out{answerCallback(chat, q.ID, "")}, browseShow(chat, q, html, kb)...), nil
	case actBrowseCategory:
		for i, cat := range cats {
			if browseHash(cat.Name) == b.Hash {
				html, kb := browseCategoryView(c.Lang, cat, i, b.Page)
				return append([]Out{answerCallback(chat, q.ID, "")}, browseShow(chat, q, html, kb)...), nil
			}
		}
	case actBrowseFAQ:
		for _, cat := range cats {
			for _, f := range cat.FAQs {
				if browseHash(f.ID) == b.Hash {
					return e.browseAnswer(ctx, tx, c, chat, q, f)
				}
			}
		}
	}
	return e.browseExpired(c, chat, q), nil
}

// browseAnswer sends an FAQ chosen from the list as a normal answer. The choice is
// logged as a question answered by that FAQ, so feedback and "Tanya petugas" work.
func (e *Engine) browseAnswer(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, q *tgbotapi.CallbackQuery, f knowledge.FAQ) ([]Out, error) {
	res := knowledge.Result{Decision: knowledge.DecisionAnswer, Hits: []knowledge.Hit{{
		ID: f.ID, Question: f.Question, Category: f.Category, Unit: f.Unit, Coverage: 1,
	}}}
	qid, err := knowledge.LogQuestion(ctx, tx, c.ID, f.Question, res)
	if err != nil {
		return nil, err
	}
	more, err := e.answerFAQ(c, chat, qid, f.ID)
	if err != nil {
		return nil, err
	}
	return append([]Out{answerCallback(chat, q.ID, "")}, more...), nil
}

// browseExpired refuses a button that no longer matches the knowledge base and shows
// the categories as they are now.
func (e *Engine) browseExpired(c citizen, chat int64, q *tgbotapi.CallbackQuery) []Out {
	html, kb := e.browseHomeView(c.Lang, 0)
	return append([]Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, browseShow(chat, q, html, kb)...)
}

// browseHomeView is one page of the category list, or the notice that there is none.
func (e *Engine) browseHomeView(l lang, page int) (string, keyboard) {
	cats := e.search.Categories()
	if len(cats) == 0 {
		return T(l, txtBrowseEmpty), nil
	}
	pages := pageCount(len(cats), browseCategoriesPerPage)
	page = min(page, pages-1)
	html := T(l, txtBrowseCategories)
	if pages > 1 {
		html += "\n" + T(l, txtBrowsePage, page+1, pages)
	}
	kb := keyboard{}
	from := page * browseCategoriesPerPage
	for _, cat := range cats[from:min(from+browseCategoriesPerPage, len(cats))] {
		count := " (" + strconv.Itoa(len(cat.FAQs)) + ")"
		label := truncate(cat.Name, browseLabelLen-len([]rune(count))) + count
		kb = append(kb, []button{{Text: label, Data: browseData{Action: actBrowseCategory, Hash: browseHash(cat.Name)}.String()}})
	}
	kb = append(kb, pager(l, page, pages, func(p int) string { return browseData{Action: actBrowseHome, Page: p}.String() }))
	return html, kb
}

// browseCategoryView is one page of a category's questions; index is the category's
// position in the list, to go back to its page.
func browseCategoryView(l lang, cat knowledge.Category, index, page int) (string, keyboard) {
	pages := pageCount(len(cat.FAQs), browseFAQsPerPage)
	page = min(page, pages-1)
	html := T(l, txtBrowseFAQs, tghtml.Escape(truncate(cat.Name, 100)))
	if pages > 1 {
		html += "\n" + T(l, txtBrowsePage, page+1, pages)
	}
	html += "\n\n" + T(l, txtBrowseFAQsHint)
	hash := browseHash(cat.Name)
	kb := keyboard{}
	from := page * browseFAQsPerPage
	for _, f := range cat.FAQs[from:min(from+browseFAQsPerPage, len(cat.FAQs))] {
		kb = append(kb, []button{{Text: truncate(f.Question, browseLabelLen), Data: browseData{Action: actBrowseFAQ, Hash: browseHash(f.ID)}.String()}})
	}
	kb = append(kb, pager(l, page, pages, func(p int) string {
		return browseData{Action: actBrowseCategory, Hash: hash, Page: p}.String()
	}))
	back := browseData{Action: actBrowseHome, Page: index / browseCategoriesPerPage}.String()
	kb = append(kb, []button{{Text: T(l, txtBtnBack), Data: back}})
	return html, kb
}

// pageCount is the number of pages for n items, at least one.
func pageCount(n, perPage int) int {
	return max(1, (n+perPage-1)/perPage)
}

// pager is the row of "previous" and "next" buttons of a paged list (empty when there
// is one page).
func pager(l lang, page, pages int, data func(page int) string) []button {
	var row []button
	if page > 0 {
		row = append(row, button{Text: T(l, txtBtnPrevPage), Data: data(page - 1)})
	}
	if page < pages-1 {
		row = append(row, button{Text: T(l, txtBtnNextPage), Data: data(page + 1)})
	}
	return row
}

// browseShow puts a browse view on screen: by editing the message whose button was
// pressed, unless it already shows exactly that (Telegram refuses an edit that changes
// nothing), or as a new message when that one cannot be edited (gone, or unknown).
func browseShow(chat int64, q *tgbotapi.CallbackQuery, html string, kb keyboard) []Out {
	m := q.Message
	if m == nil || m.Date == 0 {
		return sendHTML(chat, html, kb)
	}
	if showing(m, html, kb) {
		return nil
	}
	return []Out{editHTML(chat, int64(m.MessageID), html, kb)}
}

// showing reports whether a message already shows a text and keyboard.
func showing(m *tgbotapi.Message, html string, kb keyboard) bool {
	if strings.TrimSpace(m.Text) != strings.TrimSpace(tghtml.PlainText(html)) {
		return false
	}
	var want []button
	for _, row := range kb {
		want = append(want, row...)
	}
	var have []button
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				data := ""
				if b.CallbackData != nil {
					data = *b.CallbackData
				}
				have = append(have, button{Text: b.Text, Data: data})
			}
		}
	}
	if len(have) != len(want) {
		return false
	}
	for i := range want {
		if have[i] != want[i] {
			return false
		}
	}
	return true
}

// editHTML replaces a message's text and buttons.
func editHTML(chatID, messageID int64, html string, kb keyboard) Out {
	return Out{ChatID: chatID, Method: "editMessageText", Params: map[string]string{
		"chat_id":                  itoa(chatID),
		"message_id":               itoa(messageID),
		"text":                     html,
		"parse_mode":               "HTML",
		"disable_web_page_preview": "true",
		"reply_markup":             kb.json(),
	}}
}
