package tickets

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Holiday kinds, as stored and as written in holiday files.
const (
	// KindLibur is a national holiday (libur nasional).
	KindLibur = "libur"
	// KindCutiBersama is a collective leave day (cuti bersama) set by the SKB 3 Menteri.
	KindCutiBersama = "cuti_bersama"
)

// maxClosedDays bounds every search for open time: NewCalendar refuses holidays that
// keep the office closed longer than this, so the searches never give up in practice.
const maxClosedDays = 3 * 366

// Span is an opening period of one day, in minutes since midnight: 08.00–12.00 is
// {480, 720}. From < To; To may be 1440 (midnight at the end of the day).
type Span struct{ From, To int }

// OfficeHours are the opening spans of each weekday; a missing weekday is closed.
type OfficeHours map[time.Weekday][]Span

// Holiday is a day the office is closed although its weekday has office hours.
type Holiday struct {
	// Date is the civil date, as 2026-12-25.
	Date string `db:"day"`
	// Name is what the day is, as 2026's SKB names it: "Hari Raya Natal".
	Name string `db:"name"`
	// Kind is KindLibur or KindCutiBersama.
	Kind string `db:"kind"`
}

// Calendar says when the office works: its time zone, weekly office hours and
// holidays. Its methods compute in the calendar's location whatever the location of
// the times given. A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	loc    *time.Location
	hours  [7][]Span // per weekday, sorted, not overlapping
	closed map[civil]Holiday
}

// WithHolidays returns the calendar with the same time zone and hours and these
// holidays instead of its own: how a running process picks up a new holiday list.
func (c *Calendar) WithHolidays(holidays []Holiday) (*Calendar, error) {
	hours := make(OfficeHours, 7)
	for wd, spans := range c.hours {
		if len(spans) > 0 {
			hours[time.Weekday(wd)] = spans
		}
	}
	return NewCalendar(c.loc, hours, holidays)
}

// civil is a date without a time zone.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func (c civil) noonUTC() time.Time { return time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC) }

func (c civil) addDays(n int) civil { return civilOf(c.noonUTC().AddDate(0, 0, n)) }

func (c civil) weekday() time.Weekday { return c.noonUTC().Weekday() }

// ordinal counts days since 1970-01-01 (negative before).
func (c civil) ordinal() int { return int((c.noonUTC().Unix() - 43200) / 86400) }

// at is the instant at minute min of the day in loc (normalised by time.Date where a
// clock change skips or repeats that wall time).
func (c civil) at(min int, loc *time.Location) time.Time {
	return time.Date(c.y, c.m, c.d, 0, min, 0, 0, loc)
}

// parseCivil parses 2026-12-25.
func parseCivil(s string) (civil, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return civil{}, err
	}
	return civilOf(t), nil
}

// interval is an opening span placed in time.
type interval struct{ from, to time.Time }

// NewCalendar returns the calendar of an office in loc with the given weekly hours and
// holidays. It fails when the hours are invalid or never open, when a holiday is
// invalid or listed twice, and when holidays close the office for more than three
// years in a row (which only a broken list can do).
func NewCalendar(loc *time.Location, hours OfficeHours, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		return nil, fmt.Errorf("tickets: calendar: no time zone")
	}
	if err := hours.validate(); err != nil {
		return nil, fmt.Errorf("tickets: calendar: %w", err)
	}
	c := &Calendar{loc: loc, closed: make(map[civil]Holiday, len(holidays))}
	for wd, spans := range hours {
		c.hours[wd] = slices.Clone(spans)
		slices.SortFunc(c.hours[wd], func(a, b Span) int { return a.From - b.From })
	}
	for i, h := range holidays {
		d, err := checkHoliday(h)
		if err != nil {
			return nil, fmt.Errorf("tickets: calendar: holiday %d: %w", i+1, err)
		}
		if _, dup := c.closed[d]; dup {
			return nil, fmt.Errorf("tickets: calendar: holiday %s listed twice", h.Date)
		}
		c.closed[d] = h
	}
	if n := c.longestClosedRun(); n > maxClosedDays {
		return nil, fmt.Errorf("tickets: calendar: holidays close the office %d days in a row", n)
	}
	return c, nil
}

// checkHoliday validates a holiday and returns its date.
func checkHoliday(h Holiday) (civil, error) {
	d, err := parseCivil(h.Date)
	if err != nil {
		return d, fmt.Errorf("date %q is not a date such as 2026-12-25", h.Date)
	}
	if h.Kind != KindLibur && h.Kind != KindCutiBersama {
		return d, fmt.Errorf("%s: kind %q is neither %q nor %q", h.Date, h.Kind, KindLibur, KindCutiBersama)
	}
	if strings.TrimSpace(h.Name) == "" {
		return d, fmt.Errorf("%s: name is empty", h.Date)
	}
	return d, nil
}

