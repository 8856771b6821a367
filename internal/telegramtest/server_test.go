package telegramtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/telegramtest"
)

func TestGetMeThroughClient(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	if bot.Self.ID != 123 || !bot.Self.IsBot || bot.Self.UserName != "loket_bot" || bot.Self.FirstName == "" {
		t.Fatalf("getMe = %+v", bot.Self)
	}
}

func TestUnknownTokenAndMethod(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Post(srv.URL()+"/bot999:WRONG/getMe", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	code, env := decode(t, resp)
	wantError(t, code, env, http.StatusUnauthorized, "Unauthorized")

	code, env = postForm(t, srv, "sendSticker2", nil)
	wantError(t, code, env, http.StatusNotFound, "Not Found")

	resp, err = http.Get(srv.URL() + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	code, env = decode(t, resp)
	wantError(t, code, env, http.StatusNotFound, "Not Found")

	// Method names are case-insensitive, as in Telegram.
	code, env = postForm(t, srv, "GETME", nil)
	wantOK(t, code, env)

	_, err = tgbotapi.NewBotAPIWithClient("999:WRONG", srv.URL()+"/bot%s/%s", http.DefaultClient)
	if e := tgError(t, err); e.Code != 401 {
		t.Fatalf("client error %+v", e)
	}
	if n := len(srv.Rejected()); n != 4 {
		t.Fatalf("%d rejections, want 4: %+v", n, srv.Rejected())
	}
}

func TestJSONBodyAndQueryParameters(t *testing.T) {
	srv := newServer(t)
	code, env := postJSON(t, srv, "sendMessage", map[string]any{
		"chat_id":    citizen.ID,
		"text":       "<b>json</b>",
		"parse_mode": "HTML",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]any{
			{{"text": "Ya", "callback_data": "yes"}, {"text": "Situs", "url": "https://loket.id"}},
		}},
		"disable_notification": true,
	})
	wantOK(t, code, env)
	var m telegramtest.Message
	if err := json.Unmarshal(env.Result, &m); err != nil {
		t.Fatal(err)
	}
	if m.Text != "json" || m.MessageID != 1 || m.From == nil || !m.From.IsBot || m.Chat.ID != citizen.ID || m.Chat.Type != "private" {
		t.Fatalf("message %+v", m)
	}
	want := `{"inline_keyboard":[[{"callback_data":"yes","text":"Ya"},{"text":"Situs","url":"https://loket.id"}]]}`
	if string(m.ReplyMarkup) != want {
		t.Fatalf("reply_markup echo %s, want %s", m.ReplyMarkup, want)
	}
	rec := srv.Messages(citizen.ID)
	if len(rec) != 1 || len(rec[0].Keyboard) != 1 || rec[0].Keyboard[0][0] != (telegramtest.Button{Text: "Ya", CallbackData: "yes"}) ||
		rec[0].Keyboard[0][1].URL != "https://loket.id" {
		t.Fatalf("recorded %+v", rec)
	}

	resp, err := http.Get(srv.URL() + "/bot" + token + "/sendMessage?chat_id=1001&text=query")
	if err != nil {
		t.Fatal(err)
	}
	code, env = decode(t, resp)
	wantOK(t, code, env)
	if got := srv.All()[1]; got.Text != "query" || got.MessageID != 2 {
		t.Fatalf("query send recorded as %+v", got)
	}

	resp, err = http.Post(srv.URL()+"/bot"+token+"/sendMessage", "application/json", strings.NewReader("{oops"))
	if err != nil {
		t.Fatal(err)
	}
	code, env = decode(t, resp)
	wantError(t, code, env, 400, "Bad Request: can't parse JSON object")
}

