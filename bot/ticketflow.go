package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/tickets"
)

// Ticket buttons carry "tk:<action>:<ticket>[:<arg>]".
const (
	ticketPrefix = "tk:"
	tkTake       = "take"   // officer: take the ticket (card)
	tkDone       = "done"   // officer: resolve the ticket (card)
	tkRate       = "rate"   // citizen: rate 1–5 (arg)
	tkReopen     = "reopen" // citizen: "Masih bermasalah"
	tkHand       = "hand"   // officer: choose a unit to hand the ticket to (card)
	tkTo         = "to"     // officer: hand the ticket to a unit (arg: its slug)
)

// ticketCallback is parsed ticket button data.
type ticketCallback struct {
	Action string
	Ticket int64
	Arg    int
	Unit   string
}

func (c ticketCallback) String() string {
	switch c.Action {
	case tkRate:
		return fmt.Sprintf("%s%s:%d:%d", ticketPrefix, c.Action, c.Ticket, c.Arg)
	case tkTo:
		return fmt.Sprintf("%s%s:%d:%s", ticketPrefix, c.Action, c.Ticket, c.Unit)
	}
	return fmt.Sprintf("%s%s:%d", ticketPrefix, c.Action, c.Ticket)
}

// parseTicketCallback parses and validates ticket button data.
func parseTicketCallback(data string) (ticketCallback, error) {
	var c ticketCallback
	parts := strings.Split(strings.TrimPrefix(data, ticketPrefix), ":")
	if !strings.HasPrefix(data, ticketPrefix) || len(parts) < 2 {
		return c, fmt.Errorf("bot: ticket callback %q: malformed", data)
	}
	c.Action = parts[0]
	want := 2
	switch c.Action {
	case tkTake, tkDone, tkReopen, tkHand:
	case tkRate, tkTo:
		want = 3
	default:
		return c, fmt.Errorf("bot: ticket callback %q: unknown action", data)
	}
	if len(parts) != want {
		return c, fmt.Errorf("bot: ticket callback %q: malformed", data)
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 {
		return c, fmt.Errorf("bot: ticket callback %q: bad ticket", data)
	}
	c.Ticket = id
	if c.Action == tkTo {
		if !tickets.ValidUnitSlug(parts[2]) {
			return c, fmt.Errorf("bot: ticket callback %q: bad unit", data)
		}
		c.Unit = parts[2]
		return c, nil
	}
	if want == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 1 || n > 5 {
			return c, fmt.Errorf("bot: ticket callback %q: bad rating", data)
		}
		c.Arg = n
	}
	return c, nil
}

// statusLabel names a ticket state for citizens.
func statusLabel(st tickets.Status, l lang) string {
	labels := map[tickets.Status][2]string{
		tickets.StatusNew:            {"baru, menunggu petugas", "new, waiting for an officer"},
		tickets.StatusInProgress:     {"sedang diproses", "in progress"},
		tickets.StatusWaitingCitizen: {"menunggu tanggapan Anda", "waiting for your reply"},
		tickets.StatusResolved:       {"selesai", "resolved"},
		tickets.StatusClosed:         {"ditutup", "closed"},
		tickets.StatusCancelled:      {"dibatalkan", "cancelled"},
	}
	if v, ok := labels[st]; ok {
		return v[l]
	}
	return string(st)
}

// cardKeyboard is the card's buttons for a ticket's state.
func cardKeyboard(t tickets.Ticket) keyboard {
	if !t.Status.Open() {
		return keyboard{}
	}
	row := []button{}
	if !t.AssigneeID.Valid {
		row = append(row, button{Text: "✋ Ambil", Data: ticketCallback{Action: tkTake, Ticket: t.ID}.String()})
	}
	row = append(row, button{Text: "✅ Selesai", Data: ticketCallback{Action: tkDone, Ticket: t.ID}.String()})
	if t.Confidential {
		return keyboard{row}
	}
	return keyboard{row, {{Text: "↪️ Alihkan", Data: ticketCallback{Action: tkHand, Ticket: t.ID}.String()}}}
}

