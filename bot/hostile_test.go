package bot_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/hostile"

	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/tickets"
)

// One citizen flooding the bot gets a burst of answers and one notice to slow down;
// another citizen's question in the middle is answered promptly, and the flooding
// citizen's buttons keep working.
func TestFloodingCitizenIsSlowedOthersAreNot(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	start := time.Now()
	var budiAsked time.Time
	for i := range 100 {
		h.srv.SendText(citizenAni, citizenAni.ID, fmt.Sprintf("cara membuat skck nomor %d", i))
		if i == 50 {
			budiAsked = time.Now()
			h.srv.SendText(citizenBudi, citizenBudi.ID, "cara bayar pajak kendaraan")
		}
	}
	h.wait(citizenBudi.ID, m, "Budi's answer", contains("Samsat"))
	if d := time.Since(budiAsked); d > 5*time.Second {
		t.Errorf("Budi waited %v for his answer behind Ani's flood", d)
	}
	h.srv.SendText(citizenBudi, citizenBudi.ID, "cara membuat skck")
	h.wait(citizenBudi.ID, m, "Budi's second answer", contains("SKCK"))
	// Chats are handled at once: wait until every one of Ani's updates is handled too.
	eventually(t, "all 102 updates handled", func() bool {
		var n int
		return h.db.Get(&n, `SELECT count(*) FROM processed_updates`) == nil && n >= 102
	})
	elapsed := time.Since(start)

	var answers, notices, logged, handled int
	if err := h.db.Get(&answers, `SELECT count(*) FROM outbox WHERE chat_id = $1 AND method = 'sendMessage'
		AND params->>'text' NOT LIKE 'Mohon tunggu sebentar%'`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Get(&notices, `SELECT count(*) FROM outbox WHERE chat_id = $1 AND params->>'text' LIKE 'Mohon tunggu sebentar%'`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Get(&logged, `SELECT count(*) FROM questions WHERE citizen_id = $1`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Get(&handled, `SELECT count(*) FROM processed_updates`); err != nil {
		t.Fatal(err)
	}
	// A burst of 8, then one every 3 s.
	most := 8 + int(elapsed/(3*time.Second)) + 1
	if answers < 8 || answers > most {
		t.Errorf("Ani got %d answers in %v, want 8..%d", answers, elapsed, most)
	}
	if notices != 1 {
		t.Errorf("Ani got %d notices to slow down, want exactly one", notices)
	}
	if logged != answers {
		t.Errorf("%d of Ani's questions logged, want only the %d answered", logged, answers)
	}
	if handled < 102 {
		t.Errorf("%d updates recorded as processed, want all 102", handled)
	}

	// Her buttons still work: an answer's "Tanya petugas" opens a ticket.
	var ans telegramtest.Sent
	eventually(t, "an answer to Ani delivered", func() bool {
		for _, s := range h.srv.Messages(citizenAni.ID) {
			if len(s.Keyboard) > 0 {
				ans = s
				return true
			}
		}
		return false
	})
	m = h.mark()
	h.srv.PressButton(citizenAni, citizenAni.ID, ans.MessageID, button(t, ans, "petugas"))
	h.wait(citizenAni.ID, m, "ticket opened while slowed", contains("Nomor tiket"))
	// An escalation she started goes through while her questions are slowed.
	h.srv.SendText(citizenAni, citizenAni.ID, "/petugas")
	h.wait(citizenAni.ID, m, "officer prompt", contains("tulis pertanyaan"))
	h.srv.SendText(citizenAni, citizenAni.ID, "selokan di jalan kenanga tersumbat")
	h.wait(citizenAni.ID, m, "ticket from /petugas while slowed", contains("Nomor tiket: #2"))
	// English citizens are told in English.
	for i := range 12 {
		h.srv.SendText(citizenJohn, citizenJohn.ID, fmt.Sprintf("how to get skck %d", i))
	}
	h.wait(citizenJohn.ID, m, "English notice", contains("Please wait a moment"))
}

// A citizen with maxOpenTickets open tickets is shown them instead of a new ticket;
// once one is withdrawn, a new one opens.
func TestOpenTicketCap(t *testing.T) {
	h := newHarness(t)
	first := openTicket(t, h, "lampu jalan di gang mawar mati total")
	_ = first
	for _, q := range []string{"selokan di jalan kenanga tersumbat", "<b>trotoar</b> & taman rusak"} {
		m := h.mark()
		h.srv.SendText(citizenAni, citizenAni.ID, "/petugas "+q)
		h.wait(citizenAni.ID, m, "ticket", contains("Nomor tiket"))
	}
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/petugas pohon tumbang di jalan melati")
	capped := h.wait(citizenAni.ID, m, "cap notice", contains("3 tiket yang masih terbuka"))
	for _, want := range []string{"#1", "#2", "#3", "<b>trotoar</b> & taman rusak", "/batal", "/status"} {
		if !strings.Contains(capped.Text, want) {
			t.Errorf("cap notice %q lacks %q", capped.Text, want)
		}
	}
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 3 {
		t.Fatalf("tickets = %d (%v), want 3", n, err)
	}
	// "Tanya petugas" pressed again on the first ticket's question only shows its number.
	var no telegramtest.Sent
	for _, s := range h.srv.Messages(citizenAni.ID) {
		if strings.Contains(s.Text, "belum punya jawaban") {
			no = s
		}
	}
	m = h.mark()
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	h.wait(citizenAni.ID, m, "existing ticket", contains("sudah menjadi tiket"))
	// A question the bot cannot answer is capped the same way.
	h.srv.SendText(citizenAni, citizenAni.ID, "berapa harga emas hari ini")
	no = h.wait(citizenAni.ID, m, "no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	h.wait(citizenAni.ID, no.Seq, "cap notice for a button", contains("3 tiket yang masih terbuka"))
	// Another citizen is not affected.
	h.srv.SendText(citizenBudi, citizenBudi.ID, "/petugas jalan berlubang di depan pasar")
	h.wait(citizenBudi.ID, m, "Budi's ticket", contains("Nomor tiket"))

	h.srv.SendText(citizenAni, citizenAni.ID, "/batal 2")
	h.wait(citizenAni.ID, m, "cancelled", contains("dibatalkan"))
	m = h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/petugas pohon tumbang di jalan melati")
	h.wait(citizenAni.ID, m, "ticket after withdrawing one", contains("Nomor tiket"))
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets WHERE citizen_id = $1 AND status IN ('baru', 'diproses', 'menunggu_warga')`, citizenAni.ID); err != nil || n != 3 {
		t.Errorf("Ani's open tickets = %d (%v), want 3", n, err)
	}
}

// Malformed and unknown updates, and a 1 MB one, are skipped; the poller goes on.
func TestHostileUpdatesAreSkipped(t *testing.T) {
	h := newHarness(t)
	big := fmt.Sprintf(`{"update_id": 700009, "message": {"message_id": 1, "date": 0, "chat": {"id": %d, "type": "private"}, "from": {"id": %d, "first_name": "Ani"}, "text": %q}}`,
		citizenAni.ID, citizenAni.ID, strings.Repeat("skck ", 200_000))
	for _, raw := range []string{
		`{"update_id": 700000, "message": {"message_id": "not a number"}}`,
		`{"update_id": 700001, "future_update_kind": {"x": 1}}`,
		`{"update_id": 700002, "message": {"message_id": 5, "date": 0}}`,              // no chat, no sender
		`{"update_id": 700004, "callback_query": {"id": "x", "data": "tk:rate:1:5"}}`, // no sender
		`{"update_id": 700005, "message": null, "edited_message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"}}`,
		`[1, 2, 3]`,
		`"just a string"`,
		`{"update_id": 700006, "message": {"message_id": 1, "date": 0, "chat": {"id": 1001, "type": "private"}, "from": {"id": 1001, "first_name": "Ani"}, "text": "/start\u0000"}}`,
		big,
	} {
		h.srv.InjectRaw(json.RawMessage(raw))
	}
	m := h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, "cara membuat skck")
	h.wait(citizenBudi.ID, m, "answer after hostile updates", contains("SKCK"))
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 0 {
		t.Errorf("tickets = %d (%v), want none", n, err)
	}
	if err := h.db.Get(&n, `SELECT count(*) FROM questions WHERE citizen_id = $1`, citizenAni.ID); err != nil || n != 0 {
		t.Errorf("Ani's questions logged = %d (%v): the 1 MB update was handled", n, err)
	}
}

// hostileTexts are what someone might type to break Loket (internal/hostile).
var hostileTexts = hostile.Texts()

// Hostile text through every way a citizen or officer writes to the bot breaks
// nothing: the tables stay, the messages are valid for Telegram (the harness fails
// the test on a rejected send) and the text arrives as text.
func TestHostileTextThroughTheBot(t *testing.T) {
	for i, s := range hostileTexts {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			t.Parallel() // a harness each: the staff group's pace allows a few messages a minute
			hostileRoundTrip(t, s)
		})
	}
}

// hostileRoundTrip sends s as a question, a ticket, an officer's reply, the
// citizen's answer, a resolution note, a rating comment and a confidential report.
func hostileRoundTrip(t *testing.T, s string) {
	h := newHarness(t)
	ctx := t.Context()
	const inspektorat = int64(-300300)
	h.srv.AddGroup(inspektorat, "Inspektorat")
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "inspektorat", Name: "Inspektorat <Kota> & Co", IsIntegrity: true,
		StaffChatID: sql.NullInt64{Int64: inspektorat, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	plain := strings.ReplaceAll(s, "\x00", "")
	m := h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, s)
	h.wait(citizenBudi.ID, m, "reply to the question", func(telegramtest.Sent) bool { return true })

	h.srv.SendText(citizenAni, citizenAni.ID, "/petugas "+s)
	h.wait(citizenAni.ID, m, "ticket", contains("Nomor tiket"))
	id := newestTicket(t, h)
	card := h.wait(staffChat, m, "card", contains(fmt.Sprintf("Tiket #%d", id)))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, s)
	reply := h.wait(citizenAni.ID, card.Seq, "officer reply", contains(fmt.Sprintf("Balasan petugas untuk tiket #%d", id)))
	if len(plain) < 1000 && !strings.Contains(reply.Text, strings.TrimSpace(plain)) {
		t.Errorf("officer's text %q did not arrive as text: %q", plain, reply.Text)
	}
	h.srv.ReplyText(citizenAni, citizenAni.ID, reply.MessageID, s)
	h.wait(citizenAni.ID, reply.Seq, "forwarded", contains("sudah kami teruskan"))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai "+s)
	res := h.wait(citizenAni.ID, reply.Seq, "resolution", contains("Seberapa puas"))
	h.srv.PressButton(citizenAni, citizenAni.ID, res.MessageID, button(t, res, "5"))
	thanks := h.wait(citizenAni.ID, res.Seq, "thanks", contains("Terima kasih atas penilaian"))
	h.srv.SendText(citizenAni, citizenAni.ID, s)
	h.wait(citizenAni.ID, thanks.Seq, "comment", contains("komentar Anda untuk tiket"))

	m = h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/lapor")
	h.wait(citizenAni.ID, m, "report prompt", contains("Laporan rahasia"))
	h.srv.SendText(citizenAni, citizenAni.ID, s)
	ask := h.wait(citizenAni.ID, m, "identity choice", contains("nama Anda boleh ditampilkan"))
	h.srv.PressButton(citizenAni, citizenAni.ID, ask.MessageID, button(t, ask, "anonim"))
	h.wait(citizenAni.ID, ask.Seq, "report filed", contains("hanya dapat dibaca oleh"))
	h.wait(inspektorat, m, "report card", contains("Tiket #"))

	var stored struct {
		Question string `db:"question"`
		Comment  string `db:"rating_comment"`
		Rating   int    `db:"rating"`
	}
	if err := h.db.Get(&stored, `SELECT question, rating_comment, rating FROM tickets WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if stored.Question != strings.TrimSpace(plain) || stored.Rating != 5 || stored.Comment == "" {
		t.Errorf("ticket %d stored %+v for %q", id, stored, plain)
	}
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM tickets`); err != nil || n != 2 {
		t.Errorf("tickets = %d (%v), want 2", n, err)
	}
	for _, table := range []string{"questions", "ticket_messages", "citizens", "audit_log", "outbox"} {
		if err := h.db.Get(&n, `SELECT count(*) FROM `+table); err != nil || n == 0 {
			t.Errorf("table %s: %d rows (%v)", table, n, err)
		}
	}
}

// Buttons pressed by someone they were not sent to, forged, garbled or over-long are
// refused with a clear answer, and nothing changes.
func TestForgedButtonsChangeNothing(t *testing.T) {
	h := newHarness(t)
	card := openTicket(t, h, "lampu jalan di gang mawar mati total")
	id := newestTicket(t, h)
	take, done, hand := button(t, card, "Ambil"), button(t, card, "Selesai"), button(t, card, "Alihkan")
	// The officer asks something back; Ani's free message goes into the ticket and
	// carries a "new question" button; then the ticket is resolved.
	m := h.mark()
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Di nomor berapa tiangnya?")
	h.wait(citizenAni.ID, m, "officer reply", contains("Balasan petugas"))
	h.srv.SendText(citizenAni, citizenAni.ID, "Tiang nomor 12")
	into := h.wait(citizenAni.ID, m, "into the ticket", func(s telegramtest.Sent) bool { return len(s.Keyboard) > 0 })
	newQuestion := into.Keyboard[0][0].CallbackData
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "/selesai Sudah diganti")
	res := h.wait(citizenAni.ID, m, "resolution", contains("Seberapa puas"))
	rate, reopen := button(t, res, "5"), button(t, res, "Masih bermasalah")
	// A second ticket, still open, for /batal.
	h.srv.SendText(citizenAni, citizenAni.ID, "/petugas selokan tersumbat")
	h.wait(citizenAni.ID, m, "second ticket", contains(fmt.Sprintf("#%d", id+1)))
	var qid int64
	if err := h.db.Get(&qid, `SELECT question_id FROM tickets WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var s string
		if err := h.db.Get(&s, `SELECT json_agg(x ORDER BY id)::text FROM (
			SELECT id, status, rating, rating_comment, assignee_id, unit, updated_at,
				(SELECT count(*) FROM ticket_messages WHERE ticket_id = t.id) AS messages
			FROM tickets t) x`); err != nil {
			t.Fatal(err)
		}
		return s
	}
	eventually(t, "the bot idle", func() bool { return len(h.srv.UnansweredCallbacks()) == 0 })
	before := snapshot()

	notYours, expired := "bukan untuk Anda", "sudah tidak berlaku"
	presses := []struct {
		who  telegramtest.User
		chat int64
		data string
		want string
	}{
		{citizenBudi, citizenBudi.ID, rate, notYours},
		{citizenBudi, citizenBudi.ID, reopen, notYours},
		{citizenBudi, citizenBudi.ID, newQuestion, notYours},
		{citizenBudi, citizenBudi.ID, fmt.Sprintf("cs:1:%d", qid), notYours},
		{citizenBudi, citizenBudi.ID, fmt.Sprintf("pick:%d:0", qid), notYours},
		{citizenBudi, citizenBudi.ID, fmt.Sprintf("fb1:%d", qid), notYours},
		// Staff card buttons pressed by citizens, in their chat or (not a member) the group.
		{citizenAni, citizenAni.ID, take, notYours},
		{citizenBudi, citizenBudi.ID, done, notYours},
		{citizenBudi, citizenBudi.ID, hand, notYours},
		{citizenBudi, citizenBudi.ID, fmt.Sprintf("tk:to:%d:disdukcapil", id+1), notYours},
		{strangerRud, staffChat, done, "hanya petugas terdaftar"},
		// Garbled, unknown and over-long data.
		{citizenBudi, citizenBudi.ID, "tk:rate:1:99", expired},
		{citizenBudi, citizenBudi.ID, "tk:take:-1", expired},
		{citizenBudi, citizenBudi.ID, "tk:rate:99999999999999999999:5", expired},
		{citizenBudi, citizenBudi.ID, "tk:to:1:../../etc/passwd", expired},
		{citizenBudi, citizenBudi.ID, "tk:", expired},
		{citizenBudi, citizenBudi.ID, "", expired},
		{citizenBudi, citizenBudi.ID, "'; DROP TABLE tickets; --", expired},
		{citizenBudi, citizenBudi.ID, "cs:2:1", expired},
		{citizenBudi, citizenBudi.ID, "nq:<script>", expired},
		{citizenBudi, citizenBudi.ID, "lp:named", expired},
		{citizenBudi, citizenBudi.ID, "lyc:zzzz:1", expired},
		{citizenBudi, citizenBudi.ID, "esc:" + strings.Repeat("9", 300), expired},
		{citizenBudi, citizenBudi.ID, strings.Repeat("tk:rate:", 200), expired},
	}
	m0 := h.mark()
	ids := make([]string, len(presses))
	for i, p := range presses {
		ids[i] = h.srv.PressButton(p.who, p.chat, 1, p.data)
	}
	m = h.mark()
	h.srv.SendText(citizenBudi, citizenBudi.ID, fmt.Sprintf("/batal %d", id+1))
	h.wait(citizenBudi.ID, m, "cancel refused", contains(fmt.Sprintf("Tiket #%d tidak ditemukan", id+1)))
	answers := map[string]string{}
	for _, a := range h.srv.CallbackAnswers() {
		answers[a.QueryID] = a.Text
	}
	for i, p := range presses {
		got, ok := answers[ids[i]]
		if !ok || !strings.Contains(got, p.want) {
			t.Errorf("%s pressing %.40q: answer %q (answered %v), want %q", p.who.FirstName, p.data, got, ok, p.want)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("tickets changed:\nbefore %s\nafter  %s", before, after)
	}
	for _, s := range h.srv.All() {
		if s.Seq > m0 && (s.ChatID == citizenAni.ID || s.ChatID == staffChat) {
			t.Errorf("a forged press reached chat %d: %s %q", s.ChatID, s.Method, s.Text)
		}
	}
}
