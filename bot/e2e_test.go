package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/telegramtest"
)

func TestStartGreetsAndLinksPrivacy(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/start")
	s := h.wait(citizenAni.ID, m, "greeting", contains("Loket"))
	if !strings.Contains(s.Text, "/privasi") || !strings.Contains(s.Text, "Pemerintah Kota Uji") {
		t.Errorf("greeting %q should name the office and link /privasi", s.Text)
	}
	h.srv.SendText(citizenAni, citizenAni.ID, "/privasi")
	p := h.wait(citizenAni.ID, s.Seq, "privacy notice", contains("privasi"))
	if !strings.Contains(p.Text, "27 Tahun 2022") {
		t.Errorf("privacy notice should cite UU 27/2022: %q", p.Text)
	}
	h.srv.SendText(citizenAni, citizenAni.ID, "/bantuan")
	h.wait(citizenAni.ID, p.Seq, "help", contains("/status"))

	// The command menu is set in both languages.
	cmds := h.srv.Commands()
	var langs []string
	for k, list := range cmds {
		langs = append(langs, k.LanguageCode)
		if len(list) < 4 {
			t.Errorf("menu %q has %d commands", k.LanguageCode, len(list))
		}
	}
	if len(cmds) != 2 {
		t.Errorf("command menus for languages %q, want default and en", langs)
	}
}

func TestQuestionGetsAnswerWithButtons(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "syarat bikin ktp baru apa aja")
	s := h.wait(citizenAni.ID, m, "answer", contains("KTP-el"))
	// Characters Telegram treats as markup arrive intact.
	if !strings.Contains(s.Text, "usia < 17 tahun & belum menikah") {
		t.Errorf("answer lost its < or &: %q", s.Text)
	}
	if !strings.Contains(s.HTML, "<b>17 tahun</b>") {
		t.Errorf("Markdown bold not rendered: %q", s.HTML)
	}
	for _, label := range []string{"Membantu", "Tidak membantu", "petugas"} {
		button(t, s, label)
	}
	// 👍 is recorded and the buttons go away.
	h.srv.PressButton(citizenAni, citizenAni.ID, s.MessageID, button(t, s, "👍"))
	if _, err := h.srv.WaitFor(waitFor, func(x telegramtest.Sent) bool {
		return x.Seq > s.Seq && x.Method == "editMessageReplyMarkup" && x.MessageID == s.MessageID
	}); err != nil {
		t.Fatal("buttons not removed after feedback:", err)
	}
	var fb int
	if err := h.db.Get(&fb, `SELECT feedback FROM questions WHERE citizen_id = $1`, citizenAni.ID); err != nil || fb != 1 {
		t.Errorf("feedback = %d, %v; want 1", fb, err)
	}
}

func TestLongAnswerIsSplit(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "layanan apa saja di mal pelayanan publik")
	if _, err := h.srv.WaitCount(citizenAni.ID, 2, waitFor); err != nil {
		t.Fatalf("long answer not split into several messages: %v\n%s", err, dump(h.srv.All()))
	}
	last := h.wait(citizenAni.ID, m, "last part with buttons", func(s telegramtest.Sent) bool { return len(s.Keyboard) > 0 })
	button(t, last, "petugas")
}