// longestClosedRun returns the longest run of consecutive days without office hours,
// holidays and closed weekdays together.
func (c *Calendar) longestClosedRun() int {
	weekly := func(o int) bool { return len(c.hours[civil{1970, 1, 1}.addDays(o).weekday()]) == 0 }
	longest := 0
	for o := range 14 { // runs of closed weekdays alone
		n := 0
		for n < 7 && weekly(o+n) {
			n++
		}
		longest = max(longest, n)
	}
	days := make([]int, 0, len(c.closed))
	for d := range c.closed {
		days = append(days, d.ordinal())
	}
	slices.Sort(days)
	start, end := 0, -1<<62
	for _, o := range days {
		bridged := o-end <= 7
		for g := end + 1; bridged && g < o; g++ {
			bridged = weekly(g)
		}
		if !bridged {
			for start = o; start-1 > o-7 && weekly(start-1); start-- {
			}
		}
		end = o
		stop := end
		for stop+1 < end+7 && weekly(stop+1) {
			stop++
		}
		longest = max(longest, stop-start+1)
	}
	return longest
}

// open returns the opening intervals of day d, appended to buf[:0]: none on a holiday.
func (c *Calendar) open(d civil, buf []interval) []interval {
	buf = buf[:0]
	if _, ok := c.closed[d]; ok {
		return buf
	}
	var prev time.Time
	for _, s := range c.hours[d.weekday()] {
		from, to := d.at(s.From, c.loc), d.at(s.To, c.loc)
		if from.Before(prev) { // a clock change folded the spans together
			from = prev
		}
		if to.After(from) {
			buf = append(buf, interval{from, to})
			prev = to
		}
	}
	return buf
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday returns the holiday on t's date in the calendar's location, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.closed[civilOf(t.In(c.loc))]
	return h, ok
}

// IsOpen reports whether the office is open at t. Opening spans include their start
// and exclude their end: with 08.00–16.00, 08.00 is open and 16.00 closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	t = t.In(c.loc)
	var buf [4]interval
	for _, iv := range c.open(civilOf(t), buf[:0]) {
		if !t.Before(iv.from) && t.Before(iv.to) {
			return true
		}
	}
	return false
}

// NextOpen returns t when the office is open at t, and otherwise the moment it next
// opens; in the calendar's location either way.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.In(c.loc)
	d := civilOf(t)
	var buf [4]interval
	for range maxClosedDays + 8 {
		for _, iv := range c.open(d, buf[:0]) {
			if t.Before(iv.to) {
				if t.Before(iv.from) {
					return iv.from
				}
				return t
			}
		}
		d = d.addDays(1)
	}
	return d.at(0, c.loc) // unreachable for a calendar NewCalendar accepted
}

// Add returns the deadline d of working time after start: only time the office is open
// counts. A start outside office hours counts from the next opening, and a deadline
// that falls exactly at a closing time is that closing time (16.00, not 08.00 the next
// working day). d ≤ 0 returns start. Between(start, Add(start, d)) == d.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	t := start.In(c.loc)
	if d <= 0 {
		return t
	}
	day := civilOf(t)
	var buf [4]interval
	for closedRun := 0; closedRun <= maxClosedDays+7; day = day.addDays(1) {
		ivs := c.open(day, buf[:0])
		if len(ivs) == 0 {
			closedRun++
			continue
		}
		closedRun = 0
		for _, iv := range ivs {
			if !t.Before(iv.to) {
				continue
			}
			from := iv.from
			if t.After(from) {
				from = t
			}
			if left := iv.to.Sub(from); d > left {
				d -= left
				continue
			}
			return from.Add(d)
		}
	}
	return day.at(0, c.loc) // unreachable for a calendar NewCalendar accepted
}

