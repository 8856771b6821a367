package tickets

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The supervisors' figures of a period [From, To), as of now. The definitions, shared
// by the SQL of StatsGroups and by StatsTicket.Outcome (which the tests hold equal):
//
//   - opened: created in the period;
//   - closed: resolved in the period, or closed in it without a resolution;
//   - first-response and resolution times: of the tickets first answered (resolved)
//     in the period, from creation; the caller measures them in working time;
//   - first-response deadline met: of the tickets with a deadline first answered in
//     the period, and of those never answered whose deadline passed in the period
//     before now and that were not withdrawn before it (counted as missed), the share
//     answered by the deadline; resolution deadline likewise, counting the open
//     tickets whose resolution deadline passed in the period as missed;
//   - rating: the ratings given in the period.
//
// A period's tickets are those with one of these events in it; each is an index range
// of migration 00012, so a month of a large office reads only that month's tickets.

// StatsFilter selects the tickets of a period. Its conditions all apply (AND).
type StatsFilter struct {
	// From and To bound the period: [From, To).
	From, To time.Time
	// Units keeps tickets of these units (empty: every unit).
	Units []string
	// StaffID keeps tickets assigned to this officer (0: any, unassigned included).
	StaffID int64
	// NoConfidential leaves confidential reports out.
	NoConfidential bool
}

// statsWhen selects the tickets with something happening in [$1, $2).
const statsWhen = `((created_at >= $1 AND created_at < $2)
		OR (first_response_at >= $1 AND first_response_at < $2)
		OR (resolved_at >= $1 AND resolved_at < $2)
		OR (rated_at >= $1 AND rated_at < $2)
		OR (closed_at >= $1 AND closed_at < $2 AND closed_at IS NOT NULL AND resolved_at IS NULL)
		OR (first_response_at IS NULL AND due_at >= $1 AND due_at < least($2, now()))
		OR (status IN ('baru', 'diproses', 'menunggu_warga') AND resolve_due_at >= $1 AND resolve_due_at < least($2, now())))`

// period checks f's period and appends its bounds to args as $1 and $2.
func (f StatsFilter) period(args *[]any) error {
	if !f.To.After(f.From) {
		return fmt.Errorf("the period ends (%s) before it starts (%s)", f.To.Format(time.RFC3339), f.From.Format(time.RFC3339))
	}
	*args = append(*args, f.From, f.To)
	return nil
}

// conds returns f's unit, officer and confidentiality conditions, each starting with
// " AND", adding their parameters to args.
func (f StatsFilter) conds(args *[]any) string {
	var b strings.Builder
	add := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	switch {
	case len(f.Units) == 1:
		b.WriteString(" AND unit = " + add(f.Units[0]))
	case len(f.Units) > 1:
		b.WriteString(" AND unit = ANY(" + add(pq.StringArray(f.Units)) + ")")
	}
	if f.StaffID != 0 {
		b.WriteString(" AND assignee_id = " + add(f.StaffID))
	}
	if f.NoConfidential {
		b.WriteString(" AND NOT confidential")
	}
	return b.String()
}

// Elapsed is a ticket's creation and a later event (first answer, resolution).
type Elapsed struct{ From, To time.Time }

// StatsGroup is the figures of the tickets of one unit, officer and confidentiality
// in a period (see the definitions above).
type StatsGroup struct {
	Unit         string
	AssigneeID   int64 // 0: nobody took them
	Confidential bool
	Opened       int
	Closed       int
	// FirstCounted tickets had a first-response deadline that counts in the period;
	// FirstMet of them were answered by it. ResolveCounted and ResolveMet likewise.
	FirstCounted, FirstMet     int
	ResolveCounted, ResolveMet int
	RatingSum, Ratings         int
	// First are the tickets first answered in the period, Resolved those resolved in
	// it: when each was created and answered (resolved).
	First, Resolved []Elapsed
}

