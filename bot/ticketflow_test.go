package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/tickets"
)

// openTicket has Ani ask something the knowledge base cannot answer and press
// "Tanya petugas"; it returns the ticket's card in the staff group.
func openTicket(t *testing.T, h *harness, question string) telegramtest.Sent {
	t.Helper()
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, question)
	no := h.wait(citizenAni.ID, m, "no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	return h.wait(staffChat, m, "card", contains("Tiket #"))
}

// cardText returns the card's current text, after edits.
func cardText(t *testing.T, h *harness, card telegramtest.Sent) (string, telegramtest.Message) {
	t.Helper()
	msg, ok := h.srv.Lookup(staffChat, card.MessageID)
	if !ok {
		t.Fatal("card not found")
	}
	return msg.Text, msg
}

func TestCardButtonsTakeRaceResolveRate(t *testing.T) {
	h := newHarness(t)
	rudi := telegramtest.User{ID: 2003, FirstName: "Rudi", LastName: "Hartono"}
	if _, err := h.store.AddStaff(t.Context(), rudi.ID, "Rudi Hartono"); err != nil {
		t.Fatal(err)
	}
	card := openTicket(t, h, "lampu jalan di gang mawar mati total")
	take := button(t, card, "Ambil")
	button(t, card, "Selesai")

	// Two officers press "Ambil" at once: exactly one gets it, the other is told who.
	h.srv.PressButton(officerSiti, staffChat, card.MessageID, take)
	h.srv.PressButton(rudi, staffChat, card.MessageID, take)
	m := h.mark()
	h.wait(citizenAni.ID, 0, "taken notice", contains("sedang ditangani petugas"))
	eventually(t, "one taker and one told who took it", func() bool {
		var answers []string
		for _, a := range h.srv.CallbackAnswers() {
			answers = append(answers, a.Text)
		}
		joined := strings.Join(answers, " | ")
		return strings.Contains(joined, "Anda mengambil tiket") && strings.Contains(joined, "sudah diambil oleh Siti Rahma")
	})
	eventually(t, "card shows the taker", func() bool {
		text, _ := cardText(t, h, card)
		return strings.Contains(text, "Petugas: Siti Rahma") && strings.Contains(text, "sedang diproses")
	})

	// The officer resolves with a note; the citizen is asked for a rating.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai Lampu sudah diganti petugas PJU")
	res := h.wait(citizenAni.ID, m, "resolution", contains("telah diselesaikan"))
	if !strings.Contains(res.Text, "Lampu sudah diganti petugas PJU") {
		t.Errorf("resolution note missing: %q", res.Text)
	}
	h.srv.PressButton(citizenAni, citizenAni.ID, res.MessageID, button(t, res, "5"))
	thanks := h.wait(citizenAni.ID, res.Seq, "thanks for rating", contains("Terima kasih atas penilaian"))
	h.srv.SendText(citizenAni, citizenAni.ID, "Petugasnya cepat dan ramah")
	h.wait(citizenAni.ID, thanks.Seq, "comment saved", contains("komentar Anda untuk tiket"))
	h.wait(staffChat, res.Seq, "rating in group", contains("⭐⭐⭐⭐⭐"))
	var rated struct {
		Rating  int    `db:"rating"`
		Comment string `db:"rating_comment"`
	}
	if err := h.db.Get(&rated, `SELECT rating, rating_comment FROM tickets`); err != nil || rated.Rating != 5 || rated.Comment != "Petugasnya cepat dan ramah" {
		t.Errorf("rating = %+v (%v), want 5 with the comment", rated, err)
	}
	eventually(t, "closed card without buttons", func() bool {
		text, msg := cardText(t, h, card)
		return strings.Contains(text, "ditutup") && len(msg.ReplyMarkup) == 0
	})
}

