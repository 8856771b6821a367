package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// Conversation states: what the bot waits for from a chat.
const (
	stateNone          = ""
	stateAwaitQuestion = "await_officer_question" // after /petugas: the next text becomes a ticket
)

// citizen is what a dialog knows of the person it talks to.
type citizen struct {
	ID   int64
	Name string
	Lang lang
	// Consented: the citizen agreed to the privacy notice.
	Consented bool
}

// rememberCitizen records the citizen's display name and language.
func rememberCitizen(ctx context.Context, tx sqlx.QueryerContext, u *tgbotapi.User) (citizen, error) {
	name := strings.TrimSpace(strings.TrimSpace(u.FirstName) + " " + strings.TrimSpace(u.LastName))
	if name == "" {
		name = "Warga"
	}
	var consented bool
	if err := sqlx.GetContext(ctx, tx, &consented, `INSERT INTO citizens (telegram_user_id, display_name, language_code)
		VALUES ($1, $2, $3)
		ON CONFLICT (telegram_user_id) DO UPDATE SET display_name = EXCLUDED.display_name,
			language_code = EXCLUDED.language_code, last_seen_at = now()
		RETURNING consented_at IS NOT NULL`,
		u.ID, name, u.LanguageCode); err != nil {
		return citizen{}, fmt.Errorf("bot: remember citizen: %w", err)
	}
	return citizen{ID: u.ID, Name: name, Lang: langOf(u.LanguageCode), Consented: consented}, nil
}

// asker is what handling a citizen's message needs to know first, read in one
// statement (a round trip saved on every question counts under load).
type asker struct {
	citizen
	// State is what the bot waits for from the chat.
	State string
	// Waiting: one of the citizen's latest tickets waits for their reply
	// (see Engine.waitingTicket, which reads it).
	Waiting bool
}

// rememberAsker is rememberCitizen that also reads the chat's state and whether a
// ticket waits for the citizen.
func rememberAsker(ctx context.Context, tx sqlx.QueryerContext, u *tgbotapi.User, chat int64) (asker, error) {
	name := strings.TrimSpace(strings.TrimSpace(u.FirstName) + " " + strings.TrimSpace(u.LastName))
	if name == "" {
		name = "Warga"
	}
	var row struct {
		Consented bool   `db:"consented"`
		State     string `db:"state"`
		Waiting   bool   `db:"waiting"`
	}
	if err := sqlx.GetContext(ctx, tx, &row, `WITH c AS (
			INSERT INTO citizens (telegram_user_id, display_name, language_code)
			VALUES ($1, $2, $3)
			ON CONFLICT (telegram_user_id) DO UPDATE SET display_name = EXCLUDED.display_name,
				language_code = EXCLUDED.language_code, last_seen_at = now()
			RETURNING consented_at IS NOT NULL AS consented)
		SELECT c.consented,
			coalesce((SELECT state FROM conversations WHERE chat_id = $4), '') AS state,
			EXISTS (SELECT 1 FROM (SELECT status FROM tickets WHERE citizen_id = $1 ORDER BY id DESC LIMIT 20) t
				WHERE t.status = $5) AS waiting
		FROM c`, u.ID, name, u.LanguageCode, chat, tickets.StatusWaitingCitizen); err != nil {
		return asker{}, fmt.Errorf("bot: remember citizen: %w", err)
	}
	return asker{citizen: citizen{ID: u.ID, Name: name, Lang: langOf(u.LanguageCode), Consented: row.Consented},
		State: row.State, Waiting: row.Waiting}, nil
}

// stateData returns a chat's state and decodes the data kept with it into `into`
// (when not nil).
func stateData(ctx context.Context, tx sqlx.QueryerContext, chatID int64, into any) (string, error) {
	var rows []struct {
		State string `db:"state"`
		Data  []byte `db:"data"`
	}
	if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT state, data FROM conversations WHERE chat_id = $1`, chatID); err != nil {
		return "", fmt.Errorf("bot: conversation state: %w", err)
	}
	if len(rows) == 0 {
		return stateNone, nil
	}
	if into != nil {
		if err := json.Unmarshal(rows[0].Data, into); err != nil {
			return "", fmt.Errorf("bot: conversation data: %w", err)
		}
	}
	return rows[0].State, nil
}

// setState records what the bot waits for from a chat, dropping any data kept before.
func setState(ctx context.Context, tx sqlx.ExecerContext, chatID int64, state string) error {
	return setStateData(ctx, tx, chatID, state, map[string]any{})
}

// setStateData records a chat's state with data kept for it.
func setStateData(ctx context.Context, tx sqlx.ExecerContext, chatID int64, state string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("bot: conversation data: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (chat_id, state, data) VALUES ($1, $2, $3)
		ON CONFLICT (chat_id) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data, updated_at = now()`,
		chatID, state, string(raw)); err != nil { // jsonb: as text (see pgconn.DSN)
		return fmt.Errorf("bot: set conversation state: %w", err)
	}
	return nil
}