func TestChatResolution(t *testing.T) {
	srv := newServer(t)
	code, env := send(t, srv, 999, "hi")
	wantError(t, code, env, 400, "Bad Request: chat not found")
	code, env = postForm(t, srv, "sendMessage", map[string]string{"text": "hi"})
	wantError(t, code, env, 400, "Bad Request: chat_id is empty")
	code, env = postForm(t, srv, "sendMessage", map[string]string{"chat_id": "@ani", "text": "by username"})
	wantOK(t, code, env)
	code, env = postForm(t, srv, "sendMessage", map[string]string{"chat_id": "@nobody", "text": "x"})
	wantError(t, code, env, 400, "Bad Request: chat not found")

	bot := newBot(t, srv)
	_, err := bot.Send(tgbotapi.NewMessage(4242, "hello"))
	if e := tgError(t, err); e.Code != 400 || e.Message != "Bad Request: chat not found" {
		t.Fatalf("client error %+v", e)
	}
	// A user who writes first makes the chat known.
	stranger := telegramtest.User{ID: 4242, FirstName: "Citra"}
	srv.SendText(stranger, stranger.ID, "halo")
	if _, err := bot.Send(tgbotapi.NewMessage(4242, "hello")); err != nil {
		t.Fatal(err)
	}

	srv.SetBlocked(citizen.ID, true)
	code, env = send(t, srv, citizen.ID, "hi")
	wantError(t, code, env, http.StatusForbidden, "Forbidden: bot was blocked by the user")
	srv.SetBlocked(groupID, true)
	code, env = send(t, srv, groupID, "hi")
	wantError(t, code, env, http.StatusForbidden, "Forbidden: bot was kicked from the group chat")
	srv.SetBlocked(citizen.ID, false)
	mustSend(t, srv, citizen.ID, "unblocked")
}

func TestSendThroughClient(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	question := srv.SendText(citizen, citizen.ID, "Jalan rusak di depan rumah")
	msg := tgbotapi.NewMessage(citizen.ID, "Terima kasih, <b>laporan #7</b> diterima")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyToMessageID = question.MessageID
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Batalkan", "cancel:7"),
		tgbotapi.NewInlineKeyboardButtonURL("Lihat", "https://loket.id/t/7"),
	))
	got, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if got.MessageID != question.MessageID+1 || got.Text != "Terima kasih, laporan #7 diterima" || !got.From.IsBot {
		t.Fatalf("sent %+v", got)
	}
	if got.ReplyToMessage == nil || got.ReplyToMessage.Text != "Jalan rusak di depan rumah" || got.ReplyToMessage.From.ID != citizen.ID {
		t.Fatalf("reply_to_message %+v", got.ReplyToMessage)
	}
	if got.ReplyMarkup == nil || *got.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "cancel:7" {
		t.Fatalf("reply_markup %+v", got.ReplyMarkup)
	}
	if len(got.Entities) != 1 || got.Entities[0].Type != "bold" || got.Entities[0].Offset != 14 {
		t.Fatalf("entities %+v", got.Entities)
	}
	rec := srv.Messages(citizen.ID)
	if len(rec) != 1 {
		t.Fatalf("recorded %+v", rec)
	}
	r := rec[0]
	if r.Method != "sendMessage" || r.ReplyTo != question.MessageID || r.Keyboard[0][0].CallbackData != "cancel:7" ||
		r.Keyboard[0][1].URL != "https://loket.id/t/7" || r.Time.IsZero() || r.Seq != 1 || r.Markup == "" {
		t.Fatalf("record %+v", r)
	}
	if len(srv.Rejected()) != 0 {
		t.Fatalf("rejections %+v", srv.Rejected())
	}
}

func TestReplyTo(t *testing.T) {
	srv := newServer(t)
	code, env := send(t, srv, citizen.ID, "x", "reply_to_message_id", "77")
	wantError(t, code, env, 400, "Bad Request: message to be replied not found")
	m := mustSend(t, srv, citizen.ID, "x", "reply_to_message_id", "77", "allow_sending_without_reply", "true")
	if m.ReplyToMessage != nil || srv.All()[0].ReplyTo != 0 {
		t.Fatalf("reply kept: %+v", m)
	}
	// A message of another chat is not found either.
	other := mustSend(t, srv, groupID, "in the group")
	code, env = send(t, srv, citizen.ID, "x", "reply_to_message_id", "2")
	if other.MessageID != 1 {
		t.Fatalf("group message id %d", other.MessageID)
	}
	wantError(t, code, env, 400, "Bad Request: message to be replied not found")
	m = mustSend(t, srv, citizen.ID, "x", "reply_parameters", `{"message_id":1}`)
	if m.ReplyToMessage == nil || m.ReplyToMessage.MessageID != 1 {
		t.Fatalf("reply_parameters ignored: %+v", m)
	}
}

