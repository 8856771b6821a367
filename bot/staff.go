package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// cardIcons mark a card's state at a glance.
var cardIcons = map[tickets.Status]string{
	tickets.StatusNew: "🆕", tickets.StatusInProgress: "🔧", tickets.StatusWaitingCitizen: "⏳",
	tickets.StatusResolved: "✅", tickets.StatusClosed: "🔒", tickets.StatusCancelled: "✖️",
}

// staffCard is a ticket's card in the staff group: what the officer must decide on,
// kept current as the ticket moves.
func staffCard(t tickets.Ticket, citizenName string, loc *time.Location) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s <b>Tiket #%d</b> — %s\nDari: %s\n", cardIcons[t.Status], t.ID,
		statusLabel(t.Status, langID), tghtml.Escape(citizenName))
	if t.Category != "" {
		fmt.Fprintf(&b, "Kategori: %s\n", tghtml.Escape(t.Category))
	}
	if t.Unit != "" {
		fmt.Fprintf(&b, "Unit: %s\n", tghtml.Escape(t.Unit))
	}
	if t.AssigneeName != "" {
		fmt.Fprintf(&b, "Petugas: %s\n", tghtml.Escape(t.AssigneeName))
	}
	if t.Status.Open() && t.DueAt.Valid && !t.FirstResponseAt.Valid {
		fmt.Fprintf(&b, "Tanggapi sebelum: %s\n", formatTime(t.DueAt.Time, loc, langID))
	}
	if t.Status.Open() && t.ResolveDueAt.Valid {
		fmt.Fprintf(&b, "Selesaikan sebelum: %s\n", formatTime(t.ResolveDueAt.Time, loc, langID))
	}
	fmt.Fprintf(&b, "Masuk: %s\n\n<blockquote>%s</blockquote>\n\n<i>%s</i>",
		formatTime(t.CreatedAt, loc, langID), tghtml.Escape(cardQuestion(knowledge.MaskPersonalData(t.Question))), staffReplyHint)
	return b.String()
}

// cardQuestion cuts a question so that the card fits one Telegram message (edits
// cannot be split): at most 3,300 UTF-16 units, as Telegram counts. The console
// shows it whole.
func cardQuestion(q string) string {
	const most = 3300
	n := 0
	for i, r := range q {
		if n += utf16.RuneLen(r); n > most-1 {
			return q[:i] + "…"
		}
	}
	return q
}

// staffCitizenReply is a citizen's reply as shown in the staff group.
func staffCitizenReply(t tickets.Ticket, citizenName, text string) string {
	return fmt.Sprintf("💬 <b>Tiket #%d</b> — %s menulis:\n\n%s", t.ID, tghtml.Escape(citizenName), tghtml.Escape(knowledge.MaskPersonalData(text)))
}

// staffMessage handles a message in the staff group: an officer's reply to a ticket
// or a /selesai. Other chatter in the group is left alone.
func (e *Engine) staffMessage(ctx context.Context, tx *sqlx.Tx, m *tgbotapi.Message) ([]Out, error) {
	group := m.Chat.ID
	cmd := command(m)
	ticketID, _, err := e.replyTarget(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	if thread := threadOf(ctx); ticketID == 0 && thread != 0 {
		// In a forum group, officers simply write in the ticket's topic.
		if ticketID, _, err = linkedTicket(ctx, tx, group, thread); err != nil {
			return nil, err
		}
	}
	if ticketID == 0 {
		if cmd == "selesai" {
			return replyHTML(group, m.MessageID, staffUseReply), nil
		}
		return nil, nil
	}
	officer, err := e.tickets.StaffByTelegramID(ctx, tx, m.From.ID)
	if errors.Is(err, tickets.ErrNotFound) {
		if err := e.audit(ctx, tx, ticketID, refusedActor(m.From), tickets.ActionRefused, map[string]any{"telegram_user_id": m.From.ID, "what": "reply"}); err != nil {
			return nil, err
		}
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffNotRegistered, tghtml.Escape(m.From.FirstName), m.From.ID)), nil
	}
	if err != nil {
		return nil, err
	}
	t, err := e.tickets.Get(ctx, tx, ticketID)
	if err != nil {
		return nil, err
	}
	if !e.tickets.CanAct(ctx, tx, officer, t.Unit) {
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffNotYourUnit, t.ID)), nil
	}
	if cmd == "alihkan" {
		return e.handOver(ctx, tx, officer, t, m)
	}
	if cmd == "catatan" {
		note := commandArg(m.Text)
		if note == "" {
			return replyHTML(group, m.MessageID, staffNoteUsage), nil
		}
		if err := e.staffNote(ctx, tx, officer, t, note); err != nil {
			return nil, err
		}
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffNoteSaved, t.ID)), nil
	}
	if cmd == "selesai" {
		note := commandArg(m.Text)
		outs, notice, err := e.staffResolve(ctx, tx, officer, ticketID, note)
		if err != nil {
			return nil, err
		}
		return append(outs, replyHTML(group, m.MessageID, notice)...), nil
	}
	if hasAttachment(m) {
		return e.staffAttachment(ctx, tx, officer, t, m)
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return replyHTML(group, m.MessageID, staffOnlyText), nil
	}
	outs, notice, err := e.staffReply(ctx, tx, officer, t, text)
	if err != nil {
		return nil, err
	}
	return append(outs, replyHTML(group, m.MessageID, notice)...), nil
}

