package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// indexWithin is how soon an edit must reach the bot's live index.
const indexWithin = 2 * time.Second

var (
	baseField = regexp.MustCompile(`name="base" value="(\d+)"`)
	cekField  = regexp.MustCompile(`name="cek" value="([0-9a-f]+)"`)
)

// editorEnv is the test environment with an editor "edi" logged in.
func editorEnv(t *testing.T) (*env, *client) {
	t.Helper()
	e := newEnv(t)
	e.addUser("edi", tickets.RoleEditor)
	return e, e.login("edi")
}

// waitIndex waits until the live index satisfies ok; it returns how long that took.
func (e *env) waitIndex(what string, ok func(ix *knowledge.Index) bool) time.Duration {
	e.t.Helper()
	start := time.Now()
	for !ok(e.Index) {
		if time.Since(start) > indexWithin {
			e.t.Fatalf("the live index did not follow within %v: %s", indexWithin, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// firstHit is the live index's first hit for a question ("" for none).
func (e *env) firstHit(question string) string {
	e.t.Helper()
	res, err := e.Index.Search(context.Background(), question)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		return ""
	}
	return res.Hits[0].ID
}

// ask has a citizen ask the bot and returns the bot's reply containing want.
func (e *env) ask(from telegramtest.User, question, want string) tgSent {
	e.t.Helper()
	m := e.TG.SentCount()
	e.TG.SendText(from, from.ID, question)
	got, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > m && s.ChatID == from.ID && strings.Contains(s.Text, want)
	})
	if err != nil {
		var seen []string
		for _, s := range e.TG.All()[m:] {
			if s.ChatID == from.ID {
				seen = append(seen, s.Text)
			}
		}
		e.t.Fatalf("asked %q, waited for a reply with %q: %v; replies: %q", question, want, err, seen)
	}
	return got
}

func (e *env) faq(id string) knowledge.StoredFAQ {
	e.t.Helper()
	f, err := e.KB.Lookup(context.Background(), id)
	if err != nil {
		e.t.Fatalf("faq %s: %v", id, err)
	}
	return f
}

// editForm is the edit form of an FAQ as a browser would submit it unchanged: the
// stored content and the revision the page was based on.
func editForm(t *testing.T, e *env, c *client, id string) url.Values {
	t.Helper()
	r := c.get("/faq/" + id)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /faq/%s: %d", id, r.Status)
	}
	m := baseField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no base revision in the form of %s", id)
	}
	f := e.faq(id)
	if !strings.Contains(r.Body, html.EscapeString(f.Answer)) {
		t.Fatalf("the form of %s does not show its answer", id)
	}
	return url.Values{"base": {m[1]}, "question": {f.Question}, "alternates": {strings.Join(f.Alternates, "\n")},
		"keywords": {strings.Join(f.Keywords, ", ")}, "category": {f.Category}, "unit": {f.Unit}, "answer": {f.Answer}}
}

func wantStatus(t *testing.T, what string, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, r.Body)
	}
}

func TestFAQPagesRolesAndCSRF(t *testing.T) {
	e := newEnv(t)
	e.addUser("siti", tickets.RoleOfficer)
	e.addUser("pak", tickets.RoleSupervisor)
	e.addUser("edi", tickets.RoleEditor)
	gets := []string{"/faq", "/faq/baru", "/faq/skck", "/faq/skck/riwayat", "/faq/draf", "/faq/emas", "/faq/emas?jalankan=1", "/sinonim"}
	posts := map[string]url.Values{
		"/faq/baru":                      {"id": {"baru-sekali"}, "question": {"Pertanyaan?"}, "answer": {"Jawaban."}},
		"/faq/skck":                      {"question": {"Diubah?"}, "answer": {"Diubah."}},
		"/faq/skck/terbitkan":            {"terbit": {"0"}},
		"/faq/skck/riwayat/1/kembalikan": nil,
		"/faq/emas":                      {"question": {"syarat skck"}, "expect": {"skck"}},
		"/sinonim":                       {"terms": {"skck, surat sakti"}},
		"/faq/draf/1/abaikan":            nil,
	}
	before := e.faq("skck")
	for _, who := range []string{"siti", "pak"} {
		c := e.login(who)
		for _, p := range gets {
			if r := c.get(p); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, p, r.Status)
			}
		}
		for p, form := range posts {
			if r := c.post(p, form); r.Status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", who, p, r.Status)
			}
		}
	}
	anon := e.anon()
	for _, p := range gets {
		r := anon.get(p)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/masuk?lanjut=") {
			t.Errorf("logged out GET %s: %d → %q, want a redirect to the login page", p, r.Status, r.Location)
		}
	}
	ed := e.login("edi")
	for p, form := range posts {
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf", "salah")
		if r := ed.postForm(p, form); r.Status != http.StatusForbidden {
			t.Errorf("editor POST %s without the CSRF token: %d, want 403", p, r.Status)
		}
	}
	after := e.faq("skck")
	if after.Answer != before.Answer || after.Question != before.Question || !after.Published || after.Revision != before.Revision {
		t.Errorf("refused requests changed the FAQ: %+v", after)
	}
	var n int
	if err := e.DB.Get(&n, `SELECT (SELECT count(*) FROM faqs WHERE id = 'baru-sekali') + (SELECT count(*) FROM golden_questions)
		+ (SELECT count(*) FROM synonyms)`); err != nil || n != 0 {
		t.Errorf("refused requests stored something: %d, %v", n, err)
	}
	for _, p := range gets {
		if r := ed.get(p); r.Status != http.StatusOK {
			t.Errorf("editor GET %s: %d, want 200", p, r.Status)
		}
	}
}

