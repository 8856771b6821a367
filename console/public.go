package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/loket-id/loket/tickets"
)

// The public page of monthly figures (/publik), for transparency: per unit and month,
// tickets received and resolved, the median first-response time, deadlines met and the
// average rating, with no personal data and without confidential reports. It is served
// only when Config.PublicStats is set, to anyone, and cached for five minutes (by the
// server and by browsers and proxies): anyone may load it, so it must stay cheap.
const (
	publicMonths   = 12
	publicCacheTTL = 5 * time.Minute
	// publicPastTTL is how long a past month's figures are kept: they hardly change.
	publicPastTTL = time.Hour
	// publicMinRatings is the fewest ratings whose average is shown: one citizen's
	// rating is not published on its own.
	publicMinRatings = 5
)

// publicStats caches the page for ttl, and the figures of past months for
// publicPastTTL, so that a new page computes only the current month's.
type publicStats struct {
	ttl    time.Duration
	mu     sync.Mutex
	at     time.Time
	data   publicData
	months map[int64]publicMonthCache // by the month's first instant (unix seconds)
}

// publicMonthCache is one month's figures per unit.
type publicMonthCache struct {
	at    time.Time
	units map[string]*figures
}

// publicData is the public page.
type publicData struct {
	Updated string
	Units   []publicUnit
}

// publicUnit is one unit's table.
type publicUnit struct {
	Name   string
	Months []publicMonth
}

// publicMonth is one line of a unit's table.
type publicMonth struct {
	Month, Received, Resolved, FirstMedian, FirstSLA, ResolveSLA, Rating string
	Current                                                              bool
}

// publicPage serves the public figures, 404 when they are not enabled.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request, cache *publicStats) {
	if !s.cfg.PublicStats {
		s.errorPage(w, r, http.StatusNotFound, "Halaman ini tidak tersedia.")
		return
	}
	d, err := cache.get(r.Context(), time.Now(), func(ctx context.Context, now time.Time) (publicData, error) {
		return s.publicFigures(ctx, now, cache)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The page is the same for everyone: no cookie of the visitor may change it (the
	// one-time message cookie would otherwise be cleared in a cached response).
	anon := r.Clone(r.Context())
	anon.Header.Del("Cookie")
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(cache.ttl.Seconds())))
	s.render(w, anon, http.StatusOK, "public", "Kinerja layanan", "", d)
}

// get returns the cached figures, computing them when they are older than the TTL.
// Concurrent visitors wait for one computation.
func (c *publicStats) get(ctx context.Context, now time.Time, compute func(context.Context, time.Time) (publicData, error)) (publicData, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && now.Sub(c.at) < c.ttl {
		return c.data, nil
	}
	d, err := compute(ctx, now)
	if err != nil {
		return publicData{}, err
	}
	c.data, c.at = d, now
	return d, nil
}

// publicFigures computes the figures of the last publicMonths months (the current one
// included), per unit, with the dashboard's definitions. Call it with cache.mu held.
func (s *Server) publicFigures(ctx context.Context, now time.Time, cache *publicStats) (publicData, error) {
	local := now.In(s.cfg.Location)
	thisMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, s.cfg.Location)
	units, err := s.cfg.Tickets.Units(ctx, s.cfg.DB)
	if err != nil {
		return publicData{}, fmt.Errorf("console: public: %w", err)
	}
	if cache.months == nil {
		cache.months = map[int64]publicMonthCache{}
	}
	months := make([]map[string]*figures, publicMonths)
	keep := map[int64]bool{}
	// The months not cached are computed a few at a time, side by side.
	var wg sync.WaitGroup
	errs := make([]error, publicMonths)
	computed := make([]bool, publicMonths)
	slots := make(chan struct{}, statsWorkers)
	for i := range months {
		from := thisMonth.AddDate(0, i-publicMonths+1, 0)
		keep[from.Unix()] = true
		ttl := publicPastTTL
		if i == publicMonths-1 {
			ttl = cache.ttl
		}
		if c, ok := cache.months[from.Unix()]; ok && now.Sub(c.at) < ttl {
			months[i] = c.units
			continue
		}
		computed[i] = true
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			months[i], errs[i] = s.publicMonth(ctx, from, from.AddDate(0, 1, 0), now)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return publicData{}, err
	}
	for i, m := range months {
		if computed[i] {
			cache.months[thisMonth.AddDate(0, i-publicMonths+1, 0).Unix()] = publicMonthCache{at: now, units: m}
		}
	}
	for k := range cache.months {
		if !keep[k] {
			delete(cache.months, k)
		}
	}
	return publicTables(units, months, thisMonth, local), nil
}

// publicTables lays out the months' figures (oldest first) per unit, newest month
// first; units without tickets in the period are left out.
func publicTables(units []tickets.Unit, months []map[string]*figures, thisMonth, local time.Time) publicData {
	names := map[string]string{}
	var order []string
	for _, u := range units {
		names[u.Slug] = u.Name
		order = append(order, u.Slug)
	}
	var extra []string
	for _, m := range months {
		for slug := range m {
			if _, ok := names[slug]; !ok && !slices.Contains(extra, slug) {
				extra = append(extra, slug)
			}
		}
	}
	slices.Sort(extra)
	d := publicData{Updated: dashDate(local) + local.Format(" pukul 15.04")}
	for _, slug := range append(order, extra...) {
		pu := publicUnit{Name: dashContext{unitNames: names}.unitName(slug)}
		seen := false
		for i := publicMonths - 1; i >= 0; i-- {
			f := months[i][slug]
			if f == nil {
				f = &figures{}
			} else {
				seen = true
			}
			pu.Months = append(pu.Months, publicMonthOf(f, thisMonth.AddDate(0, i-publicMonths+1, 0), i == publicMonths-1))
		}
		if seen { // units without tickets in the last year are left out
			d.Units = append(d.Units, pu)
		}
	}
	return d
}

// publicMonth computes one month's figures per unit, without confidential reports.
func (s *Server) publicMonth(ctx context.Context, from, to, now time.Time) (map[string]*figures, error) {
	groups, err := s.cfg.Tickets.StatsGroups(ctx, s.cfg.DB, tickets.StatsFilter{From: from, To: to, NoConfidential: true})
	if err != nil {
		return nil, fmt.Errorf("console: public: %w", err)
	}
	return computeFigures(groups, nil, statClock(s.dashCalendar(), groups, from, to, now), false).Units, nil
}

// publicMonthOf writes a month's figures for the public.
func publicMonthOf(f *figures, month time.Time, current bool) publicMonth {
	m := publicMonth{
		Month:    dashMonths[month.Month()-1] + " " + fmt.Sprint(month.Year()),
		Received: dashInt(f.Opened), Resolved: dashInt(f.Closed),
		FirstMedian: f.FirstMedian(), FirstSLA: f.FirstSLA(), ResolveSLA: f.ResolveSLA(),
		Rating: "—", Current: current,
	}
	if f.Ratings >= publicMinRatings {
		m.Rating = f.RatingText()
	}
	return m
}
