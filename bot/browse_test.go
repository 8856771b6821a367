package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// waitEdit waits for an editMessageText of message id after seq.
func (h *harness) waitEdit(chat int64, id, after int, what string, match func(telegramtest.Sent) bool) telegramtest.Sent {
	h.t.Helper()
	s, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > after && s.ChatID == chat && s.Method == "editMessageText" && s.MessageID == id && match(s)
	})
	if err != nil {
		h.t.Fatalf("waiting for %s: %v\nsent so far:\n%s", what, err, dump(h.srv.All()))
	}
	return s
}

// labels returns the button labels of a message, row by row flattened.
func labels(s telegramtest.Sent) []string {
	var out []string
	for _, row := range s.Keyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// checkData fails when a button's callback data is too long or carries text.
func checkData(t *testing.T, s telegramtest.Sent) {
	t.Helper()
	for _, row := range s.Keyboard {
		for _, b := range row {
			if len(b.CallbackData) > 64 || strings.ContainsAny(b.CallbackData, " ?ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				t.Errorf("button %q carries callback data %q: want a short hash", b.Text, b.CallbackData)
			}
		}
	}
}

func TestBrowseCategoriesAndAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/layanan")
	list := h.wait(citizenAni.ID, m, "category list", contains("Pilih kategori layanan:"))
	want := []string{"Kependudukan (1)", "Kepolisian (1)", "Pajak Daerah (1)", "Layanan Umum (1)"}
	if got := labels(list); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("category buttons %q, want %q in knowledge-base order", got, want)
	}
	checkData(t, list)

	// A category turns the same message into its questions.
	h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, button(t, list, "Kepolisian"))
	faqs := h.waitEdit(citizenAni.ID, list.MessageID, list.Seq, "the category's questions", contains("Kepolisian"))
	if !strings.Contains(faqs.Text, "Pilih pertanyaan") || !strings.Contains(faqs.Text, "/petugas") {
		t.Errorf("category view %q should ask to pick and offer /petugas", faqs.Text)
	}
	if got := labels(faqs); len(got) != 2 || got[0] != "Bagaimana cara membuat SKCK?" || got[1] != "« Kembali" {
		t.Errorf("category buttons %q, want the SKCK question and « Kembali", got)
	}
	checkData(t, faqs)

	// A question gets its answer as a normal answer would, with every button working.
	h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, button(t, faqs, "SKCK"))
	answer := h.wait(citizenAni.ID, faqs.Seq, "answer", contains("Polres"))
	if !strings.Contains(answer.HTML, "<b>Bagaimana cara membuat SKCK?</b>") {
		t.Errorf("answer %q lacks the question heading", answer.HTML)
	}
	for _, label := range []string{"Membantu", "Tidak membantu", "petugas"} {
		button(t, answer, label)
	}
	var logged struct {
		Text     string `db:"text"`
		Decision string `db:"decision"`
	}
	if err := h.db.Get(&logged, `SELECT text, decision FROM questions WHERE citizen_id = $1`, citizenAni.ID); err != nil ||
		logged.Text != "Bagaimana cara membuat SKCK?" || logged.Decision != "answer" {
		t.Errorf("logged question = %+v, %v; want the FAQ's question, answered", logged, err)
	}
	h.srv.PressButton(citizenAni, citizenAni.ID, answer.MessageID, button(t, answer, "petugas"))
	opened := h.wait(citizenAni.ID, answer.Seq, "ticket", contains("Nomor tiket"))
	card := h.wait(staffChat, answer.Seq, "staff card", contains("SKCK"))
	_ = card

	// « Kembali shows the categories again, in the same message.
	h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, button(t, faqs, "Kembali"))
	back := h.waitEdit(citizenAni.ID, list.MessageID, opened.Seq, "categories again", contains("Pilih kategori layanan:"))
	if got := labels(back); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after « Kembali: buttons %q, want %q", got, want)
	}
	h.waitAnswered(t, citizenAni)
}

