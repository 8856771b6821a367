package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// kbEnv is the test environment with an editor "eka" logged in.
func kbEnv(t *testing.T) (*env, *client) {
	t.Helper()
	e := newEnv(t)
	e.addUser("eka", tickets.RoleEditor)
	return e, e.login("eka")
}

// upload posts a file as the import form does; with csrf the session's token is sent.
func (c *client) upload(path, filename string, data []byte, fields url.Values, csrf bool) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf {
		_ = mw.WriteField("csrf", c.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("berkas", filename)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var (
	uploadIDField = regexp.MustCompile(`name="unggahan" value="(\d+)"`)
	versionField  = regexp.MustCompile(`name="versi" value="([0-9a-f]+)"`)
)

// importFile uploads a file and returns the report page, failing unless the upload is
// accepted.
func importFile(t *testing.T, c *client, filename string, data []byte, replace bool) response {
	t.Helper()
	mode := "tambah"
	if replace {
		mode = "ganti"
	}
	r := c.upload("/faq/impor", filename, data, url.Values{"mode": {mode}}, true)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/faq/impor/pratinjau?unggahan=") {
		t.Fatalf("upload %s: %d → %q\n%s", filename, r.Status, r.Location, text(r.Body))
	}
	rep := c.get(r.Location)
	if rep.Status != http.StatusOK {
		t.Fatalf("report of %s: %d\n%s", filename, rep.Status, text(rep.Body))
	}
	return rep
}

// applyForm is the "Terapkan" form of a report page.
func applyForm(t *testing.T, rep response) url.Values {
	t.Helper()
	id, ver := uploadIDField.FindStringSubmatch(rep.Body), versionField.FindStringSubmatch(rep.Body)
	if id == nil || ver == nil {
		t.Fatalf("no Terapkan form on the report:\n%s", text(rep.Body))
	}
	return url.Values{"unggahan": {id[1]}, "versi": {ver[1]}}
}

// text is a page's HTML unescaped, to look for what editors read.
func text(body string) string { return html.UnescapeString(body) }

// waitAnswered waits until the live index answers the question with the FAQ id.
func waitAnswered(t *testing.T, e *env, question, id string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		res, err := e.Index.Search(context.Background(), question)
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision == knowledge.DecisionAnswer && res.Hits[0].ID == id {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 s the index answers %q with %s %v, want %s", question, res.Decision, res.Hits, id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countUploads(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM kb_uploads`); err != nil {
		t.Fatal(err)
	}
	return n
}

const reklameCSV = "\ufeffid;category;unit;question;alternates;keywords;answer\r\n" +
	"ktp-hilang;Kependudukan;disdukcapil;Bagaimana cara mengurus KTP yang hilang?;\"ktp saya hilang\nbikin ktp baru karena hilang\";;\"Bawa **surat kehilangan** dari kepolisian dan fotokopi KK ke kantor Disdukcapil.\"\r\n" +
	"skck;Kepolisian;polres;Apa syarat membuat SKCK?;syarat skck|bikin skck|surat kelakuan baik;;\"Bawa KTP, KK, akta lahir; pas foto 4x6.\r\nDatang ke Polres.\"\r\n" +
	"izin-reklame;Perizinan;dpmptsp;Bagaimana mengurus izin reklame?;pasang baliho|izin spanduk;reklame;Ajukan lewat OSS lalu bayar pajak reklame.\r\n"

func TestImportCSVReportThenApply(t *testing.T) {
	e, c := kbEnv(t)
	ctx := context.Background()
	rep := importFile(t, c, "faq.csv", []byte(reklameCSV), false)
	page := text(rep.Body)
	for _, want := range []string{"FAQ baru (1)", "izin-reklame", "Bagaimana mengurus izin reklame?", "FAQ diubah (1)",
		"Pertanyaan lain", "Jawaban", "surat kelakuan baik", "tambah dan ubah saja", "Terapkan"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	changed := between(page, `id="import-changed"`, "</section>")
	if !strings.Contains(changed, "skck") || strings.Contains(changed, "ktp-hilang") || strings.Contains(changed, "Kategori") {
		t.Errorf("changed section names the wrong FAQs or fields:\n%s", changed)
	}
	if strings.Contains(page, `id="import-removed"`) {
		t.Error("a merge reports removals")
	}
	// Nothing is written before "Terapkan".
	if _, err := e.KB.Get(ctx, "izin-reklame"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Fatalf("the FAQ exists before Terapkan: %v", err)
	}
	if skck, _ := e.KB.Get(ctx, "skck"); len(skck.Alternates) != 2 {
		t.Fatalf("skck changed before Terapkan: %q", skck.Alternates)
	}

	form := applyForm(t, rep)
	r := c.post("/faq/impor/terapkan", form)
	if r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Fatalf("apply: %d → %q\n%s", r.Status, r.Location, text(r.Body))
	}
	if done := text(c.get("/faq/impor").Body); !strings.Contains(done, "Impor selesai: 1 FAQ baru, 1 diubah, 1 tetap") {
		t.Errorf("no summary after the import:\n%s", between(done, "<main>", "</main>"))
	}
	got, err := e.KB.Get(ctx, "skck")
	if err != nil || got.Answer != "Bawa KTP, KK, akta lahir; pas foto 4x6.\nDatang ke Polres." || len(got.Alternates) != 3 {
		t.Errorf("skck after the import: %+v, %v", got, err)
	}
	waitAnswered(t, e, "bagaimana mengurus izin reklame", "izin-reklame")
	var audited int
	if err := e.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE action = $1 AND door = 'console'`, tickets.ActionKBImported); err != nil || audited != 1 {
		t.Errorf("audit entries %d, %v", audited, err)
	}
	// The same report cannot be applied twice.
	if r := c.post("/faq/impor/terapkan", form); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Errorf("second apply: %d → %q", r.Status, r.Location)
	}
	if n := countUploads(t, e); n != 0 {
		t.Errorf("%d uploads kept after applying", n)
	}
}

func TestImportBrokenCSVChangesNothing(t *testing.T) {
	e, c := kbEnv(t)
	before, err := e.KB.Content(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	broken := "id,question,answer\nbaru,Pertanyaan baru?,Jawaban baru.\n,Tanpa id?,Jawaban.\nbaru,Lagi?,Dua kali.\n"
	r := c.upload("/faq/impor", "rusak.csv", []byte(broken), url.Values{"mode": {"ganti"}}, true)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("broken file: %d, want 422", r.Status)
	}
	page := text(r.Body)
	for _, want := range []string{"Berkas rusak.csv tidak bisa diimpor: 2 masalah. Tidak ada yang diubah.",
		"Baris 3: kolom 'id' kosong", "Baris 4: id 'baru' sudah dipakai di baris 2"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, between(page, "<main>", "</main>"))
		}
	}
	if strings.Contains(page, `name="unggahan"`) {
		t.Error("a broken file can be applied")
	}
	after, err := e.KB.Content(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(after.FAQs) != len(before.FAQs) || countUploads(t, e) != 0 {
		t.Errorf("a broken file changed the knowledge base (%d → %d FAQs) or was kept", len(before.FAQs), len(after.FAQs))
	}
	for _, tc := range []struct{ name, data, want string }{
		{"faq.xlsx", "PK\x03\x04rest", "Berkas Excel belum bisa dibaca langsung"},
		{"kosong.csv", "", "Berkas yang dipilih kosong"},
		{"faq.yaml", "faqs:\n  - id: x\n    question: Tanya?\n", "baris 2: kolom 'answer' (jawaban) tidak ada"},
	} {
		r := c.upload("/faq/impor", tc.name, []byte(tc.data), nil, true)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(strings.ToLower(text(r.Body)), strings.ToLower(tc.want)) {
			t.Errorf("%s: %d, want 422 with %q\n%s", tc.name, r.Status, tc.want, between(text(r.Body), "<main>", "</main>"))
		}
	}
}

func TestImportSemicolonBOMAndReplace(t *testing.T) {
	e, c := kbEnv(t)
	ctx := context.Background()
	if _, err := e.KB.Import(ctx, &knowledge.File{FAQs: testFAQs, Synonyms: [][]string{{"skck", "surat kelakuan baik"}}}, true); err != nil {
		t.Fatal(err)
	}
	// Excel (Indonesian locale) saves ';', a BOM and CRLF; "ganti semua" removes
	// pajak-kendaraan, which is not in the file, and keeps the synonym sets.
	data := "\ufeffid;question;answer\r\nktp-hilang;Bagaimana cara mengurus KTP yang hilang?;Bawa surat kehilangan.\r\nskck;Apa syarat membuat SKCK?;Bawa KTP, KK, akta lahir dan pas foto 4x6 ke Polres.\r\n"
	rep := importFile(t, c, "Buku1.csv", []byte(data), true)
	page := text(rep.Body)
	removed := between(page, `id="import-removed"`, "</section>")
	if !strings.Contains(removed, "pajak-kendaraan") || strings.Contains(removed, "skck") {
		t.Errorf("removed section:\n%s", removed)
	}
	if strings.Contains(page, `id="import-synonyms"`) {
		t.Error("a CSV import would change the synonym sets")
	}
	if r := c.post("/faq/impor/terapkan", applyForm(t, rep)); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.Status)
	}
	if _, err := e.KB.Get(ctx, "pajak-kendaraan"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("pajak-kendaraan after replacing: %v", err)
	}
	skck, err := e.KB.Get(ctx, "skck")
	if err != nil || len(skck.Alternates) != 0 || skck.Category != "" {
		t.Errorf("skck not replaced by the file's row: %+v %v", skck, err)
	}
	syns, err := e.KB.Synonyms(ctx)
	if err != nil || len(syns) != 1 {
		t.Errorf("synonyms after a CSV import: %v %v", syns, err)
	}
}

// trickyFAQs are what a spreadsheet could damage.
var trickyFAQs = []knowledge.FAQ{
	{ID: "rumus", Category: "Uji; koma, dan \"petik\"", Question: "=HYPERLINK(\"http://contoh.test\",\"klik\")",
		Alternates: []string{"+62 812 berapa", "@admin tolong"}, Keywords: []string{"-", "rumus"},
		Answer: "- Langkah satu; pakai KTP\n- Langkah dua, \"kutip\"\n\n  Baris menjorok.\n'=apostrof"},
	{ID: "biasa", Question: "'Tanya' dengan apostrof?", Answer: "Jawaban 🙂 dengan emoji dan é."},
}

func TestExportImportRoundTrip(t *testing.T) {
	e, c := kbEnv(t)
	if _, err := e.KB.Import(context.Background(), &knowledge.File{FAQs: append(append([]knowledge.FAQ{}, testFAQs...), trickyFAQs...),
		Synonyms: [][]string{{"skck", "surat kelakuan baik"}}}, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, ctype, ext string }{
		{"format=csv", "text/csv; charset=utf-8", "csv"},
		{"format=csv&pemisah=koma", "text/csv; charset=utf-8", "csv"},
		{"format=yaml", "application/yaml; charset=utf-8", "yaml"},
		{"format=json", "application/json; charset=utf-8", "json"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := c.get("/faq/ekspor?" + tc.query)
			if r.Status != http.StatusOK || r.Header.Get("Content-Type") != tc.ctype {
				t.Fatalf("export: %d %q", r.Status, r.Header.Get("Content-Type"))
			}
			if cd := r.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="faq-\d{4}-\d\d-\d\d\.` + tc.ext + `"$`).MatchString(cd) {
				t.Errorf("Content-Disposition %q", cd)
			}
			if tc.ext == "csv" && !strings.HasPrefix(r.Body, "\ufeffid") {
				t.Errorf("CSV without a BOM: %q", r.Body[:10])
			}
			rep := importFile(t, c, "ekspor."+tc.ext, []byte(r.Body), true)
			if page := text(rep.Body); !strings.Contains(page, `id="import-nothing"`) || strings.Contains(page, "Terapkan") {
				t.Errorf("importing the export would change something:\n%s", between(page, "<main>", "</main>"))
			}
		})
	}
}