// cardUpdate edits a ticket's card in place to show its state.
func (e *Engine) cardUpdate(ctx context.Context, q sqlx.QueryerContext, t tickets.Ticket) ([]Out, error) {
	group := e.groupOf(t)
	if group == 0 {
		return nil, nil
	}
	name, err := citizenName(ctx, q, t.CitizenID)
	if err != nil {
		return nil, err
	}
	name = reporterName(t, name)
	p := map[string]string{
		"chat_id": itoa(group), "text": staffCard(t, name, e.set.Location),
		"parse_mode": "HTML", "disable_web_page_preview": "true", "reply_markup": cardKeyboard(t).json(),
	}
	return []Out{{ChatID: group, Method: "editMessageText", Params: p, TicketID: t.ID, EditCard: true}}, nil
}

// refusedActor is someone who tried to act as staff without being registered.
func refusedActor(u *tgbotapi.User) tickets.Actor {
	return tickets.Actor{Kind: tickets.ActorStaff, Name: strings.TrimSpace(u.FirstName + " " + u.LastName)}
}

// groupOf is the staff group that has a ticket's card: its unit's group, or the
// default one.
func (e *Engine) groupOf(t tickets.Ticket) int64 {
	if t.StaffChatID.Valid {
		return t.StaffChatID.Int64
	}
	return e.set.StaffChatID
}

