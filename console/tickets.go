package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// officerRoutes registers the officers' pages: the queue and the ticket page (with
// its actions, in tickets_page.go), and the attachment proxy (attachments.go).
func (s *Server) officerRoutes() {
	s.page("GET /tiket", ticketRoles, s.queuePage)
	s.page("GET /tiket/baris", ticketRoles, s.queueRows)
	s.page("GET /tiket/{id}", ticketRoles, s.ticketPage)
	s.page("GET /tiket/{id}/percakapan", ticketRoles, s.conversationFragment)
	s.page("POST /tiket/{id}/ungkap", ticketRoles, s.revealPage)
	s.page("POST /tiket/{id}/ambil", ticketRoles, s.takeTicket)
	s.page("POST /tiket/{id}/balas", ticketRoles, s.replyTicket)
	s.page("POST /tiket/{id}/catatan", ticketRoles, s.noteTicket)
	s.page("POST /tiket/{id}/selesai", ticketRoles, s.resolveTicket)
	s.page("POST /tiket/{id}/alihkan", ticketRoles, s.handOverTicket)
	s.page("POST /tiket/{id}/draf-faq", ticketRoles, s.draftFAQ)
	s.page("GET /lampiran/{messageID}", ticketRoles, s.attachment)
}

// Queue settings.
const (
	// queuePageSize is how many tickets a page of the queue shows.
	queuePageSize = 50
	// dueSoon is how close a deadline is "segera jatuh tempo".
	dueSoon = 2 * time.Hour
	// questionPreview is how many characters of a question the queue shows.
	questionPreview = 140
	// maxSearchText is the longest search the queue takes, in characters.
	maxSearchText = 200
)

// ticketScope is which tickets an account may see, as CanAct decides ticket by
// ticket: officers (and editors) their units' tickets and those of no unit;
// supervisors and admins every unit's; the integrity unit's only its members.
type ticketScope struct {
	// units are the units the account may filter by, by slug.
	units []tickets.Unit
	// only limits the queue to these units (nil: no limit).
	only []string
	// exclude drops these units' tickets (the integrity unit for non-members).
	exclude []string
	// names maps every unit's slug to its name.
	names map[string]string
}

// scopeOf returns the tickets u may see. In a deployment without units everyone sees
// every ticket.
func (s *Server) scopeOf(ctx context.Context, u tickets.Staff) (ticketScope, error) {
	units, err := s.cfg.Tickets.Units(ctx, s.cfg.DB)
	if err != nil {
		return ticketScope{}, fmt.Errorf("console: scope: %w", err)
	}
	sc := ticketScope{names: make(map[string]string, len(units))}
	if len(units) == 0 {
		return sc, nil
	}
	privileged := u.Role == tickets.RoleSupervisor || u.Role == tickets.RoleAdmin
	if !privileged {
		sc.only = []string{""}
	}
	for _, un := range units {
		sc.names[un.Slug] = un.Name
		member := slices.Contains(u.Units, un.Slug)
		switch {
		case un.IsIntegrity && !member:
			sc.exclude = append(sc.exclude, un.Slug)
		case member:
			sc.units = append(sc.units, un)
			if !privileged {
				sc.only = append(sc.only, un.Slug)
			}
		case privileged:
			sc.units = append(sc.units, un)
		}
	}
	return sc, nil
}

// allows reports whether the unit filter may name slug.
func (sc ticketScope) allows(slug string) bool {
	return slices.ContainsFunc(sc.units, func(u tickets.Unit) bool { return u.Slug == slug })
}

// unitName is a unit's name for people ("—" for no unit).
func (sc ticketScope) unitName(slug string) string {
	if n, ok := sc.names[slug]; ok {
		return n
	}
	if slug == "" {
		return "—"
	}
	return slug
}

// queueQuery is the queue's filters as the URL carries them.
type queueQuery struct {
	State    string // "" (open), a status, or "semua"
	Unit     string // "" or a unit's slug
	Assignee string // "", "saya" or "belum"
	Due      string // "", "segera" or "terlambat"
	Text     string
	After    int64
}

// stateChoices are the queue's state filter, in order: open tickets, each state by
// its label, every state.
var stateChoices = func() []option {
	opts := []option{{"", "Terbuka (belum selesai)"}}
	for _, st := range []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusWaitingCitizen,
		tickets.StatusResolved, tickets.StatusClosed, tickets.StatusCancelled} {
		opts = append(opts, option{string(st), statusLabel(st)})
	}
	return append(opts, option{"semua", "Semua status"})
}()

