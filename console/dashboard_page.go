package console

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loket-id/loket/knowledge"
)

// dashOption is a choice of a filter's select.
type dashOption struct {
	Value, Label string
	Selected     bool
}

// dashRow is a line of the per-unit or per-officer table.
type dashRow struct {
	Name string
	*figures
}

// dashTable is the per-unit or the per-officer table.
type dashTable struct {
	ID, Head string
	Rows     []dashRow
}

// dashQuestions are the questions citizens asked the bot, by its decision.
type dashQuestions struct {
	Total, Answer, Clarify, Escalate, Smalltalk      string
	AnswerPct, ClarifyPct, EscalatePct, SmalltalkPct string
}

// dashData is the dashboard page.
type dashData struct {
	Filter             dashFilter
	Error              string
	Range              string
	Periods, Units     []dashOption
	Officers           []dashOption
	HasUnits           bool
	Questions          dashQuestions
	QuestionsAllUnits  bool
	Total              *figures
	UnitTable          dashTable
	OfficerTable       dashTable
	TicketChart        template.HTML
	DecisionChart      template.HTML
	FirstRespChart     template.HTML
	TicketsCSV         string
	FiguresCSV         string
	PlainHours         bool
	IntegrityName      string
	OfficerNoConfident bool
}

// dashboardPage shows the figures of a period, unit and officer.
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userOf(r)
	dc, err := s.loadDashContext(ctx, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	loc := s.cfg.Location
	f, problem := parseDashFilter(r.URL.Query(), loc, now, dc)
	bounds, labels := chartBuckets(f, now, loc)
	ds, err := s.loadDashStats(ctx, dc, f, now, bounds)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := dashData{
		Filter: f, Error: problem, Range: dashRange(f), HasUnits: len(dc.units) > 0,
		Total: ds.set.Total, PlainHours: s.dashCalendar() == nil,
		QuestionsAllUnits: f.Unit != "" || f.StaffID != 0,
		TicketsCSV:        "/dasbor/tiket.csv?" + f.values().Encode(),
		FiguresCSV:        "/dasbor/angka.csv?" + f.values().Encode(),
	}
	if dc.integrity != "" {
		d.IntegrityName = dc.unitName(dc.integrity)
		d.OfficerNoConfident = !dc.member
	}
	for _, p := range dashPeriods {
		d.Periods = append(d.Periods, dashOption{p.Key, p.Label, p.Key == f.Period})
	}
	d.Units = append(d.Units, dashOption{"", "Semua unit", f.Unit == ""})
	for _, un := range dc.units {
		d.Units = append(d.Units, dashOption{un.Slug, un.Name, un.Slug == f.Unit})
	}
	d.Officers = append(d.Officers, dashOption{"", "Semua petugas", f.StaffID == 0})
	for _, st := range dc.staff {
		label := st.Name
		if !st.Active {
			label += " (nonaktif)"
		}
		d.Officers = append(d.Officers, dashOption{strconv.FormatInt(st.ID, 10), label, st.ID == f.StaffID})
	}
	var q knowledge.DecisionCounts
	for _, c := range ds.decisions {
		q.Add(c)
	}
	d.Questions = dashQuestionsOf(q)
	d.UnitTable = dashTable{ID: "per-unit", Head: "Unit", Rows: unitRows(dc, f, ds.set)}
	d.OfficerTable = dashTable{ID: "per-officer", Head: "Petugas", Rows: officerRows(dc, f, ds.set)}
	d.TicketChart = barChart{
		Title:   "Tiket dibuka dan diselesaikan per " + bucketWord(bounds),
		Labels:  labels,
		Integer: true,
		Series: []chartSeries{
			{Name: "Dibuka", Colour: chartBlue, Values: floats(ds.openedPer)},
			{Name: "Diselesaikan", Colour: chartGreen, Values: floats(ds.closedPer)},
		},
	}.SVG()
	d.DecisionChart = decisionChart(ds.decisions, labels, bounds).SVG()
	d.FirstRespChart = firstResponseChart(d.UnitTable.Rows).SVG()
	s.render(w, r, statusFor(problem), "dashboard", "Dasbor", "/dasbor", d)
}

// floats converts counts for a chart.
func floats(ns []int) []float64 {
	out := make([]float64, len(ns))
	for i, n := range ns {
		out[i] = float64(n)
	}
	return out
}