func TestInlineKeyboardValidation(t *testing.T) {
	srv := newServer(t)
	btn := func(b map[string]any) string { return inlineKeyboard([]map[string]any{b}) }
	cases := []struct {
		name, markup, desc string
	}{
		{"64 bytes", btn(map[string]any{"text": "a", "callback_data": strings.Repeat("x", 64)}), ""},
		{"65 bytes", btn(map[string]any{"text": "a", "callback_data": strings.Repeat("x", 65)}), "Bad Request: BUTTON_DATA_INVALID"},
		{"33 two-byte runes", btn(map[string]any{"text": "a", "callback_data": strings.Repeat("ы", 33)}), "Bad Request: BUTTON_DATA_INVALID"},
		{"text only", btn(map[string]any{"text": "a"}), "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"empty data", btn(map[string]any{"text": "a", "callback_data": ""}), "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{"empty text", btn(map[string]any{"text": "", "callback_data": "x"}), "Bad Request: can't parse inline keyboard button: Text must be non-empty"},
		{"no text", btn(map[string]any{"callback_data": "x"}), "Bad Request: can't parse inline keyboard button: Field \"text\" must be of type String"},
		{"two kinds", btn(map[string]any{"text": "a", "callback_data": "x", "url": "https://a.b"}), "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used"},
		{"bad url", btn(map[string]any{"text": "a", "url": "not a url"}), "Bad Request: BUTTON_URL_INVALID"},
		{"ftp url", btn(map[string]any{"text": "a", "url": "ftp://a.b/c"}), "Bad Request: BUTTON_URL_INVALID"},
		{"tg url", btn(map[string]any{"text": "a", "url": "tg://resolve?domain=loket_bot"}), ""},
		{"web_app", btn(map[string]any{"text": "a", "web_app": map[string]string{"url": "https://a.b"}}), ""},
		{"not an array", `{"inline_keyboard":{"text":"a"}}`, "Bad Request: can't parse inline keyboard markup JSON object: field \"inline_keyboard\" must be an Array of Arrays of InlineKeyboardButton"},
		{"not JSON", `{inline`, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"unknown shape", `{"buttons":[]}`, "Bad Request: can't parse reply keyboard markup JSON object"},
		{"reply keyboard", `{"keyboard":[["Lapor",{"text":"Status"}]],"resize_keyboard":true}`, ""},
		{"reply keyboard empty button", `{"keyboard":[[""]]}`, "Bad Request: can't parse keyboard button: Text must be non-empty"},
		{"remove keyboard", `{"remove_keyboard":true}`, ""},
		{"force reply", `{"force_reply":true,"input_field_placeholder":"Alamat"}`, ""},
	}
	for _, c := range cases {
		code, env := send(t, srv, citizen.ID, "pilih", "reply_markup", c.markup)
		if c.desc == "" && code != 200 || c.desc != "" && (code != 400 || env.Description != c.desc) {
			t.Errorf("%s: got %d %q, want %q", c.name, code, env.Description, c.desc)
		}
	}
	var reply, remove, force bool
	for _, r := range srv.All() {
		reply = reply || len(r.ReplyKeyboard) == 1 && r.ReplyKeyboard[0][1] == "Status"
		remove = remove || r.RemoveKeyboard
		force = force || r.ForceReply
	}
	if !reply || !remove || !force {
		t.Fatalf("reply keyboards not recorded: %+v", srv.All())
	}

	bot := newBot(t, srv)
	msg := tgbotapi.NewMessage(citizen.ID, "x")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("a", strings.Repeat("d", 65))))
	_, err := bot.Send(msg)
	if e := tgError(t, err); e.Message != "Bad Request: BUTTON_DATA_INVALID" {
		t.Fatalf("client error %+v", e)
	}
}