func TestExportCSVFormulaGuard(t *testing.T) {
	e, c := kbEnv(t)
	if _, err := e.KB.Import(context.Background(), &knowledge.File{FAQs: trickyFAQs}, true); err != nil {
		t.Fatal(err)
	}
	r := c.get("/faq/ekspor?format=csv")
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, rec := range recs {
		for _, cell := range rec {
			cells[cell] = true
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@") {
				t.Errorf("cell %q would run as a formula in a spreadsheet", cell)
			}
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://contoh.test","klik")`, "'+62 812 berapa\n@admin tolong", "'-\nrumus", "'Tanya' dengan apostrof?"} {
		if !cells[want] {
			t.Errorf("no cell %q", want)
		}
	}
}

func TestImportStaleReport(t *testing.T) {
	e, c := kbEnv(t)
	rep := importFile(t, c, "faq.csv", []byte(reklameCSV), false)
	form := applyForm(t, rep)
	// Someone changes skck between the report and "Terapkan".
	skck, err := e.KB.Lookup(context.Background(), "skck")
	if err != nil {
		t.Fatal(err)
	}
	skck.Answer = "Jawaban yang diubah editor lain."
	if _, err := e.KB.UpdateFAQ(context.Background(), skck.FAQ, 0, knowledge.Editor{Name: "Lain"}); err != nil {
		t.Fatal(err)
	}
	r := c.post("/faq/impor/terapkan", form)
	if r.Status != http.StatusConflict || !strings.Contains(text(r.Body), "Basis pengetahuan berubah sejak laporan sebelumnya dibuat") {
		t.Fatalf("stale apply: %d\n%s", r.Status, text(r.Body))
	}
	if _, err := e.KB.Get(context.Background(), "izin-reklame"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Fatalf("a stale report was applied: %v", err)
	}
	// The new report applies.
	if r := c.post("/faq/impor/terapkan", applyForm(t, r)); r.Status != http.StatusSeeOther {
		t.Fatalf("apply of the new report: %d", r.Status)
	}
	if _, err := e.KB.Get(context.Background(), "izin-reklame"); err != nil {
		t.Errorf("not imported: %v", err)
	}
}