func TestFAQCreateIsAnsweredByTheBot(t *testing.T) {
	e, c := editorEnv(t)
	const q = "Apa syarat membuat akta kelahiran?"
	if hit := e.firstHit(q); hit == "akta-kelahiran" {
		t.Fatal("the FAQ is found before it exists")
	}
	r := c.post("/faq/baru", url.Values{"id": {"akta-kelahiran"}, "question": {q},
		"alternates": {"bikin akte lahir anak\n\nurus akta kelahiran"}, "keywords": {"akte, akta lahir"},
		"category": {"Kependudukan"}, "unit": {""}, "answer": {"Bawa **surat keterangan lahir** dari bidan atau rumah sakit."}})
	wantStatus(t, "create", r, http.StatusSeeOther)
	if r.Location != "/faq/akta-kelahiran" {
		t.Errorf("after create: redirect to %q", r.Location)
	}
	took := e.waitIndex("new FAQ", func(*knowledge.Index) bool { return e.firstHit("syarat akta kelahiran") == "akta-kelahiran" })
	t.Logf("the new FAQ was searchable after %v", took)
	e.ask(citizenAni, "syarat akta kelahiran apa saja", "surat keterangan lahir")

	f := e.faq("akta-kelahiran")
	if len(f.Alternates) != 2 || len(f.Keywords) != 2 || f.Category != "Kependudukan" || !f.Published {
		t.Errorf("stored %+v", f)
	}
	revs, err := e.KB.Revisions(context.Background(), "akta-kelahiran")
	if err != nil || len(revs) != 1 || revs[0].Author != "Edi" || revs[0].Action != knowledge.ActionCreate {
		t.Errorf("revisions %+v, %v", revs, err)
	}
	// The list finds it by a word of its answer, and filters by category.
	list := c.get("/faq?q=bidan")
	if !strings.Contains(list.Body, "/faq/akta-kelahiran") || strings.Contains(list.Body, "/faq/skck") {
		t.Errorf("search by a word of the answer:\n%s", list.Body)
	}
	list = c.get("/faq?kategori=Kepolisian")
	if strings.Contains(list.Body, "/faq/akta-kelahiran") || !strings.Contains(list.Body, "/faq/skck") {
		t.Errorf("filter by category:\n%s", list.Body)
	}
	// The same id again is refused, next to the field.
	r = c.post("/faq/baru", url.Values{"id": {"akta-kelahiran"}, "question": {"Lain?"}, "answer": {"Lain."}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "sudah dipakai") {
		t.Errorf("duplicate id: %d\n%s", r.Status, r.Body)
	}
}

func TestFAQEditChangesTheBotsAnswer(t *testing.T) {
	e, c := editorEnv(t)
	e.ask(citizenAni, "apa syarat bikin skck", "pas foto 4x6")
	form := editForm(t, e, c, "skck")
	form.Set("question", "Apa syarat membuat SKCK?")
	form.Set("alternates", "syarat skck\nbikin skck")
	form.Set("answer", "Isi formulir SKCK online, lalu bawa KTP ke Polres Uji.")
	r := c.post("/faq/skck", form)
	wantStatus(t, "edit", r, http.StatusSeeOther)
	took := e.waitIndex("edited answer", func(ix *knowledge.Index) bool {
		f, _ := ix.FAQ("skck")
		return strings.Contains(f.Answer, "formulir SKCK online")
	})
	t.Logf("the edited answer reached the live index after %v", took)
	e.ask(citizenAni, "apa syarat bikin skck", "formulir SKCK online")

	// Saving again from the same, now stale, form is a conflict: nothing is lost and
	// nothing overwritten silently.
	form.Set("answer", "Jawaban dari tab lama.")
	r = c.post("/faq/skck", form)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "baru saja diubah oleh Edi") || !strings.Contains(r.Body, "Jawaban dari tab lama.") {
		t.Errorf("stale save: %d\n%s", r.Status, r.Body)
	}
	if f := e.faq("skck"); !strings.Contains(f.Answer, "formulir SKCK online") {
		t.Errorf("a stale save overwrote the FAQ: %q", f.Answer)
	}
}

