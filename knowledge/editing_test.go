package knowledge_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
)

// editorAni is a console editor in the knowledge tests (no staff row: StaffID 0 with a
// name records the name only).
var editorAni = knowledge.Editor{Name: "Ani Editor"}

func editingStore(t *testing.T) (*knowledge.Store, []knowledge.FAQ) {
	t.Helper()
	store := knowledge.NewStore(dbtest.New(t))
	faqs := sampleFile(t).FAQs[:5]
	if _, err := store.Import(context.Background(), &knowledge.File{FAQs: faqs}, true); err != nil {
		t.Fatal(err)
	}
	return store, faqs
}

func ids(faqs []knowledge.FAQ) []string {
	out := make([]string, len(faqs))
	for i, f := range faqs {
		out[i] = f.ID
	}
	return out
}

func TestCheckFAQ(t *testing.T) {
	f, ps := knowledge.CheckFAQ(knowledge.FAQ{
		ID: " akta-lahir ", Question: "  Syarat akta lahir?\r\n", Answer: "\n\nBawa KK.  \n",
		Alternates: []string{" akta ", "", "AKTA", "akte kelahiran"}, Keywords: []string{"", " akte"},
	})
	if len(ps) != 0 {
		t.Fatalf("problems %+v", ps)
	}
	want := knowledge.FAQ{ID: "akta-lahir", Question: "Syarat akta lahir?", Answer: "Bawa KK.",
		Alternates: []string{"akta", "akte kelahiran"}, Keywords: []string{"akte"}}
	if f.ID != want.ID || f.Question != want.Question || f.Answer != want.Answer ||
		!slices.Equal(f.Alternates, want.Alternates) || !slices.Equal(f.Keywords, want.Keywords) {
		t.Errorf("CheckFAQ = %+v, want %+v", f, want)
	}
	_, ps = knowledge.CheckFAQ(knowledge.FAQ{ID: "Akta Lahir", Question: "", Answer: " "})
	fields := map[string]string{}
	for _, p := range ps {
		fields[p.Field] = p.Message
	}
	if len(fields) != 3 || fields["id"] == "" || fields["question"] == "" || fields["answer"] == "" {
		t.Errorf("problems %+v, want id, question and answer", ps)
	}
	if got := knowledge.Slug("Bagaimana cara mengurus Akta Kelahiran anak yang lahir di luar negeri?"); len(got) > 40 || got != "bagaimana-cara-mengurus-akta-kelahiran" {
		t.Errorf("Slug = %q", got)
	}
}

