package console_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/tickets"
)

// march2026 is the period of the dashboard tests' tickets.
const march2026 = "periode=kustom&dari=2026-03-01&sampai=2026-03-31"

// dashEnv is a console with units, officers, a supervisor, and an office calendar
// (the default hours, in UTC), with known tickets and questions in March 2026:
//
//   - A (Disdukcapil, Siti): opened Monday 2 March 08.00, answered 10.00 (2 working
//     hours, in time), resolved Tuesday 10.00 (9 working hours, in time), rated 4;
//   - B (Disdukcapil, Siti): opened Tuesday 3 March 08.00, answered Thursday 09.00
//     (15 working hours, after its deadline), resolved Friday 13 March 15.00 (61,5
//     working hours, late), rated 2;
//   - C (Inspektorat, a confidential report, Inspektur): opened Wednesday 4 March
//     08.00, answered 09.00 (1 working hour, in time), still open past its resolution
//     deadline.
//
// First response: median 2 hours, 90th percentile 12,4 hours, 2 of 3 in time.
// Resolution: median 35,25 hours, 1 of 3 in time. Rating 3,0 (2 ratings).
type dashEnv struct {
	*env
	url                  string
	siti, inspektur      tickets.Staff
	ticketA, ticketB, tC int64
}

func newDashEnv(t *testing.T, publicStats bool) *dashEnv {
	t.Helper()
	e := newEnvWith(t, envOptions{units: map[string]string{"disdukcapil": "Dinas Kependudukan", "polres": "=Kepolisian Resor"}, publicStats: publicStats})
	ctx := context.Background()
	if _, err := e.Tickets.AddUnit(ctx, tickets.Unit{Slug: "inspektorat", Name: "Inspektorat", IsIntegrity: true,
		StaffChatID: sql.NullInt64{Int64: -100700, Valid: true}}); err != nil {
		t.Fatal(err)
	}
	d := &dashEnv{env: e}
	d.siti = e.addUser("siti", tickets.RoleOfficer, "disdukcapil")
	d.inspektur = e.addUser("inspektur", tickets.RoleOfficer, "inspektorat")
	e.addUser("pimpinan", tickets.RoleSupervisor)
	e.addUser("irban", tickets.RoleSupervisor, "inspektorat")
	e.addUser("admin", tickets.RoleAdmin)
	e.addUser("editor", tickets.RoleEditor)
	cal, err := tickets.NewCalendar(time.UTC, tickets.DefaultOfficeHours(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := console.New(console.Config{DB: e.DB, Tickets: e.Tickets, Knowledge: e.KB, Location: time.UTC,
		Calendar: func() *tickets.Calendar { return cal }, PublicStats: publicStats})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(c)
	t.Cleanup(hs.Close)
	d.url = hs.URL
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 3, day, hour, minute, 0, 0, time.UTC) }
	insert := func(unit string, staff int64, status string, confidential bool, rating any, times ...any) int64 {
		var id int64
		args := append([]any{citizenAni.ID, unit, staff, status, confidential, rating}, times...)
		if err := e.DB.Get(&id, `INSERT INTO tickets (citizen_id, question, unit, assignee_id, status, confidential, rating,
			created_at, due_at, first_response_at, resolve_due_at, resolved_at, closed_at, rated_at)
			VALUES ($1, 'Pertanyaan rahasia Ani soal KTP 3171234567890123', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			RETURNING id`, args...); err != nil {
			t.Fatal(err)
		}
		return id
	}
	d.ticketA = insert("disdukcapil", d.siti.ID, "ditutup", false, 4,
		at(2, 8, 0), at(3, 8, 0), at(2, 10, 0), at(9, 8, 0), at(3, 10, 0), at(3, 11, 0), at(3, 11, 0))
	d.ticketB = insert("disdukcapil", d.siti.ID, "ditutup", false, 2,
		at(3, 8, 0), at(4, 8, 0), at(5, 9, 0), at(10, 8, 0), at(13, 15, 0), at(14, 9, 0), at(14, 9, 0))
	d.tC = insert("inspektorat", d.inspektur.ID, "diproses", true, nil,
		at(4, 8, 0), at(5, 8, 0), at(4, 9, 0), at(11, 8, 0), nil, nil, nil)
	// Questions: 3 answered, 1 clarified, 1 escalated, 1 small talk in March; one in
	// April, outside the period.
	for _, q := range []struct {
		decision string
		day      int
	}{{"answer", 2}, {"answer", 2}, {"answer", 9}, {"clarify", 3}, {"escalate", 3}, {"smalltalk", 4}, {"answer", 33}} {
		if _, err := e.DB.Exec(`INSERT INTO questions (citizen_id, text, decision, created_at) VALUES ($1, 'Pertanyaan Ani', $2, $3)`,
			citizenAni.ID, q.decision, at(q.day, 9, 0)); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// as returns a client of the dashboard's console logged in as username.
func (d *dashEnv) as(username string) *client {
	d.t.Helper()
	c := d.login(username)
	c.base = d.url
	return c
}

// dashFigure returns the text of the element with that id.
func dashFigure(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no element %q in the page", id)
	}
	return m[1]
}

// dashSection returns the part of body from the element with that id to the end of its
// table.
func dashSection(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %q in the page", id)
	}
	j := strings.Index(body[i:], "</table>")
	return body[i : i+j]
}

