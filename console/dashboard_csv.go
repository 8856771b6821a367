package console

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/loket-id/loket/internal/csvcell"
	"github.com/loket-id/loket/tickets"
)

// csvFilter reads the dashboard filter of an export; ok is false when the answer
// (an error page) was written.
func (s *Server) csvFilter(w http.ResponseWriter, r *http.Request) (dashContext, dashFilter, time.Time, bool) {
	dc, err := s.loadDashContext(r.Context(), userOf(r))
	if err != nil {
		s.fail(w, r, err)
		return dc, dashFilter{}, time.Time{}, false
	}
	now := time.Now()
	f, problem := parseDashFilter(r.URL.Query(), s.cfg.Location, now, dc)
	if problem != "" {
		s.errorPage(w, r, http.StatusBadRequest, problem)
		return dc, f, now, false
	}
	return dc, f, now, true
}

// ticketsCSV exports the tickets opened in the filter's period: their number, unit,
// state, times, working hours, deadlines met, rating and officer; never the citizen
// or what anyone wrote.
func (s *Server) ticketsCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	dc, f, now, ok := s.csvFilter(w, r)
	if !ok {
		return
	}
	rows, err := s.cfg.Tickets.StatsTickets(ctx, s.cfg.DB, dc.statsFilter(f))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The tickets were created in the period; their times run until now at most.
	clock := tickets.NewWorkClock(s.dashCalendar(), f.From, now)
	// Each ticket's own times count here, whenever they happened.
	ever, later := time.Unix(0, 0), now.Add(time.Hour)
	out := newCSV()
	out.row("Nomor tiket", "Unit", "Status", "Dibuat", "Respons pertama", "Diselesaikan",
		"Jam kerja sampai respons pertama", "Jam kerja sampai selesai",
		"Respons tepat waktu", "Selesai tepat waktu", "Penilaian", "Petugas")
	for _, t := range rows {
		o := t.Outcome(ever, later, now)
		officer := ""
		if t.AssigneeID != 0 && (!t.Confidential || dc.member) {
			officer = dc.officerName(t.AssigneeID)
		}
		rating := ""
		if t.Rating > 0 {
			rating = strconv.Itoa(t.Rating)
		}
		out.row(strconv.FormatInt(t.ID, 10), dc.unitName(t.Unit), statusLabel(t.Status),
			s.csvTime(t.CreatedAt), s.csvTime(t.FirstResponseAt), s.csvTime(t.ResolvedAt),
			csvHours(clock.Between(t.CreatedAt, t.FirstResponseAt), o.FirstIn),
			csvHours(clock.Between(t.CreatedAt, t.ResolvedAt), o.ResolvedIn),
			csvMet(o.FirstCounted, o.FirstMet), csvMet(o.ResolveCounted, o.ResolveMet),
			rating, officer)
	}
	s.sendCSV(w, r, f, "tiket", len(rows), out)
}

