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

// handoverTargets lists the units a ticket may be handed to: active, not the
// integrity unit, not its own.
func (e *Engine) handoverTargets(ctx context.Context, q sqlx.QueryerContext, t tickets.Ticket) ([]tickets.Unit, error) {
	units, err := e.tickets.Units(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []tickets.Unit
	for _, u := range units {
		if u.Active && !u.IsIntegrity && u.Slug != t.Unit {
			out = append(out, u)
		}
	}
	return out, nil
}

// handOver passes a ticket to another unit (/alihkan UNIT catatan, as a reply to the
// card).
func (e *Engine) handOver(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, m *tgbotapi.Message) ([]Out, error) {
	group := m.Chat.ID
	if t.Confidential {
		return replyHTML(group, m.MessageID, staffNoHandoverReport), nil
	}
	fields := strings.Fields(m.Text)
	targets, err := e.handoverTargets(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	var unit *tickets.Unit
	for i := range targets {
		if len(fields) >= 2 && strings.EqualFold(fields[1], targets[i].Slug) {
			unit = &targets[i]
		}
	}
	if unit == nil {
		var names []string
		for _, u := range targets {
			names = append(names, "<code>"+tghtml.Escape(u.Slug)+"</code>")
		}
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffHandoverUsage, strings.Join(names, ", "))), nil
	}
	outs, notice, err := e.handOverTo(ctx, tx, officer, t, *unit, strings.TrimSpace(strings.Join(fields[2:], " ")))
	if err != nil {
		return nil, err
	}
	return append(outs, replyHTML(group, m.MessageID, notice)...), nil
}

// handOverTo moves a ticket to a unit: the old card says where it went, the new unit's
// group gets a card, the citizen is told which unit now handles it, and the note stays
// internal. It returns the messages and the notice for the officer.
func (e *Engine) handOverTo(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, u tickets.Unit, note string) ([]Out, string, error) {
	old := t
	t, err := e.tickets.HandOver(ctx, tx, t.ID, u.Slug, u.StaffChatID.Int64)
	var tr *tickets.ErrTransition
	if errors.As(err, &tr) {
		return nil, fmt.Sprintf(staffCannot, t.ID, statusLabel(tr.From, langID)), nil
	}
	if err != nil {
		return nil, "", err
	}
	if note != "" {
		if err := e.tickets.AddNote(ctx, tx, t.ID, officer.ID, "Dialihkan ke "+u.Name+": "+note); err != nil {
			return nil, "", err
		}
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionTicketHandedOver,
		map[string]any{"from_unit": old.Unit, "to_unit": u.Slug, "note_length": len(note)}); err != nil {
		return nil, "", err
	}
	notice := fmt.Sprintf(staffHandedOver, t.ID, tghtml.Escape(u.Name), tghtml.Escape(officer.Name))
	// The old card: where the ticket went, without buttons.
	outs, err := e.cardUpdate(ctx, tx, old)
	if err != nil {
		return nil, "", err
	}
	for i := range outs {
		outs[i].Params["text"] += "\n\n" + notice
		outs[i].Params["reply_markup"] = keyboard{}.json()
	}
	name, err := citizenName(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, "", err
	}
	if newGroup := e.groupOf(t); newGroup != e.groupOf(old) {
		outs = append(outs, e.newCard(newGroup, t, name)...)
	} else {
		// Same group: the card itself shows the new unit.
		more, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, "", err
		}
		outs = more
	}
	l, err := citizenLang(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, "", err
	}
	outs = append(outs, sendHTML(t.CitizenID, T(l, txtHandedOver, t.ID, tghtml.Escape(u.Name)), nil)...)
	return outs, notice, nil
}

// handoverPicker answers the card's "Alihkan" button with the units to choose from.
func (e *Engine) handoverPicker(ctx context.Context, tx *sqlx.Tx, t tickets.Ticket, chat int64, q *tgbotapi.CallbackQuery) ([]Out, error) {
	if t.Confidential {
		return []Out{answerCallback(chat, q.ID, staffNoHandoverReport)}, nil
	}
	targets, err := e.handoverTargets(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return []Out{answerCallback(chat, q.ID, staffNoUnits)}, nil
	}
	kb := keyboard{}
	for _, u := range targets {
		data := ticketCallback{Action: tkTo, Ticket: t.ID, Unit: u.Slug}.String()
		if len(data) <= 64 {
			kb = append(kb, []button{{Text: u.Name, Data: data}})
		}
	}
	outs := []Out{answerCallback(chat, q.ID, "")}
	pick := sendHTML(chat, fmt.Sprintf(staffHandoverPick, t.ID), kb)
	pick[0].Params["reply_to_message_id"] = itoa(int64(q.Message.MessageID))
	pick[0].Params["allow_sending_without_reply"] = "true"
	return append(outs, pick...), nil
}
