package tickets

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Queue page sizes.
const (
	// DefaultQueueLimit is the page size of a QueueFilter without a Limit.
	DefaultQueueLimit = 50
	// MaxQueueLimit is the largest page Queue returns; larger limits are lowered to it.
	MaxQueueLimit = 500
)

// QueueFilter selects tickets for an officer's queue. Its conditions all apply (AND);
// the zero value is every open ticket of every unit.
type QueueFilter struct {
	// Units keeps tickets of these units (empty: all units).
	Units []string
	// ExcludeUnits drops tickets of these units (e.g. the integrity unit's, for a
	// supervisor who is not its member).
	ExcludeUnits []string
	// States keeps tickets in these states (empty: OpenStates()).
	States []Status
	// AssigneeID keeps tickets assigned to this officer (0: any).
	AssigneeID int64
	// Unassigned keeps tickets no officer took. It cannot be combined with AssigneeID.
	Unassigned bool
	// DueBefore keeps tickets whose deadline is before it (zero: any, including tickets
	// without a deadline): now+2h for "due soon", now for "overdue".
	DueBefore time.Time
	// Text finds tickets by number or by words: a ticket number ("123" or "#123")
	// keeps that ticket only; other text keeps tickets whose question has every word
	// of it, each as a word or the start of one, ignoring case ("ktp hilang" finds
	// "KTP saya hilang", "ktpnya hilang"). Blank: no condition. Words are matched
	// with the full-text index of migration 00010.
	Text string
	// Limit is the page size: 0 (or less) means DefaultQueueLimit, more than
	// MaxQueueLimit means MaxQueueLimit.
	Limit int
	// After continues the queue after this ticket (keyset paging): pass the ID of the
	// last ticket of the previous page, with the same filter. 0: first page. The ticket
	// only marks a position (its deadline and ID); it need not match the filter any more.
	After int64
}

// Queue returns a page of the tickets f selects, in the order officers work them:
// earliest deadline first (due_at ascending), tickets without a deadline last, ties by
// ID (oldest first): "ORDER BY due_at NULLS LAST, id". Pages follow each other by
// keyset on (due_at, id), not by offset: a ticket matching the filter all along is
// returned exactly once, whatever else changes between pages; one that starts matching
// (or whose deadline moves) behind the cursor shows on the next first page.
//
// An After ticket that does not exist gives ErrNotFound. Partial indexes on the open
// states (migration 00006) keep the queue of open tickets fast at any size: ask for a
// subset of OpenStates to benefit from them. A Text search adds the full-text index of
// migration 00010; it costs about as much as the tickets matching the rest of the
// filter that have the words (with 100,000 tickets, a few ms for an officer's open
// queue; 50 ms for a word in every question of a unit's 20,000 tickets, all states).
func (s *Store) Queue(ctx context.Context, q sqlx.QueryerContext, f QueueFilter) ([]Ticket, error) {
	query, args, err := queueQuery(f)
	if err != nil {
		return nil, err
	}
	var ts []Ticket
	if err := sqlx.SelectContext(ctx, q, &ts, query, args...); err != nil {
		return nil, fmt.Errorf("tickets: queue: %w", err)
	}
	if len(ts) == 0 && f.After != 0 {
		var found bool
		if err := sqlx.GetContext(ctx, q, &found, `SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1)`, f.After); err != nil {
			return nil, fmt.Errorf("tickets: queue: %w", err)
		}
		if !found {
			return nil, fmt.Errorf("tickets: queue after ticket %d: %w", f.After, ErrNotFound)
		}
	}
	return ts, nil
}

// queueArgs collects the parameters of a query.
type queueArgs []any