func TestImportUploadsArePrivateAndLimited(t *testing.T) {
	e, c := kbEnv(t)
	e.addUser("lina", tickets.RoleEditor)
	other := e.login("lina")
	rep := importFile(t, c, "faq.csv", []byte(reklameCSV), false)
	form := applyForm(t, rep)
	if r := other.get("/faq/impor/pratinjau?unggahan=" + form.Get("unggahan")); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Errorf("another editor's report: %d → %q", r.Status, r.Location)
	}
	if r := other.post("/faq/impor/terapkan", form); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Errorf("another editor's apply: %d → %q", r.Status, r.Location)
	}
	// An hour later the upload is gone.
	if _, err := e.DB.Exec(`UPDATE kb_uploads SET created_at = now() - interval '61 minutes'`); err != nil {
		t.Fatal(err)
	}
	if r := c.post("/faq/impor/terapkan", form); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Errorf("expired apply: %d → %q", r.Status, r.Location)
	}
	if _, err := e.KB.Get(context.Background(), "izin-reklame"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("imported by another editor or after expiry: %v", err)
	}
	for _, size := range []int{10<<20 + 1, 11 << 20} {
		big := bytes.Repeat([]byte("a"), size)
		if r := c.upload("/faq/impor", "besar.csv", big, nil, true); r.Status != http.StatusRequestEntityTooLarge ||
			!strings.Contains(text(r.Body), "terlalu besar: maksimal 10 MB") {
			t.Errorf("upload of %d bytes: %d", size, r.Status)
		}
	}
	var kept int
	if err := e.DB.Get(&kept, `SELECT count(*) FROM kb_uploads WHERE filename = 'besar.csv'`); err != nil || kept != 0 {
		t.Errorf("%d too large uploads kept (%v)", kept, err)
	}
}

