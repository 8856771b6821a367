package bot_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/tickets"
)

func TestRoutingToUnitsAndHandover(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	const polresGroup = int64(-200200)
	h.srv.AddGroup(polresGroup, "Petugas Polres")
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "polres", Name: "Polres Kota", StaffChatID: sql.NullInt64{Int64: polresGroup, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "triase", Name: "Tim Triase", IsDefault: true}); err != nil {
		t.Fatal(err)
	}
	rudi := telegramtest.User{ID: 2010, FirstName: "Rudi"}
	if _, err := h.store.SetStaff(ctx, rudi.ID, "Rudi", tickets.RoleOfficer, []string{"polres"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetStaff(ctx, officerSiti.ID, "Siti Rahma", tickets.RoleOfficer, []string{"triase"}); err != nil {
		t.Fatal(err)
	}

	// A question answered by a Polres FAQ becomes a Polres ticket, in the Polres group.
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "bagaimana cara membuat skck")
	ans := h.wait(citizenAni.ID, m, "answer", contains("SKCK"))
	h.srv.PressButton(citizenAni, citizenAni.ID, ans.MessageID, button(t, ans, "petugas"))
	card := h.wait(polresGroup, m, "card in the Polres group", contains("Tiket #"))

	// An officer of another unit may not act on it; a Polres officer may.
	h.srv.ReplyText(officerSiti, polresGroup, card.MessageID, "Saya jawab ya")
	h.wait(polresGroup, card.Seq, "refusal", contains("ditangani unit lain"))
	h.srv.ReplyText(rudi, polresGroup, card.MessageID, "Silakan datang ke Polres dengan KTP.")
	h.wait(citizenAni.ID, card.Seq, "reply", contains("datang ke Polres"))

	// Rudi hands it over to triage: a new card in the default group, the citizen told.
	m = h.mark()
	h.srv.ReplyText(rudi, polresGroup, card.MessageID, "/alihkan triase bukan urusan SKCK")
	h.wait(citizenAni.ID, m, "handover notice", contains("kini ditangani oleh"))
	newCard := h.wait(staffChat, m, "card in the default group", contains("Tiket #"))
	eventually(t, "old card shows the handover", func() bool {
		msg, ok := h.srv.Lookup(polresGroup, card.MessageID)
		return ok && strings.Contains(msg.Text, "dialihkan ke Tim Triase") && len(msg.ReplyMarkup) == 0
	})
	h.srv.ReplyText(officerSiti, staffChat, newCard.MessageID, "Kami bantu dari triase.")
	h.wait(citizenAni.ID, newCard.Seq, "reply from triage", contains("Kami bantu dari triase"))
	var note int
	if err := h.db.Get(&note, `SELECT count(*) FROM ticket_messages WHERE internal AND body LIKE '%bukan urusan SKCK%'`); err != nil || note != 1 {
		t.Errorf("handover note stored internally %d times (%v)", note, err)
	}
}