func TestEscalationRoundTrip(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "berapa harga cabai rawit di pasar hari ini")
	no := h.wait(citizenAni.ID, m, "honest no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))

	opened := h.wait(citizenAni.ID, no.Seq, "ticket number", contains("Nomor tiket"))
	var ticket int
	if _, err := fmt.Sscanf(opened.Text[strings.Index(opened.Text, "#"):], "#%d", &ticket); err != nil {
		t.Fatalf("no ticket number in %q", opened.Text)
	}
	if !strings.Contains(opened.Text, "paling lambat") || !strings.Contains(opened.Text, "pukul") {
		t.Errorf("expected response time missing: %q", opened.Text)
	}
	card := h.wait(staffChat, m, "staff card", contains(fmt.Sprintf("Tiket #%d", ticket)))
	for _, want := range []string{"Ani Lestari", "harga cabai"} {
		if !strings.Contains(card.Text, want) {
			t.Errorf("card %q lacks %q", card.Text, want)
		}
	}

	// Pressing the button again does not open a second ticket.
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	h.wait(citizenAni.ID, opened.Seq, "already a ticket", contains(fmt.Sprintf("#%d", ticket)))

	// The officer replies to the card; the citizen gets it.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Maaf, harga pasar bukan wewenang kami. Cek <situs> Dinas Perdagangan & UMKM.")
	reply := h.wait(citizenAni.ID, card.Seq, "officer reply", contains(fmt.Sprintf("Balasan petugas untuk tiket #%d", ticket)))
	if !strings.Contains(reply.Text, "Cek <situs> Dinas Perdagangan & UMKM.") {
		t.Errorf("officer text not passed intact: %q", reply.Text)
	}

	// The citizen replies to the officer; it appears in the group as a reply to the card.
	h.srv.ReplyText(citizenAni, citizenAni.ID, reply.MessageID, "Baik, terima kasih infonya")
	fwd := h.wait(staffChat, reply.Seq, "citizen reply in group", contains("terima kasih infonya"))
	if fwd.ReplyTo != card.MessageID {
		t.Errorf("citizen reply is a reply to %d, want the card %d", fwd.ReplyTo, card.MessageID)
	}
	h.wait(citizenAni.ID, reply.Seq, "forward confirmation", contains("sudah kami teruskan"))

	// The officer answers the forwarded reply too (it belongs to the same ticket).
	h.srv.ReplyText(officerSiti, staffChat, fwd.MessageID, "Sama-sama")
	h.wait(citizenAni.ID, fwd.Seq, "second officer reply", contains("Sama-sama"))

	// /selesai closes the ticket and the citizen is told.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai")
	h.wait(citizenAni.ID, fwd.Seq, "closure", contains("telah diselesaikan"))
	h.wait(staffChat, fwd.Seq, "closure in group", contains("diselesaikan oleh Siti Rahma"))

	st, err := h.store.Get(t.Context(), h.db, int64(ticket))
	if err != nil || st.Status != "selesai" || !st.FirstResponseAt.Valid {
		t.Errorf("ticket after close: %+v, %v", st, err)
	}
	mark := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/status")
	status := h.wait(citizenAni.ID, mark, "status", contains(fmt.Sprintf("#%d", ticket)))
	if !strings.Contains(status.Text, "selesai") {
		t.Errorf("status %q should show the ticket resolved", status.Text)
	}
}

func TestOnlyRegisteredStaffMayAct(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, "/petugas")
	h.wait(citizenBudi.ID, m, "prompt", contains("tulis pertanyaan"))
	h.srv.SendText(citizenBudi, citizenBudi.ID, "Jalan di depan rumah saya rusak parah")
	card := h.wait(staffChat, m, "card", contains("Jalan di depan rumah"))

	h.srv.ReplyText(strangerRud, staffChat, card.MessageID, "Saya coba jawab ya")
	refusal := h.wait(staffChat, card.Seq, "refusal", contains("hanya petugas terdaftar"))
	h.srv.ReplyText(strangerRud, staffChat, card.MessageID, "/selesai")
	h.wait(staffChat, refusal.Seq, "second refusal", contains("hanya petugas terdaftar"))

	for _, s := range h.srv.Messages(citizenBudi.ID) {
		if strings.Contains(s.Text, "Saya coba jawab") || strings.Contains(s.Text, "diselesaikan") {
			t.Errorf("an unregistered member reached the citizen: %q", s.Text)
		}
	}
	var status string
	if err := h.db.Get(&status, `SELECT status FROM tickets`); err != nil || status != "baru" {
		t.Errorf("ticket status %q (%v), want baru", status, err)
	}
}