// add appends a parameter and returns its placeholder.
func (a *queueArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// queueQuery builds the SQL of Queue.
//
// The first page is one ordered scan: "ORDER BY due_at NULLS LAST, id" is the order of
// the indexes on (…, due_at, id), whose NULLs sort last. A later page is the union of
// the tickets with a deadline after the cursor, (due_at, id) > (cursor), and of those
// without a deadline, after the cursor's ID if it has none itself: each half is an
// index range (a row comparison is never true for a NULL due_at, hence two halves),
// and the union, at most two pages, is sorted again.
func queueQuery(f QueueFilter) (string, []any, error) {
	var args queueArgs
	var conds []string
	switch {
	case len(f.Units) == 1:
		// Equality, not "= ANY": with it the planner sees the unit index's rows as
		// already in due_at order.
		conds = append(conds, "t.unit = "+args.add(f.Units[0]))
	case len(f.Units) > 1:
		conds = append(conds, "t.unit = ANY("+args.add(pq.StringArray(f.Units))+")")
	}
	states, err := queueStates(f.States, &args)
	if err != nil {
		return "", nil, err
	}
	conds = append(conds, states...)
	switch {
	case f.Unassigned && f.AssigneeID != 0:
		return "", nil, errors.New("tickets: queue: Unassigned and AssigneeID exclude each other")
	case f.Unassigned:
		conds = append(conds, "t.assignee_id IS NULL")
	case f.AssigneeID != 0:
		conds = append(conds, "t.assignee_id = "+args.add(f.AssigneeID))
	}
	if !f.DueBefore.IsZero() {
		conds = append(conds, "t.due_at < "+args.add(f.DueBefore)+"::timestamptz")
	}
	if len(f.ExcludeUnits) > 0 {
		conds = append(conds, "t.unit <> ALL("+args.add(pq.StringArray(f.ExcludeUnits))+")")
	}
	conds = append(conds, queueText(f.Text, &args)...)
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultQueueLimit
	case limit > MaxQueueLimit:
		limit = MaxQueueLimit
	}
	lim := args.add(limit)
	where := strings.Join(conds, "\n\t\tAND ")
	if f.After == 0 {
		return `SELECT ` + ticketColumns + ` FROM tickets t
		WHERE ` + where + `
		ORDER BY t.due_at NULLS LAST, t.id LIMIT ` + lim, args, nil
	}
	after := args.add(f.After)
	// The cursor's deadline and ID are looked up once (InitPlans), so both halves use
	// them as index bounds. A missing cursor makes both bounds NULL: no rows.
	return `SELECT * FROM (
		(SELECT ` + ticketColumns + ` FROM tickets t
		WHERE ` + where + `
			AND (t.due_at, t.id) > ((SELECT c.due_at FROM tickets c WHERE c.id = ` + after + `), ` + after + `)
		ORDER BY t.due_at, t.id LIMIT ` + lim + `)
		UNION ALL
		(SELECT ` + ticketColumns + ` FROM tickets t
		WHERE ` + where + `
			AND t.due_at IS NULL
			AND t.id > (SELECT CASE WHEN c.due_at IS NULL THEN c.id ELSE 0 END FROM tickets c WHERE c.id = ` + after + `)
		ORDER BY t.due_at, t.id LIMIT ` + lim + `)
	) page ORDER BY page.due_at NULLS LAST, page.id LIMIT ` + lim, args, nil
}

// openStatesSQL is OpenStates() as an SQL list, as the partial indexes of migration
// 00006 spell their predicate.
func openStatesSQL() string {
	quoted := make([]string, 0, 3)
	for _, st := range OpenStates() {
		quoted = append(quoted, "'"+string(st)+"'")
	}
	return strings.Join(quoted, ", ")
}

// queueStates returns the conditions keeping tickets in states (empty: the open
// states). When every state asked for is open, the literal predicate of the partial
// indexes is added, so the planner can use them whatever the parameters' values.
func queueStates(states []Status, args *queueArgs) ([]string, error) {
	openOnly := "t.status IN (" + openStatesSQL() + ")"
	if len(states) == 0 {
		return []string{openOnly}, nil
	}
	list := make(pq.StringArray, len(states))
	allOpen := true
	for i, st := range states {
		if !knownQueueState(st) {
			return nil, fmt.Errorf("tickets: queue: unknown state %q", st)
		}
		allOpen = allOpen && st.Open()
		list[i] = string(st)
	}
	conds := []string{"t.status = ANY(" + args.add(list) + ")"}
	if allOpen {
		conds = append(conds, openOnly)
	}
	return conds, nil
}