// assigneeChoices and dueChoices are the queue's other filters.
var (
	assigneeChoices = []option{{"", "Semua"}, {"saya", "Saya"}, {"belum", "Belum diambil"}}
	dueChoices      = []option{{"", "Semua"}, {"segera", "Segera jatuh tempo (2 jam)"}, {"terlambat", "Terlambat"}}
)

// option is one choice of a select.
type option struct{ Value, Label string }

// choice is an option as a form shows it.
type choice struct {
	Value, Label string
	Selected     bool
}

// choices marks the selected option; a value not among them selects the first.
func choices(opts []option, value string) []choice {
	out := make([]choice, len(opts))
	for i, o := range opts {
		out[i] = choice{Value: o.Value, Label: o.Label, Selected: o.Value == value}
	}
	return out
}

// known reports whether value is one of opts.
func known(opts []option, value string) bool {
	return slices.ContainsFunc(opts, func(o option) bool { return o.Value == value })
}

// parseQueueQuery reads the filters; unknown values fall back to the defaults.
func parseQueueQuery(r *http.Request) queueQuery {
	v := r.URL.Query()
	q := queueQuery{State: v.Get("status"), Unit: v.Get("unit"), Assignee: v.Get("petugas"), Due: v.Get("tenggat"),
		Text: strings.TrimSpace(v.Get("q"))}
	if !known(stateChoices, q.State) {
		q.State = ""
	}
	if !known(assigneeChoices, q.Assignee) {
		q.Assignee = ""
	}
	if !known(dueChoices, q.Due) {
		q.Due = ""
	}
	if r := []rune(q.Text); len(r) > maxSearchText {
		q.Text = string(r[:maxSearchText])
	}
	q.After, _ = strconv.ParseInt(v.Get("setelah"), 10, 64)
	return q
}

// values encodes the filters for a link, without empty ones.
func (q queueQuery) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"status": q.State, "unit": q.Unit, "petugas": q.Assignee, "tenggat": q.Due, "q": q.Text} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.After != 0 {
		v.Set("setelah", strconv.FormatInt(q.After, 10))
	}
	return v
}

// filter turns the query into the store's filter for u, limited to what u may see.
func (q queueQuery) filter(u tickets.Staff, sc ticketScope, now time.Time) tickets.QueueFilter {
	f := tickets.QueueFilter{Units: sc.only, ExcludeUnits: sc.exclude, Text: q.Text, After: q.After, Limit: queuePageSize + 1}
	if q.Unit != "" {
		f.Units = []string{q.Unit}
	}
	switch q.State {
	case "":
		if tickets.TicketNumber(q.Text) != 0 {
			// A number finds the ticket whatever its state.
			f.States = allStates()
		}
	case "semua":
		f.States = allStates()
	default:
		f.States = []tickets.Status{tickets.Status(q.State)}
	}
	switch q.Assignee {
	case "saya":
		f.AssigneeID = u.ID
	case "belum":
		f.Unassigned = true
	}
	switch q.Due {
	case "segera":
		f.DueBefore = now.Add(dueSoon)
	case "terlambat":
		f.DueBefore = now
	}
	return f
}

// allStates is every ticket state.
func allStates() []tickets.Status {
	return []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusWaitingCitizen,
		tickets.StatusResolved, tickets.StatusClosed, tickets.StatusCancelled}
}

// queueData is the queue page.
type queueData struct {
	Q                     queueQuery
	States, Assignees     []choice
	Dues, Units           []choice
	Rows                  []queueRow
	RowsURL, Next, First  string
	OfficerOnly, NoTicket bool
}

// queueRow is one ticket of the queue, as the officer must decide on it.
type queueRow struct {
	ID           int64
	Unit         string
	Status       tickets.Status
	Assignee     string
	Citizen      string
	Confidential bool
	Question     string
	Due          deadline
	Waiting      string
}

// deadline is a deadline shown as a badge: Class is "late", "soon" or "ok"; Text is
// empty when there is none to show.
type deadline struct {
	Text, Class string
	At          time.Time
}

// deadlineOf describes a deadline of an open ticket.
func deadlineOf(due time.Time, valid, open bool, now time.Time) deadline {
	if !valid || !open {
		return deadline{}
	}
	left := due.Sub(now)
	switch {
	case left < 0:
		return deadline{Text: "Terlambat " + formatDuration(-left), Class: "late", At: due}
	case left < dueSoon:
		return deadline{Text: "Sisa " + formatDuration(left), Class: "soon", At: due}
	}
	return deadline{Text: "Sisa " + formatDuration(left), Class: "ok", At: due}
}