// eventually waits up to waitFor for cond to hold.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timed out", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReopenAndCancel(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "pohon tumbang di jalan melati belum diangkut")
	m := h.mark()
	h.srv.PressButton(officerSiti, staffChat, card.MessageID, button(t, card, "Selesai"))
	res := h.wait(citizenAni.ID, m, "resolution", contains("telah diselesaikan"))
	h.srv.PressButton(citizenAni, citizenAni.ID, res.MessageID, button(t, res, "Masih bermasalah"))
	h.wait(citizenAni.ID, res.Seq, "reopened", contains("kami buka kembali"))
	h.wait(staffChat, res.Seq, "reopen notice", contains("membuka kembali tiket"))

	// Someone else cannot cancel Ani's ticket; Ani can.
	var id int64
	if err := h.db.Get(&id, `SELECT id FROM tickets`); err != nil {
		t.Fatal(err)
	}
	m = h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, fmt.Sprintf("/batal %d", id))
	h.wait(citizenBudi.ID, m, "refusal", contains("tidak ditemukan di antara tiket Anda"))
	h.srv.SendText(citizenAni, citizenAni.ID, "/batal")
	h.wait(citizenAni.ID, m, "cancelled", contains("sudah dibatalkan"))
	h.wait(staffChat, m, "cancel notice", contains("membatalkan tiket"))
	h.srv.SendText(citizenAni, citizenAni.ID, "/batal")
	h.wait(citizenAni.ID, m, "nothing to cancel", contains("tidak punya tiket yang sedang berjalan"))
	// An officer's reply to a cancelled ticket does not reach the citizen.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Sudah kami cek")
	h.wait(staffChat, m, "refused reply", contains("pesan tidak dikirim ke warga"))
	for _, s := range h.srv.Messages(citizenAni.ID) {
		if strings.Contains(s.Text, "Sudah kami cek") {
			t.Error("a reply to a cancelled ticket reached the citizen")
		}
	}
}

func TestStatusShowsLifecycle(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "saluran air depan rumah mampet")
	m := h.mark()
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Alamat lengkapnya di mana, Bu?")
	h.wait(citizenAni.ID, m, "officer question", contains("Alamat lengkapnya"))
	h.srv.SendText(citizenAni, citizenAni.ID, "/status")
	st := h.wait(citizenAni.ID, m, "status", contains("menunggu tanggapan Anda"))
	for _, want := range []string{"Dibuat", "Dijawab"} {
		if !strings.Contains(st.Text, want) {
			t.Errorf("status timeline lacks %q: %q", want, st.Text)
		}
	}
}

