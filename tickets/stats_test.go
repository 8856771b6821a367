package tickets_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

// statsTicket is a ticket inserted as it is, with the times given (zero: NULL).
type statsTicket struct {
	unit                                    string
	assignee                                int64
	status                                  string
	confidential                            bool
	rating                                  int
	created, due, resolveDue, firstResponse time.Time
	resolved, closed, cancelled, rated      time.Time
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// insertStats inserts tickets for citizen 7 and returns their ids.
func insertStats(t *testing.T, db *sqlx.DB, ts ...statsTicket) []int64 {
	t.Helper()
	ids := make([]int64, len(ts))
	for i, s := range ts {
		if err := db.Get(&ids[i], `INSERT INTO tickets (citizen_id, question, unit, assignee_id, status, confidential,
			rating, created_at, due_at, resolve_due_at, first_response_at, resolved_at, closed_at, cancelled_at, rated_at)
			VALUES (7, 'Pertanyaan rahasia', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			s.unit, nullInt(s.assignee), s.status, s.confidential, nullInt(int64(s.rating)), s.created, nullTime(s.due),
			nullTime(s.resolveDue), nullTime(s.firstResponse), nullTime(s.resolved), nullTime(s.closed),
			nullTime(s.cancelled), nullTime(s.rated)); err != nil {
			t.Fatalf("ticket %d: %v", i, err)
		}
	}
	return ids
}

// statsDB returns a database with citizen 7 and officers 1 (A) and 2 (B).
func statsDB(t *testing.T) (*sqlx.DB, *tickets.Store, int64, int64) {
	t.Helper()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (7, 'Ani')`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	a, err := s.AddStaff(context.Background(), 901, "Siti")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddStaff(context.Background(), 902, "Rudi")
	if err != nil {
		t.Fatal(err)
	}
	return db, s, a.ID, b.ID
}

func at(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }

// march is a period with one ticket of each kind the definitions distinguish.
func march(t *testing.T) (*sqlx.DB, *tickets.Store, int64, int64) {
	db, s, a, b := statsDB(t)
	insertStats(t, db,
		// 1: answered and resolved in time, rated 5.
		statsTicket{unit: "a", assignee: a, status: "ditutup", rating: 5, created: at(2, 9), due: at(3, 9),
			firstResponse: at(2, 11), resolveDue: at(9, 9), resolved: at(4, 9), closed: at(5, 9), rated: at(5, 9)},
		// 2: answered and resolved late, rated 2.
		statsTicket{unit: "a", assignee: a, status: "ditutup", rating: 2, created: at(10, 9), due: at(11, 9),
			firstResponse: at(12, 9), resolveDue: at(17, 9), resolved: at(20, 9), closed: at(21, 9), rated: at(21, 9)},
		// 3: never answered, both deadlines passed: missed twice; open and overdue now.
		statsTicket{unit: "b", status: "baru", created: at(15, 9), due: at(16, 9), resolveDue: at(22, 9)},
		// 4: opened in February, resolved late in March.
		statsTicket{unit: "b", assignee: b, status: "selesai", created: at(-8, 9), due: at(-7, 9),
			firstResponse: at(-7, 8), resolveDue: at(-1, 9), resolved: at(2, 10)},
		// 5: withdrawn before its deadline: does not count for it.
		statsTicket{unit: "b", status: "dibatalkan", created: at(5, 9), due: at(6, 9), cancelled: at(5, 12)},
		// 6: a confidential report, answered in time, still open past its resolution deadline.
		statsTicket{unit: "a", assignee: b, status: "diproses", confidential: true, created: at(7, 9), due: at(8, 9),
			firstResponse: at(7, 10), resolveDue: at(14, 9)},
		// 7: January only: not in March's figures.
		statsTicket{unit: "a", assignee: a, status: "ditutup", created: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC),
			firstResponse: time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC), resolved: time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC),
			closed: time.Date(2026, 1, 13, 9, 0, 0, 0, time.UTC)},
		// 8: closed without a resolution (the citizen did not answer), answered in time.
		statsTicket{unit: "a", assignee: a, status: "ditutup", created: at(25, 9), due: at(26, 10),
			firstResponse: at(26, 9), closed: at(30, 9)},
	)
	return db, s, a, b
}

// sum adds up groups.
func sum(gs []tickets.StatsGroup) tickets.StatsGroup {
	var t tickets.StatsGroup
	for _, g := range gs {
		t.Opened += g.Opened
		t.Closed += g.Closed
		t.FirstCounted += g.FirstCounted
		t.FirstMet += g.FirstMet
		t.ResolveCounted += g.ResolveCounted
		t.ResolveMet += g.ResolveMet
		t.RatingSum += g.RatingSum
		t.Ratings += g.Ratings
		t.First = append(t.First, g.First...)
		t.Resolved = append(t.Resolved, g.Resolved...)
	}
	return t
}

