package tickets_test

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

// queueBase is the fixtures' "now": deadlines are hours around it.
var queueBase = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// queueTicket describes a fixture ticket.
type queueTicket struct {
	name     string
	unit     string
	status   tickets.Status
	assignee int // 0: none, else 1-based index of the fixture's officers
	due      time.Duration
	noDue    bool
}

// queueFixture is a database with officers and tickets made from queueTickets.
type queueFixture struct {
	db       *sqlx.DB
	s        *tickets.Store
	officers []tickets.Staff
	ids      map[string]int64
	names    map[int64]string
}

func newQueueFixture(t *testing.T, ts []queueTicket) *queueFixture {
	t.Helper()
	ctx := context.Background()
	f := &queueFixture{db: dbtest.New(t), ids: map[string]int64{}, names: map[int64]string{}}
	f.s = tickets.NewStore(f.db)
	if _, err := f.db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Siti", "Rudi"} {
		o, err := f.s.AddStaff(ctx, int64(900+i), name)
		if err != nil {
			t.Fatal(err)
		}
		f.officers = append(f.officers, o)
	}
	for _, qt := range ts {
		var assignee sql.NullInt64
		if qt.assignee != 0 {
			assignee = sql.NullInt64{Int64: f.officers[qt.assignee-1].ID, Valid: true}
		}
		due := sql.NullTime{Time: queueBase.Add(qt.due), Valid: !qt.noDue}
		var id int64
		err := f.db.Get(&id, `INSERT INTO tickets (citizen_id, question, unit, status, assignee_id, due_at)
			VALUES (7, $1, $2, $3, $4, $5) RETURNING id`, "Pertanyaan "+qt.name, qt.unit, qt.status, assignee, due)
		if err != nil {
			t.Fatal(err)
		}
		f.ids[qt.name], f.names[id] = id, qt.name
	}
	return f
}

// queue runs Queue and returns the fixture names of the tickets, in order.
func (f *queueFixture) queue(t *testing.T, qf tickets.QueueFilter) ([]string, error) {
	t.Helper()
	ts, err := f.s.Queue(context.Background(), f.db, qf)
	names := make([]string, len(ts))
	for i, tk := range ts {
		names[i] = f.names[tk.ID]
	}
	return names, err
}