// StatsGroups adds up the tickets f selects per unit, officer and confidentiality, in
// SQL; only the times the caller measures in working time are returned ticket by
// ticket, to the second (as arrays of pairs, which read several times faster than
// rows).
func (s *Store) StatsGroups(ctx context.Context, q sqlx.QueryerContext, f StatsFilter) ([]StatsGroup, error) {
	var args []any
	if err := f.period(&args); err != nil {
		return nil, fmt.Errorf("tickets: stats: %w", err)
	}
	where := statsWhen + f.conds(&args)
	rows, err := q.QueryxContext(ctx, `WITH t AS (
		SELECT unit, coalesce(assignee_id, 0) AS assignee_id, confidential, status, created_at, due_at, resolve_due_at,
			first_response_at, resolved_at, closed_at, cancelled_at, rating, rated_at,
			coalesce(first_response_at >= $1 AND first_response_at < $2, false) AS first_in,
			coalesce(resolved_at >= $1 AND resolved_at < $2, false) AS resolved_in
		FROM tickets
		WHERE `+where+`)
	SELECT unit, assignee_id, confidential,
		count(*) FILTER (WHERE created_at >= $1 AND created_at < $2),
		count(*) FILTER (WHERE coalesce(resolved_at, closed_at) >= $1 AND coalesce(resolved_at, closed_at) < $2),
		count(*) FILTER (WHERE (first_in AND due_at IS NOT NULL) OR (first_response_at IS NULL
			AND due_at >= $1 AND due_at < least($2, now()) AND (cancelled_at IS NULL OR cancelled_at > due_at))),
		count(*) FILTER (WHERE first_in AND first_response_at <= due_at),
		count(*) FILTER (WHERE (resolved_in AND resolve_due_at IS NOT NULL) OR (resolved_at IS NULL
			AND status IN (`+openStatesSQL()+`) AND resolve_due_at >= $1 AND resolve_due_at < least($2, now()))),
		count(*) FILTER (WHERE resolved_in AND resolved_at <= resolve_due_at),
		coalesce(sum(rating) FILTER (WHERE rated_at >= $1 AND rated_at < $2), 0),
		count(rating) FILTER (WHERE rated_at >= $1 AND rated_at < $2),
		array_agg(ARRAY[`+seconds("created_at")+`, `+seconds("first_response_at")+`]) FILTER (WHERE first_in),
		array_agg(ARRAY[`+seconds("created_at")+`, `+seconds("resolved_at")+`]) FILTER (WHERE resolved_in)
	FROM t GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return nil, fmt.Errorf("tickets: stats: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []StatsGroup
	for rows.Next() {
		var g StatsGroup
		var first, resolved secondPairs
		if err := rows.Scan(&g.Unit, &g.AssigneeID, &g.Confidential, &g.Opened, &g.Closed,
			&g.FirstCounted, &g.FirstMet, &g.ResolveCounted, &g.ResolveMet, &g.RatingSum, &g.Ratings,
			&first, &resolved); err != nil {
			return nil, fmt.Errorf("tickets: stats: %w", err)
		}
		g.First, g.Resolved = first, resolved
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tickets: stats: %w", err)
	}
	return out, nil
}

// micros is a timestamptz expression as microseconds since the epoch.
func micros(expr string) string { return "(date_part('epoch', " + expr + ") * 1000000)::int8" }

// seconds is a timestamptz expression as whole seconds since the epoch (rounded):
// shorter to write and read than microseconds, and precise enough for durations
// shown in tenths of an hour.
func seconds(expr string) string { return "date_part('epoch', " + expr + ")::int8" }

// secondPairs scans a two-dimensional int8 array of pairs of seconds since the epoch,
// {{a,b},{c,d}} (NULL: none); it reads the digits itself, several times faster than a
// generic array parser.
type secondPairs []Elapsed

// Scan implements sql.Scanner.
func (p *secondPairs) Scan(src any) error {
	var s []byte
	switch v := src.(type) {
	case nil:
		*p = nil
		return nil
	case []byte:
		s = v
	case string:
		s = []byte(v)
	default:
		return fmt.Errorf("tickets: second pairs: cannot scan %T", src)
	}
	out := make([]Elapsed, 0, len(s)/25)
	var pair [2]int64
	k := 0
	for i := 0; i < len(s); {
		neg := s[i] == '-'
		if neg {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			if neg {
				return fmt.Errorf("tickets: second pairs: a lone minus sign")
			}
			i++
			continue
		}
		var n int64
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if n > (1<<62)/10 {
				return fmt.Errorf("tickets: second pairs: number out of range")
			}
			n = n*10 + int64(s[i]-'0')
		}
		if neg {
			n = -n
		}
		pair[k] = n
		if k++; k == 2 {
			out = append(out, Elapsed{time.Unix(pair[0], 0), time.Unix(pair[1], 0)})
			k = 0
		}
	}
	if k != 0 {
		return fmt.Errorf("tickets: second pairs: odd number of values")
	}
	*p = out
	return nil
}

// StatsPerDay counts the tickets f selects opened and closed between consecutive
// bounds (the days of a chart, ascending): entry i is [bounds[i], bounds[i+1]). f's
// period is replaced by the bounds' range.
func (s *Store) StatsPerDay(ctx context.Context, q sqlx.QueryerContext, f StatsFilter, bounds []time.Time) (opened, closed []int, err error) {
	if len(bounds) < 2 {
		return nil, nil, nil
	}
	f.From, f.To = bounds[0], bounds[len(bounds)-1]
	var args []any
	if err := f.period(&args); err != nil {
		return nil, nil, fmt.Errorf("tickets: stats per day: %w", err)
	}
	conds := f.conds(&args)
	texts := make(pq.StringArray, len(bounds))
	for i, b := range bounds {
		texts[i] = b.Format(time.RFC3339Nano)
	}
	args = append(args, texts)
	days := "$" + strconv.Itoa(len(args)) + "::timestamptz[]"
	var rows []struct {
		Kind   int `db:"kind"`
		Bucket int `db:"bucket"`
		N      int `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT 0 AS kind, width_bucket(created_at, `+days+`) AS bucket, count(*) AS n
		FROM tickets WHERE created_at >= $1 AND created_at < $2`+conds+` GROUP BY 2
		UNION ALL
		SELECT 1, width_bucket(coalesce(resolved_at, closed_at), `+days+`), count(*)
		FROM tickets WHERE ((resolved_at >= $1 AND resolved_at < $2)
			OR (closed_at >= $1 AND closed_at < $2 AND closed_at IS NOT NULL AND resolved_at IS NULL))`+conds+`
		GROUP BY 2`, args...); err != nil {
		return nil, nil, fmt.Errorf("tickets: stats per day: %w", err)
	}
	opened, closed = make([]int, len(bounds)-1), make([]int, len(bounds)-1)
	for _, r := range rows {
		if r.Bucket >= 1 && r.Bucket < len(bounds) {
			[][]int{opened, closed}[r.Kind][r.Bucket-1] += r.N
		}
	}
	return opened, closed, nil
}

// OpenCount is how many open tickets one officer of one unit has now, and how many of
// them are overdue.
type OpenCount struct {
	Unit         string `db:"unit"`
	AssigneeID   int64  `db:"assignee_id"` // 0: nobody took them
	Confidential bool   `db:"confidential"`
	Open         int    `db:"open"`
	Overdue      int    `db:"overdue"`
}

// OpenCounts counts the open tickets f selects now (its period is ignored), per unit,
// officer and confidentiality. Overdue are those not answered by their first-response
// deadline or not resolved by their resolution deadline, as in the daily summary. It
// reads only open tickets (the partial indexes of 00006).
func (s *Store) OpenCounts(ctx context.Context, q sqlx.QueryerContext, f StatsFilter) ([]OpenCount, error) {
	var args []any
	where := "status IN (" + openStatesSQL() + ")" + f.conds(&args)
	var out []OpenCount
	if err := sqlx.SelectContext(ctx, q, &out, `SELECT unit, coalesce(assignee_id, 0) AS assignee_id, confidential,
			count(*) AS open,
			count(*) FILTER (WHERE (first_response_at IS NULL AND due_at < now()) OR resolve_due_at < now()) AS overdue
		FROM tickets
		WHERE `+where+`
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args...); err != nil {
		return nil, fmt.Errorf("tickets: open counts: %w", err)
	}
	return out, nil
}