// counts writes a group's counts for comparison.
func counts(g tickets.StatsGroup) string {
	return fmt.Sprintf("opened %d closed %d first %d/%d resolve %d/%d rating %d/%d times %d/%d",
		g.Opened, g.Closed, g.FirstMet, g.FirstCounted, g.ResolveMet, g.ResolveCounted, g.RatingSum, g.Ratings,
		len(g.First), len(g.Resolved))
}

func TestStatsGroupsKnownPeriod(t *testing.T) {
	db, s, a, b := march(t)
	ctx := context.Background()
	p := tickets.StatsFilter{From: at(1, 0), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	gs, err := s.StatsGroups(ctx, db, p)
	if err != nil {
		t.Fatal(err)
	}
	// Opened: 1, 2, 3, 5, 6, 8. Closed: 1, 2, 4 (resolved), 8 (closed). First response:
	// 1, 6, 8 in time, 2 late, 3 never (missed); 5 withdrawn first. Resolution: 1 in
	// time, 2 and 4 late, 3 and 6 open past their deadline (missed). Ratings 5 and 2.
	want := "opened 6 closed 4 first 3/5 resolve 1/5 rating 7/2 times 4/3"
	if got := counts(sum(gs)); got != want {
		t.Errorf("all: %s\nwant %s", got, want)
	}
	for _, g := range gs {
		if g.Unit == "a" && g.AssigneeID == a {
			if got, want := counts(g), "opened 3 closed 3 first 2/3 resolve 1/2 rating 7/2 times 3/2"; got != want {
				t.Errorf("unit a, officer A: %s\nwant %s", got, want)
			}
			var first []time.Duration
			for _, e := range g.First {
				first = append(first, e.To.Sub(e.From))
			}
			slices.Sort(first)
			if want := []time.Duration{2 * time.Hour, 24 * time.Hour, 48 * time.Hour}; !slices.Equal(first, want) {
				t.Errorf("first-response times %v, want %v", first, want)
			}
		}
		if g.Confidential != (g.Unit == "a" && g.AssigneeID == b) {
			t.Errorf("group %s/%d confidential %v", g.Unit, g.AssigneeID, g.Confidential)
		}
	}
	for _, c := range []struct {
		name string
		f    tickets.StatsFilter
		want string
	}{
		{"officer A", tickets.StatsFilter{StaffID: a}, "opened 3 closed 3 first 2/3 resolve 1/2 rating 7/2 times 3/2"},
		{"unit b", tickets.StatsFilter{Units: []string{"b"}}, "opened 2 closed 1 first 0/1 resolve 0/2 rating 0/0 times 0/1"},
		{"units a and b", tickets.StatsFilter{Units: []string{"a", "b"}}, want},
		{"no confidential", tickets.StatsFilter{NoConfidential: true}, "opened 5 closed 4 first 2/4 resolve 1/4 rating 7/2 times 3/3"},
		{"January", tickets.StatsFilter{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: at(-27, 0)}, "opened 1 closed 1 first 0/0 resolve 0/0 rating 0/0 times 1/1"},
	} {
		f := c.f
		if f.From.IsZero() {
			f.From, f.To = p.From, p.To
		}
		gs, err := s.StatsGroups(ctx, db, f)
		if err != nil {
			t.Fatal(err)
		}
		if got := counts(sum(gs)); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, got, c.want)
		}
	}
	if _, err := s.StatsGroups(ctx, db, tickets.StatsFilter{From: p.To, To: p.From}); err == nil {
		t.Error("a period ending before it starts: no error")
	}
}

