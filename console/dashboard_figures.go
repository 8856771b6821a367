package console

import (
	"slices"
	"time"

	"github.com/loket-id/loket/tickets"
)

// The figures' definitions are tickets.StatsGroups'; here they are added up per
// unit and officer, and the times measured in working hours.

// figures are the ticket figures of one group (everything, a unit, an officer).
type figures struct {
	Opened, Closed, Open, Overdue int
	firstResp, resolution         []time.Duration
	FirstMet, FirstCounted        int
	ResolveMet, ResolveCounted    int
	RatingSum, Ratings            int
}

// addGroup adds a group's figures with its first-response and resolution times.
func (f *figures) addGroup(g *tickets.StatsGroup, first, resolve []time.Duration) {
	f.Opened += g.Opened
	f.Closed += g.Closed
	f.FirstCounted += g.FirstCounted
	f.FirstMet += g.FirstMet
	f.ResolveCounted += g.ResolveCounted
	f.ResolveMet += g.ResolveMet
	f.RatingSum += g.RatingSum
	f.Ratings += g.Ratings
	f.firstResp = append(f.firstResp, first...)
	f.resolution = append(f.resolution, resolve...)
}

// finish sorts the durations for the percentiles.
func (f *figures) finish() {
	slices.Sort(f.firstResp)
	slices.Sort(f.resolution)
}

// FirstP and ResolveP are percentiles (0–1) of the first-response and resolution
// times; ok is false when there is none.
func (f *figures) FirstP(p float64) (time.Duration, bool) {
	return tickets.Percentile(f.firstResp, p), len(f.firstResp) > 0
}

func (f *figures) ResolveP(p float64) (time.Duration, bool) {
	return tickets.Percentile(f.resolution, p), len(f.resolution) > 0
}

// AvgRating is the average rating; ok is false when nobody rated.
func (f *figures) AvgRating() (float64, bool) {
	if f.Ratings == 0 {
		return 0, false
	}
	return float64(f.RatingSum) / float64(f.Ratings), true
}

// For the templates: the figures written for people.

func (f *figures) OpenedText() string  { return dashInt(f.Opened) }
func (f *figures) ClosedText() string  { return dashInt(f.Closed) }
func (f *figures) OpenText() string    { return dashInt(f.Open) }
func (f *figures) OverdueText() string { return dashInt(f.Overdue) }
func (f *figures) FirstMedian() string { return dashHoursOr(f.FirstP(0.5)) }
func (f *figures) FirstP90() string    { return dashHoursOr(f.FirstP(0.9)) }
func (f *figures) ResolveMedian() string {
	return dashHoursOr(f.ResolveP(0.5))
}
func (f *figures) ResolveP90() string { return dashHoursOr(f.ResolveP(0.9)) }
func (f *figures) FirstSLA() string   { return dashPercent(f.FirstMet, f.FirstCounted) }
func (f *figures) ResolveSLA() string { return dashPercent(f.ResolveMet, f.ResolveCounted) }

// FirstSLACount and ResolveSLACount say of how many: "7 dari 8".
func (f *figures) FirstSLACount() string {
	return dashInt(f.FirstMet) + " dari " + dashInt(f.FirstCounted)
}

func (f *figures) ResolveSLACount() string {
	return dashInt(f.ResolveMet) + " dari " + dashInt(f.ResolveCounted)
}

// RatingText is the average rating with one decimal ("4,3"), "—" for none.
func (f *figures) RatingText() string {
	avg, ok := f.AvgRating()
	if !ok {
		return "—"
	}
	return dashDecimal(avg, 1)
}

func (f *figures) RatingsText() string { return dashInt(f.Ratings) }

func dashHoursOr(d time.Duration, ok bool) string {
	if !ok {
		return "—"
	}
	return dashHours(d)
}

// figureSet are the figures of a period: in all, per unit and per officer.
type figureSet struct {
	Total    *figures
	Units    map[string]*figures
	Officers map[int64]*figures
}

// computeFigures adds up the groups of a period and the open counts, measuring times
// with clock. Confidential reports count in their unit (the integrity unit) and in the
// total, and per officer only when officerConfidential (the viewer belongs to the
// integrity unit).
func computeFigures(groups []tickets.StatsGroup, open []tickets.OpenCount, clock *tickets.WorkClock, officerConfidential bool) figureSet {
	fs := figureSet{Total: &figures{}, Units: map[string]*figures{}, Officers: map[int64]*figures{}}
	unit := func(slug string) *figures { return figuresOf(fs.Units, slug) }
	officer := func(id int64) *figures { return figuresOf(fs.Officers, id) }
	for i := range groups {
		g := &groups[i]
		first, resolve := workingTimes(g.First, clock), workingTimes(g.Resolved, clock)
		fs.Total.addGroup(g, first, resolve)
		unit(g.Unit).addGroup(g, first, resolve)
		if !g.Confidential || officerConfidential {
			officer(g.AssigneeID).addGroup(g, first, resolve)
		}
	}
	for _, o := range open {
		for _, f := range []*figures{fs.Total, unit(o.Unit)} {
			f.Open += o.Open
			f.Overdue += o.Overdue
		}
		if !o.Confidential || officerConfidential {
			f := officer(o.AssigneeID)
			f.Open += o.Open
			f.Overdue += o.Overdue
		}
	}
	fs.Total.finish()
	for _, f := range fs.Units {
		f.finish()
	}
	for _, f := range fs.Officers {
		f.finish()
	}
	return fs
}

// workingTimes measures each span in working time.
func workingTimes(spans []tickets.Elapsed, clock *tickets.WorkClock) []time.Duration {
	out := make([]time.Duration, len(spans))
	for i, e := range spans {
		out[i] = clock.Between(e.From, e.To)
	}
	return out
}

// statClock returns a work clock from the earliest creation among the groups (or
// from) to now (or to, when later).
func statClock(cal *tickets.Calendar, groups []tickets.StatsGroup, from, to, now time.Time) *tickets.WorkClock {
	for i := range groups {
		for _, list := range [][]tickets.Elapsed{groups[i].First, groups[i].Resolved} {
			for _, e := range list {
				if e.From.Before(from) {
					from = e.From
				}
			}
		}
	}
	if now.After(to) {
		to = now
	}
	return tickets.NewWorkClock(cal, from, to)
}

// figuresOf returns the figures of key in m, adding empty ones first.
func figuresOf[K comparable](m map[K]*figures, key K) *figures {
	f, ok := m[key]
	if !ok {
		f = &figures{}
		m[key] = f
	}
	return f
}