func TestDashboardRoles(t *testing.T) {
	d := newDashEnv(t, false)
	paths := []string{"/dasbor", "/dasbor/tiket.csv", "/dasbor/angka.csv"}
	for _, user := range []string{"siti", "editor"} {
		c := d.as(user)
		for _, p := range paths {
			if r := c.get(p); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", user, p, r.Status)
			}
		}
	}
	anon := d.anon()
	anon.base = d.url
	for _, p := range paths {
		r := anon.get(p + "?" + march2026)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/masuk?lanjut=") {
			t.Errorf("logged out GET %s: status %d to %q, want 303 to the login page", p, r.Status, r.Location)
		}
	}
	for _, user := range []string{"pimpinan", "admin"} {
		c := d.as(user)
		for _, p := range paths {
			if r := c.get(p + "?" + march2026); r.Status != http.StatusOK {
				t.Errorf("%s GET %s: status %d, want 200", user, p, r.Status)
			}
		}
	}
	home := d.as("pimpinan").get("/")
	if home.Location != "/dasbor" {
		t.Errorf("a supervisor's home goes to %q, want /dasbor", home.Location)
	}
}

func TestDashboardFigures(t *testing.T) {
	d := newDashEnv(t, false)
	r := d.as("pimpinan").get("/dasbor?" + march2026)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	for id, want := range map[string]string{
		"q-total": "6", "q-answer": "3", "q-answer-pct": "50%", "q-clarify": "1", "q-escalate": "1", "q-smalltalk": "1",
		"fig-opened": "3", "fig-closed": "2", "fig-open": "1", "fig-overdue": "1",
		"fig-first-median": "2,0 jam", "fig-first-p90": "12,4 jam", "fig-first-sla": "66,7%",
		"fig-resolve-median": "35,3 jam", "fig-resolve-p90": "56,3 jam", "fig-resolve-sla": "33,3%", "fig-rating": "3,0",
	} {
		if got := dashFigure(t, r.Body, id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	units := dashSection(t, r.Body, "per-unit")
	for _, want := range []string{"Dinas Kependudukan", "=Kepolisian Resor", "Inspektorat", "8,5 jam", "1,0 jam"} {
		if !strings.Contains(units, want) {
			t.Errorf("per-unit table lacks %q", want)
		}
	}
	// The confidential report counts in the integrity unit's figures, but not per
	// officer for a supervisor outside that unit.
	officers := dashSection(t, r.Body, "per-officer")
	if !strings.Contains(officers, "Siti") || strings.Contains(officers, "Inspektur") {
		t.Errorf("per-officer table for a non-member:\n%s", officers)
	}
	member := d.as("irban").get("/dasbor?" + march2026)
	if officers := dashSection(t, member.Body, "per-officer"); !strings.Contains(officers, "Inspektur") {
		t.Errorf("per-officer table for a member of the integrity unit lacks Inspektur:\n%s", officers)
	}
	for _, leak := range []string{"Lestari", "Pertanyaan rahasia", "3171234567890123"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the dashboard shows %q", leak)
		}
	}
	// One unit, one officer.
	one := d.as("pimpinan").get("/dasbor?" + march2026 + "&unit=inspektorat")
	if got := dashFigure(t, one.Body, "fig-opened"); got != "1" {
		t.Errorf("Inspektorat alone: opened %q, want 1", got)
	}
	siti := d.as("pimpinan").get("/dasbor?" + march2026 + "&petugas=" + dashID(d.siti.ID))
	if got, want := dashFigure(t, siti.Body, "fig-first-median"), "8,5 jam"; got != want {
		t.Errorf("Siti alone: first-response median %q, want %q", got, want)
	}
	// An officer's figures leave confidential reports out for non-members.
	insp := d.as("pimpinan").get("/dasbor?" + march2026 + "&petugas=" + dashID(d.inspektur.ID))
	if got := dashFigure(t, insp.Body, "fig-opened"); got != "0" {
		t.Errorf("the inspector's figures for a non-member: opened %q, want 0", got)
	}
	bad := d.as("pimpinan").get("/dasbor?periode=kustom&dari=2026-03-31&sampai=2026-03-01")
	if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "Tanggal akhir tidak boleh sebelum tanggal awal.") {
		t.Errorf("dates in the wrong order: status %d", bad.Status)
	}
}