func TestStatsPerDayAndOpenCounts(t *testing.T) {
	db, s, _, b := march(t)
	ctx := context.Background()
	bounds := []time.Time{at(1, 0), at(2, 0), at(3, 0), at(4, 0), at(5, 0)}
	opened, closed, err := s.StatsPerDay(ctx, db, tickets.StatsFilter{}, bounds)
	if err != nil {
		t.Fatal(err)
	}
	// Ticket 1 opened on the 2nd; 4 resolved on the 2nd, 1 on the 4th.
	if !slices.Equal(opened, []int{0, 1, 0, 0}) || !slices.Equal(closed, []int{0, 1, 0, 1}) {
		t.Errorf("per day: opened %v closed %v; want [0 1 0 0] and [0 1 0 1]", opened, closed)
	}
	opened, _, err = s.StatsPerDay(ctx, db, tickets.StatsFilter{Units: []string{"b"}}, bounds)
	if err != nil || !slices.Equal(opened, []int{0, 0, 0, 0}) {
		t.Errorf("unit b per day: %v, %v", opened, err)
	}
	open, err := s.OpenCounts(ctx, db, tickets.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []tickets.OpenCount{
		{Unit: "a", AssigneeID: b, Confidential: true, Open: 1, Overdue: 1},
		{Unit: "b", AssigneeID: 0, Open: 1, Overdue: 1},
	}
	if !slices.Equal(open, want) {
		t.Errorf("open counts %+v\nwant %+v", open, want)
	}
	open, err = s.OpenCounts(ctx, db, tickets.StatsFilter{NoConfidential: true, Units: []string{"a"}})
	if err != nil || len(open) != 0 {
		t.Errorf("open counts of unit a without confidential reports: %+v, %v", open, err)
	}
}

func TestStatsTicketsExport(t *testing.T) {
	db, s, a, _ := march(t)
	rows, err := s.StatsTickets(context.Background(), db, tickets.StatsFilter{From: at(1, 0), To: at(11, 0), StaffID: a})
	if err != nil {
		t.Fatal(err)
	}
	// Officer A's tickets opened 1–10 March: 1 and 2, by number.
	if len(rows) != 2 || rows[0].ID > rows[1].ID {
		t.Fatalf("rows %+v", rows)
	}
	r := rows[0]
	if r.Unit != "a" || r.AssigneeID != a || r.Status != tickets.StatusClosed || r.Rating != 5 ||
		!r.CreatedAt.Equal(at(2, 9)) || !r.FirstResponseAt.Equal(at(2, 11)) || !r.ResolvedAt.Equal(at(4, 9)) ||
		!r.CancelledAt.IsZero() {
		t.Errorf("row %+v", r)
	}
}

// TestStatsGroupsMatchOutcome holds the SQL of StatsGroups and StatsTicket.Outcome to
// the same definitions, on random tickets and periods.
func TestStatsGroupsMatchOutcome(t *testing.T) {
	db, s, a, b := statsDB(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 26))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	some := func(from time.Time, p float64) time.Time {
		if rng.Float64() > p {
			return time.Time{}
		}
		return from.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
	}
	var ts []statsTicket
	for range 400 {
		c := base.Add(time.Duration(rng.Int64N(int64(150 * 24 * time.Hour))))
		st := statsTicket{
			unit: []string{"a", "b", ""}[rng.IntN(3)], assignee: []int64{0, a, b}[rng.IntN(3)],
			status:       []string{"baru", "diproses", "menunggu_warga", "selesai", "ditutup", "dibatalkan"}[rng.IntN(6)],
			confidential: rng.IntN(5) == 0, created: c,
			due: some(c, 0.9), resolveDue: some(c, 0.9), firstResponse: some(c, 0.7), resolved: some(c, 0.5),
			closed: some(c, 0.4), cancelled: some(c, 0.1), rated: some(c, 0.3),
		}
		if !st.rated.IsZero() {
			st.rating = 1 + rng.IntN(5)
		}
		ts = append(ts, st)
	}
	insertStats(t, db, ts...)
	all, err := s.StatsTickets(ctx, db, tickets.StatsFilter{From: base.AddDate(-1, 0, 0), To: base.AddDate(2, 0, 0)})
	if err != nil || len(all) != len(ts) {
		t.Fatalf("StatsTickets: %d rows, %v", len(all), err)
	}
	type key struct {
		unit string
		id   int64
		conf bool
	}
	for i := range 12 {
		from := base.Add(time.Duration(rng.Int64N(int64(160 * 24 * time.Hour))))
		to := from.Add(time.Duration(1+rng.Int64N(60*24)) * time.Hour)
		if i == 0 { // a period that has not ended: deadlines after now do not count
			to = time.Now().AddDate(0, 1, 0)
		}
		now := time.Now()
		want := map[key]*tickets.StatsGroup{}
		for _, tk := range all {
			o := tk.Outcome(from, to, now)
			if !(o.Opened || o.Closed || o.FirstIn || o.ResolvedIn || o.FirstCounted || o.ResolveCounted || o.Rated) {
				continue
			}
			k := key{tk.Unit, tk.AssigneeID, tk.Confidential}
			g := want[k]
			if g == nil {
				g = &tickets.StatsGroup{Unit: k.unit, AssigneeID: k.id, Confidential: k.conf}
				want[k] = g
			}
			add := func(b bool, n *int) {
				if b {
					*n++
				}
			}
			add(o.Opened, &g.Opened)
			add(o.Closed, &g.Closed)
			add(o.FirstCounted, &g.FirstCounted)
			add(o.FirstMet, &g.FirstMet)
			add(o.ResolveCounted, &g.ResolveCounted)
			add(o.ResolveMet, &g.ResolveMet)
			if o.Rated {
				g.RatingSum += tk.Rating
				g.Ratings++
			}
			if o.FirstIn {
				g.First = append(g.First, tickets.Elapsed{From: tk.CreatedAt, To: tk.FirstResponseAt})
			}
			if o.ResolvedIn {
				g.Resolved = append(g.Resolved, tickets.Elapsed{From: tk.CreatedAt, To: tk.ResolvedAt})
			}
		}
		got, err := s.StatsGroups(ctx, db, tickets.StatsFilter{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			k := key{g.Unit, g.AssigneeID, g.Confidential}
			w := want[k]
			delete(want, k)
			if w == nil {
				w = &tickets.StatsGroup{}
			}
			if counts(g) != counts(*w) || !sameElapsed(g.First, w.First) || !sameElapsed(g.Resolved, w.Resolved) {
				t.Errorf("period %s – %s, group %+v:\nSQL     %s\nOutcome %s", from, to, k, counts(g), counts(*w))
			}
		}
		for k, w := range want {
			t.Errorf("period %s – %s: group %+v missing from SQL: %s", from, to, k, counts(*w))
		}
	}
}

// sameElapsed compares times to the second, as StatsGroups returns them.
func sameElapsed(a, b []tickets.Elapsed) bool {
	order := func(x, y tickets.Elapsed) int { return cmp.Or(x.From.Compare(y.From), x.To.Compare(y.To)) }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, order)
	slices.SortFunc(b, order)
	near := func(x, y time.Time) bool { return x.Sub(y).Abs() <= time.Second/2 }
	return slices.EqualFunc(a, b, func(x, y tickets.Elapsed) bool { return near(x.From, y.From) && near(x.To, y.To) })
}