func TestEditMessages(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Ambil", "take:1")))
	msg := tgbotapi.NewMessage(groupID, "Tiket #1 baru")
	msg.ReplyMarkup = kb
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}

	edit := tgbotapi.NewEditMessageTextAndMarkup(groupID, sent.MessageID, "Tiket #1 baru", kb)
	_, err = bot.Send(edit)
	if e := tgError(t, err); !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Fatalf("same content: %+v", e)
	}
	edited, err := bot.Send(tgbotapi.NewEditMessageText(groupID, sent.MessageID, "Tiket #1 diambil <i>Budi</i>"))
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "Tiket #1 diambil <i>Budi</i>" || edited.EditDate == 0 || edited.ReplyMarkup != nil {
		t.Fatalf("edited %+v (editing text without reply_markup drops the keyboard)", edited)
	}
	cur, ok := srv.Lookup(groupID, sent.MessageID)
	if !ok || cur.ReplyMarkup != nil || cur.Text != edited.Text {
		t.Fatalf("stored %+v", cur)
	}

	_, err = bot.Send(tgbotapi.NewEditMessageReplyMarkup(groupID, sent.MessageID, kb))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(tgbotapi.NewEditMessageReplyMarkup(groupID, sent.MessageID, kb))
	if e := tgError(t, err); !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Fatalf("same markup: %+v", e)
	}

	code, env := postForm(t, srv, "editMessageText", map[string]string{"chat_id": "-4001", "message_id": "99", "text": "x"})
	wantError(t, code, env, 400, "Bad Request: message to edit not found")
	code, env = postForm(t, srv, "editMessageText", map[string]string{"chat_id": "-4001", "text": "x"})
	wantError(t, code, env, 400, "Bad Request: message identifier is not specified")
	userMsg := srv.SendText(officer, groupID, "saya ambil")
	code, env = postForm(t, srv, "editMessageText", map[string]string{"chat_id": "-4001", "message_id": itoa(userMsg.MessageID), "text": "x"})
	wantError(t, code, env, 400, "Bad Request: message can't be edited")
	code, env = postForm(t, srv, "editMessageText", map[string]string{"chat_id": "-4001", "message_id": itoa(sent.MessageID), "text": "x", "reply_markup": `{"remove_keyboard":true}`})
	wantError(t, code, env, 400, "Bad Request: inline keyboard expected")
	code, env = postForm(t, srv, "editMessageText", map[string]string{"chat_id": "-4001", "message_id": itoa(sent.MessageID), "text": "<b>x", "parse_mode": "HTML"})
	if code != 400 || !strings.Contains(env.Description, "can't parse entities") {
		t.Fatalf("edit HTML: %d %q", code, env.Description)
	}

	methods := []string{}
	for _, r := range srv.Messages(groupID) {
		methods = append(methods, r.Method)
	}
	if strings.Join(methods, ",") != "sendMessage,editMessageText,editMessageReplyMarkup" {
		t.Fatalf("recorded %v", methods)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestDeleteAndCopy(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	report := srv.SendText(citizen, citizen.ID, "Lampu jalan mati")
	id, err := bot.CopyMessage(tgbotapi.NewCopyMessage(groupID, citizen.ID, report.MessageID))
	if err != nil {
		t.Fatal(err)
	}
	copied, ok := srv.Lookup(groupID, id.MessageID)
	if !ok || copied.Text != "Lampu jalan mati" || !copied.From.IsBot {
		t.Fatalf("copy %+v", copied)
	}
	rec := srv.Messages(groupID)
	if len(rec) != 1 || rec[0].Method != "copyMessage" || rec[0].FromChatID != citizen.ID || rec[0].Text != "Lampu jalan mati" {
		t.Fatalf("recorded %+v", rec)
	}
	_, err = bot.CopyMessage(tgbotapi.NewCopyMessage(groupID, citizen.ID, 404))
	if e := tgError(t, err); e.Message != "Bad Request: message to copy not found" {
		t.Fatalf("copy missing: %+v", e)
	}

	photo := srv.SendPhoto(citizen, citizen.ID, "foto lokasi")
	pid, err := bot.CopyMessage(tgbotapi.NewCopyMessage(groupID, citizen.ID, photo.MessageID))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Lookup(groupID, pid.MessageID); len(m.Photo) != 1 || m.Caption != "foto lokasi" {
		t.Fatalf("copied photo %+v", m)
	}
	if _, err := bot.Send(tgbotapi.NewPhoto(groupID, tgbotapi.FileID(photo.Photo[0].FileID))); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(tgbotapi.NewPhoto(groupID, tgbotapi.FileID("made-up")))
	if e := tgError(t, err); e.Message != "Bad Request: wrong file identifier/HTTP URL specified" {
		t.Fatalf("bogus file id: %+v", e)
	}
	up := tgbotapi.NewPhoto(groupID, tgbotapi.FileBytes{Name: "a.jpg", Bytes: []byte("jpeg")})
	up.Caption = "<b>upload</b>"
	up.ParseMode = tgbotapi.ModeHTML
	if m, err := bot.Send(up); err != nil || m.Caption != "upload" {
		t.Fatalf("multipart upload: %+v %v", m, err)
	}

	if _, err := bot.Request(tgbotapi.NewDeleteMessage(groupID, id.MessageID)); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewDeleteMessage(groupID, id.MessageID))
	if e := tgError(t, err); e.Message != "Bad Request: message to delete not found" {
		t.Fatalf("double delete: %+v", e)
	}
	if _, ok := srv.Lookup(groupID, id.MessageID); ok {
		t.Fatal("deleted message still found")
	}
	code, env := send(t, srv, groupID, "x", "reply_to_message_id", itoa(id.MessageID))
	wantError(t, code, env, 400, "Bad Request: message to be replied not found")
}