// dashID writes a number as the console's URLs and exports do.
func dashID(n int64) string { return strconv.FormatInt(n, 10) }

func TestDashboardChartsAreWellFormedSVG(t *testing.T) {
	d := newDashEnv(t, false)
	r := d.as("pimpinan").get("/dasbor?" + march2026)
	svgs := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(r.Body, -1)
	if len(svgs) != 3 {
		t.Fatalf("%d charts, want 3", len(svgs))
	}
	for _, svg := range svgs {
		dec := xml.NewDecoder(strings.NewReader(svg))
		dec.Strict = true
		rects := 0
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("chart is not well-formed: %v\n%s", err, svg)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
				rects++
			}
		}
		if rects == 0 {
			t.Errorf("a chart without bars:\n%.300s", svg)
		}
		if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "<title>") {
			t.Errorf("a chart without an accessible name:\n%.300s", svg)
		}
	}
	if !strings.Contains(svgs[0], "2 Mar · Dibuka: 1") {
		t.Errorf("the tickets chart lacks the bar of 2 March")
	}
}

func TestDashboardTicketsCSV(t *testing.T) {
	d := newDashEnv(t, false)
	r := d.as("pimpinan").get("/dasbor/tiket.csv?" + march2026)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "tiket-2026-03-01-2026-03-31.csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(r.Body, "\ufeff") {
		t.Error("no byte order mark")
	}
	for _, leak := range []string{"Ani", "Lestari", "Pertanyaan", "3171234567890123"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the export contains %q", leak)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3 tickets:\n%s", len(rows), r.Body)
	}
	byID := map[string][]string{}
	for _, row := range rows[1:] {
		byID[row[0]] = row
	}
	// Number, unit, state, created, first response, resolved, hours to first response,
	// to resolution, first response in time, resolved in time, rating, officer.
	want := map[int64]string{
		d.ticketA: "Dinas Kependudukan|Ditutup|2026-03-02 08:00|2026-03-02 10:00|2026-03-03 10:00|2,00|9,00|ya|ya|4|Siti",
		d.ticketB: "Dinas Kependudukan|Ditutup|2026-03-03 08:00|2026-03-05 09:00|2026-03-13 15:00|15,00|61,50|tidak|tidak|2|Siti",
		// Confidential: no officer for a supervisor outside the integrity unit.
		d.tC: "Inspektorat|Diproses|2026-03-04 08:00|2026-03-04 09:00||1,00||ya|tidak||",
	}
	for id, w := range want {
		row := byID[dashID(id)]
		if row == nil {
			t.Errorf("ticket %d missing", id)
			continue
		}
		if got := strings.Join(row[1:], "|"); got != w {
			t.Errorf("ticket %d:\n got %s\nwant %s", id, got, w)
		}
	}
	var exports int
	if err := d.DB.Get(&exports, `SELECT count(*) FROM audit_log WHERE action = 'report.exported' AND actor_name = 'Pimpinan'`); err != nil || exports != 1 {
		t.Errorf("audited exports: %d, %v; want 1", exports, err)
	}
	if r := d.as("pimpinan").get("/dasbor/tiket.csv?periode=kustom&dari=2026-02-30"); r.Status != http.StatusBadRequest {
		t.Errorf("a bad date: status %d, want 400", r.Status)
	}
}