// StatsTicket is what the ticket export needs of a ticket: its unit, officer, state
// and times, never the citizen or what anyone wrote. A zero time is "not yet".
type StatsTicket struct {
	ID           int64
	Unit         string
	AssigneeID   int64 // 0: nobody took it
	Status       Status
	Confidential bool
	Rating       int // 1–5; 0: not rated
	CreatedAt    time.Time
	// DueAt is the first-response deadline, ResolveDueAt the resolution deadline.
	DueAt, ResolveDueAt                   time.Time
	FirstResponseAt, ResolvedAt, ClosedAt time.Time
	CancelledAt, RatedAt                  time.Time
}

// StatsTickets returns the tickets f selects created in its period, by number. Each
// row travels as one text value (lib/pq reads one column several times faster than
// fourteen).
func (s *Store) StatsTickets(ctx context.Context, q sqlx.QueryerContext, f StatsFilter) ([]StatsTicket, error) {
	var args []any
	if err := f.period(&args); err != nil {
		return nil, fmt.Errorf("tickets: stats tickets: %w", err)
	}
	where := "created_at >= $1 AND created_at < $2" + f.conds(&args)
	times := []string{"created_at", "due_at", "resolve_due_at", "first_response_at", "resolved_at", "closed_at", "cancelled_at", "rated_at"}
	cols := []string{"id", "coalesce(assignee_id, 0)", "confidential::int", "coalesce(rating, 0)"}
	for _, c := range times {
		cols = append(cols, "coalesce("+micros(c)+", 0)")
	}
	cols = append(cols, "status", "unit") // unit last: it may hold anything
	rows, err := q.QueryContext(ctx, `SELECT concat_ws(',', `+strings.Join(cols, ", ")+`)
		FROM tickets WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("tickets: stats tickets: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []StatsTicket
	var line string
	for rows.Next() {
		if err := rows.Scan(&line); err != nil {
			return nil, fmt.Errorf("tickets: stats tickets: %w", err)
		}
		t, err := parseStatsTicket(line)
		if err != nil {
			return nil, fmt.Errorf("tickets: stats tickets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tickets: stats tickets: %w", err)
	}
	return out, nil
}

// parseStatsTicket reads a row of StatsTickets.
func parseStatsTicket(line string) (StatsTicket, error) {
	var n [12]int64
	for i := range n {
		field, rest, ok := strings.Cut(line, ",")
		v, err := strconv.ParseInt(field, 10, 64)
		if !ok || err != nil {
			return StatsTicket{}, fmt.Errorf("bad row %q", line)
		}
		n[i], line = v, rest
	}
	status, unit, _ := strings.Cut(line, ",")
	t := StatsTicket{ID: n[0], AssigneeID: n[1], Confidential: n[2] == 1, Rating: int(n[3]), Status: Status(status), Unit: unit}
	for i, p := range []*time.Time{&t.CreatedAt, &t.DueAt, &t.ResolveDueAt, &t.FirstResponseAt,
		&t.ResolvedAt, &t.ClosedAt, &t.CancelledAt, &t.RatedAt} {
		if n[4+i] != 0 {
			*p = time.UnixMicro(n[4+i])
		}
	}
	return t, nil
}

// Outcome is what a ticket counts for in the figures of a period.
type Outcome struct {
	Opened, Closed bool
	// FirstIn: first answered in the period; ResolvedIn: resolved in it.
	FirstIn, ResolvedIn        bool
	FirstCounted, FirstMet     bool
	ResolveCounted, ResolveMet bool
	// Rated: rated in the period.
	Rated bool
}

// Outcome applies the definitions above to one ticket.
func (t StatsTicket) Outcome(from, to, now time.Time) Outcome {
	in := func(at time.Time) bool { return !at.IsZero() && !at.Before(from) && at.Before(to) }
	passed := func(at time.Time) bool { return in(at) && at.Before(now) }
	end := t.ResolvedAt
	if end.IsZero() {
		end = t.ClosedAt
	}
	o := Outcome{Opened: in(t.CreatedAt), Closed: in(end), FirstIn: in(t.FirstResponseAt),
		ResolvedIn: in(t.ResolvedAt), Rated: t.Rating > 0 && in(t.RatedAt)}
	switch {
	case o.FirstIn && !t.DueAt.IsZero():
		o.FirstCounted, o.FirstMet = true, !t.FirstResponseAt.After(t.DueAt)
	case t.FirstResponseAt.IsZero() && passed(t.DueAt) && (t.CancelledAt.IsZero() || t.CancelledAt.After(t.DueAt)):
		o.FirstCounted = true
	}
	switch {
	case o.ResolvedIn && !t.ResolveDueAt.IsZero():
		o.ResolveCounted, o.ResolveMet = true, !t.ResolvedAt.After(t.ResolveDueAt)
	case t.ResolvedAt.IsZero() && t.Status.Open() && passed(t.ResolveDueAt):
		o.ResolveCounted = true
	}
	return o
}

// WorkClock measures working time quickly over a range of days: it lists the office's
// opening intervals in the range once, each with the working time before it, so that
// Between is two binary searches instead of a walk over the days. Outside the range it
// asks the Calendar; without a Calendar, working time is plain elapsed time.
type WorkClock struct {
	cal      *Calendar
	lo, hi   time.Time
	from, to []int64 // opening intervals, unix nanoseconds
	before   []int64 // working nanoseconds before each interval
	total    int64
}

// maxClockDays bounds the range a WorkClock lists (beyond it, the Calendar answers).
const maxClockDays = 3 * 366

// NewWorkClock returns a clock for instants in [from, to] on cal (nil: plain hours).
func NewWorkClock(cal *Calendar, from, to time.Time) *WorkClock {
	w := &WorkClock{cal: cal}
	if cal == nil || !to.After(from) {
		return w
	}
	first, last := civilOf(from.In(cal.loc)), civilOf(to.In(cal.loc))
	if last.ordinal()-first.ordinal() > maxClockDays {
		first = last.addDays(-maxClockDays)
	}
	var buf [4]interval
	for d := first; d.ordinal() <= last.ordinal(); d = d.addDays(1) {
		for _, iv := range cal.open(d, buf[:0]) {
			w.from = append(w.from, iv.from.UnixNano())
			w.to = append(w.to, iv.to.UnixNano())
			w.before = append(w.before, w.total)
			w.total += iv.to.Sub(iv.from).Nanoseconds()
		}
	}
	w.lo, w.hi = first.at(0, cal.loc), last.addDays(1).at(0, cal.loc)
	return w
}

// Between returns the working time in [a, b), as Calendar.Between: 0 when b is not
// after a.
func (w *WorkClock) Between(a, b time.Time) time.Duration {
	switch {
	case !b.After(a):
		return 0
	case w.cal == nil:
		return b.Sub(a)
	case a.Before(w.lo) || b.After(w.hi):
		return w.cal.Between(a, b)
	}
	return time.Duration(w.at(b.UnixNano()) - w.at(a.UnixNano()))
}

// at is the working time from the start of the range to t (unix nanoseconds).
func (w *WorkClock) at(t int64) int64 {
	i := sort.Search(len(w.to), func(i int) bool { return w.to[i] > t })
	switch {
	case i == len(w.to):
		return w.total
	case t <= w.from[i]:
		return w.before[i]
	}
	return w.before[i] + t - w.from[i]
}

// Percentile returns the p-th percentile (0 ≤ p ≤ 1) of sorted durations, interpolated
// linearly between the two nearest values as PostgreSQL's percentile_cont and
// spreadsheets' PERCENTILE.INC do; 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	pos := min(max(p, 0), 1) * float64(n-1)
	i := int(pos)
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + time.Duration((pos-float64(i))*float64(sorted[i+1]-sorted[i]))
}