// commandArg returns what follows the command word of a message ("12" for "/batal 12").
func commandArg(text string) string {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), fields[0]))
}

// command returns the command of a message ("start" for "/start@loket_bot x"), or "".
func command(m *tgbotapi.Message) string {
	if !strings.HasPrefix(m.Text, "/") {
		return ""
	}
	cmd := strings.Fields(m.Text)[0][1:]
	if i := strings.IndexByte(cmd, '@'); i >= 0 {
		cmd = cmd[:i]
	}
	return strings.ToLower(cmd)
}

// citizenMessage handles a message in a private chat.
func (e *Engine) citizenMessage(ctx context.Context, tx *sqlx.Tx, m *tgbotapi.Message) ([]Out, error) {
	chat := m.Chat.ID
	a, err := rememberAsker(ctx, e.stmts.on(tx), m.From, chat)
	if err != nil {
		return nil, err
	}
	c := a.citizen
	ticketID, kind, err := e.replyTarget(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	if hasAttachment(m) {
		if kind != linkReply {
			ticketID = 0
		}
		return e.citizenAttachment(ctx, tx, c, chat, m, ticketID)
	}
	if ticketID != 0 && kind == linkReply {
		return e.citizenReply(ctx, tx, c, chat, ticketID, m)
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return sendHTML(chat, T(c.Lang, txtOnlyText), nil), nil
	}
	switch command(m) {
	case "start":
		if err := setState(ctx, tx, chat, stateNone); err != nil {
			return nil, err
		}
		return sendHTML(chat, T(c.Lang, txtStart, tghtml.Escape(e.set.OfficeName)), nil), nil
	case "layanan", "services": // browse.go
		return e.browseStart(ctx, tx, c, chat)
	case "bantuan", "help":
		return sendHTML(chat, T(c.Lang, txtHelp), nil), nil
	case "privasi", "privacy":
		return sendHTML(chat, T(c.Lang, txtPrivacy), nil), nil
	case "lapor", "report":
		return e.reportStart(ctx, tx, c, chat)
	case "datasaya", "mydata":
		return e.citizenData(ctx, tx, c, chat)
	case "hapusdata", "deletemydata":
		return e.citizenErase(c, chat), nil
	case "status":
		return e.citizenStatus(ctx, tx, c, chat)
	case "tautkan": // link.go: an officer links their console account
		return e.linkStaff(ctx, tx, chat, m.From.ID, commandArg(text))
	case "batal", "cancel":
		return e.citizenCancel(ctx, tx, c, chat, commandArg(text))
	case "petugas":
		if rest := commandArg(text); rest != "" {
			return e.officerQuestion(ctx, tx, c, chat, rest)
		}
		if err := setState(ctx, tx, chat, stateAwaitQuestion); err != nil {
			return nil, err
		}
		return sendHTML(chat, T(c.Lang, txtAskOfficerPrompt), nil), nil
	case "":
	default:
		return sendHTML(chat, T(c.Lang, txtHelp), nil), nil
	}
	state := a.State
	if state == stateAwaitComment {
		return e.ratingComment(ctx, tx, c, chat, text)
	}
	if state == stateAwaitReport {
		return e.reportText(ctx, tx, c, chat, text)
	}
	if state == stateAwaitQuestion {
		if err := setState(ctx, tx, chat, stateNone); err != nil {
			return nil, err
		}
		return e.officerQuestion(ctx, tx, c, chat, text)
	}
	if a.Waiting {
		if outs, ok, err := e.intoWaitingTicket(ctx, tx, c, chat, text); ok || err != nil {
			return outs, err
		}
	}
	if outs, ok, err := e.throttle(ctx, tx, c, chat); !ok || err != nil { // ratelimit.go
		return outs, err
	}
	return e.ask(ctx, tx, c, chat, text)
}

// ask answers a question from the knowledge base, or says honestly that it cannot.
func (e *Engine) ask(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64, text string) ([]Out, error) {
	res, err := e.search.Search(ctx, text)
	if err != nil {
		return nil, err
	}
	qid, err := knowledge.LogQuestion(ctx, e.stmts.on(tx), c.ID, text, res)
	if err != nil {
		return nil, err
	}
	officer := []button{{Text: T(c.Lang, txtBtnOfficer), Data: callback{Action: actOfficer, QuestionID: qid}.String()}}
	switch res.Decision {
	case knowledge.DecisionSmalltalk:
		return sendHTML(chat, T(c.Lang, smalltalkReply(res.Smalltalk)), nil), nil
	case knowledge.DecisionAnswer:
		return e.answerFAQ(c, chat, qid, res.Hits[0].ID)
	case knowledge.DecisionClarify:
		kb := keyboard{}
		for i, h := range res.ClarifyOptions() {
			kb = append(kb, []button{{Text: truncate(h.Question, 60), Data: callback{Action: actPick, QuestionID: qid, Index: i}.String()}})
		}
		kb = append(kb, officer)
		return sendHTML(chat, T(c.Lang, txtClarify), kb), nil
	default:
		return sendHTML(chat, T(c.Lang, txtNoAnswer), keyboard{officer}), nil
	}
}

// smalltalkReply picks the reply to a kind of small talk.
func smalltalkReply(kind string) textKey {
	switch kind {
	case "greeting", "test":
		return txtSmalltalkGreeting
	case "thanks":
		return txtSmalltalkThanks
	case "goodbye":
		return txtSmalltalkGoodbye
	case "bot-question":
		return txtSmalltalkBot
	case "abuse":
		return txtSmalltalkAbuse
	default:
		return txtSmalltalkOther
	}
}

// answerFAQ sends an FAQ's answer with the feedback and officer buttons.
func (e *Engine) answerFAQ(c citizen, chat, qid int64, faqID string) ([]Out, error) {
	f, ok := e.search.FAQ(faqID)
	if !ok {
		return sendHTML(chat, T(c.Lang, txtNoAnswer), keyboard{{{Text: T(c.Lang, txtBtnOfficer), Data: callback{Action: actOfficer, QuestionID: qid}.String()}}}), nil
	}
	html, err := e.renderAnswer(f)
	if err != nil {
		return nil, fmt.Errorf("bot: render answer %s: %w", f.ID, err)
	}
	kb := keyboard{
		{{Text: T(c.Lang, txtBtnHelpful), Data: callback{Action: actHelpful, QuestionID: qid}.String()},
			{Text: T(c.Lang, txtBtnNotHelpful), Data: callback{Action: actNotHelpful, QuestionID: qid}.String()}},
		{{Text: T(c.Lang, txtBtnOfficer), Data: callback{Action: actOfficer, QuestionID: qid}.String()}},
	}
	return sendHTML(chat, html, kb), nil
}

// maxRendered bounds the answers kept rendered (edited FAQs leave old renderings).
const maxRendered = 10_000

// renderAnswer returns an FAQ's question and answer as Telegram HTML, rendered once per
// wording: popular answers are sent again and again.
func (e *Engine) renderAnswer(f knowledge.FAQ) (string, error) {
	key := f.Question + "\x00" + f.Answer
	if html, ok := e.rendered.Load(key); ok {
		return html.(string), nil
	}
	body, err := tghtml.Render(f.Answer)
	if err != nil {
		return "", err
	}
	html := "<b>" + tghtml.Escape(f.Question) + "</b>\n\n" + body
	if e.renderedN.Add(1) > maxRendered {
		e.rendered.Clear()
		e.renderedN.Store(1)
	}
	e.rendered.Store(key, html)
	return html, nil
}

// openTicket turns a question into a ticket: the citizen gets its number and the
// expected response time, the officers a card.
func (e *Engine) openTicket(ctx context.Context, tx *sqlx.Tx, c citizen, chat, qid int64, text string, res knowledge.Result) ([]Out, error) {
	if outs, ok, err := e.ticketCap(ctx, tx, c, chat, qid); !ok || err != nil { // ticketcap.go
		return outs, err
	}
	n := tickets.New{CitizenID: c.ID, QuestionID: qid, Question: text}
	if len(res.Hits) > 0 && res.Decision != knowledge.DecisionEscalate {
		// The logged hits keep ids and scores; the FAQ says its category and unit.
		n.FAQID = res.Hits[0].ID
		if f, ok := e.search.FAQ(n.FAQID); ok {
			n.Category, n.Unit = f.Category, f.Unit
		}
	}
	days, resolveDays := e.set.ResponseDays, e.set.ResolutionDays
	// Route to the unit of the matched FAQ, or the default unit; a deployment without
	// units keeps the FAQ's unit name for information and uses the default group.
	u, err := e.tickets.RouteUnit(ctx, tx, n.Unit)
	forum := err == nil && u.Forum && u.StaffChatID.Valid
	switch {
	case err == nil:
		n.Unit, n.StaffChatID, days, resolveDays = u.Slug, u.StaffChatID.Int64, u.FirstResponseDays, u.ResolutionDays
	case !errors.Is(err, tickets.ErrNotFound):
		return nil, err
	}
	now := time.Now()
	due := e.deadline(now, days)
	n.DueAt = due
	if resolveDays > 0 {
		n.ResolveDueAt = e.deadline(now, resolveDays)
	}
	t, created, err := e.tickets.Open(ctx, tx, n)
	if err != nil {
		return nil, err
	}
	if !created {
		return sendHTML(chat, T(c.Lang, txtTicketExists, t.ID), nil), nil
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionTicketOpened, map[string]any{
		"question_id": qid, "category": t.Category, "unit": t.Unit, "faq_id": t.FAQID, "length": len(text),
	}); err != nil {
		return nil, err
	}
	promise := T(c.Lang, txtTicketOpened, t.ID, formatTime(due, e.set.Location, c.Lang))
	if cal := e.calendar(); cal != nil && !cal.IsOpen(now) {
		promise += "\n" + T(c.Lang, txtOfficeClosed, formatTime(cal.NextOpen(now), e.set.Location, c.Lang))
	}
	outs := sendHTML(chat, promise, nil)
	// A reply to the confirmation adds to the ticket, as a reply to an officer does.
	outs[0].TicketID, outs[0].Link = t.ID, linkReply
	if group := e.groupOf(t); group != 0 {
		if forum {
			outs = append(outs, createTopic(group, t))
		}
		outs = append(outs, e.newCard(group, t, c.Name)...)
	}
	return outs, nil
}

// deadline is when a ticket opened at now must have its first response, days
// working days later.
func (e *Engine) deadline(now time.Time, days int) time.Time {
	days = max(days, 1)
	if e.calendar() == nil {
		return now.AddDate(0, 0, days)
	}
	return e.calendar().AddDays(now, days)
}

// citizenReply passes a citizen's reply to an officer's message on to the staff group.
func (e *Engine) citizenReply(ctx context.Context, tx *sqlx.Tx, c citizen, chat, ticketID int64, m *tgbotapi.Message) ([]Out, error) {
	t, err := e.tickets.Get(ctx, tx, ticketID)
	if err != nil {
		return nil, err
	}
	if t.CitizenID != c.ID {
		return nil, nil
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return sendHTML(chat, T(c.Lang, txtOnlyText), nil), nil
	}
	if !t.Status.Open() {
		return sendHTML(chat, T(c.Lang, txtTicketAlreadyClosedCitizen, t.ID), nil), nil
	}
	before := t
	if t, err = e.tickets.CitizenReplied(ctx, tx, t.ID); err != nil {
		return nil, err
	}
	var card []Out
	if cardChanged(before, t) {
		if card, err = e.cardUpdate(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	if err := e.tickets.AddMessage(ctx, tx, t.ID, tickets.AuthorCitizen, 0, text); err != nil {
		return nil, err
	}
	if err := e.audit(ctx, tx, t.ID, tickets.CitizenActor(c.ID), tickets.ActionCitizenReplied, map[string]any{"length": len(text)}); err != nil {
		return nil, err
	}
	outs := sendHTML(chat, T(c.Lang, txtReplyForwarded, t.ID), nil)
	outs = append(outs, e.groupNotice(t, staffCitizenReply(t, reporterName(t, c.Name), text))...)
	return append(outs, card...), nil
}

// citizenStatus lists the citizen's tickets.
func (e *Engine) citizenStatus(ctx context.Context, tx *sqlx.Tx, c citizen, chat int64) ([]Out, error) {
	ts, err := e.tickets.ByCitizen(ctx, tx, c.ID, 10)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return sendHTML(chat, T(c.Lang, txtStatusNone), nil), nil
	}
	var b strings.Builder
	b.WriteString(T(c.Lang, txtStatusHead))
	for _, t := range ts {
		fmt.Fprintf(&b, "\n\n<b>#%d</b> — %s\n%s", t.ID, statusLabel(t.Status, c.Lang), tghtml.Escape(truncate(t.Question, 120)))
		e.timeline(ctx, &b, tx, c.Lang, t)
	}
	return sendHTML(chat, b.String(), nil), nil
}

// timeline writes a ticket's milestones: created, taken by which unit, answered,
// resolved, and the deadline while it waits for a first response.
func (e *Engine) timeline(ctx context.Context, b *strings.Builder, q sqlx.QueryerContext, l lang, t tickets.Ticket) {
	at := func(label textKey, when time.Time, extra string) {
		fmt.Fprintf(b, "\n• %s %s%s", T(l, label), formatTime(when, e.set.Location, l), extra)
	}
	at(txtTimelineCreated, t.CreatedAt, "")
	if t.TakenAt.Valid {
		unit := ""
		if u, err := e.tickets.Unit(ctx, q, t.Unit); err == nil {
			unit = " (" + tghtml.Escape(u.Name) + ")"
		}
		at(txtTimelineTaken, t.TakenAt.Time, unit)
	}
	if t.FirstResponseAt.Valid {
		at(txtTimelineAnswered, t.FirstResponseAt.Time, "")
	} else if t.Status.Open() && t.DueAt.Valid {
		at(txtTimelineDue, t.DueAt.Time, "")
	}
	if t.ResolvedAt.Valid {
		at(txtTimelineResolved, t.ResolvedAt.Time, "")
	}
}

// citizenCallback handles a button press.
func (e *Engine) citizenCallback(ctx context.Context, tx *sqlx.Tx, q *tgbotapi.CallbackQuery) ([]Out, error) {
	c, err := rememberCitizen(ctx, tx, q.From)
	if err != nil {
		return nil, err
	}
	chat := c.ID
	if q.Message != nil && q.Message.Chat != nil {
		chat = q.Message.Chat.ID
	}
	if isBrowseData(q.Data) { // browse.go
		return e.browseCallback(ctx, tx, c, chat, q)
	}
	switch {
	case isReportData(q.Data):
		return e.reportButton(ctx, tx, c, chat, q)
	case strings.HasPrefix(q.Data, consentPrefix):
		return e.consentButton(ctx, tx, c, chat, q)
	case strings.HasPrefix(q.Data, newQuestionPrefix):
		return e.newQuestionButton(ctx, tx, c, chat, q)
	}
	cb, err := parseCallback(q.Data)
	if err != nil {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
	}
	question, err := knowledge.GetQuestion(ctx, tx, cb.QuestionID)
	if err != nil {
		if err == knowledge.ErrNotFound {
			return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
		}
		return nil, err
	}
	if question.CitizenID != c.ID {
		return []Out{answerCallback(chat, q.ID, T(c.Lang, txtNotYours))}, nil
	}
	officer := keyboard{{{Text: T(c.Lang, txtBtnOfficer), Data: callback{Action: actOfficer, QuestionID: cb.QuestionID}.String()}}}
	switch cb.Action {
	case actHelpful, actNotHelpful:
		if question.Feedback.Valid {
			// Already given (a second press before the buttons went away).
			return []Out{answerCallback(chat, q.ID, T(c.Lang, txtThanksFeedback))}, nil
		}
		helpful := cb.Action == actHelpful
		if err := knowledge.SetFeedback(ctx, tx, cb.QuestionID, helpful); err != nil {
			return nil, err
		}
		outs := []Out{answerCallback(chat, q.ID, T(c.Lang, txtThanksFeedback))}
		if q.Message != nil {
			kb := keyboard{}
			if !helpful {
				kb = officer
			}
			outs = append(outs, editKeyboard(chat, int64(q.Message.MessageID), kb))
		}
		if !helpful {
			outs = append(outs, sendHTML(chat, T(c.Lang, txtSorryNotHelpful), officer)...)
		}
		return outs, nil
	case actOfficer:
		res := knowledge.Result{Decision: question.Decision, Hits: question.Hits()}
		// The ticket carries the question as logged: with NIKs and phone numbers
		// masked. Officers ask for what they need in the ticket's conversation.
		outs := []Out{answerCallback(chat, q.ID, "")}
		more, err := e.requestTicket(ctx, tx, c, chat, question.ID, question.Text, res)
		return append(outs, more...), err
	case actPick:
		hits := question.Hits()
		if cb.Index >= len(hits) {
			return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
		}
		outs := []Out{answerCallback(chat, q.ID, "")}
		more, err := e.answerFAQ(c, chat, question.ID, hits[cb.Index].ID)
		return append(outs, more...), err
	}
	return []Out{answerCallback(chat, q.ID, T(c.Lang, txtButtonExpired))}, nil
}

// truncate shortens s to at most n runes, with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