func TestQueueFilters(t *testing.T) {
	f := newQueueFixture(t, []queueTicket{
		{name: "a", unit: "disdukcapil", status: tickets.StatusNew, due: time.Hour},
		{name: "b", unit: "disdukcapil", status: tickets.StatusInProgress, assignee: 1, due: 3 * time.Hour},
		{name: "c", unit: "samsat", status: tickets.StatusWaitingCitizen, assignee: 2, due: -time.Hour},
		{name: "d", unit: "samsat", status: tickets.StatusNew, noDue: true},
		{name: "e", unit: "disdukcapil", status: tickets.StatusResolved, assignee: 1, due: -5 * time.Hour},
		{name: "f", unit: "polres", status: tickets.StatusNew, due: time.Hour}, // same deadline as a: by id
		{name: "g", unit: "disdukcapil", status: tickets.StatusCancelled, noDue: true},
		{name: "h", unit: "polres", status: tickets.StatusClosed, assignee: 2, due: -2 * time.Hour},
	})
	o1, o2 := f.officers[0].ID, f.officers[1].ID
	cases := []struct {
		name   string
		filter tickets.QueueFilter
		want   []string
	}{
		{"open tickets by deadline, none last", tickets.QueueFilter{}, []string{"c", "a", "f", "b", "d"}},
		{"one unit", tickets.QueueFilter{Units: []string{"disdukcapil"}}, []string{"a", "b"}},
		{"two units", tickets.QueueFilter{Units: []string{"disdukcapil", "samsat"}}, []string{"c", "a", "b", "d"}},
		{"unknown unit", tickets.QueueFilter{Units: []string{"imigrasi"}}, []string{}},
		{"one state", tickets.QueueFilter{States: []tickets.Status{tickets.StatusNew}}, []string{"a", "f", "d"}},
		{"closed states", tickets.QueueFilter{Units: []string{"disdukcapil"},
			States: []tickets.Status{tickets.StatusResolved, tickets.StatusCancelled}}, []string{"e", "g"}},
		{"every state", tickets.QueueFilter{States: []tickets.Status{tickets.StatusNew, tickets.StatusInProgress,
			tickets.StatusWaitingCitizen, tickets.StatusResolved, tickets.StatusClosed, tickets.StatusCancelled}},
			[]string{"e", "h", "c", "a", "f", "b", "d", "g"}},
		{"assignee", tickets.QueueFilter{AssigneeID: o1}, []string{"b"}},
		{"assignee, any state", tickets.QueueFilter{AssigneeID: o1,
			States: []tickets.Status{tickets.StatusResolved, tickets.StatusInProgress}}, []string{"e", "b"}},
		{"other assignee", tickets.QueueFilter{AssigneeID: o2}, []string{"c"}},
		{"unassigned", tickets.QueueFilter{Unassigned: true}, []string{"a", "f", "d"}},
		{"overdue", tickets.QueueFilter{DueBefore: queueBase}, []string{"c"}},
		{"due soon", tickets.QueueFilter{DueBefore: queueBase.Add(2 * time.Hour)}, []string{"c", "a", "f"}},
		{"deadline is exclusive", tickets.QueueFilter{DueBefore: queueBase.Add(time.Hour)}, []string{"c"}},
		{"all together", tickets.QueueFilter{Units: []string{"disdukcapil", "polres"}, Unassigned: true,
			DueBefore: queueBase.Add(2 * time.Hour)}, []string{"a", "f"}},
		{"limit", tickets.QueueFilter{Limit: 2}, []string{"c", "a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.queue(t, c.filter)
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("Queue(%+v) = %v, %v; want %v", c.filter, got, err, c.want)
			}
		})
	}

	ts, err := f.s.Queue(context.Background(), f.db, tickets.QueueFilter{AssigneeID: o1})
	if err != nil || len(ts) != 1 || ts[0].AssigneeName != "Siti" || ts[0].Unit != "disdukcapil" ||
		!ts[0].DueAt.Time.Equal(queueBase.Add(3*time.Hour)) {
		t.Errorf("Queue tickets = %+v, %v; want b, taken by Siti", ts, err)
	}
	for _, bad := range []tickets.QueueFilter{
		{AssigneeID: o1, Unassigned: true},
		{States: []tickets.Status{"open"}},
	} {
		if _, err := f.s.Queue(context.Background(), f.db, bad); err == nil {
			t.Errorf("Queue(%+v) accepted", bad)
		}
	}
}

func TestQueueLimits(t *testing.T) {
	var ts []queueTicket
	for i := range 520 {
		ts = append(ts, queueTicket{name: fmt.Sprint("t", i), unit: "dinsos", status: tickets.StatusNew})
	}
	f := newQueueFixture(t, ts)
	for limit, want := range map[int]int{0: tickets.DefaultQueueLimit, -1: tickets.DefaultQueueLimit,
		10: 10, 1000: tickets.MaxQueueLimit} {
		got, err := f.s.Queue(context.Background(), f.db, tickets.QueueFilter{Limit: limit})
		if err != nil || len(got) != want {
			t.Errorf("Queue(Limit %d) gave %d tickets, %v; want %d", limit, len(got), err, want)
		}
	}
}

// randomQueueTickets makes n tickets in two units and every state, with deadlines
// often shared and a quarter of them without any.
func randomQueueTickets(n int) []queueTicket {
	rng := rand.New(rand.NewPCG(6, 2026))
	states := []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusWaitingCitizen,
		tickets.StatusResolved, tickets.StatusClosed, tickets.StatusCancelled}
	ts := make([]queueTicket, n)
	for i := range ts {
		ts[i] = queueTicket{
			name:   "t" + string(rune('A'+i/26)) + string(rune('a'+i%26)),
			unit:   []string{"bapenda", "dishub"}[rng.IntN(2)],
			status: states[rng.IntN(len(states))],
			due:    time.Duration(rng.IntN(10)-5) * time.Hour,
			noDue:  rng.IntN(4) == 0,
		}
	}
	return ts
}