func TestFAQValidationKeepsTheForm(t *testing.T) {
	e, c := editorEnv(t)
	r := c.post("/faq/baru", url.Values{"id": {"KTP Baru!"}, "question": {"Bagaimana bikin KTP baru?"},
		"alternates": {"ktp pertama kali\nrekam ktp"}, "answer": {"  "}})
	wantStatus(t, "invalid create", r, http.StatusUnprocessableEntity)
	for _, want := range []string{"Id hanya boleh berisi huruf kecil", "Isi jawaban", "Bagaimana bikin KTP baru?", "ktp pertama kali\nrekam ktp", `value="KTP Baru!"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the form shown again lacks %q", want)
		}
	}
	if n, _ := e.KB.Count(context.Background()); n != len(testFAQs) {
		t.Errorf("an invalid FAQ was stored: %d FAQs", n)
	}
	r = c.post("/faq/baru", url.Values{"id": {"emas"}, "question": {"Q?"}, "answer": {"A."}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "dipakai oleh halaman konsol") {
		t.Errorf("reserved id: %d", r.Status)
	}
}

func TestFAQPreviewAsTelegramShowsIt(t *testing.T) {
	e, c := editorEnv(t)
	before := e.faq("skck")
	form := editForm(t, e, c, "skck")
	form.Set("answer", "**Penting**: bawa KTP <script>alert(1)</script>\n\n- pas foto\n- [formulir](https://polri.go.id/skck)")
	form.Set("aksi", "pratinjau")
	r := c.post("/faq/skck", form)
	wantStatus(t, "preview", r, http.StatusOK)
	i := strings.Index(r.Body, `id="preview"`)
	if i < 0 {
		t.Fatalf("no preview:\n%s", r.Body)
	}
	preview := r.Body[i:]
	preview = preview[:strings.Index(preview, "</div></div>")]
	for _, want := range []string{"<b>Penting</b>", "&lt;script&gt;", `<a href="https://polri.go.id/skck"`} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if strings.Contains(r.Body, "<script>alert") {
		t.Error("the answer's script reaches the page unescaped")
	}
	if after := e.faq("skck"); after.Answer != before.Answer || after.Revision != before.Revision {
		t.Error("the preview saved the FAQ")
	}
}

func TestFAQUnpublishStopsTheBotAnswering(t *testing.T) {
	e, c := editorEnv(t)
	e.ask(citizenAni, "bayar pajak motor dimana", "kantor Samsat")
	r := c.post("/faq/pajak-kendaraan/terbitkan", url.Values{"terbit": {"0"}})
	wantStatus(t, "unpublish", r, http.StatusSeeOther)
	e.waitIndex("unpublished", func(ix *knowledge.Index) bool { _, ok := ix.FAQ("pajak-kendaraan"); return !ok })
	e.ask(citizenAni, "bayar pajak motor dimana", "belum punya jawaban")
	if f := e.faq("pajak-kendaraan"); f.Published || f.Answer == "" {
		t.Errorf("unpublished FAQ %+v, want kept and unpublished", f)
	}
	list := c.get("/faq?status=tidak-terbit")
	if !strings.Contains(list.Body, "/faq/pajak-kendaraan") || strings.Contains(list.Body, "/faq/skck") {
		t.Errorf("unpublished filter:\n%s", list.Body)
	}
	// Editing an unpublished FAQ keeps it unpublished.
	form := editForm(t, e, c, "pajak-kendaraan")
	form.Set("question", "Bagaimana cara bayar pajak kendaraan?")
	form.Set("answer", "Bayar lewat aplikasi Samsat daerah.")
	wantStatus(t, "edit unpublished", c.post("/faq/pajak-kendaraan", form), http.StatusSeeOther)
	if f := e.faq("pajak-kendaraan"); f.Published {
		t.Error("an edit published the FAQ")
	}
	r = c.post("/faq/pajak-kendaraan/terbitkan", url.Values{"terbit": {"1"}})
	wantStatus(t, "republish", r, http.StatusSeeOther)
	e.waitIndex("republished", func(ix *knowledge.Index) bool {
		f, ok := ix.FAQ("pajak-kendaraan")
		return ok && strings.Contains(f.Answer, "aplikasi")
	})
}

func TestFAQRevisionsDiffAndRevert(t *testing.T) {
	e, c := editorEnv(t)
	first := e.faq("skck").Revision
	form := editForm(t, e, c, "skck")
	form.Set("question", "Apa syarat membuat SKCK?")
	form.Set("alternates", "syarat skck\nbikin skck\nperpanjang skck")
	form.Set("answer", "Bawa KTP dan KK ke Polres.")
	wantStatus(t, "edit", c.post("/faq/skck", form), http.StatusSeeOther)

	hist := c.get("/faq/skck/riwayat")
	wantStatus(t, "history", hist, http.StatusOK)
	for _, want := range []string{"Diimpor dari berkas", knowledge.CommandLine, "Diubah", "Edi", "berubah: pertanyaan lain, jawaban"} {
		if !strings.Contains(hist.Body, want) {
			t.Errorf("history lacks %q:\n%s", want, hist.Body)
		}
	}
	latest := e.faq("skck").Revision
	page := c.get("/faq/skck/riwayat/" + idText(latest))
	wantStatus(t, "revision", page, http.StatusOK)
	for _, want := range []string{"<ins>+   - perpanjang skck</ins>", "<del>−   Bawa KTP, KK, akta lahir dan pas foto 4x6 ke Polres.</del>",
		"<ins>+   Bawa KTP dan KK ke Polres.</ins>", "  Pertanyaan: Apa syarat membuat SKCK?"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("diff lacks %q:\n%s", want, page.Body)
		}
	}
	if strings.Contains(page.Body, "Kembalikan isi ini") {
		t.Error("the current revision offers to be brought back")
	}
	// Revert to the imported revision: its content, as a new revision by the editor.
	r := c.post("/faq/skck/riwayat/"+idText(first)+"/kembalikan", nil)
	wantStatus(t, "revert", r, http.StatusSeeOther)
	f := e.faq("skck")
	if !strings.Contains(f.Answer, "pas foto 4x6") || len(f.Alternates) != 2 || !f.Published {
		t.Errorf("after revert %+v", f)
	}
	rev, err := e.KB.Revision(context.Background(), f.Revision)
	if err != nil || rev.Action != knowledge.ActionRevert || rev.RevertedTo != first || rev.Author != "Edi" {
		t.Errorf("revert revision %+v, %v", rev, err)
	}
	e.waitIndex("reverted", func(ix *knowledge.Index) bool { g, _ := ix.FAQ("skck"); return strings.Contains(g.Answer, "pas foto") })
	if r := c.get("/faq/pajak-kendaraan/riwayat/" + idText(first)); r.Status != http.StatusNotFound {
		t.Errorf("another FAQ's revision: %d, want 404", r.Status)
	}
}

func TestSynonymSetsChangeSearch(t *testing.T) {
	e, c := editorEnv(t)
	const q = "surat sakti polisi"
	if hit := e.firstHit(q); hit == "skck" {
		t.Fatalf("%q already finds skck", q)
	}
	r := c.post("/sinonim", url.Values{"terms": {"skck, surat sakti"}})
	wantStatus(t, "add", r, http.StatusSeeOther)
	e.waitIndex("synonym added", func(*knowledge.Index) bool { return e.firstHit(q) == "skck" })
	sets, err := e.KB.SynonymSets(context.Background())
	if err != nil || len(sets) != 1 {
		t.Fatalf("sets %+v, %v", sets, err)
	}
	id := idText(sets[0].ID)
	r = c.post("/sinonim/"+id, url.Values{"terms": {"skck"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "minimal 2 istilah") {
		t.Errorf("a set of one term: %d", r.Status)
	}
	wantStatus(t, "edit", c.post("/sinonim/"+id, url.Values{"terms": {"skck, surat sakti, surat bersih"}}), http.StatusSeeOther)
	e.waitIndex("synonym edited", func(*knowledge.Index) bool { return e.firstHit("surat bersih polisi") == "skck" })
	// Deleting the set would break a golden question that relies on it: confirm first.
	wantStatus(t, "add golden", c.post("/faq/emas", url.Values{"question": {q}, "expect": {"skck"}}), http.StatusSeeOther)
	r = c.post("/sinonim/"+id+"/hapus", nil)
	wantStatus(t, "breaking delete", r, http.StatusConflict)
	if !strings.Contains(r.Body, "<q>"+q+"</q>") || !strings.Contains(r.Body, "Tetap hapus") {
		t.Errorf("delete confirmation:\n%s", r.Body)
	}
	if sets, _ := e.KB.SynonymSets(context.Background()); len(sets) != 1 {
		t.Fatal("deleted without confirmation")
	}
	m := cekField.FindStringSubmatch(r.Body)
	wantStatus(t, "delete", c.post("/sinonim/"+id+"/hapus", url.Values{"confirm": {"1"}, "cek": {m[1]}}), http.StatusSeeOther)
	e.waitIndex("synonym deleted", func(*knowledge.Index) bool { return e.firstHit(q) != "skck" })
	page := c.get("/sinonim")
	for _, want := range []string{"Ditambahkan: <ins>skck, surat sakti</ins>", "Diubah:", "Dihapus:", "Edi"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("synonyms page lacks %q", want)
		}
	}
}

func TestFAQDraftsFromOfficers(t *testing.T) {
	e, c := editorEnv(t)
	ctx := context.Background()
	siti := e.addUser("siti", tickets.RoleOfficer)
	draft, err := knowledge.AddDraft(ctx, e.DB, knowledge.Draft{Question: "Bagaimana cara mengurus akta kematian?",
		Answer: "Bawa surat kematian dari rumah sakit ke Disdukcapil.", Category: "Kependudukan", Unit: "disdukcapil"}, siti.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	other, err := knowledge.AddDraft(ctx, e.DB, knowledge.Draft{Question: "Apakah kantor buka hari Sabtu?", Answer: "Tidak."}, siti.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	list := c.get("/faq/draf")
	for _, want := range []string{"Bagaimana cara mengurus akta kematian?", "/faq/baru?draf=" + idText(draft), "Siti", "Abaikan"} {
		if !strings.Contains(list.Body, want) {
			t.Errorf("drafts page lacks %q", want)
		}
	}
	form := c.get("/faq/baru?draf=" + idText(draft))
	for _, want := range []string{`value="bagaimana-cara-mengurus-akta-kematian"`, `value="Bagaimana cara mengurus akta kematian?"`,
		"Bawa surat kematian dari rumah sakit", `name="draf" value="` + idText(draft) + `"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("form from the draft lacks %q", want)
		}
	}
	r := c.post("/faq/baru", url.Values{"id": {"akta-kematian"}, "question": {"Bagaimana cara mengurus akta kematian?"},
		"answer": {"Bawa surat kematian dari rumah sakit ke Disdukcapil."}, "category": {"Kependudukan"}, "draf": {idText(draft)}})
	wantStatus(t, "create from draft", r, http.StatusSeeOther)
	d, err := knowledge.GetDraft(ctx, e.DB, draft)
	if err != nil || !d.ClosedAt.Valid || d.FAQID != "akta-kematian" {
		t.Errorf("draft after the FAQ was made: %+v, %v", d, err)
	}
	wantStatus(t, "dismiss", c.post("/faq/draf/"+idText(other)+"/abaikan", nil), http.StatusSeeOther)
	d, err = knowledge.GetDraft(ctx, e.DB, other)
	if err != nil || !d.ClosedAt.Valid || d.FAQID != "" {
		t.Errorf("dismissed draft: %+v, %v", d, err)
	}
	if list := c.get("/faq/draf"); strings.Contains(list.Body, "akta kematian") || strings.Contains(list.Body, "hari Sabtu") {
		t.Error("handled drafts are still listed")
	}
	if r := c.get("/faq/baru?draf=" + idText(draft)); r.Status != http.StatusSeeOther {
		t.Errorf("form from a handled draft: %d, want a redirect", r.Status)
	}
}

// idText writes an id for a path.
func idText(n int64) string { return strconv.FormatInt(n, 10) }