// statusFor is 400 when the filter had a problem, else 200.
func statusFor(problem string) int {
	if problem != "" {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// bucketWord names the chart's bars: days, or weeks for long periods.
func bucketWord(bounds []time.Time) string {
	if len(bounds) > 1 && bounds[1].Sub(bounds[0]) > 36*time.Hour {
		return "minggu"
	}
	return "hari"
}

// dashMonths are the months in Indonesian.
var dashMonths = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// dashDate writes a date as "31 Maret 2026".
func dashDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), dashMonths[t.Month()-1], t.Year())
}

// dashRange writes the period's first and last days.
func dashRange(f dashFilter) string {
	last := f.To.AddDate(0, 0, -1)
	if last.Equal(f.From) {
		return dashDate(f.From)
	}
	return dashDate(f.From) + " – " + dashDate(last)
}

// dashQuestionsOf writes the question counts with their shares of all questions.
func dashQuestionsOf(q knowledge.DecisionCounts) dashQuestions {
	total := q.Total()
	return dashQuestions{
		Total: dashInt(total), Answer: dashInt(q.Answer), Clarify: dashInt(q.Clarify),
		Escalate: dashInt(q.Escalate), Smalltalk: dashInt(q.Smalltalk),
		AnswerPct: dashPercent(q.Answer, total), ClarifyPct: dashPercent(q.Clarify, total),
		EscalatePct: dashPercent(q.Escalate, total), SmalltalkPct: dashPercent(q.Smalltalk, total),
	}
}

// unitRows are the per-unit lines: every unit (the chosen one only when filtered),
// then units found in the figures only (tickets of no unit, of a unit deleted since).
func unitRows(dc dashContext, f dashFilter, set figureSet) []dashRow {
	var rows []dashRow
	seen := map[string]bool{}
	for _, un := range dc.units {
		if f.Unit != "" && un.Slug != f.Unit {
			continue
		}
		seen[un.Slug] = true
		fig := set.Units[un.Slug]
		if fig == nil {
			fig = &figures{}
		}
		rows = append(rows, dashRow{un.Name, fig})
	}
	var extra []string
	for slug := range set.Units {
		if !seen[slug] {
			extra = append(extra, slug)
		}
	}
	slices.Sort(extra)
	for _, slug := range extra {
		rows = append(rows, dashRow{dc.unitName(slug), set.Units[slug]})
	}
	return rows
}

// officerRows are the per-officer lines, by name, those without an officer last.
func officerRows(dc dashContext, f dashFilter, set figureSet) []dashRow {
	ids := make([]int64, 0, len(set.Officers))
	for id := range set.Officers {
		ids = append(ids, id)
	}
	if f.StaffID != 0 && set.Officers[f.StaffID] == nil {
		set.Officers[f.StaffID] = &figures{}
		ids = append(ids, f.StaffID)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if (a == 0) != (b == 0) {
			return cmp.Compare(b, a) // 0 (nobody) last
		}
		return cmp.Or(strings.Compare(strings.ToLower(dc.officerName(a)), strings.ToLower(dc.officerName(b))), cmp.Compare(a, b))
	})
	rows := make([]dashRow, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, dashRow{dc.officerName(id), set.Officers[id]})
	}
	return rows
}

// decisionChart stacks the bot's decisions per day (or week).
func decisionChart(per []knowledge.DecisionCounts, labels []string, bounds []time.Time) barChart {
	series := []chartSeries{
		{Name: "Dijawab bot", Colour: chartGreen},
		{Name: "Klarifikasi", Colour: chartOrange},
		{Name: "Diteruskan ke petugas", Colour: chartRed},
		{Name: "Obrolan ringan", Colour: chartGrey},
	}
	for _, c := range per {
		series[0].Values = append(series[0].Values, float64(c.Answer))
		series[1].Values = append(series[1].Values, float64(c.Clarify))
		series[2].Values = append(series[2].Values, float64(c.Escalate))
		series[3].Values = append(series[3].Values, float64(c.Smalltalk))
	}
	return barChart{Title: "Keputusan bot atas pertanyaan warga per " + bucketWord(bounds), Labels: labels,
		Series: series, Stacked: true, Integer: true}
}

// firstResponseChart shows the median first-response time of each unit.
func firstResponseChart(rows []dashRow) barChart {
	c := barChart{Title: "Median waktu respons pertama per unit (jam kerja)",
		Format: func(v float64) string { return dashNumber(v) + " jam" }}
	s := chartSeries{Name: "Median respons pertama", Colour: chartBlue}
	for _, r := range rows {
		med, ok := r.FirstP(0.5)
		if !ok {
			continue
		}
		c.Labels = append(c.Labels, r.Name)
		s.Values = append(s.Values, med.Hours())
	}
	c.Series = []chartSeries{s}
	return c
}