// waitAnswered waits until every button press in u's chat has been answered (no
// spinner left).
func (h *harness) waitAnswered(t *testing.T, u telegramtest.User) {
	t.Helper()
	m := h.mark()
	h.srv.SendText(u, u.ID, "/bantuan")
	// Updates are handled in order and a chat's calls are sent in order: once the help
	// arrives, the answers to earlier presses have been sent.
	h.wait(u.ID, m, "help", contains("/layanan"))
	if left := h.srv.UnansweredCallbacks(); len(left) > 0 {
		t.Errorf("button presses left unanswered: %v", left)
	}
}

func TestBrowseExpiredButton(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/layanan")
	list := h.wait(citizenAni.ID, m, "category list", contains("Pilih kategori layanan:"))
	h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, button(t, list, "Kependudukan"))
	faqs := h.waitEdit(citizenAni.ID, list.MessageID, list.Seq, "the category's questions", contains("Kependudukan"))

	// A forged hash on the question list: the notice, and the categories shown again.
	h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, "lyf:0badc0de")
	h.waitEdit(citizenAni.ID, list.MessageID, faqs.Seq, "categories after an expired button", contains("Pilih kategori layanan:"))
	// On the category list itself: the notice only (the list is already shown).
	for _, data := range []string{"lyc:deadbeef:0", "lyc:Kependudukan:0", "lyn:x", "lyc:deadbeef:0:1"} {
		h.srv.PressButton(citizenAni, citizenAni.ID, list.MessageID, data)
	}
	h.waitAnswered(t, citizenAni)
	var expired int
	for _, a := range h.srv.CallbackAnswers() {
		if strings.Contains(a.Text, "tidak berlaku") {
			expired++
		}
	}
	if expired != 5 {
		t.Errorf("%d expired notices, want 5: %+v", expired, h.srv.CallbackAnswers())
	}
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM questions`); err != nil || n != 0 {
		t.Errorf("questions logged = %d (%v): a forged button answered", n, err)
	}
}

func TestBrowseInEnglish(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenJohn, citizenJohn.ID, "/layanan")
	list := h.wait(citizenJohn.ID, m, "English category list", contains("Choose a service category:"))
	h.srv.PressButton(citizenJohn, citizenJohn.ID, list.MessageID, button(t, list, "Pajak Daerah (1)"))
	faqs := h.waitEdit(citizenJohn.ID, list.MessageID, list.Seq, "English question list", contains("Choose a question"))
	button(t, faqs, "« Back")
	h.srv.SendText(citizenJohn, citizenJohn.ID, "/bantuan")
	h.wait(citizenJohn.ID, faqs.Seq, "English help", contains("/layanan — browse services"))

	cmds := h.srv.Commands()
	for k, list := range cmds {
		found := false
		for _, c := range list {
			found = found || c.Command == "layanan"
		}
		if !found {
			t.Errorf("menu %q lacks /layanan: %+v", k.LanguageCode, list)
		}
	}
}

// rig drives the engine directly, without a Bot API: it hands in updates and reads
// what the engine put in the outbox.
type rig struct {
	t      *testing.T
	db     *sqlx.DB
	ix     *knowledge.Index
	engine *bot.Engine
	update int
	seen   int64
}

type outbox struct {
	Method string
	Params map[string]string
}

func (o outbox) buttons() [][2]string {
	var kb struct {
		Rows [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal([]byte(o.Params["reply_markup"]), &kb)
	var out [][2]string
	for _, row := range kb.Rows {
		for _, b := range row {
			out = append(out, [2]string{b.Text, b.Data})
		}
	}
	return out
}

func (o outbox) data(t *testing.T, label string) string {
	t.Helper()
	for _, b := range o.buttons() {
		if strings.Contains(b[0], label) {
			return b[1]
		}
	}
	t.Fatalf("no button %q in %+v", label, o.buttons())
	return ""
}

func newRig(t *testing.T, faqs []knowledge.FAQ) *rig {
	t.Helper()
	db := dbtest.New(t)
	ix, err := knowledge.NewIndex(faqs)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := bot.NewEngine(db, ix, tickets.NewStore(db), bot.Settings{OfficeName: "Uji"}, log, nil)
	return &rig{t: t, db: db, ix: ix, engine: e}
}

var rigUser = &tgbotapi.User{ID: 5005, FirstName: "Ani", LanguageCode: "id"}

func (r *rig) handle(upd tgbotapi.Update) []outbox {
	r.t.Helper()
	r.update++
	upd.UpdateID = r.update
	if err := r.engine.Handle(context.Background(), upd); err != nil {
		r.t.Fatal(err)
	}
	var rows []struct {
		ID     int64  `db:"id"`
		Method string `db:"method"`
		Params []byte `db:"params"`
	}
	if err := r.db.Select(&rows, `SELECT id, method, params FROM outbox WHERE id > $1 ORDER BY id`, r.seen); err != nil {
		r.t.Fatal(err)
	}
	var out []outbox
	for _, row := range rows {
		o := outbox{Method: row.Method}
		if err := json.Unmarshal(row.Params, &o.Params); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, o)
		r.seen = row.ID
	}
	return out
}

func (r *rig) send(text string) []outbox {
	return r.handle(tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: 100 + r.update, From: rigUser, Chat: &tgbotapi.Chat{ID: rigUser.ID, Type: "private"}, Text: text, Date: 1,
	}})
}

// press presses a button on message 7; date 0 is a message the bot can no longer see.
func (r *rig) press(data string, date int) []outbox {
	return r.handle(tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID: fmt.Sprint("q", r.update), From: rigUser, Data: data,
		Message: &tgbotapi.Message{MessageID: 7, Chat: &tgbotapi.Chat{ID: rigUser.ID, Type: "private"}, Date: date, Text: "?"},
	}})
}

// only returns the single call of a method among outs.
func only(t *testing.T, outs []outbox, method string) outbox {
	t.Helper()
	var found []outbox
	for _, o := range outs {
		if o.Method == method {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s calls, want 1: %+v", len(found), method, outs)
	}
	return found[0]
}

func TestBrowsePagesAndKnowledgeBaseChanges(t *testing.T) {
	var faqs []knowledge.FAQ
	for i := 1; i <= 20; i++ {
		faqs = append(faqs, knowledge.FAQ{ID: fmt.Sprintf("izin-%02d", i), Category: "Perizinan",
			Question: fmt.Sprintf("Bagaimana cara mengurus izin usaha nomor %d untuk usaha mikro, kecil, dan menengah di kota ini?", i),
			Answer:   fmt.Sprintf("Jawaban izin %d.", i)})
	}
	faqs = append(faqs, knowledge.FAQ{ID: "tanpa-kategori", Question: "Di mana kantor Loket?", Answer: "Di balai kota."})
	r := newRig(t, faqs)

	list := only(t, r.send("/layanan"), "sendMessage")
	if got := list.buttons(); len(got) != 2 || got[0][0] != "Perizinan (20)" || got[1][0] != "Lainnya (1)" {
		t.Fatalf("categories %q", got)
	}

	// Page 1 of 3: eight questions, shortened to fit, then "next" and "back".
	outs := r.press(list.data(t, "Perizinan"), 1)
	if a := only(t, outs, "answerCallbackQuery"); a.Params["text"] != "" {
		t.Errorf("a valid press answered with a notice %q", a.Params["text"])
	}
	page := only(t, outs, "editMessageText")
	if page.Params["message_id"] != "7" || !strings.Contains(page.Params["text"], "Halaman 1 dari 3") {
		t.Errorf("page 1 = %+v", page.Params)
	}
	btns := page.buttons()
	if len(btns) != 10 || btns[8][0] != "Berikutnya »" || btns[9][0] != "« Kembali" {
		t.Fatalf("page 1 buttons %q", btns)
	}
	for _, b := range btns {
		if n := utf8.RuneCountInString(b[0]); n > 60 || len(b[1]) > 64 {
			t.Errorf("button %q (%d characters) with data %q (%d bytes) too long", b[0], n, b[1], len(b[1]))
		}
	}
	if !strings.HasSuffix(btns[0][0], "…") || !strings.HasPrefix(btns[0][0], "Bagaimana cara mengurus izin usaha nomor 1 ") {
		t.Errorf("long question shortened to %q", btns[0][0])
	}

	page2 := only(t, r.press(page.data(t, "Berikutnya"), 1), "editMessageText")
	if b := page2.buttons(); len(b) != 11 || b[8][0] != "« Sebelumnya" || b[9][0] != "Berikutnya »" ||
		!strings.Contains(b[0][0], "nomor 9 ") || !strings.Contains(page2.Params["text"], "Halaman 2 dari 3") {
		t.Errorf("page 2 = %q %q", page2.Params["text"], b)
	}
	page3 := only(t, r.press(page2.data(t, "Berikutnya"), 1), "editMessageText")
	if b := page3.buttons(); len(b) != 6 || b[4][0] != "« Sebelumnya" || b[5][0] != "« Kembali" {
		t.Errorf("page 3 buttons %q", b)
	}

	// An FAQ from the list is answered and logged; a message the bot cannot edit any
	// more gets a new one.
	ans := only(t, r.press(page3.data(t, "nomor 17 "), 1), "sendMessage")
	if !strings.Contains(ans.Params["text"], "Jawaban izin 17.") || len(ans.buttons()) != 3 {
		t.Errorf("answer %+v", ans)
	}
	fresh := only(t, r.press(page3.data(t, "Kembali"), 0), "sendMessage")
	if !strings.Contains(fresh.Params["text"], "Pilih kategori layanan:") {
		t.Errorf("list on an uneditable message: %+v", fresh.Params)
	}

	// The knowledge base changes: a category or FAQ gone is an expired button.
	if err := r.ix.Rebuild(faqs[:3]); err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{list.data(t, "Lainnya"), page3.data(t, "nomor 17 ")} {
		outs := r.press(data, 1)
		if a := only(t, outs, "answerCallbackQuery"); !strings.Contains(a.Params["text"], "tidak berlaku") {
			t.Errorf("press of %s after the change answered %q", data, a.Params["text"])
		}
		if e := only(t, outs, "editMessageText"); len(e.buttons()) != 1 || e.buttons()[0][0] != "Perizinan (3)" {
			t.Errorf("categories after the change: %q", e.buttons())
		}
	}
	// A page past the end shows the last one.
	if e := only(t, r.press(page3.data(t, "Sebelumnya"), 1), "editMessageText"); len(e.buttons()) != 4 {
		t.Errorf("page past the end: %q", e.buttons())
	}
}

func TestBrowseManyCategories(t *testing.T) {
	var faqs []knowledge.FAQ
	for i := 1; i <= 25; i++ {
		faqs = append(faqs, knowledge.FAQ{ID: fmt.Sprintf("f%d", i), Category: fmt.Sprintf("Kategori %02d", i),
			Question: fmt.Sprintf("Pertanyaan %d?", i), Answer: "Jawaban."})
	}
	r := newRig(t, faqs)
	list := only(t, r.send("/layanan"), "sendMessage")
	if b := list.buttons(); len(b) != 21 || b[20][0] != "Berikutnya »" {
		t.Fatalf("first page of categories: %q", b)
	}
	second := only(t, r.press(list.data(t, "Berikutnya"), 1), "editMessageText")
	if b := second.buttons(); len(b) != 6 || b[0][0] != "Kategori 21 (1)" || b[5][0] != "« Sebelumnya" {
		t.Fatalf("second page of categories: %q", b)
	}
	// « Kembali from a category of the second page goes back to that page.
	cat := only(t, r.press(second.data(t, "Kategori 23"), 1), "editMessageText")
	back := only(t, r.press(cat.data(t, "Kembali"), 1), "editMessageText")
	if b := back.buttons(); len(b) == 0 || b[0][0] != "Kategori 21 (1)" {
		t.Errorf("back from a second-page category: %q", b)
	}
}

func TestBrowseEmptyKnowledgeBase(t *testing.T) {
	r := newRig(t, nil)
	msg := only(t, r.send("/layanan"), "sendMessage")
	if !strings.Contains(msg.Params["text"], "belum ada layanan") || !strings.Contains(msg.Params["text"], "/petugas") {
		t.Errorf("empty knowledge base: %q", msg.Params["text"])
	}
	// A button from before the knowledge base was emptied.
	outs := r.press("lyc:deadbeef:0", 1)
	only(t, outs, "answerCallbackQuery")
	if e := only(t, outs, "editMessageText"); !strings.Contains(e.Params["text"], "belum ada layanan") {
		t.Errorf("expired button on an empty knowledge base: %+v", e.Params)
	}
}