func TestWorkClockMatchesCalendar(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := tickets.NewCalendar(loc, tickets.DefaultOfficeHours(),
		[]tickets.Holiday{{Date: "2026-03-19", Name: "Hari Suci Nyepi", Kind: tickets.KindLibur}})
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, loc)
	w := tickets.NewWorkClock(cal, from, from.AddDate(0, 1, 0))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		// Mostly inside the clock's range, sometimes before or after it (the
		// calendar answers those).
		a := from.Add(time.Duration(rng.Int64N(int64(40*24*time.Hour))) - 5*24*time.Hour).Truncate(time.Minute)
		b := a.Add(time.Duration(rng.Int64N(int64(10 * 24 * time.Hour))))
		if i%7 == 0 {
			a, b = b, a
		}
		if got, want := w.Between(a, b), cal.Between(a, b); got != want {
			t.Fatalf("Between(%s, %s) = %v, calendar says %v", a, b, got, want)
		}
	}
	mon := time.Date(2026, 3, 16, 11, 0, 0, 0, loc)
	// 11.00–13.00 with the 12.00–13.00 break: one working hour.
	if got := w.Between(mon, mon.Add(2*time.Hour)); got != time.Hour {
		t.Errorf("11.00 to 13.00 on a Monday: %v, want 1h", got)
	}
	plain := tickets.NewWorkClock(nil, from, from.AddDate(0, 1, 0))
	if got := plain.Between(mon, mon.Add(30*time.Hour)); got != 30*time.Hour {
		t.Errorf("without a calendar: %v, want 30h", got)
	}
	if got := plain.Between(mon, mon.Add(-time.Hour)); got != 0 {
		t.Errorf("backwards: %v, want 0", got)
	}
}

func TestPercentile(t *testing.T) {
	h := time.Hour
	for _, c := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 0.5, 0},
		{[]time.Duration{2 * h}, 0.5, 2 * h},
		{[]time.Duration{2 * h}, 0.9, 2 * h},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h}, 0.5, 150 * time.Minute},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h}, 0.9, 222 * time.Minute},
		{[]time.Duration{1 * h, 2 * h, 3 * h}, 0.5, 2 * h},
		{[]time.Duration{1 * h, 2 * h, 3 * h}, 1, 3 * h},
		{[]time.Duration{1 * h, 2 * h, 3 * h}, 0, 1 * h},
	} {
		if got := tickets.Percentile(c.in, c.p); got != c.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", c.in, c.p, got, c.want)
		}
	}
}