func TestEditFAQRevisionsPublishRevert(t *testing.T) {
	ctx := context.Background()
	store, faqs := editingStore(t)

	// Create: published, at the end, with a revision by the editor.
	nf := knowledge.FAQ{ID: "akta-lahir", Question: "Syarat akta lahir?", Answer: "Bawa KK dan surat lahir."}
	rev1, err := store.CreateFAQ(ctx, nf, editorAni)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateFAQ(ctx, nf, editorAni); !errors.Is(err, knowledge.ErrExists) {
		t.Errorf("second create: %v, want ErrExists", err)
	}
	var inv *knowledge.InvalidError
	if _, err := store.CreateFAQ(ctx, knowledge.FAQ{ID: "x", Question: "Q?"}, editorAni); !errors.As(err, &inv) || inv.Problems[0].Field != "answer" {
		t.Errorf("create without answer: %v", err)
	}
	list, err := store.List(ctx)
	if err != nil || list[len(list)-1].ID != "akta-lahir" || len(list) != 6 {
		t.Fatalf("List after create = %v, %v", ids(list), err)
	}

	// Update: a stale base is refused, nothing changes.
	edited := nf
	edited.Answer = "Bawa KK, KTP orang tua dan surat keterangan lahir."
	edited.Alternates = []string{"bikin akta anak"}
	if _, err := store.UpdateFAQ(ctx, edited, rev1-1, editorAni); !errors.Is(err, knowledge.ErrConflict) {
		t.Errorf("update from a stale base: %v, want ErrConflict", err)
	}
	rev2, err := store.UpdateFAQ(ctx, edited, rev1, knowledge.Editor{Name: "Budi"})
	if err != nil || rev2 <= rev1 {
		t.Fatalf("update: %d, %v", rev2, err)
	}
	if same, err := store.UpdateFAQ(ctx, edited, rev2, editorAni); err != nil || same != rev2 {
		t.Errorf("unchanged update = %d, %v; want no new revision %d", same, err, rev2)
	}

	// Unpublish: kept, not listed for the index, listed for editors.
	rev3, err := store.SetPublished(ctx, "akta-lahir", false, editorAni)
	if err != nil || rev3 <= rev2 {
		t.Fatalf("unpublish: %d, %v", rev3, err)
	}
	c, err := store.Content(ctx)
	if err != nil || slices.Contains(ids(c.FAQs), "akta-lahir") {
		t.Errorf("Content after unpublish = %v, %v", ids(c.FAQs), err)
	}
	all, err := store.ListAll(ctx)
	if err != nil || len(all) != 6 || all[5].ID != "akta-lahir" || all[5].Published || all[5].Revision != rev3 {
		t.Errorf("ListAll after unpublish = %+v, %v", all[len(all)-1], err)
	}
	if again, err := store.SetPublished(ctx, "akta-lahir", false, editorAni); err != nil || again != rev3 {
		t.Errorf("unpublishing twice = %d, %v", again, err)
	}

	// Revisions: newest first, with who and the whole content.
	revs, err := store.Revisions(ctx, "akta-lahir")
	if err != nil || len(revs) != 3 {
		t.Fatalf("Revisions = %d, %v", len(revs), err)
	}
	if revs[0].Action != knowledge.ActionUnpublish || revs[0].Published || revs[1].Action != knowledge.ActionEdit ||
		revs[1].Author != "Budi" || revs[1].FAQ.Answer != edited.Answer || revs[2].Action != knowledge.ActionCreate ||
		revs[2].Author != "Ani Editor" || revs[2].FAQ.Answer != nf.Answer {
		t.Errorf("revisions %+v", revs)
	}
	prev, ok, err := store.PreviousRevision(ctx, revs[1])
	if err != nil || !ok || prev.ID != rev1 {
		t.Errorf("PreviousRevision = %d, %v, %v", prev.ID, ok, err)
	}
	if _, ok, _ := store.PreviousRevision(ctx, revs[2]); ok {
		t.Error("the first revision has a previous one")
	}

	// Revert to the first revision: its content, published, as a new revision.
	if _, err := store.RevertFAQ(ctx, faqs[0].ID, rev1, editorAni); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("revert to another FAQ's revision: %v", err)
	}
	rev4, err := store.RevertFAQ(ctx, "akta-lahir", rev1, editorAni)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Lookup(ctx, "akta-lahir")
	if err != nil || got.Answer != nf.Answer || len(got.Alternates) != 0 || !got.Published || got.Revision != rev4 {
		t.Errorf("after revert: %+v, %v", got, err)
	}
	r4, err := store.Revision(ctx, rev4)
	if err != nil || r4.Action != knowledge.ActionRevert || r4.RevertedTo != rev1 {
		t.Errorf("revert revision %+v, %v", r4, err)
	}
}

func TestImportRevisionsAndUnpublishedFAQs(t *testing.T) {
	ctx := context.Background()
	store, faqs := editingStore(t)
	revs, err := store.Revisions(ctx, faqs[0].ID)
	if err != nil || len(revs) != 1 || revs[0].Action != knowledge.ActionImport || revs[0].Author != knowledge.CommandLine {
		t.Fatalf("import revisions = %+v, %v", revs, err)
	}
	// Importing the same file again changes nothing and records nothing.
	rep, err := store.Import(ctx, &knowledge.File{FAQs: faqs}, true)
	if err != nil || rep.Unchanged != 5 {
		t.Fatalf("re-import: %+v, %v", rep, err)
	}
	if revs, _ := store.Revisions(ctx, faqs[0].ID); len(revs) != 1 {
		t.Errorf("unchanged import wrote a revision: %d revisions", len(revs))
	}

	// An unpublished FAQ survives a replacing import without it (export does not
	// write it); a published one not in the file is removed, its history kept.
	if _, err := store.SetPublished(ctx, faqs[0].ID, false, editorAni); err != nil {
		t.Fatal(err)
	}
	rep, err = store.ImportAs(ctx, &knowledge.File{FAQs: faqs[2:]}, true, editorAni)
	if err != nil || rep.Removed != 1 || rep.Unchanged != 3 {
		t.Fatalf("replace: %+v, %v", rep, err)
	}
	if f, err := store.Lookup(ctx, faqs[0].ID); err != nil || f.Published {
		t.Errorf("unpublished FAQ after replace: %+v, %v", f, err)
	}
	if _, err := store.Lookup(ctx, faqs[1].ID); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("published FAQ not in the file: %v, want removed", err)
	}
	removed, err := store.Revisions(ctx, faqs[1].ID)
	if err != nil || len(removed) != 2 || removed[0].Action != knowledge.ActionRemove || removed[0].Author != "Ani Editor" {
		t.Fatalf("removed FAQ's revisions = %+v, %v", removed, err)
	}
	// A removed FAQ can be brought back.
	if _, err := store.RevertFAQ(ctx, faqs[1].ID, removed[1].ID, editorAni); err != nil {
		t.Fatal(err)
	}
	if f, err := store.Lookup(ctx, faqs[1].ID); err != nil || !f.Published || f.Answer != faqs[1].Answer {
		t.Errorf("brought back: %+v, %v", f, err)
	}
	// An FAQ in a file is published.
	rep, err = store.Import(ctx, &knowledge.File{FAQs: faqs[:1]}, false)
	if err != nil || rep.Changed != 1 {
		t.Fatalf("import of an unpublished FAQ: %+v, %v", rep, err)
	}
	if f, _ := store.Lookup(ctx, faqs[0].ID); !f.Published {
		t.Error("an FAQ imported from a file stays unpublished")
	}
}

