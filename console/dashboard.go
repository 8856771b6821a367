package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// supervisorRoutes registers the supervisors' pages: the dashboard, CSV exports and
// the public page of monthly figures.
func (s *Server) supervisorRoutes() {
	s.page("GET /dasbor", supervisorRole, s.dashboardPage)
	s.page("GET /dasbor/tiket.csv", supervisorRole, s.ticketsCSV)
	s.page("GET /dasbor/angka.csv", supervisorRole, s.figuresCSV)
	pub := &publicStats{ttl: publicCacheTTL}
	s.public("GET /publik", func(w http.ResponseWriter, r *http.Request) { s.publicPage(w, r, pub) })
}

// Dashboard limits.
const (
	// maxDashDays is the longest period the dashboard and the exports cover.
	maxDashDays = 366
	// maxDailyBars is the most days charted day by day; longer periods week by week.
	maxDailyBars = 92
	// statsPartDays and statsWorkers: a period's tickets are read in parts of at most
	// so many days, so many at a time (see statsGroups).
	statsPartDays = 31
	statsWorkers  = 3
)

// dashPeriods are the periods a supervisor chooses from, by query value.
var dashPeriods = []struct{ Key, Label string }{
	{"minggu-ini", "Minggu ini"},
	{"bulan-ini", "Bulan ini"},
	{"bulan-lalu", "Bulan lalu"},
	{"90-hari", "90 hari terakhir"},
	{"kustom", "Pilih tanggal"},
}

// dashFilter is what the dashboard and the exports show: a period in the office's time
// zone, a unit ("" for all) and an officer (0 for all).
type dashFilter struct {
	Period string
	// FromDate and ToDate are the first and last days, as 2026-03-31.
	FromDate, ToDate string
	// From and To bound the period: [From, To).
	From, To time.Time
	Unit     string
	StaffID  int64
}

// values is the filter as a query string.
func (f dashFilter) values() url.Values {
	v := url.Values{"periode": {f.Period}}
	if f.Period == "kustom" {
		v.Set("dari", f.FromDate)
		v.Set("sampai", f.ToDate)
	}
	if f.Unit != "" {
		v.Set("unit", f.Unit)
	}
	if f.StaffID != 0 {
		v.Set("petugas", strconv.FormatInt(f.StaffID, 10))
	}
	return v
}

// dashContext is what every supervisors' page needs to know: the units, the staff, the
// integrity unit and whether the viewer belongs to it.
type dashContext struct {
	units     []tickets.Unit
	unitNames map[string]string
	staff     []tickets.Staff
	names     map[int64]string
	integrity string // slug; "" when there is none
	member    bool   // the viewer belongs to the integrity unit
}