// staffNote stores an officer's internal note on a ticket.
func (e *Engine) staffNote(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, note string) error {
	if err := e.tickets.AddNote(ctx, tx, t.ID, officer.ID, note); err != nil {
		return err
	}
	return e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionNoteAdded, map[string]any{"length": len(note)})
}

// staffReply sends an officer's reply to the citizen, records it and updates the card.
// It returns the messages and the notice (HTML) for the officer; a ticket that is no
// longer open gets only the notice.
func (e *Engine) staffReply(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, text string) ([]Out, string, error) {
	lang, err := citizenLang(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, "", err
	}
	before := t
	t, err = e.tickets.StaffReplied(ctx, tx, t.ID, officer.ID)
	var tr *tickets.ErrTransition
	if errors.As(err, &tr) {
		return nil, fmt.Sprintf(staffAlreadyClosed, before.ID, statusLabel(tr.From, langID)), nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := e.tickets.AddMessage(ctx, tx, t.ID, tickets.AuthorStaff, officer.ID, text); err != nil {
		return nil, "", err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionReplySent, map[string]any{"length": len(text)}); err != nil {
		return nil, "", err
	}
	outs := sendHTML(t.CitizenID, T(lang, txtOfficerReply, t.ID, tghtml.Escape(text)), nil)
	for i := range outs {
		outs[i].TicketID, outs[i].Link = t.ID, linkReply
	}
	if cardChanged(before, t) {
		card, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, "", err
		}
		outs = append(outs, card...)
	}
	return outs, fmt.Sprintf(staffSent, t.ID, tghtml.Escape(officer.Name)), nil
}

// replyHTML sends text as a reply to a message.
func replyHTML(chatID int64, replyTo int, html string) []Out {
	outs := sendHTML(chatID, html, nil)
	outs[0].Params["reply_to_message_id"] = itoa(int64(replyTo))
	outs[0].Params["allow_sending_without_reply"] = "true"
	return outs
}

// citizenLang returns the language Loket speaks with a citizen.
func citizenLang(ctx context.Context, q sqlx.QueryerContext, citizenID int64) (lang, error) {
	var codes []string
	if err := sqlx.SelectContext(ctx, q, &codes, `SELECT language_code FROM citizens WHERE telegram_user_id = $1`, citizenID); err != nil {
		return langID, fmt.Errorf("bot: citizen language: %w", err)
	}
	if len(codes) == 0 {
		return langID, nil
	}
	return langOf(codes[0]), nil
}

// Indonesian and English month names.
var months = [2][12]string{
	{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// zoneNames are the Indonesian names of the country's time zones.
var zoneNames = map[string]string{"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

// formatTime writes a time as the office keeps it, in the office's time zone:
// "27 November 2026 pukul 10.00 WIB".
func formatTime(t time.Time, loc *time.Location, l lang) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	zone, ok := zoneNames[loc.String()]
	if !ok {
		zone, _ = t.Zone()
	}
	if l == langEN {
		return fmt.Sprintf("%d %s %d at %02d:%02d %s", t.Day(), months[l][t.Month()-1], t.Year(), t.Hour(), t.Minute(), zone)
	}
	return fmt.Sprintf("%d %s %d pukul %02d.%02d %s", t.Day(), months[l][t.Month()-1], t.Year(), t.Hour(), t.Minute(), zone)
}
