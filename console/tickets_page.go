package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lib/pq"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// ticketData is the ticket page.
type ticketData struct {
	T        tickets.Ticket
	Unit     string
	Citizen  string
	Question string
	Due      deadline
	Resolve  deadline
	Waiting  string
	Messages []messageView
	// Revealed: the citizen's texts are shown unmasked (one page view, audited).
	Revealed bool
	// CanReveal: there is an identity to reveal (not an anonymous report).
	CanReveal bool
	// Actions: the console may act (a Desk is configured); Open: the ticket is open.
	Actions, Open, Unassigned bool
	Targets                   []tickets.Unit
	DraftAnswer               string
	ConvURL                   string
	// Files: attachments can be fetched (a Files is configured).
	Files bool
}

// messageView is one entry of the conversation.
type messageView struct {
	ID int64
	// Class is "citizen", "staff", "internal" or "system".
	Class, Who, Body string
	At               time.Time
	// Photo and Document say the message carries a file, shown through /lampiran/{ID}.
	Photo, Document bool
	FileName        string
}

// loadTicket reads the ticket of the request's {id} and checks that the user may see
// it; otherwise it answers 404 or 403 and returns false.
func (s *Server) loadTicket(w http.ResponseWriter, r *http.Request) (tickets.Ticket, bool) {
	id := pathID(r, "id")
	if id == 0 {
		s.errorPage(w, r, http.StatusNotFound, "Tiket tidak ditemukan. Periksa nomornya.")
		return tickets.Ticket{}, false
	}
	t, err := s.cfg.Tickets.Get(r.Context(), s.cfg.DB, id)
	if errors.Is(err, tickets.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, fmt.Sprintf("Tiket #%d tidak ditemukan. Periksa nomornya.", id))
		return t, false
	}
	if err != nil {
		s.fail(w, r, err)
		return t, false
	}
	if !s.mayAccess(r.Context(), userOf(r), t) {
		msg := "Tiket ini milik unit lain, jadi tidak dapat Anda buka."
		if t.Confidential {
			msg = "Tiket ini laporan rahasia: hanya anggota unit integritas yang dapat membukanya."
		}
		s.errorPage(w, r, http.StatusForbidden, msg)
		return t, false
	}
	return t, true
}

// mayAccess reports whether u may see and act on t: the same rule as in the staff
// group (tickets.Store.CanAct), which keeps confidential reports to the integrity unit.
func (s *Server) mayAccess(ctx context.Context, u tickets.Staff, t tickets.Ticket) bool {
	return s.cfg.Tickets.CanAct(ctx, s.cfg.DB, u, t.Unit)
}

// ticketPage is GET /tiket/{id}: viewing a ticket is audited.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	u := userOf(r)
	if err := s.cfg.Tickets.Audit(r.Context(), s.cfg.DB, t.ID, tickets.StaffActor(u), tickets.DoorConsole, tickets.ActionTicketViewed, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showTicket(w, r, t, false)
}

// revealPage is POST /tiket/{id}/ungkap: the page once more, with the citizen's NIKs
// and phone numbers unmasked, for this response only. Every reveal is audited; an
// anonymous reporter's data is never revealed.
func (s *Server) revealPage(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	if t.Anonymous {
		s.errorPage(w, r, http.StatusForbidden, "Identitas pelapor anonim tidak dapat ditampilkan kepada siapa pun.")
		return
	}
	u := userOf(r)
	if err := s.cfg.Tickets.Audit(r.Context(), s.cfg.DB, t.ID, tickets.StaffActor(u), tickets.DoorConsole,
		tickets.ActionCitizenDataViewed, map[string]any{"citizen_id": t.CitizenID}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "console: personal data revealed", "ticket", t.ID, "staff", u.ID)
	s.showTicket(w, r, t, true)
}