func TestCallbackQueries(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Puas", "rate:5")))
	msg := tgbotapi.NewMessage(citizen.ID, "Nilai layanan kami")
	msg.ReplyMarkup = kb
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	qid := srv.PressButton(citizen, citizen.ID, sent.MessageID, "rate:5")
	updates, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(updates) != 1 || updates[0].CallbackQuery == nil {
		t.Fatalf("updates %+v", updates)
	}
	cq := updates[0].CallbackQuery
	if cq.ID != qid || cq.Data != "rate:5" || cq.From.ID != citizen.ID || cq.Message == nil ||
		cq.Message.MessageID != sent.MessageID || cq.Message.ReplyMarkup == nil || cq.ChatInstance == "" {
		t.Fatalf("callback query %+v", cq)
	}
	if got := srv.UnansweredCallbacks(); len(got) != 1 || got[0] != qid {
		t.Fatalf("unanswered %v", got)
	}
	_, err = bot.Request(tgbotapi.NewCallback(qid, strings.Repeat("x", 201)))
	if e := tgError(t, err); e.Message != "Bad Request: MESSAGE_TOO_LONG" {
		t.Fatalf("long answer: %+v", e)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(qid, "Terima kasih")); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Request(tgbotapi.NewCallback(qid, "again"))
	if e := tgError(t, err); e.Message != "Bad Request: query is too old and response timeout expired or query ID is invalid" {
		t.Fatalf("second answer: %+v", e)
	}
	_, err = bot.Request(tgbotapi.NewCallback("12345", ""))
	if e := tgError(t, err); e.Code != 400 {
		t.Fatalf("unknown query: %+v", e)
	}
	answers := srv.CallbackAnswers()
	if len(answers) != 1 || answers[0].Text != "Terima kasih" || answers[0].Data != "rate:5" || answers[0].MessageID != sent.MessageID {
		t.Fatalf("answers %+v", answers)
	}
	if len(srv.UnansweredCallbacks()) != 0 {
		t.Fatal("still unanswered")
	}
}