// Every change notifies: a watching index follows an unpublish and an edit.
func TestEditsReachTheWatchingIndex(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := dbtest.NewURL(t)
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	store := knowledge.NewStore(db)
	faqs := sampleFile(t).FAQs[:5]
	if _, err := store.Import(ctx, &knowledge.File{FAQs: faqs}, true); err != nil {
		t.Fatal(err)
	}
	ix, err := knowledge.NewIndex(faqs)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = knowledge.Watch(ctx, url, store, ix, slog.New(slog.DiscardHandler)) }()
	defer func() { cancel(); <-done }()
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(3 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("index did not follow: %s", what)
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // the listener is up
	if _, err := store.SetPublished(ctx, faqs[0].ID, false, editorAni); err != nil {
		t.Fatal(err)
	}
	waitUntil("unpublish", func() bool { _, ok := ix.FAQ(faqs[0].ID); return !ok })
	f := faqs[1]
	f.Answer = "Jawaban yang baru saja diubah."
	if err := store.SaveFAQ(ctx, f, editorAni); err != nil {
		t.Fatal(err)
	}
	waitUntil("edit", func() bool { g, _ := ix.FAQ(f.ID); return g.Answer == f.Answer })
	if res, _ := ix.Search(ctx, "gembok merah"); len(res.Hits) != 0 {
		t.Fatalf("a made-up term finds %+v", res.Hits)
	}
	if _, err := store.AddSynonymSet(ctx, []string{"ktp", "gembok merah"}, editorAni); err != nil {
		t.Fatal(err)
	}
	waitUntil("synonyms", func() bool {
		res, _ := ix.Search(ctx, "gembok merah")
		return len(res.Hits) > 0
	})
}