// isStaffGroup reports whether a chat is the default staff group or a unit's.
func (e *Engine) isStaffGroup(ctx context.Context, q sqlx.QueryerContext, chat int64) (bool, error) {
	if chat >= 0 {
		return false, nil
	}
	if chat == e.set.StaffChatID {
		return true, nil
	}
	_, err := e.tickets.UnitByChat(ctx, q, chat)
	if errors.Is(err, tickets.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// cardChanged reports whether a change shows on the card (Telegram refuses an edit
// that changes nothing).
func cardChanged(before, after tickets.Ticket) bool {
	return before.Status != after.Status || before.AssigneeID != after.AssigneeID
}

// newCard sends a ticket's card to a staff group (anonymous reports without a name).
func (e *Engine) newCard(group int64, t tickets.Ticket, citizenName string) []Out {
	card := sendHTML(group, staffCard(t, reporterName(t, citizenName), e.set.Location), cardKeyboard(t))
	card[0].TicketID, card[0].Link = t.ID, linkCard
	return card
}

// waitingTicket returns the citizen's ticket that waits for their answer, if any.
func (e *Engine) waitingTicket(ctx context.Context, q sqlx.QueryerContext, citizenID int64) (tickets.Ticket, bool, error) {
	ts, err := e.tickets.ByCitizen(ctx, q, citizenID, 20)
	if err != nil {
		return tickets.Ticket{}, false, err
	}
	for _, t := range ts {
		if t.Status == tickets.StatusWaitingCitizen {
			return t, true, nil
		}
	}
	return tickets.Ticket{}, false, nil
}

// groupNotice is a short notice in the staff group, as a reply to the ticket's card.
func (e *Engine) groupNotice(t tickets.Ticket, html string) []Out {
	group := e.groupOf(t)
	if group == 0 {
		return nil
	}
	outs := sendHTML(group, html, nil)
	for i := range outs {
		outs[i].TicketID, outs[i].Link, outs[i].ReplyToCard = t.ID, linkCitizen, true
	}
	return outs
}

// resolved tells the citizen their ticket is resolved and asks for a rating.
func (e *Engine) resolved(ctx context.Context, q sqlx.QueryerContext, t tickets.Ticket) ([]Out, error) {
	l, err := citizenLang(ctx, q, t.CitizenID)
	if err != nil {
		return nil, err
	}
	text := T(l, txtTicketClosedCitizen, t.ID)
	if t.Resolution != "" {
		text += "\n\n" + T(l, txtResolutionNote, tghtml.Escape(t.Resolution))
	}
	text += "\n\n" + T(l, txtRatePrompt)
	stars := make([]button, 5)
	for i := range stars {
		stars[i] = button{Text: strings.Repeat("⭐", 1) + strconv.Itoa(i+1), Data: ticketCallback{Action: tkRate, Ticket: t.ID, Arg: i + 1}.String()}
	}
	kb := keyboard{stars, {{Text: T(l, txtBtnReopen), Data: ticketCallback{Action: tkReopen, Ticket: t.ID}.String()}}}
	return sendHTML(t.CitizenID, text, kb), nil
}

// staffResolve resolves a ticket for an officer, through the card button or /selesai.
func (e *Engine) staffResolve(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, ticketID int64, note string) ([]Out, string, error) {
	t, err := e.tickets.Resolve(ctx, tx, ticketID, officer.ID, note)
	var tr *tickets.ErrTransition
	if errors.As(err, &tr) {
		return nil, fmt.Sprintf(staffCannot, ticketID, statusLabel(tr.From, langID)), nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := e.tickets.AddMessage(ctx, tx, t.ID, tickets.AuthorSystem, officer.ID, "Diselesaikan oleh "+officer.Name); err != nil {
		return nil, "", err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionTicketResolved, map[string]any{"note_length": len(note)}); err != nil {
		return nil, "", err
	}
	outs, err := e.resolved(ctx, tx, t)
	if err != nil {
		return nil, "", err
	}
	card, err := e.cardUpdate(ctx, tx, t)
	if err != nil {
		return nil, "", err
	}
	return append(outs, card...), fmt.Sprintf(staffClosed, t.ID, tghtml.Escape(officer.Name)), nil
}

// ticketCallback handles a ticket button: an officer's on a card, a citizen's on a
// resolution message.
func (e *Engine) ticketButton(ctx context.Context, tx *sqlx.Tx, q *tgbotapi.CallbackQuery) ([]Out, error) {
	chat := q.From.ID
	if q.Message != nil && q.Message.Chat != nil {
		chat = q.Message.Chat.ID
	}
	cb, err := parseTicketCallback(q.Data)
	if err != nil {
		return []Out{answerCallback(chat, q.ID, T(langOf(q.From.LanguageCode), txtButtonExpired))}, nil
	}
	switch cb.Action {
	case tkTake, tkDone, tkHand, tkTo:
		return e.cardButton(ctx, tx, q, chat, cb)
	default:
		return e.citizenTicketButton(ctx, tx, q, chat, cb)
	}
}

// cardButton handles Ambil and Selesai on a ticket card.
func (e *Engine) cardButton(ctx context.Context, tx *sqlx.Tx, q *tgbotapi.CallbackQuery, chat int64, cb ticketCallback) ([]Out, error) {
	current, err := e.tickets.Get(ctx, tx, cb.Ticket)
	if errors.Is(err, tickets.ErrNotFound) {
		return []Out{answerCallback(chat, q.ID, T(langID, txtButtonExpired))}, nil
	}
	if err != nil {
		return nil, err
	}
	if chat != e.groupOf(current) {
		return []Out{answerCallback(chat, q.ID, T(langID, txtNotYours))}, nil
	}
	officer, err := e.tickets.StaffByTelegramID(ctx, tx, q.From.ID)
	if errors.Is(err, tickets.ErrNotFound) {
		if err := e.audit(ctx, tx, cb.Ticket, refusedActor(q.From), tickets.ActionRefused, map[string]any{"telegram_user_id": q.From.ID, "what": cb.Action}); err != nil {
			return nil, err
		}
		return []Out{answerCallback(chat, q.ID, fmt.Sprintf(staffNotRegisteredShort, q.From.ID))}, nil
	}
	if err != nil {
		return nil, err
	}
	if !e.tickets.CanAct(ctx, tx, officer, current.Unit) {
		return []Out{answerCallback(chat, q.ID, fmt.Sprintf(staffNotYourUnit, current.ID))}, nil
	}
	switch cb.Action {
	case tkHand:
		return e.handoverPicker(ctx, tx, current, chat, q)
	case tkTo:
		u, err := e.tickets.Unit(ctx, tx, cb.Unit)
		if errors.Is(err, tickets.ErrNotFound) || (err == nil && (!u.Active || u.IsIntegrity || current.Confidential)) {
			return []Out{answerCallback(chat, q.ID, T(langID, txtButtonExpired))}, nil
		}
		if err != nil {
			return nil, err
		}
		outs, notice, err := e.handOverTo(ctx, tx, officer, current, u, "")
		if err != nil {
			return nil, err
		}
		outs = append([]Out{answerCallback(chat, q.ID, tghtml.PlainText(notice))}, outs...)
		if q.Message != nil {
			outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), keyboard{}))
		}
		return outs, nil
	}
	if cb.Action == tkDone {
		outs, notice, err := e.staffResolve(ctx, tx, officer, cb.Ticket, "")
		if err != nil {
			return nil, err
		}
		return append([]Out{answerCallback(chat, q.ID, tghtml.PlainText(notice))}, outs...), nil
	}
	outs, notice, err := e.staffTake(ctx, tx, officer, cb.Ticket)
	if errors.Is(err, tickets.ErrNotFound) {
		return []Out{answerCallback(chat, q.ID, T(langID, txtButtonExpired))}, nil
	}
	if err != nil {
		return nil, err
	}
	return append([]Out{answerCallback(chat, q.ID, tghtml.PlainText(notice))}, outs...), nil
}