// loadDashContext reads the units and the staff.
func (s *Server) loadDashContext(ctx context.Context, u tickets.Staff) (dashContext, error) {
	var dc dashContext
	var err error
	if dc.units, err = s.cfg.Tickets.Units(ctx, s.cfg.DB); err != nil {
		return dc, fmt.Errorf("console: dashboard: %w", err)
	}
	if dc.staff, err = s.cfg.Tickets.ListStaff(ctx); err != nil {
		return dc, fmt.Errorf("console: dashboard: %w", err)
	}
	dc.unitNames = make(map[string]string, len(dc.units))
	for _, un := range dc.units {
		dc.unitNames[un.Slug] = un.Name
		if un.IsIntegrity {
			dc.integrity = un.Slug
			dc.member = slices.Contains(u.Units, un.Slug)
		}
	}
	dc.names = make(map[int64]string, len(dc.staff))
	for _, st := range dc.staff {
		dc.names[st.ID] = st.Name
	}
	slices.SortFunc(dc.staff, func(a, b tickets.Staff) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return dc, nil
}

// unitName is a unit's name for people ("Tanpa unit" for tickets of none).
func (dc dashContext) unitName(slug string) string {
	if slug == "" {
		return "Tanpa unit"
	}
	if n, ok := dc.unitNames[slug]; ok {
		return n
	}
	return slug
}

// officerName is an officer's name ("Belum diambil petugas" for 0).
func (dc dashContext) officerName(id int64) string {
	if id == 0 {
		return "Belum diambil petugas"
	}
	if n, ok := dc.names[id]; ok {
		return n
	}
	return "Petugas #" + strconv.FormatInt(id, 10)
}

// statsFilter is the query of f. An officer's figures leave confidential reports out
// for viewers outside the integrity unit.
func (dc dashContext) statsFilter(f dashFilter) tickets.StatsFilter {
	sf := tickets.StatsFilter{From: f.From, To: f.To, StaffID: f.StaffID, NoConfidential: f.StaffID != 0 && !dc.member}
	if f.Unit != "" {
		sf.Units = []string{f.Unit}
	}
	return sf
}

// parseDashFilter reads the filter of a request. A part that is not valid falls back
// to its default and is explained in the message returned ("" when all is valid).
func parseDashFilter(q url.Values, loc *time.Location, now time.Time, dc dashContext) (dashFilter, string) {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	f := dashFilter{Period: q.Get("periode")}
	var problems []string
	switch f.Period {
	case "minggu-ini":
		f.From = today.AddDate(0, 0, -(int(today.Weekday())+6)%7)
		f.To = f.From.AddDate(0, 0, 7)
	case "", "bulan-ini":
		f.Period = "bulan-ini"
		f.From = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
		f.To = f.From.AddDate(0, 1, 0)
	case "bulan-lalu":
		f.To = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
		f.From = f.To.AddDate(0, -1, 0)
	case "90-hari":
		f.To = today.AddDate(0, 0, 1)
		f.From = f.To.AddDate(0, 0, -90)
	case "kustom":
		from, err1 := time.ParseInLocation(time.DateOnly, q.Get("dari"), loc)
		to, err2 := time.ParseInLocation(time.DateOnly, q.Get("sampai"), loc)
		switch {
		case err1 != nil || err2 != nil:
			problems = append(problems, "Isi tanggal awal dan akhir dengan tanggal yang benar.")
		case to.Before(from):
			problems = append(problems, "Tanggal akhir tidak boleh sebelum tanggal awal.")
		case to.Sub(from) >= maxDashDays*24*time.Hour:
			problems = append(problems, "Rentang tanggal paling lama "+strconv.Itoa(maxDashDays)+" hari.")
		default:
			f.From, f.To = from, to.AddDate(0, 0, 1)
		}
	default:
		problems = append(problems, "Periode itu tidak dikenal.")
	}
	if f.From.IsZero() {
		f.Period = "bulan-ini"
		f.From = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
		f.To = f.From.AddDate(0, 1, 0)
	}
	f.FromDate, f.ToDate = f.From.Format(time.DateOnly), f.To.AddDate(0, 0, -1).Format(time.DateOnly)
	if unit := q.Get("unit"); unit != "" {
		if _, ok := dc.unitNames[unit]; ok {
			f.Unit = unit
		} else {
			problems = append(problems, "Unit itu tidak dikenal; semua unit ditampilkan.")
		}
	}
	if v := q.Get("petugas"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if _, ok := dc.names[id]; err == nil && ok {
			f.StaffID = id
		} else {
			problems = append(problems, "Petugas itu tidak dikenal; semua petugas ditampilkan.")
		}
	}
	return f, strings.Join(problems, " ")
}

// chartBuckets returns the bounds of the chart's bars for a period: its days up to
// today (weeks when there are more than maxDailyBars), and their labels.
func chartBuckets(f dashFilter, now time.Time, loc *time.Location) ([]time.Time, []string) {
	now = now.In(loc)
	end := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
	if f.To.Before(end) {
		end = f.To
	}
	if !end.After(f.From) {
		return nil, nil
	}
	days := 0
	for d := f.From; d.Before(end); d = d.AddDate(0, 0, 1) {
		days++
	}
	step := 1
	if days > maxDailyBars {
		step = 7
	}
	var bounds []time.Time
	var labels []string
	for d := f.From; d.Before(end); d = d.AddDate(0, 0, step) {
		bounds = append(bounds, d)
		label := fmt.Sprintf("%d %s", d.Day(), shortMonths[d.Month()-1])
		if step > 1 {
			label = "Mg. " + label
		}
		labels = append(labels, label)
	}
	return append(bounds, end), labels
}

// dashStats are the figures of a filter.
type dashStats struct {
	set                  figureSet
	openedPer, closedPer []int
	decisions            []knowledge.DecisionCounts
}

// loadDashStats runs the dashboard's queries side by side and adds up the figures;
// bounds are the chart's buckets (none: no per-day figures, no questions).
func (s *Server) loadDashStats(ctx context.Context, dc dashContext, f dashFilter, now time.Time, bounds []time.Time) (dashStats, error) {
	var ds dashStats
	sf := dc.statsFilter(f)
	var groups []tickets.StatsGroup
	var open []tickets.OpenCount
	var wg sync.WaitGroup
	errs := make([]error, 4)
	wg.Go(func() { groups, errs[0] = s.statsGroups(ctx, sf) })
	wg.Go(func() { open, errs[1] = s.cfg.Tickets.OpenCounts(ctx, s.cfg.DB, sf) })
	if len(bounds) > 1 {
		wg.Go(func() { ds.openedPer, ds.closedPer, errs[2] = s.cfg.Tickets.StatsPerDay(ctx, s.cfg.DB, sf, bounds) })
		wg.Go(func() { ds.decisions, errs[3] = knowledge.DecisionsPerDay(ctx, s.cfg.DB, bounds) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return ds, fmt.Errorf("console: dashboard: %w", err)
	}
	clock := statClock(s.dashCalendar(), groups, f.From, f.To, now)
	ds.set = computeFigures(groups, open, clock, dc.member)
	return ds, nil
}

// statsGroups returns the figures of a period's tickets, read in parts of at most
// statsPartDays days side by side: every figure counts events in the period, so the
// parts' groups add up to the whole period's, and a month is an index range the
// planner reads well, where a long period might be scanned whole.
func (s *Server) statsGroups(ctx context.Context, sf tickets.StatsFilter) ([]tickets.StatsGroup, error) {
	var parts []tickets.StatsFilter
	for from := sf.From; from.Before(sf.To); from = from.AddDate(0, 0, statsPartDays) {
		part := sf
		part.From, part.To = from, from.AddDate(0, 0, statsPartDays)
		if part.To.After(sf.To) {
			part.To = sf.To
		}
		parts = append(parts, part)
	}
	results := make([][]tickets.StatsGroup, len(parts))
	errs := make([]error, len(parts))
	slots := make(chan struct{}, statsWorkers)
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i], errs[i] = s.cfg.Tickets.StatsGroups(ctx, s.cfg.DB, part)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(results...), nil
}

// dashCalendar is the office calendar, nil when there is none (plain hours).
func (s *Server) dashCalendar() *tickets.Calendar {
	if s.cfg.Calendar == nil {
		return nil
	}
	return s.cfg.Calendar()
}