// queuePage is GET /tiket.
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	data, status, msg, err := s.queue(r)
	switch {
	case err != nil:
		s.fail(w, r, err)
	case msg != "":
		s.errorPage(w, r, status, msg)
	default:
		s.render(w, r, http.StatusOK, "queue", "Antrean tiket", "/tiket", data)
	}
}

// queueRows is GET /tiket/baris: the queue's rows alone, for its refresh.
func (s *Server) queueRows(w http.ResponseWriter, r *http.Request) {
	data, status, msg, err := s.queue(r)
	switch {
	case err != nil:
		s.fail(w, r, err)
	case msg != "":
		http.Error(w, msg, status)
	default:
		s.renderFragment(w, r, "queue", "rows", data)
	}
}

// queue reads the queue a request asks for; a refusal comes back as a status and a
// message.
func (s *Server) queue(r *http.Request) (queueData, int, string, error) {
	ctx := r.Context()
	u := userOf(r)
	q := parseQueueQuery(r)
	sc, err := s.scopeOf(ctx, u)
	if err != nil {
		return queueData{}, 0, "", err
	}
	if q.Unit != "" && !sc.allows(q.Unit) {
		return queueData{}, http.StatusForbidden, "Anda tidak dapat melihat tiket unit ini.", nil
	}
	now := time.Now()
	ts, err := s.cfg.Tickets.Queue(ctx, s.cfg.DB, q.filter(u, sc, now))
	if err != nil {
		return queueData{}, 0, "", fmt.Errorf("console: queue: %w", err)
	}
	d := queueData{Q: q, States: choices(stateChoices, q.State), Assignees: choices(assigneeChoices, q.Assignee),
		Dues: choices(dueChoices, q.Due), OfficerOnly: sc.only != nil}
	d.Units = append(d.Units, choice{Value: "", Label: "Semua unit", Selected: q.Unit == ""})
	for _, un := range sc.units {
		d.Units = append(d.Units, choice{Value: un.Slug, Label: un.Name, Selected: un.Slug == q.Unit})
	}
	if len(ts) > queuePageSize {
		ts = ts[:queuePageSize]
		next := q
		next.After = ts[len(ts)-1].ID
		d.Next = "/tiket?" + next.values().Encode()
	}
	if q.After != 0 {
		first := q
		first.After = 0
		d.First = "/tiket?" + first.values().Encode()
	}
	d.RowsURL = "/tiket/baris?" + q.values().Encode()
	names, err := s.citizenNames(ctx, ts)
	if err != nil {
		return queueData{}, 0, "", err
	}
	for _, t := range ts {
		d.Rows = append(d.Rows, queueRow{
			ID: t.ID, Unit: sc.unitName(t.Unit), Status: t.Status, Assignee: t.AssigneeName,
			Citizen: citizenLabel(t, names[t.CitizenID]), Confidential: t.Confidential,
			Question: truncateRunes(knowledge.MaskPersonalData(t.Question), questionPreview),
			Due:      deadlineOf(t.DueAt.Time, t.DueAt.Valid, t.Status.Open(), now),
			Waiting:  waiting(t, now),
		})
	}
	d.NoTicket = len(d.Rows) == 0
	return d, 0, "", nil
}

// citizenNames returns the display names of the citizens of tickets that are not
// anonymous.
func (s *Server) citizenNames(ctx context.Context, ts []tickets.Ticket) (map[int64]string, error) {
	var ids pq.Int64Array
	for _, t := range ts {
		if !t.Anonymous {
			ids = append(ids, t.CitizenID)
		}
	}
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	var rows []struct {
		ID   int64  `db:"telegram_user_id"`
		Name string `db:"display_name"`
	}
	if err := s.cfg.DB.SelectContext(ctx, &rows, `SELECT telegram_user_id, display_name FROM citizens
		WHERE telegram_user_id = ANY($1)`, ids); err != nil {
		return nil, fmt.Errorf("console: citizen names: %w", err)
	}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}

// citizenLabel is who asked, as officers may see it: "Anonim" for an anonymous report.
func citizenLabel(t tickets.Ticket, name string) string {
	switch {
	case t.Anonymous:
		return "Anonim"
	case strings.TrimSpace(name) == "":
		return "Warga"
	}
	return name
}

// waiting is how long an open ticket has waited since it was opened ("" if closed).
func waiting(t tickets.Ticket, now time.Time) string {
	if !t.Status.Open() {
		return ""
	}
	return formatDuration(now.Sub(t.CreatedAt))
}

// truncateRunes shortens s to at most n characters, ending with "…" when cut.
func truncateRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