// staffTake gives a ticket to an officer, updates the card and tells the citizen. It
// returns the messages and the notice for the officer (who else took it, or why it
// cannot be taken, with no messages).
func (e *Engine) staffTake(ctx context.Context, tx *sqlx.Tx, officer tickets.Staff, id int64) ([]Out, string, error) {
	t, err := e.tickets.Take(ctx, tx, id, officer.ID)
	var taken *tickets.ErrTaken
	var tr *tickets.ErrTransition
	switch {
	case errors.As(err, &taken):
		return nil, fmt.Sprintf(staffTakenBy, id, tghtml.Escape(taken.By)), nil
	case errors.As(err, &tr):
		return nil, fmt.Sprintf(staffCannot, id, statusLabel(tr.From, langID)), nil
	case err != nil:
		return nil, "", err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.StaffActor(officer), tickets.ActionTicketTaken, nil); err != nil {
		return nil, "", err
	}
	card, err := e.cardUpdate(ctx, tx, t)
	if err != nil {
		return nil, "", err
	}
	l, err := citizenLang(ctx, tx, t.CitizenID)
	if err != nil {
		return nil, "", err
	}
	outs := append(card, sendHTML(t.CitizenID, T(l, txtTicketTaken, t.ID), nil)...)
	return outs, fmt.Sprintf(staffYouTook, t.ID), nil
}

// citizenTicketButton handles a citizen's rating or "Masih bermasalah".
func (e *Engine) citizenTicketButton(ctx context.Context, tx *sqlx.Tx, q *tgbotapi.CallbackQuery, chat int64, cb ticketCallback) ([]Out, error) {
	c, err := rememberCitizen(ctx, tx, q.From)
	if err != nil {
		return nil, err
	}
	var t tickets.Ticket
	if cb.Action == tkRate {
		t, err = e.tickets.Rate(ctx, tx, cb.Ticket, c.ID, cb.Arg, "")
	} else {
		t, err = e.tickets.Reopen(ctx, tx, cb.Ticket, c.ID)
	}
	var tr *tickets.ErrTransition
	switch {
	case errors.Is(err, tickets.ErrNotOwner):
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtNotYours))}, nil
	case errors.Is(err, tickets.ErrNotFound):
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	case errors.Is(err, tickets.ErrReopenExpired):
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtReopenExpired))}, nil
	case errors.As(err, &tr):
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtTicketStateIs, cb.Ticket, statusLabel(tr.From, c.Lang)))}, nil
	case err != nil:
		return nil, err
	}
	action, detail := tickets.ActionTicketReopened, map[string]any(nil)
	if cb.Action == tkRate {
		action, detail = tickets.ActionRated, map[string]any{"stars": cb.Arg}
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), action, detail); err != nil {
		return nil, err
	}
	outs := []Out{answerCallback(chat, q.ID, "")}
	if q.Message != nil {
		outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), keyboard{}))
	}
	if cb.Action == tkRate {
		if err := setStateData(ctx, tx, chat, stateAwaitComment, map[string]int64{"ticket": t.ID}); err != nil {
			return nil, err
		}
		outs = append(outs, sendHTML(chat, T(c.Lang, txtThanksRating)+"\n\n"+T(c.Lang, txtCommentPrompt), nil)...)
		card, err := e.cardUpdate(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		outs = append(outs, card...)
		return append(outs, e.groupNotice(t, fmt.Sprintf(staffRated, t.ID, strings.Repeat("⭐", cb.Arg)))...), nil
	}
	if err := e.tickets.AddMessage(ctx, tx, t.ID, tickets.AuthorSystem, 0, "Dibuka kembali oleh warga"); err != nil {
		return nil, err
	}
	outs = append(outs, sendHTML(chat, T(c.Lang, txtReopened, t.ID), nil)...)
	card, err := e.cardUpdate(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	outs = append(outs, card...)
	return append(outs, e.groupNotice(t, fmt.Sprintf(staffReopened, t.ID))...), nil
}

// citizenCancel handles /batal [N]: the citizen withdraws a ticket (their newest open
// one unless they name it).
func (e *Engine) citizenCancel(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, arg string) ([]Out, error) {
	var id int64
	if arg != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
		if err != nil || n <= 0 {
			return sendHTML(chat, T(c.Lang, txtCancelUsage), nil), nil
		}
		id = n
	} else {
		ts, err := e.tickets.ByCitizen(ctx, tx, c.ID, 20)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.Status.Open() {
				id = t.ID
				break
			}
		}
		if id == 0 {
			return sendHTML(chat, T(c.Lang, txtNothingToCancel), nil), nil
		}
	}
	t, err := e.tickets.Cancel(ctx, tx, id, c.ID)
	var tr *tickets.ErrTransition
	switch {
	case errors.Is(err, tickets.ErrNotFound), errors.Is(err, tickets.ErrNotOwner):
		return sendHTML(chat, T(c.Lang, txtNoSuchTicket, id), nil), nil
	case errors.As(err, &tr):
		return sendHTML(chat, T(c.Lang, txtTicketStateIs, id, statusLabel(tr.From, c.Lang)), nil), nil
	case err != nil:
		return nil, err
	}
	if err := e.tickets.AddMessage(ctx, tx, t.ID, tickets.AuthorSystem, 0, "Dibatalkan oleh warga"); err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionTicketCancelled, nil); err != nil {
		return nil, err
	}
	outs := sendHTML(chat, T(c.Lang, txtCancelled, t.ID), nil)
	card, err := e.cardUpdate(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	outs = append(outs, card...)
	return append(outs, e.groupNotice(t, fmt.Sprintf(staffCancelled, t.ID))...), nil
}