func TestRedeliveredUpdateIsHandledOnce(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	in := h.srv.SendText(citizenAni, citizenAni.ID, "bagaimana cara membuat skck")
	_ = in
	h.wait(citizenAni.ID, m, "answer", contains("SKCK"))
	first := h.srv.LastUpdateID()
	if err := h.srv.Redeliver(first); err != nil {
		t.Fatal(err)
	}
	// Updates are handled in order: once this one is answered, the redelivered one has
	// been handled too.
	h.srv.SendText(citizenAni, citizenAni.ID, "cara bayar pajak kendaraan")
	h.wait(citizenAni.ID, m, "second answer", contains("Samsat"))
	n := 0
	for _, s := range h.srv.Messages(citizenAni.ID) {
		if strings.Contains(s.Text, "SKCK") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("SKCK answered %d times, want once", n)
	}
	var logged int
	if err := h.db.Get(&logged, `SELECT count(*) FROM questions`); err != nil || logged != 2 {
		t.Errorf("questions logged = %d (%v), want 2", logged, err)
	}
}

func TestTooManyRequestsIsWaitedOut(t *testing.T) {
	h := newHarness(t)
	h.srv.FailNext("sendMessage", 1, 429, 1)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")
	h.wait(citizenAni.ID, m, "answer after 429", contains("SKCK"))
}

func TestServerErrorIsRetried(t *testing.T) {
	h := newHarness(t)
	h.srv.FailNext("sendMessage", 2, 502, 0)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")
	h.wait(citizenAni.ID, m, "answer after 502s", contains("SKCK"))
}

func TestForeignButtonIsRefused(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "berapa harga emas hari ini")
	no := h.wait(citizenAni.ID, m, "no-answer", contains("belum punya jawaban"))
	data := button(t, no, "petugas")
	// Budi presses a button with Ani's question id (forged callback data).
	h.srv.PressButton(citizenBudi, citizenBudi.ID, no.MessageID, data)
	h.srv.PressButton(citizenBudi, citizenBudi.ID, no.MessageID, "esc:notanumber")
	m2 := h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, "/status")
	h.wait(citizenBudi.ID, m2, "status", contains("belum punya tiket"))
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 0 {
		t.Errorf("tickets = %d (%v): a forged button opened a ticket", n, err)
	}
	answers := h.srv.CallbackAnswers()
	if len(answers) < 2 || !strings.Contains(answers[0].Text, "bukan untuk Anda") {
		t.Errorf("callback answers %+v: the forged press should be refused politely", answers)
	}
}

func TestEnglishCitizenGetsEnglish(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenJohn, citizenJohn.ID, "/start")
	h.wait(citizenJohn.ID, m, "English greeting", contains("Welcome"))
	h.srv.SendText(citizenJohn, citizenJohn.ID, "where can I buy football tickets")
	no := h.wait(citizenJohn.ID, m, "English no-answer", contains("don't have an answer"))
	button(t, no, "petugas")
}

func TestMalformedUpdateIsSkipped(t *testing.T) {
	h := newHarness(t)
	h.srv.InjectRaw(json.RawMessage(`{"update_id": 999999, "message": {"message_id": "not a number"}}`))
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")
	h.wait(citizenAni.ID, m, "answer after a malformed update", contains("SKCK"))
}

func TestNonTextMessageGetsClearAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendPhoto(citizenAni, citizenAni.ID, "")
	h.wait(citizenAni.ID, m, "attachment notice", contains("Foto atau dokumen"))
}

func TestSmalltalkGetsAFriendlyReply(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "makasih banyak min 🙏")
	s := h.wait(citizenAni.ID, m, "reply to thanks", contains("Sama-sama"))
	if len(s.Keyboard) != 0 {
		t.Errorf("small talk got FAQ buttons: %+v", s.Keyboard)
	}
	h.srv.SendText(citizenJohn, citizenJohn.ID, "hello")
	h.wait(citizenJohn.ID, m, "English greeting reply", contains("Hello"))
}

// A restart in the middle of a conversation loses nothing: the state is in
// PostgreSQL, and updates not confirmed to Telegram are delivered again.
func TestRestartMidConversation(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, "/petugas")
	h.wait(citizenBudi.ID, m, "prompt", contains("tulis pertanyaan"))
	h.stop()
	// While the bot is down the citizen writes; a new process picks it up.
	h.srv.SendText(citizenBudi, citizenBudi.ID, "Lampu penerangan jalan di RT 3 mati semua")
	h.start()
	h.wait(citizenBudi.ID, m, "ticket after the restart", contains("Nomor tiket"))
	h.wait(staffChat, m, "card after the restart", contains("Lampu penerangan jalan"))
}