// queueCountedStates lists every ticket state, in lifecycle order.
var queueCountedStates = []Status{StatusNew, StatusInProgress, StatusWaitingCitizen,
	StatusResolved, StatusClosed, StatusCancelled}

// knownQueueState reports whether st is a ticket state.
func knownQueueState(st Status) bool {
	for _, k := range queueCountedStates {
		if st == k {
			return true
		}
	}
	return false
}

// CountByState counts the tickets of units (empty: all units) in each state, closed
// ones included. Every state is in the map, with 0 when no ticket is in it.
//
// It reads every ticket of the units, closed ones included, from the (unit, status)
// index of migration 00006 (an index-only scan): with a million tickets, under 30 ms
// for the busiest of 20 units (136,000 tickets), but about 150 ms for all units. A
// screen refreshed often should count its units, not the whole office.
func (s *Store) CountByState(ctx context.Context, q sqlx.QueryerContext, units []string) (map[Status]int, error) {
	query := `SELECT status, count(*) AS n FROM tickets`
	var args []any
	switch {
	case len(units) == 1:
		// Equality: the index yields the unit's rows by status, counted without hashing.
		query += ` WHERE unit = $1`
		args = append(args, units[0])
	case len(units) > 1:
		query += ` WHERE unit = ANY($1)`
		args = append(args, pq.StringArray(units))
	}
	query += ` GROUP BY status`
	var rows []struct {
		Status Status `db:"status"`
		N      int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("tickets: count by state: %w", err)
	}
	counts := make(map[Status]int, len(queueCountedStates))
	for _, st := range queueCountedStates {
		counts[st] = 0
	}
	for _, r := range rows {
		counts[r.Status] = r.N
	}
	return counts, nil
}

// Text search (QueueFilter.Text).
var (
	// ticketNumberRE is a ticket number as officers type it: "123", "#123", "# 123".
	ticketNumberRE = regexp.MustCompile(`^#?\s*([0-9]{1,18})$`)
	// searchWordRE is a word of a text search: letters and digits.
	searchWordRE = regexp.MustCompile(`[\p{L}\p{N}]+`)
)

// maxSearchWords is how many words of a text search count; more are ignored.
const maxSearchWords = 10

// TicketNumber returns the ticket number text is ("123", "#123"), or 0 when it is not
// one.
func TicketNumber(text string) int64 {
	m := ticketNumberRE.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return 0
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// queueText returns the condition of QueueFilter.Text: the ticket's id for a number,
// else every word as a prefix of a word of the question, through the full-text index
// on to_tsvector('simple', question) (migration 00010; "simple": no stemming and no
// stop words, which suits Indonesian and names alike). Text with no word matches
// nothing.
func queueText(text string, args *queueArgs) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if id := TicketNumber(text); id != 0 {
		return []string{"t.id = " + args.add(id)}
	}
	words := searchWordRE.FindAllString(strings.ToLower(text), maxSearchWords)
	if len(words) == 0 {
		return []string{"false"}
	}
	// Letters and digits only, so no word carries to_tsquery syntax. Prefixes only
	// ("w:*", not "w | w:*"): PostgreSQL gives a prefix a fixed, modest estimate, so
	// the planner reads the full-text index and fetches the matching tickets, which
	// costs as many tickets as match. With exact words it would estimate a common word
	// well and rather filter the unit's tickets by to_tsvector, computed per ticket
	// (ten times slower for a word in every question).
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = w + ":*"
	}
	return []string{"to_tsvector('simple', t.question) @@ to_tsquery('simple', " + args.add(strings.Join(terms, " & ")) + ")"}
}
