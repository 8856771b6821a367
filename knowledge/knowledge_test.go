package knowledge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func sampleFile(t *testing.T) *knowledge.File {
	t.Helper()
	f, err := knowledge.ParseFile("kb.yaml", sample.KB)
	if err != nil {
		t.Fatalf("the bundled sample knowledge base does not parse: %v", err)
	}
	return f
}

func TestSampleKnowledgeBase(t *testing.T) {
	f := sampleFile(t)
	if len(f.FAQs) < 40 {
		t.Errorf("sample has %d FAQs, want at least 40", len(f.FAQs))
	}
	cats := map[string]bool{}
	for _, q := range f.FAQs {
		cats[q.Category] = true
	}
	for _, want := range []string{"Kependudukan", "Kepolisian", "Pajak Daerah", "Perizinan", "Pengaduan"} {
		if !cats[want] {
			t.Errorf("sample lacks category %q", want)
		}
	}
}

// The sample's own golden questions hold the search to a floor: a regression in
// analysis or ranking shows here first.
func TestSampleGoldenQuestions(t *testing.T) {
	f := sampleFile(t)
	ix, err := knowledge.NewIndex(f.FAQs, f.Synonyms...)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := knowledge.ParseCases(sample.Cases)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := knowledge.RunGolden(context.Background(), ix, cases)
	if err != nil {
		t.Fatal(err)
	}
	checkFloors(t, "sample", rep, 0.95, 0.99, 0.02, 0.95)
}

// checkFloors fails the test when a golden report is below the given bars.
func checkFloors(t *testing.T, name string, rep knowledge.GoldenReport, top1, hit3, wrong, caught float64) {
	t.Helper()
	t.Logf("%s: top-1 %.3f, hit@3 %.3f, wrong answers %.3f (%d of %d), out of scope caught %.3f",
		name, rep.Top1Rate(), rep.Hit3Rate(), rep.WrongRate(), rep.Wrong, rep.Answered, rep.CaughtRate())
	if rep.Top1Rate() < top1 {
		t.Errorf("%s: top-1 %.3f below %.2f", name, rep.Top1Rate(), top1)
	}
	if rep.Hit3Rate() < hit3 {
		t.Errorf("%s: hit@3 %.3f below %.2f", name, rep.Hit3Rate(), hit3)
	}
	if rep.WrongRate() > wrong {
		t.Errorf("%s: wrong answers %.3f above %.2f", name, rep.WrongRate(), wrong)
	}
	if rep.CaughtRate() < caught {
		t.Errorf("%s: out of scope caught %.3f below %.2f", name, rep.CaughtRate(), caught)
	}
	if len(rep.UnknownExpect) > 0 {
		t.Errorf("%s: cases expect unknown FAQ ids %v", name, rep.UnknownExpect)
	}
}

// The shared evaluation sets, where present. The floors are what the pipeline
// reaches today (README, "Answer quality"); issue 3's targets for dev (top-1 0.92,
// hit@3 0.98, wrong answers 0.03, out of scope caught 0.90) are not all met yet.
func TestSharedEvaluationSets(t *testing.T) {
	floors := map[string][4]float64{
		"dev": {0.85, 0.93, 0.055, 0.90},
		"ext": {0.80, 0.89, 0.03, 0.98},
	}
	for name, fl := range floors {
		t.Run(name, func(t *testing.T) {
			kb, err := os.ReadFile(filepath.Join(evalDir(), name, "kb.yaml"))
			if err != nil {
				t.Skipf("evaluation set %s not found (%v); set LOKET_EVAL_DIR", name, err)
			}
			f, err := knowledge.ParseFile("kb.yaml", kb)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(evalDir(), name, "cases.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			cases, err := knowledge.ParseCases(data)
			if err != nil {
				t.Fatal(err)
			}
			ix, err := knowledge.NewIndex(f.FAQs, f.Synonyms...)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := knowledge.RunGolden(context.Background(), ix, cases)
			if err != nil {
				t.Fatal(err)
			}
			checkFloors(t, name, rep, fl[0], fl[1], fl[2], fl[3])
		})
	}
}

func TestSearchDecisions(t *testing.T) {
	ix, err := knowledge.NewIndex(sampleFile(t).FAQs)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, q string
		want    knowledge.Decision
	}{
		{"empty", "", knowledge.DecisionEscalate},
		{"thanks emoji", "🙏🙏", knowledge.DecisionSmalltalk},
		{"greeting", "selamat pagi min", knowledge.DecisionSmalltalk},
		{"punctuation only", "?!...", knowledge.DecisionEscalate},
		{"off topic", "siapa pemenang piala dunia 2022", knowledge.DecisionEscalate},
		{"query syntax is text", `+skck -polres title:"x" ~2 *`, knowledge.DecisionAnswer},
		{"clear question", "syarat membuat skck", knowledge.DecisionAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Decision != tt.want {
				t.Errorf("Search(%q) = %s %+v, want %s", tt.q, res.Decision, res.Hits, tt.want)
			}
			if len(res.Hits) > knowledge.MaxHits {
				t.Errorf("%d hits, want at most %d", len(res.Hits), knowledge.MaxHits)
			}
		})
	}
}