func TestGoldenQuestionsStoreAndImpact(t *testing.T) {
	ctx := context.Background()
	store := knowledge.NewStore(dbtest.New(t))
	f := sampleFile(t)
	if _, err := store.Import(ctx, f, true); err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddGoldenQuestion(ctx, "KTP saya hilang, bagaimana mengurusnya?", "ktp-el-hilang-cetak-ulang", editorAni); err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddGoldenQuestion(ctx, "ktp saya  HILANG, bagaimana mengurusnya?", "none", editorAni); !errors.Is(err, knowledge.ErrExists) {
		t.Errorf("same question again: %v, want ErrExists", err)
	}
	id, err := store.AddGoldenQuestion(ctx, "resep rendang padang", " None ", editorAni)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := store.GoldenQuestions(ctx)
	if err != nil || len(gs) != 2 || gs[1].Expect != knowledge.ExpectNone || gs[0].Author != "Ani Editor" {
		t.Fatalf("GoldenQuestions = %+v, %v", gs, err)
	}

	// CheckCases scores exactly as RunGolden does.
	ix, err := knowledge.NewIndex(f.FAQs, f.Synonyms...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ix.Close() }()
	cases := sampleCases(t)
	results, err := knowledge.CheckCases(ctx, ix, cases)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := knowledge.RunGolden(ctx, ix, cases)
	if err != nil {
		t.Fatal(err)
	}
	passed, top1, hit3 := 0, 0, 0
	for _, r := range results {
		passed += b2i(r.Pass)
		top1 += b2i(r.Top1)
		hit3 += b2i(r.Hit3)
	}
	if passed != rep.Cases-len(rep.Misses) || top1 != rep.Top1 || hit3 != rep.Hit3 {
		t.Errorf("CheckCases: %d passed, top-1 %d, hit@3 %d; RunGolden: %d passed, top-1 %d, hit@3 %d",
			passed, top1, hit3, rep.Cases-len(rep.Misses), rep.Top1, rep.Hit3)
	}

	// Unpublishing the FAQ a golden question expects breaks it; nothing else changes
	// for the stored questions.
	candidate, err := knowledge.NewIndex(knowledge.WithFAQ(f.FAQs, knowledge.FAQ{ID: "ktp-el-hilang-cetak-ulang"}, false), f.Synonyms...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = candidate.Close() }()
	changes, err := knowledge.GoldenImpact(ctx, ix, candidate, knowledge.GoldenCases(gs))
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || !changes[0].Broken() || changes[0].Case.Q != gs[0].Question || changes[0].After.First() == "ktp-el-hilang-cetak-ulang" {
		t.Errorf("GoldenImpact = %+v", changes)
	}
	if err := store.DeleteGoldenQuestion(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteGoldenQuestion(ctx, id); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestSynonymSetEditing(t *testing.T) {
	ctx := context.Background()
	store, _ := editingStore(t)
	id, err := store.AddSynonymSet(ctx, []string{" reklame ", "baliho", "Baliho", ""}, editorAni)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddSynonymSet(ctx, []string{"BALIHO", "reklame"}, editorAni); !errors.Is(err, knowledge.ErrExists) {
		t.Errorf("same set again: %v, want ErrExists", err)
	}
	var inv *knowledge.InvalidError
	if _, err := store.AddSynonymSet(ctx, []string{"reklame", "REKLAME"}, editorAni); !errors.As(err, &inv) {
		t.Errorf("a set of one term: %v", err)
	}
	if err := store.UpdateSynonymSet(ctx, id, []string{"reklame", "baliho", "papan iklan"}, knowledge.Editor{Name: "Budi"}); err != nil {
		t.Fatal(err)
	}
	syns, err := store.Synonyms(ctx)
	if err != nil || len(syns) != 1 || !slices.Equal(syns[0], []string{"reklame", "baliho", "papan iklan"}) {
		t.Errorf("Synonyms = %v, %v", syns, err)
	}
	if err := store.DeleteSynonymSet(ctx, id, editorAni); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteSynonymSet(ctx, id, editorAni); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	ch, err := store.SynonymChanges(ctx, 10)
	if err != nil || len(ch) != 3 {
		t.Fatalf("SynonymChanges = %+v, %v", ch, err)
	}
	if ch[0].Action != knowledge.SynonymDelete || ch[1].Action != knowledge.SynonymEdit || ch[1].Author != "Budi" ||
		!slices.Equal(ch[1].Before, []string{"reklame", "baliho"}) || ch[2].Action != knowledge.SynonymAdd {
		t.Errorf("changes %+v", ch)
	}
	// An import replacing the sets records what it added and deleted.
	if _, err := store.AddSynonymSet(ctx, []string{"pbg", "imb"}, editorAni); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Import(ctx, &knowledge.File{FAQs: sampleFile(t).FAQs[:5], Synonyms: [][]string{{"kk", "kartu keluarga"}}}, true); err != nil {
		t.Fatal(err)
	}
	ch, _ = store.SynonymChanges(ctx, 2)
	if len(ch) != 2 || ch[0].Action != knowledge.SynonymAdd || ch[0].Author != knowledge.CommandLine || ch[1].Action != knowledge.SynonymDelete {
		t.Errorf("import changes %+v", ch)
	}
	if got := knowledge.WithSynonymSet([][]string{{"a", "b"}, {"c", "d"}}, 0, nil); len(got) != 1 || got[0][0] != "c" {
		t.Errorf("WithSynonymSet delete = %v", got)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sampleCases(t *testing.T) []knowledge.Case {
	t.Helper()
	cases, err := knowledge.ParseCases(sample.Cases)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}