// AddDays returns the deadline of days working days after start, by this rule: a start
// outside office hours counts from the next opening; the deadline is the same clock
// time on the days-th working day after that day ("3 hari kerja" from Monday 10.00 is
// Thursday 10.00; from Saturday, Monday 08.00 counts, so Thursday 08.00). When that
// day's office is not open at that clock time, the deadline is the latest opening time
// before it: the closing time when the clock time is after closing or in the break
// (Friday 16.15 + 1 → Monday 16.00), or that day's opening when it opens later.
// days ≤ 0 returns start.
func (c *Calendar) AddDays(start time.Time, days int) time.Time {
	if days <= 0 {
		return start.In(c.loc)
	}
	s := c.NextOpen(start)
	day := civilOf(s)
	var buf [4]interval
	var ivs []interval
	for n, closedRun := 0, 0; n < days && closedRun <= maxClosedDays+7; {
		day = day.addDays(1)
		if ivs = c.open(day, buf[:0]); len(ivs) > 0 {
			n++
			closedRun = 0
		} else {
			closedRun++
		}
	}
	if len(ivs) == 0 {
		return day.at(0, c.loc) // unreachable for a calendar NewCalendar accepted
	}
	target := time.Date(day.y, day.m, day.d, s.Hour(), s.Minute(), s.Second(), s.Nanosecond(), c.loc)
	latest := ivs[0].from
	for _, iv := range ivs {
		if target.Before(iv.from) {
			break
		}
		if target.Before(iv.to) {
			return target
		}
		latest = iv.to
	}
	return latest
}

// Between returns the working time between a and b: how long the office is open in
// [a, b). It is 0 when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	a, b = a.In(c.loc), b.In(c.loc)
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	var buf [4]interval
	last := civilOf(b).ordinal()
	for d := civilOf(a); d.ordinal() <= last; d = d.addDays(1) {
		for _, iv := range c.open(d, buf[:0]) {
			lo, hi := iv.from, iv.to
			if a.After(lo) {
				lo = a
			}
			if b.Before(hi) {
				hi = b
			}
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
	}
	return total
}

// DefaultOfficeHours returns the usual hours of an Indonesian public-service counter,
// used when LOKET_OFFICE_HOURS is not set: Senin–Kamis 08.00–16.00 with a break
// 12.00–13.00, Jumat 08.00–16.30 with a longer break 11.30–13.00 for Friday prayers;
// Sabtu and Minggu closed. That is 35 hours of service a week.
func DefaultOfficeHours() OfficeHours {
	week := []Span{{8 * 60, 12 * 60}, {13 * 60, 16 * 60}}
	return OfficeHours{
		time.Monday:    week,
		time.Tuesday:   week,
		time.Wednesday: week,
		time.Thursday:  week,
		time.Friday:    {{8 * 60, 11*60 + 30}, {13 * 60, 16*60 + 30}},
	}
}

// checkSpans reports spans out of the day or overlapping each other.
func checkSpans(spans []Span) error {
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b Span) int { return a.From - b.From })
	for i, s := range sorted {
		if s.From < 0 || s.To > 24*60 || s.From >= s.To {
			return fmt.Errorf("rentang %s tidak valid", s)
		}
		if i > 0 && s.From < sorted[i-1].To {
			return fmt.Errorf("rentang %s bertumpuk dengan %s", s, sorted[i-1])
		}
	}
	return nil
}

// validate checks every weekday's spans and that the office opens at all.
func (h OfficeHours) validate() error {
	open := false
	for wd, spans := range h {
		if wd < time.Sunday || wd > time.Saturday {
			return fmt.Errorf("jam kantor: hari %d tidak ada (0 Minggu … 6 Sabtu)", wd)
		}
		if err := checkSpans(spans); err != nil {
			return fmt.Errorf("jam kantor %s: %w", shortDay[wd], err)
		}
		open = open || len(spans) > 0
	}
	if !open {
		return fmt.Errorf("jam kantor tidak punya jam buka sama sekali")
	}
	return nil
}

var (
	idDays   = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	idMonths = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}
)

// FormatDate writes t's date the Indonesian way: "Senin, 30 November 2026".
func FormatDate(t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", idDays[t.Weekday()], t.Day(), idMonths[t.Month()-1], t.Year())
}

// FormatTime writes t in loc (t's own location when loc is nil) as the office keeps
// time: "Senin, 30 November 2026 pukul 10.00 WIB". The zone is WIB, WITA or WIT for
// Indonesian locations, and the zone's abbreviation elsewhere.
func FormatTime(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return fmt.Sprintf("%s pukul %02d.%02d %s", FormatDate(t), t.Hour(), t.Minute(), zoneName(t))
}

// zoneName is the name Indonesians use for t's time zone.
func zoneName(t time.Time) string {
	switch t.Location().String() {
	case "Asia/Jakarta", "Asia/Pontianak":
		return "WIB"
	case "Asia/Makassar", "Asia/Ujung_Pandang":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	}
	abbr, offset := t.Zone()
	if abbr != "" && abbr[0] != '+' && abbr[0] != '-' {
		return abbr
	}
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	if offset%3600 != 0 {
		return fmt.Sprintf("UTC%c%d:%02d", sign, offset/3600, offset%3600/60)
	}
	return fmt.Sprintf("UTC%c%d", sign, offset/3600)
}
