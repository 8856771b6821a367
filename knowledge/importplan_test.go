package knowledge_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/knowledge"
)

func planFAQ(id, question string, alternates ...string) knowledge.FAQ {
	return knowledge.FAQ{ID: id, Question: question, Alternates: alternates, Answer: "Jawaban " + id + "."}
}

func TestPlanImport(t *testing.T) {
	current := []knowledge.StoredFAQ{
		{FAQ: planFAQ("sama", "Sama?"), Published: true},
		{FAQ: planFAQ("ubah", "Lama?", "a", "b"), Published: true},
		{FAQ: planFAQ("hapus", "Dihapus?"), Published: true},
		{FAQ: planFAQ("simpan", "Tidak terbit?"), Published: false},
		{FAQ: planFAQ("terbit", "Terbit lagi?"), Published: false},
	}
	synonyms := [][]string{{"ktp", "e-ktp"}, {"skck", "surat kelakuan baik"}}
	changed := planFAQ("ubah", "Baru?", "b", "c")
	changed.Keywords = []string{"kunci"}
	file := &knowledge.File{
		FAQs:     []knowledge.FAQ{planFAQ("sama", "Sama?"), changed, planFAQ("tambah", "Baru sekali?"), planFAQ("terbit", "Terbit lagi?")},
		Synonyms: [][]string{{"ktp", "e-ktp"}, {"kk", "kartu keluarga"}, {"kk", "kartu keluarga"}},
	}

	t.Run("replace", func(t *testing.T) {
		p := knowledge.PlanImport(current, synonyms, file, true)
		if got := planIDs(p.Added); !reflect.DeepEqual(got, []string{"tambah"}) {
			t.Errorf("added %v", got)
		}
		if got := planIDs(p.Removed); !reflect.DeepEqual(got, []string{"hapus"}) {
			t.Errorf("removed %v, want only the published FAQ not in the file", got)
		}
		if p.Unchanged != 1 {
			t.Errorf("unchanged %d, want 1", p.Unchanged)
		}
		if len(p.Changed) != 2 {
			t.Fatalf("changed %+v, want ubah and terbit", p.Changed)
		}
		c := p.Changed[0]
		if c.New.ID != "ubah" || c.Republished {
			t.Errorf("first change %+v", c)
		}
		var fields []string
		for _, f := range c.Fields {
			fields = append(fields, f.Field)
		}
		if !reflect.DeepEqual(fields, []string{"question", "alternates", "keywords"}) {
			t.Errorf("changed fields %v", fields)
		}
		alt := c.Fields[1]
		if !reflect.DeepEqual(alt.Added, []string{"c"}) || !reflect.DeepEqual(alt.Removed, []string{"a"}) || alt.Label != "Pertanyaan lain" {
			t.Errorf("alternates change %+v", alt)
		}
		if c.Fields[0].Old != "Lama?" || c.Fields[0].New != "Baru?" {
			t.Errorf("question change %+v", c.Fields[0])
		}
		if r := p.Changed[1]; r.New.ID != "terbit" || !r.Republished || len(r.Fields) != 0 {
			t.Errorf("republished FAQ %+v", r)
		}
		if !reflect.DeepEqual(p.SynonymsAdded, [][]string{{"kk", "kartu keluarga"}}) {
			t.Errorf("synonyms added %v", p.SynonymsAdded)
		}
		if !reflect.DeepEqual(p.SynonymsRemoved, [][]string{{"skck", "surat kelakuan baik"}}) {
			t.Errorf("synonyms removed %v", p.SynonymsRemoved)
		}
		if !p.Changes() {
			t.Error("Changes() = false")
		}
	})
	t.Run("merge", func(t *testing.T) {
		p := knowledge.PlanImport(current, synonyms, file, false)
		if len(p.Removed) != 0 || len(p.SynonymsRemoved) != 0 {
			t.Errorf("a merge removes %v and %v", planIDs(p.Removed), p.SynonymsRemoved)
		}
	})
	t.Run("nothing to do", func(t *testing.T) {
		same := &knowledge.File{FAQs: []knowledge.FAQ{planFAQ("sama", "Sama?")}, Synonyms: synonyms}
		p := knowledge.PlanImport(current[:1], synonyms, same, true)
		if p.Changes() || p.Unchanged != 1 {
			t.Errorf("plan %+v, want no change", p)
		}
	})
}

// The plan says exactly what ImportAs then reports.
func TestPlanImportMatchesImport(t *testing.T) {
	ctx := context.Background()
	store := knowledge.NewStore(dbtest.New(t))
	before := &knowledge.File{
		FAQs:     []knowledge.FAQ{planFAQ("a", "A?"), planFAQ("b", "B?"), planFAQ("c", "C?")},
		Synonyms: [][]string{{"x", "y"}},
	}
	if _, err := store.Import(ctx, before, true); err != nil {
		t.Fatal(err)
	}
	after := &knowledge.File{FAQs: []knowledge.FAQ{planFAQ("a", "A?"), planFAQ("b", "B berubah?"), planFAQ("d", "D?")}}
	plan, err := store.PlanImport(ctx, after, true)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := store.Import(ctx, after, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != len(plan.Added) || rep.Changed != len(plan.Changed) || rep.Removed != len(plan.Removed) || rep.Unchanged != plan.Unchanged {
		t.Errorf("import %+v, plan added %d changed %d removed %d unchanged %d", rep, len(plan.Added), len(plan.Changed), len(plan.Removed), plan.Unchanged)
	}
	if rep.Synonyms != 0 || len(plan.SynonymsRemoved) != 1 {
		t.Errorf("synonyms after %d, plan removes %v", rep.Synonyms, plan.SynonymsRemoved)
	}
	again, err := store.PlanImport(ctx, after, true)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changes() {
		t.Errorf("after the import the plan still changes %+v", again)
	}
}

func planIDs(faqs []knowledge.FAQ) []string {
	var out []string
	for _, f := range faqs {
		out = append(out, f.ID)
	}
	return out
}