func TestDashboardFiguresCSV(t *testing.T) {
	d := newDashEnv(t, false)
	r := d.as("pimpinan").get("/dasbor/angka.csv?" + march2026)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "\ufeff") {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[0]+"/"+row[1]] = strings.Join(row[2:], "|")
	}
	// Opened, closed, open, overdue, first response median and 90%, resolution median
	// and 90%, in time/counted/% for both, rating and ratings.
	for k, want := range map[string]string{
		"Semua/Semua":             "3|2|1|1|2,00|12,40|35,25|56,25|2|3|66,7|1|3|33,3|3,00|2",
		"Unit/Dinas Kependudukan": "2|2|0|0|8,50|13,70|35,25|56,25|1|2|50,0|1|2|50,0|3,00|2",
		"Petugas/Siti":            "2|2|0|0|8,50|13,70|35,25|56,25|1|2|50,0|1|2|50,0|3,00|2",
		// A unit name starting with "=" is not a formula.
		"Unit/'=Kepolisian Resor": "0|0|0|0|||||0|0||0|0|||0",
	} {
		if got[k] != want {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], want)
		}
	}
	if _, ok := got["Petugas/Inspektur"]; ok {
		t.Error("the inspector's confidential figures exported to a non-member")
	}
}

func TestPublicPageDisabled(t *testing.T) {
	e := newEnv(t)
	r := e.anon().get("/publik")
	if r.Status != http.StatusNotFound {
		t.Errorf("status %d, want 404", r.Status)
	}
}

func TestPublicPage(t *testing.T) {
	d := newDashEnv(t, true)
	// The first Monday of last month, so that it is among the last twelve whenever the
	// test runs: six rated tickets of Disdukcapil answered within a working hour, and
	// a confidential report.
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	monday := month
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	for i := range 6 {
		created := monday.Add(8*time.Hour + time.Duration(i)*10*time.Minute)
		done := created.Add(48 * time.Hour)
		if _, err := d.DB.Exec(`INSERT INTO tickets (citizen_id, question, unit, assignee_id, status, rating,
			created_at, due_at, first_response_at, resolve_due_at, resolved_at, closed_at, rated_at)
			VALUES ($1, 'Pertanyaan rahasia Ani', 'disdukcapil', $2, 'ditutup', $3, $4, $5, $6, $7, $8, $8, $8)`,
			citizenAni.ID, d.siti.ID, 1+i%5, created, created.Add(24*time.Hour), created.Add(time.Hour),
			created.Add(7*24*time.Hour), done); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.DB.Exec(`INSERT INTO tickets (citizen_id, question, unit, assignee_id, status, confidential, created_at)
		VALUES ($1, 'Laporan rahasia', 'inspektorat', $2, 'baru', true, $3)`, citizenAni.ID, d.inspektur.ID, month); err != nil {
		t.Fatal(err)
	}
	anon := d.anon()
	anon.base = d.url
	r := anon.get("/publik")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control %q", cc)
	}
	// A visitor's one-time message cookie neither shows nor is cleared on a page that
	// proxies may cache.
	req, err := http.NewRequest(http.MethodGet, d.url+"/publik", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "loket_pesan", Value: "Pesan%20pribadi"})
	if c := anon.do(req); c.Header.Get("Set-Cookie") != "" || strings.Contains(c.Body, "Pesan pribadi") {
		t.Errorf("a cacheable page answers a cookie: Set-Cookie %q", c.Header.Get("Set-Cookie"))
	}
	months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	row := months[month.Month()-1] + " " + dashID(int64(month.Year()))
	i := strings.Index(r.Body, row)
	if i < 0 || !strings.Contains(r.Body, "Dinas Kependudukan") {
		t.Fatalf("no row %q for Dinas Kependudukan:\n%s", row, r.Body)
	}
	line := r.Body[i:min(len(r.Body), i+800)]
	line = line[:strings.Index(line, "</tr>")]
	// 6 received, 6 resolved, answered within an hour, all in time, rated 1–5 and 1:
	// average 2,7 (with six ratings, at least five, it is shown).
	for _, want := range []string{">6<", "1,0 jam", "100%", "2,7"} {
		if !strings.Contains(line, want) {
			t.Errorf("row %q lacks %q:\n%s", row, want, line)
		}
	}
	for _, leak := range []string{"Siti", "Inspektur", "Inspektorat", "Pertanyaan rahasia", "3171234567890123"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the public page shows %q", leak)
		}
	}
}