// audit records an action on a ticket taken through Telegram.
func (e *Engine) audit(ctx context.Context, tx *sqlx.Tx, ticketID int64, actor tickets.Actor, action string, detail map[string]any) error {
	return e.tickets.Audit(ctx, tx, ticketID, actor, doorOf(ctx), action, detail)
}

// citizenName returns a citizen's display name.
func citizenName(ctx context.Context, q sqlx.QueryerContext, id int64) (string, error) {
	var names []string
	if err := sqlx.SelectContext(ctx, q, &names, `SELECT display_name FROM citizens WHERE telegram_user_id = $1`, id); err != nil {
		return "", fmt.Errorf("bot: citizen name: %w", err)
	}
	if len(names) == 0 || names[0] == "" {
		return "Warga", nil
	}
	return names[0], nil
}

// stateAwaitComment: after a rating, the citizen's next message is their comment.
const stateAwaitComment = "await_rating_comment"

// ratingComment stores the citizen's comment on the rating they just gave.
func (e *Engine) ratingComment(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, text string) ([]Out, error) {
	var data struct {
		Ticket int64 `json:"ticket"`
	}
	if _, err := stateData(ctx, tx, chat, &data); err != nil {
		return nil, err
	}
	if err := setState(ctx, tx, chat, stateNone); err != nil {
		return nil, err
	}
	if err := e.tickets.Comment(ctx, tx, data.Ticket, c.ID, truncate(text, 1000)); err != nil {
		var tr *tickets.ErrTransition
		if errors.As(err, &tr) || errors.Is(err, tickets.ErrNotFound) || errors.Is(err, tickets.ErrNotOwner) {
			return e.ask(ctx, tx, c, chat, text) // the ticket moved on: treat it as a question
		}
		return nil, err
	}
	if err := e.audit(ctx, tx, data.Ticket, tickets.CitizenActor(c.ID), tickets.ActionRatingCommented, map[string]any{"length": len(text)}); err != nil {
		return nil, err
	}
	return sendHTML(chat, T(c.Lang, txtCommentSaved, data.Ticket), nil), nil
}