func TestConfidentialReportGoesOnlyToTheIntegrityUnit(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/lapor")
	h.wait(citizenAni.ID, m, "not set up", contains("belum disiapkan"))

	const inspektorat = int64(-300300)
	h.srv.AddGroup(inspektorat, "Inspektorat")
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "inspektorat", Name: "Inspektorat Kota", IsIntegrity: true,
		StaffChatID: sql.NullInt64{Int64: inspektorat, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	auditor := telegramtest.User{ID: 2020, FirstName: "Wati"}
	if _, err := h.store.SetStaff(ctx, auditor.ID, "Wati", tickets.RoleOfficer, []string{"inspektorat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetStaff(ctx, officerSiti.ID, "Siti Rahma", tickets.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	m = h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "/lapor")
	h.wait(citizenAni.ID, m, "prompt", contains("Laporan rahasia"))
	h.srv.SendText(citizenAni, citizenAni.ID, "Petugas loket KTP minta uang Rp100.000 supaya cepat jadi")
	ask := h.wait(citizenAni.ID, m, "identity choice", contains("nama Anda boleh ditampilkan"))
	h.srv.PressButton(citizenAni, citizenAni.ID, ask.MessageID, button(t, ask, "anonim"))
	h.wait(citizenAni.ID, ask.Seq, "filed", contains("hanya dapat dibaca oleh"))
	card := h.wait(inspektorat, m, "card in the Inspektorat group", contains("Tiket #"))
	if strings.Contains(card.Text, "Ani") || !strings.Contains(card.Text, "Pelapor anonim") {
		t.Errorf("anonymous report card shows %q", card.Text)
	}
	for _, s := range h.srv.Messages(staffChat) {
		if strings.Contains(s.Text, "Rp100.000") {
			t.Fatal("the report reached the general staff group")
		}
	}
	// Not even an admin outside the integrity unit may act on it.
	h.srv.ReplyText(officerSiti, inspektorat, card.MessageID, "Saya tangani")
	h.wait(inspektorat, card.Seq, "refusal", contains("ditangani unit lain"))
	h.srv.ReplyText(auditor, inspektorat, card.MessageID, "Terima kasih, laporan sedang kami telusuri.")
	h.wait(citizenAni.ID, card.Seq, "reply", contains("sedang kami telusuri"))
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM questions WHERE text LIKE '%Rp100.000%'`); err != nil || n != 0 {
		t.Errorf("the report is in the question log editors read (%d, %v)", n, err)
	}
}

func TestHandoverWithButtons(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	const polresGroup = int64(-200200)
	h.srv.AddGroup(polresGroup, "Petugas Polres")
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "polres", Name: "Polres Kota", StaffChatID: sql.NullInt64{Int64: polresGroup, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "triase", Name: "Tim Triase", IsDefault: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetStaff(ctx, officerSiti.ID, "Siti Rahma", tickets.RoleSupervisor, nil); err != nil {
		t.Fatal(err)
	}
	card := openTicket(t, h, "ada pemalakan di terminal bus tiap malam")
	m := h.mark()
	h.srv.PressButton(officerSiti, staffChat, card.MessageID, button(t, card, "Alihkan"))
	pick := h.wait(staffChat, m, "unit picker", contains("Alihkan tiket"))
	h.srv.PressButton(officerSiti, staffChat, pick.MessageID, button(t, pick, "Polres Kota"))
	h.wait(polresGroup, m, "card in the Polres group", contains("pemalakan"))
	h.wait(citizenAni.ID, m, "citizen told", contains("kini ditangani oleh"))
	var unit string
	if err := h.db.Get(&unit, `SELECT unit FROM tickets`); err != nil || unit != "polres" {
		t.Errorf("unit %q (%v), want polres", unit, err)
	}
}

// A unit whose group is a forum gets one topic per ticket; officers simply write in it.
func TestForumTopicPerTicket(t *testing.T) {
	h := newHarnessOpts(t, bot.DefaultLimits(), false) // the bot is an admin of the forum
	ctx := t.Context()
	const forum = int64(-1001234567890)
	h.srv.AddForum(forum, "Polres — tiket")
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "polres", Name: "Polres Kota", Forum: true,
		StaffChatID: sql.NullInt64{Int64: forum, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetStaff(ctx, officerSiti.ID, "Siti Rahma", tickets.RoleOfficer, []string{"polres"}); err != nil {
		t.Fatal(err)
	}
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "bagaimana cara membuat skck")
	ans := h.wait(citizenAni.ID, m, "answer", contains("SKCK"))
	h.srv.PressButton(citizenAni, citizenAni.ID, ans.MessageID, button(t, ans, "petugas"))
	card := h.wait(forum, m, "card", contains("Tiket #"))
	if card.ThreadID == 0 {
		t.Fatalf("the card is not in a topic: %+v", card)
	}
	// The officer writes in the topic, without replying to anything.
	h.srv.Post(officerSiti, forum, telegramtest.Incoming{Text: "Silakan datang ke Polres hari Senin.", ThreadID: card.ThreadID})
	h.wait(citizenAni.ID, card.Seq, "reply", contains("datang ke Polres hari Senin"))
	reply := h.wait(citizenAni.ID, card.Seq, "reply", contains("Balasan petugas"))
	// The citizen's answer lands in the same topic.
	h.srv.ReplyText(citizenAni, citizenAni.ID, reply.MessageID, "Baik, terima kasih")
	back, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > reply.Seq && s.ChatID == forum && strings.Contains(s.Text, "Baik, terima kasih")
	})
	if err != nil {
		t.Fatal(err)
	}
	if back.ThreadID != card.ThreadID {
		t.Errorf("citizen's reply in thread %d, want the ticket's topic %d", back.ThreadID, card.ThreadID)
	}
}