func TestTicketActionsAreAudited(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "jalan berlubang di depan sekolah")
	m := h.mark()
	h.srv.ReplyText(strangerRud, staffChat, card.MessageID, "saya bantu jawab")
	h.wait(staffChat, m, "refusal", contains("hanya petugas terdaftar"))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Akan kami cek besok pagi")
	h.wait(citizenAni.ID, m, "reply", contains("Akan kami cek"))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai sudah ditambal")
	h.wait(citizenAni.ID, m, "resolution", contains("telah diselesaikan"))
	var actions []string
	if err := h.db.Select(&actions, `SELECT action || ':' || actor_kind FROM audit_log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := []string{"ticket.opened:citizen", "staff.refused:staff", "ticket.reply_sent:staff", "ticket.resolved:staff"}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit trail %v, want %v", actions, want)
	}
	var leaked int
	if err := h.db.Get(&leaked, `SELECT count(*) FROM audit_log WHERE detail::text LIKE '%cek besok%'`); err != nil || leaked != 0 {
		t.Errorf("message text found in the audit log (%d, %v)", leaked, err)
	}
}

func TestMyDataAndErasure(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "NIK saya 3201234567890001, kenapa data saya tidak muncul di bansos")
	if strings.Contains(card.Text, "3201234567890001") {
		t.Errorf("the card shows a NIK in clear: %q", card.Text)
	}
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/datasaya")
	d := h.wait(citizenAni.ID, m, "my data", contains("Data Anda di Loket"))
	if !strings.Contains(d.Text, "Ani Lestari") || !strings.Contains(d.Text, "#1") {
		t.Errorf("/datasaya lacks the name or the ticket: %q", d.Text)
	}
	h.srv.SendText(citizenAni, citizenAni.ID, "/hapusdata")
	ask := h.wait(citizenAni.ID, d.Seq, "confirmation", contains("Hapus data pribadi Anda"))
	h.srv.PressButton(citizenAni, citizenAni.ID, ask.MessageID, button(t, ask, "Ya, hapus"))
	h.wait(citizenAni.ID, ask.Seq, "erased", contains("sudah kami hapus"))

	var left int
	if err := h.db.Get(&left, `SELECT count(*) FROM citizens WHERE telegram_user_id = $1`, citizenAni.ID); err != nil || left != 0 {
		t.Errorf("citizen row left: %d (%v)", left, err)
	}
	var tk struct {
		Citizen  int64  `db:"citizen_id"`
		Question string `db:"question"`
		Status   string `db:"status"`
	}
	if err := h.db.Get(&tk, `SELECT citizen_id, question, status FROM tickets`); err != nil {
		t.Fatal(err)
	}
	if tk.Citizen != 0 || strings.Contains(tk.Question, "bansos") || tk.Status != "dibatalkan" {
		t.Errorf("ticket after erasure: %+v", tk)
	}
	var words int
	if err := h.db.Get(&words, `SELECT count(*) FROM ticket_messages WHERE body LIKE '%bansos%'`); err != nil || words != 0 {
		t.Errorf("the citizen's words survive in %d messages (%v)", words, err)
	}
	var erased int
	if err := h.db.Get(&erased, `SELECT count(*) FROM audit_log WHERE action = 'citizen.data_erased'`); err != nil || erased != 1 {
		t.Errorf("erasure audited %d times (%v)", erased, err)
	}
}

func TestConsentBeforeTicket(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenDewi, citizenDewi.ID, "/petugas jalan depan rumah saya banjir terus")
	consent := h.wait(citizenDewi.ID, m, "consent", contains("Apakah Anda setuju"))
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 0 {
		t.Fatalf("a ticket was opened before consent (%d, %v)", n, err)
	}
	h.srv.PressButton(citizenDewi, citizenDewi.ID, consent.MessageID, button(t, consent, "Setuju"))
	h.wait(citizenDewi.ID, consent.Seq, "ticket", contains("Nomor tiket"))
	card := h.wait(staffChat, m, "card", contains("banjir"))

	// Declining keeps the question from the officers.
	m = h.mark()
	h.srv.SendText(citizenDewi, citizenDewi.ID, "/petugas pertanyaan kedua")
	second := h.wait(citizenDewi.ID, m, "ticket without asking again", contains("Nomor tiket"))
	_ = second

	// A free message while a ticket waits for the citizen goes into that ticket.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Di RT berapa, Bu?")
	h.wait(citizenDewi.ID, m, "officer question", contains("Di RT berapa"))
	m = h.mark()
	h.srv.SendText(citizenDewi, citizenDewi.ID, "RT 05 RW 02")
	into := h.wait(citizenDewi.ID, m, "into the ticket", contains("sebagai tanggapan untuk tiket"))
	h.wait(staffChat, m, "forwarded to the card", contains("RT 05 RW 02"))
	// ...unless the citizen says it is a new question.
	h.srv.PressButton(citizenDewi, citizenDewi.ID, into.MessageID, button(t, into, "pertanyaan baru"))
	h.wait(citizenDewi.ID, into.Seq, "answered as a question", func(s telegramtest.Sent) bool {
		return strings.Contains(s.Text, "belum punya jawaban") || len(s.Keyboard) > 0
	})
}

func TestConsentDeclined(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenDewi, citizenDewi.ID, "/petugas tolong bantu")
	consent := h.wait(citizenDewi.ID, m, "consent", contains("Apakah Anda setuju"))
	h.srv.PressButton(citizenDewi, citizenDewi.ID, consent.MessageID, button(t, consent, "Tidak setuju"))
	h.wait(citizenDewi.ID, consent.Seq, "declined", contains("tidak kami teruskan"))
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 0 {
		t.Errorf("%d tickets after declining (%v)", n, err)
	}
}

func TestInternalNote(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "sampah di jalan kenanga belum diangkut seminggu")
	m := h.mark()
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/catatan sudah koordinasi dengan DLH")
	h.wait(staffChat, m, "note saved", contains("Catatan internal"))
	h.srv.SendText(citizenAni, citizenAni.ID, "/status")
	h.wait(citizenAni.ID, m, "status", contains("#1"))
	for _, s := range h.srv.Messages(citizenAni.ID) {
		if strings.Contains(s.Text, "koordinasi dengan DLH") {
			t.Fatal("an internal note reached the citizen")
		}
	}
	var internal bool
	if err := h.db.Get(&internal, `SELECT internal FROM ticket_messages WHERE body LIKE '%DLH%'`); err != nil || !internal {
		t.Errorf("note stored as internal = %v (%v)", internal, err)
	}
}

func TestDeadlineRemindersAndAutoClose(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "tiang listrik miring di jalan anggrek")
	ctx := t.Context()
	m := h.mark()
	if _, err := h.db.Exec(`UPDATE tickets SET due_at = now() + interval '30 minutes'`); err != nil {
		t.Fatal(err)
	}
	if err := h.engine.RunJobsOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	soon := h.wait(staffChat, m, "reminder", contains("belum ditanggapi"))
	if soon.ReplyTo != card.MessageID {
		t.Errorf("reminder replies to %d, want the card %d", soon.ReplyTo, card.MessageID)
	}
	if _, err := h.db.Exec(`UPDATE tickets SET due_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second run must not repeat anything
		if err := h.engine.RunJobsOnce(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	h.wait(staffChat, soon.Seq, "breach alert", contains("melewati batas waktu tanggapan"))
	if !strings.Contains(card.Text, "Tanggapi sebelum") || !strings.Contains(card.Text, "Selesaikan sebelum") {
		t.Errorf("card lacks its deadlines: %q", card.Text)
	}
	if _, err := h.db.Exec(`UPDATE tickets SET resolve_due_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	if err := h.engine.RunJobsOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	h.wait(staffChat, soon.Seq, "resolution alert", contains("batas waktu penyelesaian"))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Alamat persisnya di mana?")
	h.wait(citizenAni.ID, m, "officer question", contains("Alamat persisnya"))

	// The citizen never answers: after the working days allowed the ticket closes.
	if _, err := h.db.Exec(`UPDATE tickets SET updated_at = now() - interval '40 days'`); err != nil {
		t.Fatal(err)
	}
	m = h.mark()
	if err := h.engine.RunJobsOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	h.wait(citizenAni.ID, m, "auto-close notice", contains("kami tutup karena belum ada tanggapan"))
	var status string
	if err := h.db.Get(&status, `SELECT status FROM tickets`); err != nil || status != "ditutup" {
		t.Errorf("status %q (%v), want ditutup", status, err)
	}
	n := 0
	for _, s := range h.srv.Messages(staffChat) {
		if strings.Contains(s.Text, "melewati batas waktu") || strings.Contains(s.Text, "belum ditanggapi") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d deadline notices, want exactly one reminder and two alerts", n)
	}
}

func TestAttachmentsFlowBothWays(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "jalan depan sekolah rusak berat")
	m := h.mark()
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Boleh kirim fotonya?")
	h.wait(citizenAni.ID, m, "officer question", contains("kirim fotonya"))
	h.srv.SendPhoto(citizenAni, citizenAni.ID, "ini fotonya, NIK saya 3201234567890001")
	h.wait(citizenAni.ID, m, "forwarded", contains("Lampiran Anda sudah kami teruskan"))
	cp, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > m && s.Method == "copyMessage" && s.ChatID == staffChat
	})
	if err != nil {
		t.Fatal(err)
	}
	if cp.ReplyTo != card.MessageID || strings.Contains(cp.Text, "3201234567890001") {
		t.Errorf("copy in the group: reply to %d (card %d), caption %q", cp.ReplyTo, card.MessageID, cp.Text)
	}
	// The officer answers with a document, as a reply to the card.
	h.srv.Post(officerSiti, staffChat, telegramtest.Incoming{Document: true, ReplyTo: card.MessageID, Text: "Formulir pengaduan"})
	back, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > cp.Seq && s.Method == "copyMessage" && s.ChatID == citizenAni.ID
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(back.Text, "Lampiran dari petugas") || !strings.Contains(back.Text, "Formulir pengaduan") {
		t.Errorf("copy to the citizen has caption %q", back.Text)
	}
	// Both files are kept by their Telegram file id, for the console; the NIK in the
	// caption is masked.
	var kinds []string
	if err := h.db.Select(&kinds, `SELECT author || ':' || file_kind || ':' || body FROM ticket_messages
		WHERE file_id <> '' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 || !strings.HasPrefix(kinds[0], "citizen:photo:") || strings.Contains(kinds[0], "3201234567890001") ||
		kinds[1] != "staff:document:Formulir pengaduan" {
		t.Errorf("stored attachments %q", kinds)
	}
}

// Without the consent step (LOKET_CONSENT_BEFORE_TICKET=false), pressing "Tanya petugas" opens the ticket.
func TestTicketWithoutConsentStep(t *testing.T) {
	h := newHarness(t)
	h.stop()
	h.noConsent = true
	h.start()
	m := h.mark()
	h.srv.SendText(citizenDewi, citizenDewi.ID, "berapa harga cabai hari ini")
	no := h.wait(citizenDewi.ID, m, "no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenDewi, citizenDewi.ID, no.MessageID, button(t, no, "petugas"))
	h.wait(citizenDewi.ID, no.Seq, "ticket", contains("Nomor tiket"))
	h.wait(staffChat, m, "card", contains("harga cabai"))
}

func TestDailySummaryOncePerWorkingDay(t *testing.T) {
	h := newHarness(t)
	openTicket(t, h, "trotoar di jalan dahlia rusak")
	monday := time.Date(2030, time.January, 7, 9, 0, 0, 0, time.UTC) // a Monday, office open
	m := h.mark()
	for range 2 {
		if err := h.engine.RunJobsOnce(t.Context(), monday); err != nil {
			t.Fatal(err)
		}
	}
	s := h.wait(staffChat, m, "summary", contains("Ringkasan harian"))
	if !strings.Contains(s.Text, "1 terbuka") {
		t.Errorf("summary %q should count the open ticket", s.Text)
	}
	if err := h.engine.RunJobsOnce(t.Context(), monday.AddDate(0, 0, 5)); err != nil { // Saturday
		t.Fatal(err)
	}
	if err := h.engine.RunJobsOnce(t.Context(), monday.AddDate(0, 0, 1)); err != nil { // Tuesday
		t.Fatal(err)
	}
	h.wait(staffChat, s.Seq, "next day's summary", contains("Ringkasan harian"))
	n := 0
	for _, x := range h.srv.Messages(staffChat) {
		if strings.Contains(x.Text, "Ringkasan harian") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d summaries, want one on Monday and one on Tuesday", n)
	}
}

// With a supervisors' chat, the daily summary goes there, and breach alerts go both to
// the unit's group and to the supervisors, naming the unit and the officer;
// confidential reports are never mentioned there.
func TestSupervisorChat(t *testing.T) {
	const supervisors = -100777
	h := newHarness(t)
	h.stop()
	h.srv.AddGroup(supervisors, "Pimpinan")
	h.supervisorChat = supervisors
	h.start()
	openTicket(t, h, "lampu jalan di gang melati mati")
	openTicket(t, h, "ada pungutan liar di loket")
	if _, err := h.db.Exec(`UPDATE tickets SET confidential = true WHERE id = (SELECT max(id) FROM tickets)`); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Exec(`UPDATE tickets SET due_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	m := h.mark()
	monday := time.Date(2030, time.January, 7, 9, 0, 0, 0, time.UTC)
	if err := h.engine.RunJobsOnce(t.Context(), monday); err != nil {
		t.Fatal(err)
	}
	h.wait(supervisors, m, "summary", contains("Ringkasan harian"))
	alert := h.wait(supervisors, m, "breach alert", contains("melewati batas waktu tanggapan"))
	if !strings.Contains(alert.Text, "Petugas: belum diambil") {
		t.Errorf("alert %q should say nobody took the ticket", alert.Text)
	}
	h.wait(staffChat, m, "alert in the unit's group", contains("melewati batas waktu tanggapan"))
	secret := fmt.Sprintf("#%d ", newestTicket(t, h))
	for _, s := range h.srv.Messages(supervisors) {
		if strings.Contains(s.Text, secret) {
			t.Errorf("the supervisors' chat was told about the confidential ticket: %q", s.Text)
		}
	}
	for _, s := range h.srv.Messages(staffChat) {
		if s.Seq > m && strings.Contains(s.Text, "Ringkasan harian") {
			t.Errorf("the summary also went to the staff group")
		}
	}
}

// newestTicket is the newest ticket's number.
func newestTicket(t *testing.T, h *harness) int64 {
	t.Helper()
	var id int64
	if err := h.db.Get(&id, `SELECT max(id) FROM tickets`); err != nil {
		t.Fatal(err)
	}
	return id
}

// Holidays imported while the bot runs move the deadlines of tickets opened after the
// next calendar reload, without a restart.
func TestHolidaysImportedWhileRunning(t *testing.T) {
	h := newHarness(t)
	h.stop()
	always := tickets.OfficeHours{}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		always[wd] = []tickets.Span{{From: 0, To: 24 * 60}}
	}
	cal, err := tickets.NewCalendar(time.UTC, always, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.calendar = cal
	h.start()
	now := time.Now().UTC()
	var hs []tickets.Holiday
	for d := 1; d <= 3; d++ {
		hs = append(hs, tickets.Holiday{Date: now.AddDate(0, 0, d).Format(time.DateOnly), Name: "Libur uji", Kind: tickets.KindLibur})
	}
	if _, _, err := h.store.ImportHolidays(t.Context(), hs, false); err != nil {
		t.Fatal(err)
	}
	if err := h.engine.ReloadCalendar(t.Context()); err != nil {
		t.Fatal(err)
	}
	openTicket(t, h, "jembatan di desa kami ambruk")
	var due time.Time
	if err := h.db.Get(&due, `SELECT due_at FROM tickets`); err != nil {
		t.Fatal(err)
	}
	if due.Before(now.AddDate(0, 0, 4)) {
		t.Errorf("first response due %s: the three holidays from tomorrow were not counted", due)
	}
}