func TestRebuildSwapsIndex(t *testing.T) {
	ix, err := knowledge.NewIndex([]knowledge.FAQ{{ID: "a", Question: "Cara membuat SKCK?", Answer: "Ke Polres."}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Rebuild([]knowledge.FAQ{{ID: "b", Question: "Cara membayar PBB?", Answer: "Ke Bapenda."}}); err != nil {
		t.Fatal(err)
	}
	res, _ := ix.Search(context.Background(), "cara membayar pbb")
	if len(res.Hits) == 0 || res.Hits[0].ID != "b" {
		t.Errorf("after rebuild: %+v", res.Hits)
	}
	if _, ok := ix.FAQ("a"); ok {
		t.Error("old FAQ still in the index")
	}
}

func TestImportReplaceMergeAndAtomicity(t *testing.T) {
	ctx := context.Background()
	store := knowledge.NewStore(dbtest.New(t))
	faqs := sampleFile(t).FAQs[:5]
	rep, err := store.Import(ctx, &knowledge.File{FAQs: faqs}, true)
	if err != nil || rep.Added != 5 {
		t.Fatalf("first import: %+v, %v", rep, err)
	}
	changed := append([]knowledge.FAQ(nil), faqs[:3]...)
	changed[0].Answer = "Jawaban baru."
	rep, err = store.Import(ctx, &knowledge.File{FAQs: changed}, false)
	if err != nil || rep.Changed != 1 || rep.Unchanged != 2 || rep.Removed != 0 {
		t.Fatalf("merge: %+v, %v", rep, err)
	}
	if n, _ := store.Count(ctx); n != 5 {
		t.Errorf("merge kept %d FAQs, want 5", n)
	}
	rep, err = store.Import(ctx, &knowledge.File{FAQs: changed}, true)
	if err != nil || rep.Removed != 2 {
		t.Fatalf("replace: %+v, %v", rep, err)
	}
	got, err := store.Get(ctx, changed[0].ID)
	if err != nil || got.Answer != "Jawaban baru." {
		t.Errorf("Get = %+v, %v", got, err)
	}
	// A file the database refuses half-way changes nothing.
	bad := append([]knowledge.FAQ{{ID: "baru-1", Question: "Q?", Answer: "A."}}, knowledge.FAQ{ID: "Bad ID", Question: "Q?", Answer: "A."})
	if _, err := store.Import(ctx, &knowledge.File{FAQs: bad}, true); err == nil {
		t.Fatal("import of an invalid id succeeded")
	}
	if n, _ := store.Count(ctx); n != 3 {
		t.Errorf("after a failed import %d FAQs, want 3 (nothing half-imported)", n)
	}
	if _, err := store.Get(ctx, "baru-1"); err != knowledge.ErrNotFound {
		t.Errorf("Get(baru-1) err = %v, want ErrNotFound", err)
	}
}

func TestMaskPersonalData(t *testing.T) {
	tests := []struct{ in, notWant, want string }{
		{"NIK saya 3201234567890001 tolong cek", "3201234567890001", "**************01"},
		{"hubungi 081234567890 ya", "081234567890", "90"},
		{"WA +62 812-3456-7890", "3456", "90"},
		{"umur 17 tahun, biaya Rp30.000", "", "umur 17 tahun, biaya Rp30.000"},
	}
	for _, tt := range tests {
		got := knowledge.MaskPersonalData(tt.in)
		if tt.notWant != "" && strings.Contains(got, tt.notWant) {
			t.Errorf("MaskPersonalData(%q) = %q still shows %q", tt.in, got, tt.notWant)
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("MaskPersonalData(%q) = %q, want it to contain %q", tt.in, got, tt.want)
		}
	}
}

func TestImportSynonyms(t *testing.T) {
	ctx := context.Background()
	store := knowledge.NewStore(dbtest.New(t))
	faqs := []knowledge.FAQ{{ID: "a", Question: "Cara membuat SKCK?", Answer: "Ke Polres."}}
	f := &knowledge.File{FAQs: faqs, Synonyms: [][]string{{"skck", "surat kelakuan baik"}, {"pbg", "imb"}}}
	rep, err := store.Import(ctx, f, true)
	if err != nil || rep.Synonyms != 2 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	// Merging adds new sets and skips ones already stored.
	rep, err = store.Import(ctx, &knowledge.File{FAQs: faqs, Synonyms: [][]string{{"pbg", "imb"}, {"kk", "kartu keluarga"}}}, false)
	if err != nil || rep.Synonyms != 3 {
		t.Fatalf("merge: %+v, %v", rep, err)
	}
	// Replacing leaves exactly the file's sets.
	rep, err = store.Import(ctx, &knowledge.File{FAQs: faqs, Synonyms: [][]string{{"sim", "surat izin mengemudi"}}}, true)
	if err != nil || rep.Synonyms != 1 {
		t.Fatalf("replace: %+v, %v", rep, err)
	}
	c, err := store.Content(ctx)
	if err != nil || len(c.Synonyms) != 1 || c.Synonyms[0][1] != "surat izin mengemudi" {
		t.Errorf("Content = %+v, %v", c, err)
	}
}

func TestSynonymsMatchAcrossWordings(t *testing.T) {
	faqs := []knowledge.FAQ{
		{ID: "skck", Question: "Bagaimana cara membuat SKCK?", Answer: "Datang ke Polres."},
		{ID: "izin-reklame", Question: "Bagaimana mengurus izin pemasangan reklame?", Answer: "Ajukan lewat OSS."},
		{ID: "pbb", Question: "Bagaimana cara membayar pajak bumi dan bangunan?", Answer: "Di bank."},
	}
	editor := []string{"reklame", "baliho", "papan iklan"}
	ix, err := knowledge.NewIndex(faqs, editor)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ q, want string }{
		{"syarat surat kelakuan baik", "skck"},                    // built-in multi-word term
		{"surat keterangan catatan kepolisian", "skck"},           // built-in multi-word term
		{"izin pasang papan iklan di depan toko", "izin-reklame"}, // editor multi-word term
		{"izin baliho", "izin-reklame"},                           // editor single word
		{"bayar pbb dimana", "pbb"},                               // abbreviation of a phrase in the FAQ
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].ID != tt.want {
			t.Errorf("Search(%q) = %+v, want %s first", tt.q, res.Hits, tt.want)
		}
	}
}
