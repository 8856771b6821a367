package bot_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/tickets"
)

// The console's actions reach the citizen and the staff group exactly as the staff
// group's own, and are audited as done through the console.
func TestDeskActions(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	card := openTicket(t, h, "saluran air di gang kenanga tersumbat")
	var id int64
	if err := h.db.Get(&id, `SELECT id FROM tickets`); err != nil {
		t.Fatal(err)
	}
	siti, err := h.store.StaffByTelegramID(ctx, h.db, officerSiti.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := h.mark()
	if notice, err := h.engine.DeskTake(ctx, siti, id); err != nil || !strings.Contains(notice, "Anda mengambil") {
		t.Fatalf("take: %q, %v", notice, err)
	}
	h.wait(citizenAni.ID, m, "taken notice", contains("sedang ditangani"))
	if _, err := h.srv.WaitFor(waitFor, func(s telegramtest.Sent) bool {
		return s.Seq > m && s.Method == "editMessageText" && s.MessageID == card.MessageID && strings.Contains(s.Text, "Siti")
	}); err != nil {
		t.Fatalf("card not edited: %v", err)
	}
	if _, err := h.engine.DeskReply(ctx, siti, id, "Besok pagi petugas datang, <b>mohon</b> ditunggu."); err != nil {
		t.Fatal(err)
	}
	h.wait(citizenAni.ID, m, "reply", contains("Besok pagi petugas datang, <b>mohon</b> ditunggu"))
	h.wait(staffChat, m, "console reply seen by the group", contains("menjawab dari konsol"))
	if _, err := h.engine.DeskNote(ctx, siti, id, "warga di RT 03"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.engine.DeskResolve(ctx, siti, id, "Saluran sudah dibersihkan."); err != nil {
		t.Fatal(err)
	}
	h.wait(citizenAni.ID, m, "resolved", contains("Saluran sudah dibersihkan"))
	for _, s := range h.srv.Messages(citizenAni.ID) {
		if strings.Contains(s.Text, "RT 03") {
			t.Errorf("the internal note reached the citizen: %q", s.Text)
		}
	}
	var doors []string
	if err := h.db.Select(&doors, `SELECT door || ':' || action FROM audit_log WHERE ticket_id = $1 AND actor_kind = 'staff' ORDER BY id`, id); err != nil {
		t.Fatal(err)
	}
	want := []string{"console:ticket.taken", "console:ticket.reply_sent", "console:ticket.note_added", "console:ticket.resolved"}
	if strings.Join(doors, " ") != strings.Join(want, " ") {
		t.Errorf("audit %v, want %v", doors, want)
	}
	// Someone of another unit may not act on it.
	if _, err := h.store.AddUnit(ctx, tickets.Unit{Slug: "samsat", Name: "Samsat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Exec(`UPDATE tickets SET unit = 'samsat'`); err != nil {
		t.Fatal(err)
	}
	if _, err := h.engine.DeskNote(ctx, siti, id, "boleh?"); !errors.Is(err, bot.ErrNotAllowed) {
		t.Errorf("officer of no unit acting on a Samsat ticket: %v, want ErrNotAllowed", err)
	}
}