// figuresCSV exports the dashboard's figures: in all, per unit and per officer.
func (s *Server) figuresCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	dc, f, now, ok := s.csvFilter(w, r)
	if !ok {
		return
	}
	ds, err := s.loadDashStats(ctx, dc, f, now, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := newCSV()
	out.row("Jenis", "Nama", "Dibuka", "Diselesaikan", "Terbuka saat ini", "Lewat tenggat saat ini",
		"Respons pertama median (jam kerja)", "Respons pertama 90% (jam kerja)",
		"Penyelesaian median (jam kerja)", "Penyelesaian 90% (jam kerja)",
		"Respons tepat waktu", "Respons dihitung", "Respons tepat waktu (%)",
		"Selesai tepat waktu", "Selesai dihitung", "Selesai tepat waktu (%)",
		"Rata-rata penilaian", "Jumlah penilaian")
	n := 0
	add := func(kind string, row dashRow) {
		fg := row.figures
		first, okF := fg.FirstP(0.5)
		first90, _ := fg.FirstP(0.9)
		res, okR := fg.ResolveP(0.5)
		res90, _ := fg.ResolveP(0.9)
		avg, okA := fg.AvgRating()
		rating := ""
		if okA {
			rating = dashDecimal(avg, 2)
		}
		out.row(kind, row.Name, strconv.Itoa(fg.Opened), strconv.Itoa(fg.Closed), strconv.Itoa(fg.Open), strconv.Itoa(fg.Overdue),
			csvHours(first, okF), csvHours(first90, okF), csvHours(res, okR), csvHours(res90, okR),
			strconv.Itoa(fg.FirstMet), strconv.Itoa(fg.FirstCounted), csvPercent(fg.FirstMet, fg.FirstCounted),
			strconv.Itoa(fg.ResolveMet), strconv.Itoa(fg.ResolveCounted), csvPercent(fg.ResolveMet, fg.ResolveCounted),
			rating, strconv.Itoa(fg.Ratings))
		n++
	}
	add("Semua", dashRow{"Semua", ds.set.Total})
	for _, row := range unitRows(dc, f, ds.set) {
		add("Unit", row)
	}
	for _, row := range officerRows(dc, f, ds.set) {
		add("Petugas", row)
	}
	s.sendCSV(w, r, f, "angka", n, out)
}

// csvWriter builds a CSV file for spreadsheets: UTF-8 with a byte order mark (so that
// Excel reads it as UTF-8), every cell guarded against formula injection.
type csvWriter struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func newCSV() *csvWriter {
	c := &csvWriter{}
	c.buf.WriteString("\ufeff")
	c.w = csv.NewWriter(&c.buf)
	c.w.UseCRLF = true
	return c
}

// row writes a line.
func (c *csvWriter) row(cells ...string) {
	for i, v := range cells {
		cells[i] = csvcell.Guard(v)
	}
	_ = c.w.Write(cells) // writes to a bytes.Buffer: no error
}

// csvTime writes a time in the office's time zone, "2026-03-31 14:05"; "" for none.
func (s *Server) csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cfg.Location).Format("2006-01-02 15:04")
}

// csvHours writes hours with two decimals and a decimal comma, "2,50"; "" for none.
func csvHours(d time.Duration, ok bool) string {
	if !ok {
		return ""
	}
	return dashDecimal(d.Hours(), 2)
}

// csvPercent writes part/total as a percentage with one decimal, "" for none.
func csvPercent(part, total int) string {
	if total == 0 {
		return ""
	}
	return dashDecimal(100*float64(part)/float64(total), 1)
}

// csvMet writes whether a deadline was met: "ya", "tidak", or "" when it does not
// count (no deadline, or not passed yet).
func csvMet(counted, met bool) string {
	switch {
	case !counted:
		return ""
	case met:
		return "ya"
	}
	return "tidak"
}

// sendCSV sends an export as a download and records who exported what.
func (s *Server) sendCSV(w http.ResponseWriter, r *http.Request, f dashFilter, report string, rows int, c *csvWriter) {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		s.fail(w, r, fmt.Errorf("console: export %s: %w", report, err))
		return
	}
	u := userOf(r)
	detail := map[string]any{"report": report, "from": f.FromDate, "to": f.ToDate, "unit": f.Unit, "staff_id": f.StaffID, "rows": rows}
	s.log.InfoContext(r.Context(), "console export", "report", report, "staff_id", u.ID, "username", u.Username,
		"from", f.FromDate, "to", f.ToDate, "unit", f.Unit, "officer", f.StaffID, "rows", rows)
	if err := s.cfg.Tickets.Audit(r.Context(), s.cfg.DB, 0, tickets.StaffActor(u), tickets.DoorConsole, tickets.ActionReportExported, detail); err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("%s-%s-%s.csv", report, f.FromDate, f.ToDate)
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(c.buf.Len()))
	_, _ = c.buf.WriteTo(w)
}