// showTicket renders the ticket page.
func (s *Server) showTicket(w http.ResponseWriter, r *http.Request, t tickets.Ticket, revealed bool) {
	ctx := r.Context()
	u := userOf(r)
	d, err := s.ticketView(ctx, u, t, revealed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Actions && d.Open && !t.Confidential {
		if d.Targets, err = s.cfg.Desk.HandoverTargets(ctx, t); err != nil {
			s.fail(w, r, fmt.Errorf("console: handover targets: %w", err))
			return
		}
	}
	s.render(w, r, http.StatusOK, "ticket", fmt.Sprintf("Tiket #%d", t.ID), "/tiket", d)
}

// conversationFragment is GET /tiket/{id}/percakapan: the conversation alone (masked),
// for its refresh. It is not audited as a view: the page that refreshes it was.
func (s *Server) conversationFragment(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	d, err := s.ticketView(r.Context(), userOf(r), t, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFragment(w, r, "ticket", "conversation", d)
}

// ticketView builds the page's data: the header and the conversation.
func (s *Server) ticketView(ctx context.Context, u tickets.Staff, t tickets.Ticket, revealed bool) (ticketData, error) {
	now := time.Now()
	d := ticketData{T: t, Revealed: revealed, CanReveal: !t.Anonymous, Actions: s.cfg.Desk != nil,
		Open: t.Status.Open(), Unassigned: !t.AssigneeID.Valid,
		Due:     deadlineOf(t.DueAt.Time, t.DueAt.Valid, t.Status.Open(), now),
		Resolve: deadlineOf(t.ResolveDueAt.Time, t.ResolveDueAt.Valid, t.Status.Open(), now),
		Waiting: waiting(t, now), ConvURL: fmt.Sprintf("/tiket/%d/percakapan", t.ID), Files: s.cfg.Files != nil}
	d.Unit = "—"
	if t.Unit != "" {
		d.Unit = t.Unit
		if un, err := s.cfg.Tickets.Unit(ctx, s.cfg.DB, t.Unit); err == nil {
			d.Unit = un.Name
		}
	}
	names, err := s.citizenNames(ctx, []tickets.Ticket{t})
	if err != nil {
		return d, err
	}
	d.Citizen = citizenLabel(t, names[t.CitizenID])
	if t.Anonymous {
		d.Citizen = "Pelapor anonim"
	}
	d.Question = t.Question
	if !revealed {
		d.Question = knowledge.MaskPersonalData(t.Question)
	}
	ms, err := s.cfg.Tickets.Messages(ctx, s.cfg.DB, t.ID)
	if err != nil {
		return d, err
	}
	staff, err := s.staffNames(ctx, ms)
	if err != nil {
		return d, err
	}
	var lastAny string
	for _, m := range ms {
		v := messageView{ID: m.ID, Body: m.Body, At: m.CreatedAt, Photo: m.Kind == "photo", Document: m.Kind == "document", FileName: m.Name}
		switch {
		case m.Author == tickets.AuthorCitizen:
			v.Class, v.Who = "citizen", d.Citizen
			if !revealed {
				v.Body = knowledge.MaskPersonalData(m.Body)
			}
		case m.Author == tickets.AuthorSystem:
			v.Class, v.Who = "system", "Loket"
		case m.Internal:
			v.Class, v.Who = "internal", "Catatan internal · "+staffName(staff, m.StaffID.Int64)
		default:
			v.Class, v.Who = "staff", staffName(staff, m.StaffID.Int64)
			if m.Body != "" && m.Kind == "" {
				lastAny = m.Body
				if m.StaffID.Int64 == u.ID {
					d.DraftAnswer = m.Body
				}
			}
		}
		d.Messages = append(d.Messages, v)
	}
	if d.DraftAnswer == "" {
		d.DraftAnswer = lastAny
	}
	return d, nil
}

// staffNames returns the names of the officers who wrote messages.
func (s *Server) staffNames(ctx context.Context, ms []tickets.Message) (map[int64]string, error) {
	var ids pq.Int64Array
	for _, m := range ms {
		if m.StaffID.Valid {
			ids = append(ids, m.StaffID.Int64)
		}
	}
	names := map[int64]string{}
	if len(ids) == 0 {
		return names, nil
	}
	var rows []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	if err := s.cfg.DB.SelectContext(ctx, &rows, `SELECT id, name FROM staff WHERE id = ANY($1)`, ids); err != nil {
		return nil, fmt.Errorf("console: staff names: %w", err)
	}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}

// staffName is an officer's name, "Petugas" when unknown.
func staffName(names map[int64]string, id int64) string {
	if n := names[id]; n != "" {
		return n
	}
	return "Petugas"
}