// An import that would make a passing golden question fail says which and is applied
// only when the editor confirms.
func TestImportGoldenQuestionsConfirm(t *testing.T) {
	e, c := kbEnv(t)
	ctx := context.Background()
	if _, err := e.KB.AddGoldenQuestion(ctx, "bayar pajak motor", "pajak-kendaraan", knowledge.Editor{Name: "Eka"}); err != nil {
		t.Fatal(err)
	}
	data := "id;question;answer\nktp-hilang;Bagaimana cara mengurus KTP yang hilang?;Bawa surat kehilangan.\nskck;Apa syarat membuat SKCK?;Bawa KTP.\n"
	rep := importFile(t, c, "tanpa-pajak.csv", []byte(data), true)
	page := text(rep.Body)
	if !strings.Contains(page, "Perubahan ini membuat 1 pertanyaan emas gagal") || !strings.Contains(page, "bayar pajak motor") {
		t.Fatalf("no golden warning:\n%s", between(page, "<main>", "</main>"))
	}
	if strings.Contains(page, ">Terapkan</button>") || !strings.Contains(page, "Tetap terapkan") {
		t.Error("the plain Terapkan button is offered despite the broken golden question")
	}
	form := applyForm(t, rep)
	if r := c.post("/faq/impor/terapkan", form); r.Status != http.StatusConflict {
		t.Fatalf("apply without confirming: %d, want 409", r.Status)
	}
	if _, err := e.KB.Get(ctx, "pajak-kendaraan"); err != nil {
		t.Fatalf("applied without confirmation: %v", err)
	}
	form.Set("confirm", "1")
	form.Set("cek", regexp.MustCompile(`name="cek" value="([0-9a-f]+)"`).FindStringSubmatch(rep.Body)[1])
	if r := c.post("/faq/impor/terapkan", form); r.Status != http.StatusSeeOther {
		t.Fatalf("confirmed apply: %d\n%s", r.Status, text(r.Body))
	}
	if _, err := e.KB.Get(ctx, "pajak-kendaraan"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("pajak-kendaraan after the confirmed import: %v", err)
	}
}
