package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// handOver passes a ticket to another unit (/alihkan UNIT catatan, as a reply to the
// card): the old card says where it went, the new unit's group gets a card, the
// citizen is told which unit now handles it, and the note stays internal.
func (e *Engine) handOver(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, m *tgbotapi.Message) ([]Out, error) {
	group := m.Chat.ID
	if t.Confidential {
		return replyHTML(group, m.MessageID, staffNoHandoverReport), nil
	}
	fields := strings.Fields(m.Text)
	units, err := e.tickets.Units(ctx, tx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, u := range units {
		if u.Active && !u.IsIntegrity {
			names = append(names, "<code>"+tghtml.Escape(u.Slug)+"</code>")
		}
	}
	if len(fields) < 2 {
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffHandoverUsage, strings.Join(names, ", "))), nil
	}
	u, err := e.tickets.Unit(ctx, tx, strings.ToLower(fields[1]))
	if errors.Is(err, tickets.ErrNotFound) || (err == nil && (!u.Active || u.IsIntegrity)) {
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffHandoverUsage, strings.Join(names, ", "))), nil
	}
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(strings.Join(fields[2:], " "))
	old := t
	t, err = e.tickets.HandOver(ctx, tx, t.ID, u.Slug, u.StaffChatID.Int64)
	var tr *tickets.ErrTransition
	if errors.As(err, &tr) {
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffCannot, t.ID, statusLabel(tr.From, langID))), nil
	}
	if err != nil {
		return nil, err
	}
	if note != "" {
		if err := e.tickets.AddNote(ctx, tx, t.ID, officer.ID, "Dialihkan ke "+u.Name+": "+note); err != nil {
			return nil, err
		}
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionTicketHandedOver,
		map[string]any{"from_unit": old.Unit, "to_unit": u.Slug, "note_length": len(note)}); err != nil {
		return nil, err
	}
	// The old card: where the ticket went, without buttons.
	outs, err := e.cardUpdate(ctx, tx, old)
	if err != nil {
		return nil, err
	}
	for i := range outs {
		outs[i].Params["text"] += "\n\n" + fmt.Sprintf(staffHandedOver, t.ID, tghtml.Escape(u.Name), tghtml.Escape(officer.Name))
		outs[i].Params["reply_markup"] = keyboard{}.json()
	}
	// The new card, in the new unit's group.
	name, err := citizenName(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, err
	}
	name = reporterName(t, name)
	newGroup := e.groupOf(t)
	if newGroup != group {
		card := sendHTML(newGroup, staffCard(t, name, e.set.Location), cardKeyboard(t))
		card[0].TicketID, card[0].Link = t.ID, linkCard
		outs = append(outs, card...)
	}
	l, err := citizenLang(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, err
	}
	outs = append(outs, sendHTML(t.CitizenID, T(l, txtHandedOver, t.ID, tghtml.Escape(u.Name)), nil)...)
	return append(outs, replyHTML(group, m.MessageID, fmt.Sprintf(staffHandedOver, t.ID, tghtml.Escape(u.Name), tghtml.Escape(officer.Name)))...), nil
}
