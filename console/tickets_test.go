package console_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/tickets"
)

// integrityChat is the integrity unit's own staff group.
const integrityChat = int64(-100900)

// officersEnv is an office with three units and an integrity unit, and accounts:
// siti (officer, disdukcapil), rudi (officer, polres), ina (officer, inspektorat),
// pimpinan (supervisor) and editor (editor, no unit).
func officersEnv(t *testing.T) *env {
	t.Helper()
	e := newEnvWith(t, envOptions{units: map[string]string{
		"disdukcapil": "Disdukcapil", "polres": "Polres", "samsat": "Samsat"}})
	e.TG.AddGroup(integrityChat, "Inspektorat")
	if _, err := e.Tickets.AddUnit(context.Background(), tickets.Unit{Slug: "inspektorat", Name: "Inspektorat",
		IsIntegrity: true, StaffChatID: sql.NullInt64{Int64: integrityChat, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	e.addUser("siti", tickets.RoleOfficer, "disdukcapil")
	e.addUser("rudi", tickets.RoleOfficer, "polres")
	e.addUser("ina", tickets.RoleOfficer, "inspektorat")
	e.addUser("pimpinan", tickets.RoleSupervisor)
	e.addUser("editor", tickets.RoleEditor)
	return e
}

// insertTicket stores a ticket directly (no bot): for the queue's fixtures.
func (e *env) insertTicket(question, unit string, status tickets.Status, due time.Duration) int64 {
	e.t.Helper()
	var id int64
	var dueAt sql.NullTime
	if due != 0 {
		dueAt = sql.NullTime{Time: time.Now().Add(due), Valid: true}
	}
	if err := e.DB.Get(&id, `INSERT INTO tickets (citizen_id, question, unit, status, due_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, citizenAni.ID, question, unit, status, dueAt); err != nil {
		e.t.Fatal(err)
	}
	if err := e.Tickets.AddMessage(context.Background(), e.DB, id, tickets.AuthorCitizen, 0, question); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// mustExec runs SQL or fails the test.
func (e *env) mustExec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.DB.Exec(query, args...); err != nil {
		e.t.Fatal(err)
	}
}

// countRows runs a counting query.
func (e *env) countRows(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.DB.Get(&n, query, args...); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// auditCount counts a ticket's audit entries of an action.
func (e *env) auditCount(ticketID int64, action string) int {
	return e.countRows(`SELECT count(*) FROM audit_log WHERE ticket_id = $1 AND action = $2`, ticketID, action)
}

// ticketNumbers are the ticket numbers a queue page lists, in order.
var ticketNumbers = regexp.MustCompile(`<a href="/tiket/(\d+)"><b>#`)

// listedTickets returns the ticket numbers a queue page or its rows list.
func listedTickets(body string) []string {
	var out []string
	for _, m := range ticketNumbers.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// ticketIDs writes ticket numbers as listedTickets returns them.
func ticketIDs(ns ...int64) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprint(n)
	}
	return out
}

// sameList reports whether two lists are equal.
func sameList(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// TestTicketRoutesAccess checks every officers' route: logged out, without the CSRF
// token, for an officer of another unit and for a confidential report.
func TestTicketRoutesAccess(t *testing.T) {
	e := officersEnv(t)
	ticket := e.insertTicket("Bagaimana cara mengganti KK yang rusak?", "disdukcapil", tickets.StatusNew, 5*time.Hour)
	report := e.insertTicket("Petugas meminta uang pelicin", "inspektorat", tickets.StatusNew, 5*time.Hour)
	e.mustExec(`UPDATE tickets SET confidential = true, anonymous = true WHERE id = $1`, report)
	var photo int64
	if err := e.DB.Get(&photo, `INSERT INTO ticket_messages (ticket_id, author, body, file_id, file_kind, file_mime)
		VALUES ($1, 'citizen', '', $2, 'photo', 'image/jpeg') RETURNING id`, ticket,
		e.TG.SendPhoto(citizenAni, citizenAni.ID, "").Photo[0].FileID); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/tiket/%d", ticket)
	gets := []string{"/tiket", "/tiket/baris", page, page + "/percakapan", fmt.Sprintf("/lampiran/%d", photo)}
	posts := map[string]url.Values{
		page + "/ambil":    nil,
		page + "/balas":    {"teks": {"Silakan datang ke kantor."}},
		page + "/catatan":  {"catatan": {"Cek arsip."}},
		page + "/selesai":  {"catatan": {"Sudah selesai."}},
		page + "/alihkan":  {"unit": {"samsat"}, "catatan": {"Salah unit."}},
		page + "/draf-faq": {"jawaban": {"Bawa KK lama."}},
		page + "/ungkap":   nil,
	}
	unchanged := func(t *testing.T) {
		t.Helper()
		var st tickets.Status
		if err := e.DB.Get(&st, `SELECT status FROM tickets WHERE id = $1`, ticket); err != nil {
			t.Fatal(err)
		}
		if st != tickets.StatusNew || e.countRows(`SELECT count(*) FROM ticket_messages WHERE ticket_id = $1`, ticket) != 2 ||
			e.countRows(`SELECT count(*) FROM faq_drafts`) != 0 || e.auditCount(ticket, tickets.ActionCitizenDataViewed) != 0 {
			t.Errorf("ticket changed by a refused request: status %s", st)
		}
	}

	t.Run("logged out", func(t *testing.T) {
		anon := e.anon()
		for _, p := range gets {
			if r := anon.get(p); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/masuk?lanjut=") {
				t.Errorf("GET %s logged out: %d → %q, want the login page", p, r.Status, r.Location)
			}
		}
		for p, form := range posts {
			if r := anon.postForm(p, form); r.Status != http.StatusUnauthorized {
				t.Errorf("POST %s logged out: %d, want 401", p, r.Status)
			}
		}
		unchanged(t)
	})
	t.Run("without CSRF token", func(t *testing.T) {
		siti := e.login("siti")
		for p, form := range posts {
			if r := siti.postForm(p, form); r.Status != http.StatusForbidden {
				t.Errorf("POST %s without CSRF token: %d, want 403", p, r.Status)
			}
		}
		unchanged(t)
	})
	t.Run("officer of another unit", func(t *testing.T) {
		rudi := e.login("rudi")
		for _, p := range gets[2:] {
			if r := rudi.get(p); r.Status != http.StatusForbidden {
				t.Errorf("GET %s by another unit's officer: %d, want 403", p, r.Status)
			}
		}
		for p, form := range posts {
			if r := rudi.post(p, form); r.Status != http.StatusForbidden {
				t.Errorf("POST %s by another unit's officer: %d, want 403", p, r.Status)
			}
		}
		if r := rudi.get("/tiket"); r.Status != http.StatusOK || len(listedTickets(r.Body)) != 0 {
			t.Errorf("another unit's queue: %d, lists %v", r.Status, listedTickets(r.Body))
		}
		if r := rudi.get("/tiket?unit=disdukcapil"); r.Status != http.StatusForbidden {
			t.Errorf("filtering by another unit: %d, want 403", r.Status)
		}
		if r := rudi.get(fmt.Sprintf("/tiket?q=%%23%d", ticket)); len(listedTickets(r.Body)) != 0 {
			t.Errorf("searching another unit's ticket by number finds it: %v", listedTickets(r.Body))
		}
		unchanged(t)
		if n := e.auditCount(ticket, tickets.ActionTicketViewed); n != 0 {
			t.Errorf("%d views audited for refused requests", n)
		}
	})
	t.Run("the unit's officer", func(t *testing.T) {
		siti := e.login("siti")
		for _, p := range gets {
			if r := siti.get(p); r.Status != http.StatusOK {
				t.Errorf("GET %s by the unit's officer: %d", p, r.Status)
			}
		}
		if r := siti.get("/tiket"); !sameList(listedTickets(r.Body), ticketIDs(ticket)) {
			t.Errorf("siti's queue lists %v, want only %d (not the report)", listedTickets(r.Body), ticket)
		}
		if r := siti.get("/tiket/99999"); r.Status != http.StatusNotFound {
			t.Errorf("missing ticket: %d, want 404", r.Status)
		}
		if r := siti.get("/tiket/abc"); r.Status != http.StatusNotFound {
			t.Errorf("ticket abc: %d, want 404", r.Status)
		}
		if r := siti.get("/lampiran/99999"); r.Status != http.StatusNotFound {
			t.Errorf("missing attachment: %d, want 404", r.Status)
		}
	})
	t.Run("confidential report", func(t *testing.T) {
		rp := fmt.Sprintf("/tiket/%d", report)
		for _, who := range []string{"siti", "pimpinan", "editor"} {
			c := e.login(who)
			if r := c.get(rp); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "laporan rahasia") {
				t.Errorf("%s opens the confidential report: %d", who, r.Status)
			}
			if r := c.post(rp+"/catatan", url.Values{"catatan": {"x"}}); r.Status != http.StatusForbidden {
				t.Errorf("%s notes on the confidential report: %d", who, r.Status)
			}
			if r := c.get("/tiket?status=semua"); strings.Contains(r.Body, fmt.Sprintf("#%d<", report)) {
				t.Errorf("%s's queue lists the confidential report", who)
			}
		}
		ina := e.login("ina")
		r := ina.get(rp)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Pelapor anonim") || strings.Contains(r.Body, citizenAni.FirstName) {
			t.Errorf("integrity officer: %d; the anonymous reporter must show as such, never by name", r.Status)
		}
		if r := ina.get("/tiket"); !sameList(listedTickets(r.Body), ticketIDs(report)) || !strings.Contains(r.Body, "Anonim") ||
			strings.Contains(r.Body, citizenAni.FirstName) {
			t.Errorf("integrity queue lists %v; want the report, anonymous", listedTickets(r.Body))
		}
		if r := ina.post(rp+"/ungkap", nil); r.Status != http.StatusForbidden {
			t.Errorf("revealing an anonymous reporter: %d, want 403", r.Status)
		}
		if r := ina.post(rp+"/draf-faq", url.Values{"jawaban": {"x"}}); r.Status != http.StatusSeeOther ||
			e.countRows(`SELECT count(*) FROM faq_drafts`) != 0 {
			t.Errorf("a confidential report became an FAQ draft: %d", r.Status)
		}
		if n := e.auditCount(report, tickets.ActionCitizenDataViewed); n != 0 {
			t.Errorf("anonymous reporter's data viewed %d times", n)
		}
	})
	t.Run("supervisor sees every unit but the integrity unit", func(t *testing.T) {
		c := e.login("pimpinan")
		if r := c.get("/tiket"); !sameList(listedTickets(r.Body), ticketIDs(ticket)) || strings.Contains(r.Body, `value="inspektorat"`) {
			t.Errorf("supervisor's queue lists %v", listedTickets(r.Body))
		}
		if r := c.get("/tiket?unit=inspektorat"); r.Status != http.StatusForbidden {
			t.Errorf("supervisor filters by the integrity unit: %d, want 403", r.Status)
		}
	})
}

// TestQueuePageFilters checks the queue's filters, search, paging and refresh.
func TestQueuePageFilters(t *testing.T) {
	e := officersEnv(t)
	siti := e.login("siti")
	late := e.insertTicket("Akta kelahiran anak belum terbit", "disdukcapil", tickets.StatusNew, -time.Hour)
	soon := e.insertTicket("KTP saya hilang, NIK 3171234567890001", "disdukcapil", tickets.StatusInProgress, time.Hour)
	later := e.insertTicket("Pindah domisili ke kota lain", "disdukcapil", tickets.StatusWaitingCitizen, 30*time.Hour)
	done := e.insertTicket("KTP rusak sudah diganti", "disdukcapil", tickets.StatusResolved, -48*time.Hour)
	other := e.insertTicket("KTP dipakai orang lain di Polres", "polres", tickets.StatusNew, time.Hour)
	e.mustExec(`UPDATE tickets SET assignee_id = (SELECT id FROM staff WHERE username = 'siti') WHERE id = $1`, soon)
	e.mustExec(`UPDATE tickets SET anonymous = true WHERE id = $1`, later)

	cases := []struct {
		query string
		want  []string
	}{
		{"", ticketIDs(late, soon, later)},
		{"?status=selesai", ticketIDs(done)},
		{"?status=semua", ticketIDs(done, late, soon, later)},
		{"?status=baru", ticketIDs(late)},
		{"?petugas=saya", ticketIDs(soon)},
		{"?petugas=belum", ticketIDs(late, later)},
		{"?tenggat=segera", ticketIDs(late, soon)},
		{"?tenggat=terlambat", ticketIDs(late)},
		{"?unit=disdukcapil&tenggat=segera&petugas=belum", ticketIDs(late)},
		{"?q=ktp", ticketIDs(soon)},
		{"?q=KTP&status=semua", ticketIDs(done, soon)},
		{"?q=akta+anak", ticketIDs(late)},
		{"?q=akta+polisi", nil},
		{fmt.Sprintf("?q=%%23%d", done), ticketIDs(done)}, // a number finds a closed ticket too
		{fmt.Sprintf("?q=%d", late), ticketIDs(late)},
		{fmt.Sprintf("?q=%%23%d", other), nil}, // another unit's, by number
		{"?status=bogus&petugas=x", ticketIDs(late, soon, later)},
	}
	for _, c := range cases {
		r := siti.get("/tiket" + c.query)
		if r.Status != http.StatusOK || !sameList(listedTickets(r.Body), c.want) {
			t.Errorf("GET /tiket%s: %d, lists %v, want %v", c.query, r.Status, listedTickets(r.Body), c.want)
		}
	}

	r := siti.get("/tiket")
	if strings.Contains(r.Body, "3171234567890001") || !strings.Contains(r.Body, "**************01") {
		t.Error("the queue shows a NIK unmasked")
	}
	if !strings.Contains(r.Body, `<span class="muted">Anonim</span>`) || !strings.Contains(r.Body, `class="badge late"`) ||
		!strings.Contains(r.Body, `class="badge soon"`) || !strings.Contains(r.Body, `<span class="muted">Belum diambil</span>`) {
		t.Errorf("queue rows miss the anonymous label, the deadline badges or the assignee:\n%s", r.Body)
	}
	// The rows refresh themselves from a fragment with the same filters.
	if !strings.Contains(r.Body, `<tbody data-refresh="/tiket/baris?"`) {
		t.Error("the queue's rows do not refresh themselves")
	}
	r = siti.get("/tiket?q=ktp&status=semua")
	if !strings.Contains(r.Body, `data-refresh="/tiket/baris?q=ktp&amp;status=semua"`) {
		t.Errorf("the refresh URL drops the filters:\n%s", r.Body)
	}
	frag := siti.get("/tiket/baris?q=ktp&status=semua")
	if frag.Status != http.StatusOK || strings.Contains(frag.Body, "<html") || !sameList(listedTickets(frag.Body), ticketIDs(done, soon)) {
		t.Errorf("rows fragment: %d, lists %v:\n%s", frag.Status, listedTickets(frag.Body), frag.Body)
	}
	if frag := siti.get("/tiket/baris?unit=polres"); frag.Status != http.StatusForbidden {
		t.Errorf("rows fragment of another unit: %d, want 403", frag.Status)
	}
	// A new ticket shows up in the refreshed rows.
	fresh := e.insertTicket("Kartu keluarga baru", "disdukcapil", tickets.StatusNew, 2*time.Minute)
	if frag := siti.get("/tiket/baris"); !sameList(listedTickets(frag.Body), ticketIDs(late, fresh, soon, later)) {
		t.Errorf("refreshed rows list %v", listedTickets(frag.Body))
	}

	t.Run("paging", func(t *testing.T) {
		e.mustExec(`INSERT INTO tickets (citizen_id, question, unit, status, due_at)
			SELECT $1, 'Antrean panjang ' || g, 'samsat', 'baru', now() + g * interval '1 minute'
			FROM generate_series(1, 120) g`, citizenAni.ID)
		pim := e.login("pimpinan")
		var seen []string
		next := "/tiket?unit=samsat"
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("paging does not end")
			}
			r := pim.get(next)
			seen = append(seen, listedTickets(r.Body)...)
			next = ""
			if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(r.Body); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		uniq := map[string]bool{}
		for _, s := range seen {
			uniq[s] = true
		}
		if len(seen) != 120 || len(uniq) != 120 {
			t.Errorf("paged through %d tickets (%d distinct), want 120", len(seen), len(uniq))
		}
	})
}
