package knowledge_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/knowledge"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"KTP saya hilang!!", "ktp saya hilang"},
		{"  ktp   saya\nhilang?? 😢", "ktp saya hilang"},
		{"Ktp, saya... HILANG", "ktp saya hilang"},
		{"Izin CAFÉ di Jl. Sudirman", "izin cafe di jl sudirman"},
		{"nomor saya 0812-3456-7890 belum dapat", "nomor saya # belum dapat"},
		{"hubungi +62 812 3456 7890 atau 0812.3456.7891", "hubungi # atau #"},
		{"NIK 3201234567890123 salah", "nik # salah"},
		{"pas foto 4x6", "pas foto 4x6"},
		{"¿¡!?", ""},
	}
	for _, tc := range tests {
		if got := knowledge.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// logQuestion logs a question for citizen 1 with a decision and, for an answer, the
// FAQ it answered with; age moves it into the past.
func logQuestion(t *testing.T, db *sqlx.DB, text string, d knowledge.Decision, faq string, age time.Duration) int64 {
	t.Helper()
	res := knowledge.Result{Decision: d}
	if faq != "" {
		res.Hits = []knowledge.Hit{{ID: faq, Score: 1, Question: faq}}
	}
	id, err := knowledge.LogQuestion(context.Background(), db, 1, text, res)
	if err != nil {
		t.Fatal(err)
	}
	if age > 0 {
		if _, err := db.Exec(`UPDATE questions SET created_at = now() - $2::interval WHERE id = $1`, id, age.String()); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func newQuestionDB(t *testing.T) *sqlx.DB {
	t.Helper()
	db := dbtest.New(t)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (1, 'Ani')`); err != nil {
		t.Fatal(err)
	}
	return db
}

// The column the database groups by says what Normalize says.
func TestNormalizeMatchesColumn(t *testing.T) {
	db := newQuestionDB(t)
	texts := []string{
		"KTP saya hilang!!", "Izin CAFÉ — ÀÉÎÕÜ àéîõü ÑÇ", "nomor 0812-3456-7890 dan NIK 3201234567890123",
		"tab\tdan\r\nbaris", "emoji 😢🙏 dan ‘kutip’", "  ", "ﬁle ǅ Ⅻ ß 한국어 العربية", "a*b c**", "Rp50.000,-",
	}
	for _, text := range texts {
		id := logQuestion(t, db, text, knowledge.DecisionEscalate, "", 0)
		var got string
		if err := db.Get(&got, `SELECT normalized FROM questions WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if want := knowledge.Normalize(text); got != want {
			t.Errorf("%q: column %q, Normalize %q", text, got, want)
		}
	}
}

func TestUnanswered(t *testing.T) {
	ctx := context.Background()
	db := newQuestionDB(t)
	day := 24 * time.Hour
	// One question, spelt five ways: escalated, clarified, and answered unhelpfully.
	logQuestion(t, db, "KTP saya hilang!!", knowledge.DecisionEscalate, "", 3*day)
	logQuestion(t, db, "ktp   saya hilang?", knowledge.DecisionClarify, "ktp-hilang", 2*day)
	logQuestion(t, db, "Ktp saya HILANG 😢", knowledge.DecisionClarify, "ktp-hilang", day)
	unhelpful := logQuestion(t, db, "ktp saya hilang", knowledge.DecisionAnswer, "ktp-hilang", time.Hour)
	if err := knowledge.SetFeedback(ctx, db, unhelpful, false); err != nil {
		t.Fatal(err)
	}
	logQuestion(t, db, "ktp, saya hilang", knowledge.DecisionEscalate, "", 0)
	// Another question, asked twice: once in the period (the latest of all), once long ago.
	logQuestion(t, db, "jam buka samsat", knowledge.DecisionEscalate, "", 0)
	logQuestion(t, db, "jam buka samsat", knowledge.DecisionEscalate, "", 60*day)
	// Not unanswered: answered (helpful or no feedback), small talk, erased.
	helpful := logQuestion(t, db, "syarat skck", knowledge.DecisionAnswer, "skck", 0)
	if err := knowledge.SetFeedback(ctx, db, helpful, true); err != nil {
		t.Fatal(err)
	}
	logQuestion(t, db, "syarat skck", knowledge.DecisionAnswer, "skck", 0)
	logQuestion(t, db, "halo", knowledge.DecisionSmalltalk, "", 0)
	logQuestion(t, db, "[dihapus atas permintaan warga]", knowledge.DecisionEscalate, "", 0)
	logQuestion(t, db, "!!!", knowledge.DecisionEscalate, "", 0)

	filter := knowledge.UnansweredFilter{Since: time.Now().Add(-30 * day), Skip: []string{"[dihapus atas permintaan warga]"}}
	groups, total, err := knowledge.Unanswered(ctx, db, filter)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(groups) != 2 {
		t.Fatalf("%d groups (total %d): %+v, want 2", len(groups), total, groups)
	}
	g := groups[0]
	if g.Key != "ktp saya hilang" || g.Count != 5 || g.Escalated != 2 || g.Clarified != 2 || g.Unhelpful != 1 {
		t.Errorf("first group %+v, want ktp saya hilang ×5 (2 escalated, 2 clarified, 1 unhelpful)", g)
	}
	if g.Text != "ktp, saya hilang" || g.TopFAQ != "ktp-hilang" {
		t.Errorf("latest wording %q, top FAQ %q", g.Text, g.TopFAQ)
	}
	if g.LastSeen.Before(g.FirstSeen.Add(3*day - time.Minute)) {
		t.Errorf("first seen %v, last seen %v", g.FirstSeen, g.LastSeen)
	}
	if s := groups[1]; s.Key != "jam buka samsat" || s.Count != 1 || s.TopFAQ != "" {
		t.Errorf("second group %+v, want jam buka samsat ×1 in the period", s)
	}

	t.Run("most recent first", func(t *testing.T) {
		f := filter
		f.Sort = knowledge.ByRecent
		groups, _, err := knowledge.Unanswered(ctx, db, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || groups[0].Key != "jam buka samsat" {
			t.Errorf("groups %+v, want jam buka samsat first", groups)
		}
	})
	t.Run("paging", func(t *testing.T) {
		f := filter
		f.Limit, f.Offset = 1, 1
		groups, total, err := knowledge.Unanswered(ctx, db, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(groups) != 1 || groups[0].Key != "jam buka samsat" {
			t.Errorf("page 2: %+v (total %d)", groups, total)
		}
		f.Offset = 5
		groups, total, err = knowledge.Unanswered(ctx, db, f)
		if err != nil || total != 2 || len(groups) != 0 {
			t.Errorf("past the end: %+v total %d, %v", groups, total, err)
		}
	})
	t.Run("hidden until asked again", func(t *testing.T) {
		if err := knowledge.HideUnanswered(ctx, db, "ktp saya hilang", 0); err != nil {
			t.Fatal(err)
		}
		groups, _, err := knowledge.Unanswered(ctx, db, filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 1 || groups[0].Key != "jam buka samsat" {
			t.Fatalf("after hiding: %+v", groups)
		}
		// Asked again after it was hidden: back, counting only the new one.
		logQuestion(t, db, "KTP SAYA HILANG", knowledge.DecisionEscalate, "", 0)
		groups, _, err = knowledge.Unanswered(ctx, db, filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || groups[0].Key != "ktp saya hilang" && groups[1].Key != "ktp saya hilang" {
			t.Fatalf("asked again: %+v", groups)
		}
		for _, g := range groups {
			if g.Key == "ktp saya hilang" && g.Count != 1 {
				t.Errorf("asked again: count %d, want 1", g.Count)
			}
		}
	})
}

func TestAddAlternate(t *testing.T) {
	ctx := context.Background()
	store := knowledge.NewStore(dbtest.New(t))
	if _, err := store.Import(ctx, &knowledge.File{FAQs: []knowledge.FAQ{planFAQ("ktp-hilang", "KTP hilang?", "kehilangan ktp")}}, true); err != nil {
		t.Fatal(err)
	}
	ed := knowledge.Editor{StaffID: 0, Name: "Eka"}
	if err := store.AddAlternate(ctx, "ktp-hilang", "  ktp  saya   ilang ", ed); err != nil {
		t.Fatal(err)
	}
	f, err := store.Get(ctx, "ktp-hilang")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Alternates) != 2 || f.Alternates[1] != "ktp saya ilang" {
		t.Errorf("alternates %q", f.Alternates)
	}
	revs, err := store.Revisions(ctx, "ktp-hilang")
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) == 0 || revs[0].Author != "Eka" || len(revs[0].FAQ.Alternates) != 2 {
		t.Errorf("latest revision %+v, want Eka's with the alternate", revs)
	}
	for _, dup := range []string{"KTP Saya Ilang", "ktp hilang?", "Kehilangan KTP"} {
		if err := store.AddAlternate(ctx, "ktp-hilang", dup, ed); !errors.Is(err, knowledge.ErrPhrasingTaken) {
			t.Errorf("AddAlternate(%q) = %v, want ErrPhrasingTaken", dup, err)
		}
	}
	if err := store.AddAlternate(ctx, "tidak-ada", "apa saja", ed); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("unknown FAQ: %v", err)
	}
	var invalid *knowledge.InvalidError
	if err := store.AddAlternate(ctx, "ktp-hilang", " \n ", ed); !errors.As(err, &invalid) {
		t.Errorf("empty wording: %v", err)
	}
}

func TestResultConfidence(t *testing.T) {
	ix, err := knowledge.NewIndex([]knowledge.FAQ{
		{ID: "skck", Question: "Apa syarat membuat SKCK?", Answer: "KTP dan KK."},
		{ID: "pajak", Question: "Bagaimana cara bayar pajak kendaraan?", Answer: "Di Samsat."},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), "syarat membuat skck")
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != knowledge.DecisionAnswer || res.Confidence() < knowledge.AnswerConfidence || res.Confidence() > 1 {
		t.Errorf("decision %s with confidence %.2f", res.Decision, res.Confidence())
	}
	if c := (knowledge.Result{}).Confidence(); c != 0 {
		t.Errorf("no hits: confidence %v", c)
	}
}

// BenchmarkUnanswered100k groups a period of 100,000 logged questions, more than half
// of them unanswered or unhelpful, in 3,000 groups of three wordings each.
//
//	go test -run '^$' -bench Unanswered100k -benchtime 20x ./knowledge
func BenchmarkUnanswered100k(b *testing.B) {
	ctx := context.Background()
	db := dbtest.New(b)
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id, display_name) VALUES (1, 'Ani')`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`
		INSERT INTO questions (citizen_id, text, decision, hits, feedback, created_at)
		SELECT 1,
			(ARRAY['Bagaimana', 'bagaimana', 'BAGAIMANA'])[1 + i % 3] || ' cara urus dokumen nomor ' || (i % 3000) || (ARRAY['?', '!!', ''])[1 + i % 3],
			(ARRAY['escalate', 'clarify', 'answer', 'answer'])[1 + i % 4],
			CASE WHEN i % 2 = 0 THEN '[{"id": "faq-' || (i % 50) || '", "score": 1.5, "question": "x"}]' ELSE '[]' END::jsonb,
			CASE WHEN i % 20 = 3 THEN -1 END,
			now() - (i % 120) * interval '1 day' - i * interval '1 second'
		FROM generate_series(1, 100000) AS i`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`VACUUM ANALYZE questions`); err != nil {
		b.Fatal(err)
	}
	for _, days := range []int{7, 90} {
		b.Run(fmt.Sprintf("%d-days", days), func(b *testing.B) {
			f := knowledge.UnansweredFilter{Since: time.Now().AddDate(0, 0, -days)}
			for b.Loop() {
				groups, total, err := knowledge.Unanswered(ctx, db, f)
				if err != nil || len(groups) != 50 || total < 50 {
					b.Fatalf("%d groups of %d: %v", len(groups), total, err)
				}
			}
		})
	}
}
