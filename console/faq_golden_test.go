package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loket-id/loket/knowledge"
)

func TestGoldenQuestionBlocksABreakingPublishUntilConfirmed(t *testing.T) {
	e, c := editorEnv(t)
	const golden = "apa syarat membuat skck"
	wantStatus(t, "add golden", c.post("/faq/emas", url.Values{"question": {golden}, "expect": {"skck"}}), http.StatusSeeOther)
	wantStatus(t, "add golden none", c.post("/faq/emas", url.Values{"question": {"resep rendang padang"}, "expect": {"tidak ada"}}), http.StatusSeeOther)
	run := c.get("/faq/emas?jalankan=1")
	if strings.Count(run.Body, ">Lulus<") != 2 || !strings.Contains(run.Body, "100%") {
		t.Fatalf("golden run:\n%s", run.Body)
	}

	// An edit that makes the golden question fail is not saved: the form comes back
	// naming the question, with everything typed.
	form := editForm(t, e, c, "skck")
	form.Set("question", "Kapan jam buka kantor polisi?")
	form.Set("alternates", "")
	form.Set("answer", "Senin sampai Jumat pukul 08.00–15.00.")
	r := c.post("/faq/skck", form)
	wantStatus(t, "breaking edit", r, http.StatusConflict)
	for _, want := range []string{"1 pertanyaan emas gagal", "<q>" + golden + "</q>", "Tetap terbitkan", "Kapan jam buka kantor polisi?"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "resep rendang") {
		t.Error("the confirmation names a golden question that does not change")
	}
	if f := e.faq("skck"); f.Question == "Kapan jam buka kantor polisi?" {
		t.Fatal("the breaking edit was saved without confirmation")
	}
	m := cekField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no confirmation token")
	}
	// A confirmation is for what was checked: changed again, it is checked again.
	form.Set("confirm", "1")
	form.Set("cek", m[1])
	form.Set("answer", "Senin sampai Kamis pukul 08.00–15.00.")
	wantStatus(t, "changed after the warning", c.post("/faq/skck", form), http.StatusConflict)
	form.Set("answer", "Senin sampai Jumat pukul 08.00–15.00.")
	wantStatus(t, "confirmed", c.post("/faq/skck", form), http.StatusSeeOther)
	if f := e.faq("skck"); f.Question != "Kapan jam buka kantor polisi?" {
		t.Errorf("confirmed edit not saved: %+v", f)
	}

	// Reverting fixes the golden question: no confirmation needed, and the editor is
	// told.
	hist, _ := e.KB.Revisions(context.Background(), "skck")
	r = c.post("/faq/skck/riwayat/"+idText(hist[len(hist)-1].ID)+"/kembalikan", nil)
	wantStatus(t, "revert", r, http.StatusSeeOther)
	e.waitIndex("reverted", func(*knowledge.Index) bool { return e.firstHit(golden) == "skck" })

	// Unpublishing asks too, with its own button; confirmed, it unpublishes.
	r = c.post("/faq/skck/terbitkan", url.Values{"terbit": {"0"}})
	wantStatus(t, "breaking unpublish", r, http.StatusConflict)
	if !strings.Contains(r.Body, "<q>"+golden+"</q>") || !strings.Contains(r.Body, "Tetap hentikan penerbitan") {
		t.Errorf("unpublish confirmation:\n%s", r.Body)
	}
	if !e.faq("skck").Published {
		t.Fatal("unpublished without confirmation")
	}
	m = cekField.FindStringSubmatch(r.Body)
	wantStatus(t, "confirmed unpublish", c.post("/faq/skck/terbitkan", url.Values{"terbit": {"0"}, "confirm": {"1"}, "cek": {m[1]}}), http.StatusSeeOther)
	if e.faq("skck").Published {
		t.Error("confirmed unpublish did not unpublish")
	}
	e.waitIndex("unpublished", func(*knowledge.Index) bool { return e.firstHit(golden) != "skck" })
	run = c.get("/faq/emas?jalankan=1")
	if !strings.Contains(run.Body, ">Gagal<") || !strings.Contains(run.Body, "1 / 2") {
		t.Errorf("golden run after unpublishing:\n%s", run.Body)
	}
}

func TestGoldenQuestionsPage(t *testing.T) {
	e, c := editorEnv(t)
	r := c.post("/faq/emas", url.Values{"question": {"cara bikin paspor"}, "expect": {"paspor"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tidak ada FAQ dengan id") || !strings.Contains(r.Body, `value="cara bikin paspor"`) {
		t.Errorf("unknown expected FAQ: %d\n%s", r.Status, r.Body)
	}
	wantStatus(t, "add", c.post("/faq/emas", url.Values{"question": {"ktp saya hilang"}, "expect": {"ktp-hilang"}}), http.StatusSeeOther)
	r = c.post("/faq/emas", url.Values{"question": {"KTP saya hilang"}, "expect": {"ktp-hilang"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "sudah ada") {
		t.Errorf("duplicate: %d", r.Status)
	}
	gs, err := e.KB.GoldenQuestions(context.Background())
	if err != nil || len(gs) != 1 || gs[0].Author != "Edi" {
		t.Fatalf("stored %+v, %v", gs, err)
	}
	wantStatus(t, "delete", c.post("/faq/emas/"+idText(gs[0].ID)+"/hapus", nil), http.StatusSeeOther)
	if gs, _ := e.KB.GoldenQuestions(context.Background()); len(gs) != 0 {
		t.Errorf("not deleted: %+v", gs)
	}
}
