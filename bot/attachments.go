package bot

import (
	"context"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// maxCaption is Telegram's limit on a caption's visible length.
const maxCaption = 1024

// hasAttachment reports whether a message carries a photo or a document Loket passes
// on between citizen and officers.
func hasAttachment(m *tgbotapi.Message) bool {
	return len(m.Photo) > 0 || m.Document != nil
}

// copyTo copies a message (a photo or document, with its caption) to another chat:
// the file is not downloaded, Telegram copies it.
func copyTo(to, from int64, messageID int, caption string) Out {
	p := map[string]string{
		"chat_id": itoa(to), "from_chat_id": itoa(from), "message_id": itoa(int64(messageID)),
		"caption": truncate(caption, maxCaption-1),
	}
	return Out{ChatID: to, Method: "copyMessage", Params: p}
}

// attachmentOf is the file a message carries: a photo's largest size, or a document.
func attachmentOf(m *tgbotapi.Message) tickets.Attachment {
	switch {
	case len(m.Photo) > 0:
		return tickets.Attachment{FileID: m.Photo[len(m.Photo)-1].FileID, Kind: "photo", MIME: "image/jpeg"}
	case m.Document != nil:
		return tickets.Attachment{FileID: m.Document.FileID, Kind: "document", Name: m.Document.FileName, MIME: m.Document.MimeType}
	}
	return tickets.Attachment{}
}

// citizenAttachment passes a citizen's photo or document on to the ticket it answers
// (a reply to an officer's message, or the ticket waiting for them).
func (e *Engine) citizenAttachment(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, m *tgbotapi.Message, ticketID int64) ([]Out, error) {
	if ticketID == 0 {
		t, _, err := e.waitingTicket(ctx, tx, c.ID)
		if err != nil {
			return nil, err
		}
		ticketID = t.ID
	}
	if ticketID == 0 {
		return sendHTML(chat, T(c.Lang, txtAttachmentNoTicket), nil), nil
	}
	t, err := e.tickets.Get(ctx, tx, ticketID)
	if err != nil {
		return nil, err
	}
	if t.CitizenID != c.ID || !t.Status.Open() {
		return sendHTML(chat, T(c.Lang, txtTicketAlreadyClosedCitizen, t.ID), nil), nil
	}
	if len([]rune(m.Caption)) > maxCaption {
		return sendHTML(chat, T(c.Lang, txtCaptionTooLong), nil), nil
	}
	before := t
	if t, err = e.tickets.CitizenReplied(ctx, tx, t.ID); err != nil {
		return nil, err
	}
	if _, err := e.tickets.AddAttachment(ctx, tx, t.ID, tickets.AuthorCitizen, 0, knowledge.MaskPersonalData(m.Caption), attachmentOf(m)); err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionCitizenReplied, map[string]any{"attachment": true}); err != nil {
		return nil, err
	}
	outs := sendHTML(chat, T(c.Lang, txtAttachmentForwarded, t.ID), nil)
	if group := e.groupOf(t); group != 0 {
		caption := fmt.Sprintf("📎 Tiket #%d — lampiran dari %s", t.ID, reporterName(t, c.Name))
		if m.Caption != "" {
			caption += ": " + knowledge.MaskPersonalData(m.Caption)
		}
		cp := copyTo(group, chat, m.MessageID, caption)
		cp.TicketID, cp.Link, cp.ReplyToCard = t.ID, linkCitizen, true
		outs = append(outs, cp)
	}
	if cardChanged(before, t) {
		card, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		outs = append(outs, card...)
	}
	return outs, nil
}

// staffAttachment passes an officer's photo or document, sent as a reply to a ticket's
// card, on to the citizen.
func (e *Engine) staffAttachment(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, t tickets.Ticket, m *tgbotapi.Message) ([]Out, error) {
	group := m.Chat.ID
	if len([]rune(m.Caption)) > maxCaption-100 {
		return replyHTML(group, m.MessageID, staffCaptionTooLong), nil
	}
	before := t
	t, err := e.tickets.StaffReplied(ctx, tx, t.ID, officer.ID)
	if err != nil {
		return replyHTML(group, m.MessageID, fmt.Sprintf(staffAlreadyClosed, t.ID, statusLabel(t.Status, langID))), nil
	}
	if _, err := e.tickets.AddAttachment(ctx, tx, t.ID, tickets.AuthorStaff, officer.ID, m.Caption, attachmentOf(m)); err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionReplySent, map[string]any{"attachment": true}); err != nil {
		return nil, err
	}
	l, err := citizenLang(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, err
	}
	caption := T(l, txtAttachmentFromOfficer, t.ID)
	if m.Caption != "" {
		caption += "\n" + m.Caption
	}
	cp := copyTo(t.CitizenID, group, m.MessageID, caption)
	cp.TicketID, cp.Link = t.ID, linkReply
	outs := []Out{cp}
	if cardChanged(before, t) {
		card, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		outs = append(outs, card...)
	}
	return append(outs, replyHTML(group, m.MessageID, fmt.Sprintf(staffSent, t.ID, officer.Name))...), nil
}