func TestQueueOrderAndPaging(t *testing.T) {
	ctx := context.Background()
	ts := randomQueueTickets(150)
	f := newQueueFixture(t, ts)
	noDue := map[string]bool{}
	for _, qt := range ts {
		noDue[qt.name] = qt.noDue
	}
	// want lists, for a filter, what the whole queue must be: by deadline, none last,
	// then by id.
	want := func(keep func(queueTicket) bool) []string {
		var out []queueTicket
		for _, qt := range ts {
			if keep(qt) {
				out = append(out, qt)
			}
		}
		slices.SortFunc(out, func(x, y queueTicket) int {
			if x.noDue != y.noDue {
				if x.noDue {
					return 1
				}
				return -1
			}
			if !x.noDue && x.due != y.due {
				return cmp.Compare(x.due, y.due)
			}
			return cmp.Compare(f.ids[x.name], f.ids[y.name])
		})
		names := make([]string, len(out))
		for i, qt := range out {
			names[i] = qt.name
		}
		return names
	}
	closed := []tickets.Status{tickets.StatusResolved, tickets.StatusClosed}
	filters := []struct {
		name   string
		filter tickets.QueueFilter
		want   []string
	}{
		{"open", tickets.QueueFilter{}, want(func(qt queueTicket) bool { return qt.status.Open() })},
		{"open in one unit", tickets.QueueFilter{Units: []string{"dishub"}},
			want(func(qt queueTicket) bool { return qt.status.Open() && qt.unit == "dishub" })},
		{"closed", tickets.QueueFilter{States: closed},
			want(func(qt queueTicket) bool { return slices.Contains(closed, qt.status) })},
	}
	for _, c := range filters {
		t.Run(c.name, func(t *testing.T) {
			all := c.filter
			all.Limit = tickets.MaxQueueLimit
			if got, err := f.queue(t, all); err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("whole queue = %v, %v;\nwant %v", got, err, c.want)
			}
			for _, size := range []int{1, 4, 7} {
				var got []string
				nullCursor := false
				page := c.filter
				page.Limit = size
				for range len(c.want) + 2 {
					names, err := f.queue(t, page)
					if err != nil {
						t.Fatalf("page after %d: %v", page.After, err)
					}
					if len(names) == 0 {
						break
					}
					got = append(got, names...)
					last := names[len(names)-1]
					page.After = f.ids[last]
					nullCursor = nullCursor || noDue[last]
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("pages of %d = %v;\nwant %v", size, got, c.want)
				}
				if !nullCursor {
					t.Errorf("pages of %d: no page ended on a ticket without deadline", size)
				}
			}
		})
	}

	// The cursor only marks a position: the queue goes on after a ticket that left it.
	open := filters[0].want
	first, err := f.s.Queue(ctx, f.db, tickets.QueueFilter{Limit: 10})
	if err != nil || len(first) != 10 {
		t.Fatalf("first page: %d tickets, %v", len(first), err)
	}
	cursor := first[9].ID
	if _, err := f.db.Exec(`UPDATE tickets SET status = 'selesai' WHERE id = $1`, cursor); err != nil {
		t.Fatal(err)
	}
	if got, err := f.queue(t, tickets.QueueFilter{After: cursor, Limit: tickets.MaxQueueLimit}); err != nil || !slices.Equal(got, open[10:]) {
		t.Errorf("after a resolved cursor = %v, %v;\nwant %v", got, err, open[10:])
	}
	if got, err := f.queue(t, tickets.QueueFilter{After: f.ids[open[len(open)-1]]}); err != nil || len(got) != 0 {
		t.Errorf("after the last ticket = %v, %v; want none", got, err)
	}
	if _, err := f.s.Queue(ctx, f.db, tickets.QueueFilter{After: 424242}); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("after an unknown ticket err = %v, want ErrNotFound", err)
	}
}

func TestCountByState(t *testing.T) {
	ctx := context.Background()
	f := newQueueFixture(t, []queueTicket{
		{name: "a", unit: "disdukcapil", status: tickets.StatusNew},
		{name: "b", unit: "disdukcapil", status: tickets.StatusNew},
		{name: "c", unit: "disdukcapil", status: tickets.StatusClosed},
		{name: "d", unit: "samsat", status: tickets.StatusWaitingCitizen},
		{name: "e", unit: "polres", status: tickets.StatusNew},
		{name: "f", unit: "polres", status: tickets.StatusCancelled},
	})
	counts := func(n, p, w, r, c, x int) map[tickets.Status]int {
		return map[tickets.Status]int{tickets.StatusNew: n, tickets.StatusInProgress: p,
			tickets.StatusWaitingCitizen: w, tickets.StatusResolved: r, tickets.StatusClosed: c,
			tickets.StatusCancelled: x}
	}
	cases := []struct {
		units []string
		want  map[tickets.Status]int
	}{
		{nil, counts(3, 0, 1, 0, 1, 1)},
		{[]string{"disdukcapil"}, counts(2, 0, 0, 0, 1, 0)},
		{[]string{"samsat", "polres"}, counts(1, 0, 1, 0, 0, 1)},
		{[]string{"imigrasi"}, counts(0, 0, 0, 0, 0, 0)},
	}
	for _, c := range cases {
		got, err := f.s.CountByState(ctx, f.db, c.units)
		if err != nil || !mapsEqual(got, c.want) {
			t.Errorf("CountByState(%v) = %v, %v; want %v", c.units, got, err, c.want)
		}
	}
}

