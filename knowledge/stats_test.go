package knowledge_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/knowledge"
)

func TestDecisionsPerDay(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (7, 'Ani')`); err != nil {
		t.Fatal(err)
	}
	// Days in Jakarta (UTC+7): a question at 23.30 UTC on 1 March is asked on 2 March.
	loc := time.FixedZone("WIB", 7*3600)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, loc) }
	for _, q := range []struct {
		decision string
		at       time.Time
	}{
		{"answer", day(1)}, // the first instant of the range
		{"answer", day(1).Add(10 * time.Hour)},
		{"clarify", time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)}, // 2 March 06.30 WIB
		{"escalate", day(2).Add(time.Hour)},
		{"smalltalk", day(3).Add(-time.Microsecond)}, // the last microsecond of 2 March
		{"answer", day(3).Add(5 * time.Hour)},
		{"weird", day(3).Add(6 * time.Hour)},
		{"answer", day(4)}, // the end of the range: outside
		{"answer", day(1).Add(-time.Minute)},
	} {
		if _, err := db.Exec(`INSERT INTO questions (citizen_id, text, decision, created_at) VALUES (7, 'Tanya', $1, $2)`,
			q.decision, q.at); err != nil {
			t.Fatal(err)
		}
	}
	got, err := knowledge.DecisionsPerDay(ctx, db, []time.Time{day(1), day(2), day(3), day(4)})
	if err != nil {
		t.Fatal(err)
	}
	want := []knowledge.DecisionCounts{
		{Answer: 2},
		{Clarify: 1, Escalate: 1, Smalltalk: 1},
		{Answer: 1, Other: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("per day %+v\nwant %+v", got, want)
	}
	var total knowledge.DecisionCounts
	for _, c := range got {
		total.Add(c)
	}
	if total.Total() != 7 || total.Answer != 3 {
		t.Errorf("total %+v", total)
	}
	if got, err := knowledge.DecisionsPerDay(ctx, db, []time.Time{day(1)}); got != nil || err != nil {
		t.Errorf("one bound: %v, %v; want nothing", got, err)
	}
	if _, err := knowledge.DecisionsPerDay(ctx, db, []time.Time{day(2), day(1)}); err == nil {
		t.Error("bounds out of order: no error")
	}
}