func mapsEqual(a, b map[tickets.Status]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// queryCapture runs queries on a database and remembers the last one.
type queryCapture struct {
	sqlx.QueryerContext
	query string
	args  []any
}

func (c *queryCapture) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	c.query, c.args = query, args
	return c.QueryerContext.QueryxContext(ctx, query, args...)
}

// TestQueueIndexes checks that the queries can be answered by reading the right index
// in order. Sequential scans, bitmap scans and sorts are disabled, so the planner picks
// an ordered index scan whenever one can answer; on a small table it would otherwise
// rightly prefer reading the table.
func TestQueueIndexes(t *testing.T) {
	ctx := context.Background()
	f := newQueueFixture(t, randomQueueTickets(100))
	// A citizen with one ticket among a hundred of citizen 7.
	if _, err := f.db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (8);
		INSERT INTO tickets (citizen_id, question) VALUES (8, 'Pertanyaan');
		ANALYZE tickets`); err != nil {
		t.Fatal(err)
	}
	plan := func(t *testing.T, run func(q sqlx.QueryerContext) error) string {
		t.Helper()
		tx, err := f.db.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, set := range []string{"enable_seqscan", "enable_bitmapscan", "enable_sort"} {
			if _, err := tx.Exec(`SET LOCAL ` + set + ` = off`); err != nil {
				t.Fatal(err)
			}
		}
		c := &queryCapture{QueryerContext: tx}
		if err := run(c); err != nil {
			t.Fatal(err)
		}
		var lines []string
		if err := tx.Select(&lines, `EXPLAIN `+c.query, c.args...); err != nil {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	queue := func(qf tickets.QueueFilter) func(q sqlx.QueryerContext) error {
		return func(q sqlx.QueryerContext) error { _, err := f.s.Queue(ctx, q, qf); return err }
	}
	cases := []struct {
		name, index string
		run         func(q sqlx.QueryerContext) error
	}{
		{"unit queue", "tickets_open_unit_due", queue(tickets.QueueFilter{Units: []string{"dishub"}})},
		{"unit queue, due soon", "tickets_open_unit_due", queue(tickets.QueueFilter{Units: []string{"dishub"},
			States: []tickets.Status{tickets.StatusNew}, DueBefore: queueBase})},
		{"unit queue, next page", "tickets_open_unit_due", queue(tickets.QueueFilter{Units: []string{"dishub"},
			After: f.ids["tAa"]})},
		{"all units", "tickets_open_due", queue(tickets.QueueFilter{})},
		{"officer's queue", "tickets_open_assignee_due", queue(tickets.QueueFilter{AssigneeID: f.officers[0].ID})},
		{"citizen's tickets", "tickets_citizen", func(q sqlx.QueryerContext) error {
			_, err := f.s.ByCitizen(ctx, q, 8, 10)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A next page merges its two index ranges (Merge Append): no Sort node.
			p := plan(t, c.run)
			if !strings.Contains(p, "Index Scan using "+c.index+" on tickets") || strings.Contains(p, "Sort  (") {
				t.Errorf("plan does not read %s in order:\n%s", c.index, p)
			}
		})
	}
}

func TestQueueTextAndExcludedUnits(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	names := map[int64]string{}
	for i, tk := range []struct{ name, unit, status, question string }{
		{"ktp", "disdukcapil", "baru", "KTP saya hilang di pasar, bagaimana mengurusnya?"},
		{"ktpnya", "disdukcapil", "diproses", "Ktpnya rusak terkena air"},
		{"akta", "disdukcapil", "baru", "Syarat akta kelahiran anak kedua"},
		{"skck", "polres", "baru", "Berapa lama membuat SKCK? KTP sudah ada."},
		{"lapor", "inspektorat", "baru", "Petugas KTP meminta uang pelicin"},
		{"closed", "disdukcapil", "ditutup", "KTP hilang lagi"},
	} {
		var id int64
		err := db.Get(&id, `INSERT INTO tickets (citizen_id, question, unit, status, due_at)
			VALUES (7, $1, $2, $3, $4) RETURNING id`, tk.question, tk.unit, tk.status, queueBase.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ids[tk.name], names[id] = id, tk.name
	}
	queue := func(f tickets.QueueFilter) []string {
		t.Helper()
		ts, err := s.Queue(ctx, db, f)
		if err != nil {
			t.Fatalf("Queue(%+v): %v", f, err)
		}
		out := []string{}
		for _, tk := range ts {
			out = append(out, names[tk.ID])
		}
		return out
	}
	all := []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusClosed}
	cases := []struct {
		name   string
		filter tickets.QueueFilter
		want   []string
	}{
		{"word, any case, as a prefix", tickets.QueueFilter{Text: "ktp"}, []string{"ktp", "ktpnya", "skck", "lapor"}},
		{"every word", tickets.QueueFilter{Text: "  KTP   hilang "}, []string{"ktp"}},
		{"punctuation is no word", tickets.QueueFilter{Text: "ktp, hilang!"}, []string{"ktp"}},
		{"prefix of a later word", tickets.QueueFilter{Text: "kela"}, []string{"akta"}},
		{"not inside a word", tickets.QueueFilter{Text: "elahiran"}, []string{}},
		{"closed states too", tickets.QueueFilter{Text: "hilang", States: all}, []string{"ktp", "closed"}},
		{"with a unit", tickets.QueueFilter{Text: "ktp", Units: []string{"polres"}}, []string{"skck"}},
		{"number", tickets.QueueFilter{Text: strconv.FormatInt(ids["akta"], 10)}, []string{"akta"}},
		{"#number", tickets.QueueFilter{Text: "#" + strconv.FormatInt(ids["akta"], 10)}, []string{"akta"}},
		{"number of a closed ticket, open states", tickets.QueueFilter{Text: "#" + strconv.FormatInt(ids["closed"], 10)}, []string{}},
		{"number, every state", tickets.QueueFilter{Text: "#" + strconv.FormatInt(ids["closed"], 10), States: all}, []string{"closed"}},
		{"tsquery syntax is only words", tickets.QueueFilter{Text: "ktp & !hilang | (:*"}, []string{"ktp"}},
		{"no word at all", tickets.QueueFilter{Text: "?!"}, []string{}},
		{"quotes", tickets.QueueFilter{Text: `'ktp' "rusak"`}, []string{"ktpnya"}},
		{"exclude a unit", tickets.QueueFilter{ExcludeUnits: []string{"inspektorat"}}, []string{"ktp", "ktpnya", "akta", "skck"}},
		{"exclude two units, with text", tickets.QueueFilter{Text: "ktp", ExcludeUnits: []string{"inspektorat", "polres"}}, []string{"ktp", "ktpnya"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := queue(c.filter); !slices.Equal(got, c.want) {
				t.Errorf("Queue(%+v) = %v, want %v", c.filter, got, c.want)
			}
		})
	}
	for in, want := range map[string]int64{"123": 123, "#123": 123, " # 7 ": 7, "12a": 0, "": 0, "-3": 0, "#": 0} {
		if got := tickets.TicketNumber(in); got != want {
			t.Errorf("TicketNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestQueueTextIndex checks that a search for a rare word over twenty thousand
// closed tickets of every unit reads the full-text index, not the whole table.
func TestQueueTextIndex(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7);
		INSERT INTO tickets (citizen_id, question, unit, status)
		SELECT 7, 'Pertanyaan nomor ' || g || ' tentang ' || md5(g::text), 'unit' || g % 5, 'ditutup'
		FROM generate_series(1, 20000) g;
		ANALYZE tickets`); err != nil {
		t.Fatal(err)
	}
	var word string
	if err := db.Get(&word, `SELECT md5('4321')`); err != nil {
		t.Fatal(err)
	}
	f := tickets.QueueFilter{Text: "Tentang " + word[:10], States: []tickets.Status{tickets.StatusClosed, tickets.StatusResolved}}
	c := &queryCapture{QueryerContext: db}
	ts, err := s.Queue(ctx, c, f)
	if err != nil || len(ts) != 1 || !strings.HasSuffix(ts[0].Question, word) {
		t.Fatalf("Queue(%+v) = %v, %v; want the ticket about %s", f, ts, err, word)
	}
	var lines []string
	if err := db.Select(&lines, `EXPLAIN `+c.query, c.args...); err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(lines, "\n"); !strings.Contains(p, "tickets_question_search") {
		t.Errorf("a word search does not use tickets_question_search:\n%s", p)
	}
}
