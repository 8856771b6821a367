package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// editorToolRoutes are the import, export, "try a question" and unanswered routes.
var editorToolRoutes = []struct{ method, path string }{
	{"GET", "/faq/ekspor?format=csv"},
	{"GET", "/faq/impor"},
	{"POST", "/faq/impor"},
	{"GET", "/faq/impor/pratinjau?unggahan=1"},
	{"POST", "/faq/impor/terapkan"},
	{"GET", "/coba?q=ktp+hilang"},
	{"GET", "/tak-terjawab"},
	{"GET", "/tak-terjawab/alternatif?pertanyaan=ktp"},
	{"POST", "/tak-terjawab/alternatif"},
	{"POST", "/tak-terjawab/sembunyikan"},
}

func TestEditorToolsAccess(t *testing.T) {
	e, editor := kbEnv(t)
	e.addUser("siti", tickets.RoleOfficer)
	e.addUser("pak", tickets.RoleSupervisor)
	e.addUser("admin", tickets.RoleAdmin)
	officer, supervisor, admin := e.login("siti"), e.login("pak"), e.login("admin")
	anon := e.anon()
	send := func(c *client, method, path string) response {
		if method == http.MethodGet {
			return c.get(path)
		}
		if path == "/faq/impor" {
			return c.upload(path, "faq.csv", []byte(reklameCSV), nil, true)
		}
		return c.post(path, url.Values{"unggahan": {"1"}, "pertanyaan": {"syarat skck"}, "faq": {"skck"}, "kunci": {"syarat skck"}})
	}
	for _, rt := range editorToolRoutes {
		name := rt.method + " " + rt.path
		for who, c := range map[string]*client{"officer": officer, "supervisor": supervisor} {
			if r := send(c, rt.method, rt.path); r.Status != http.StatusForbidden {
				t.Errorf("%s as %s: %d, want 403", name, who, r.Status)
			}
		}
		r := send(anon, rt.method, rt.path)
		switch {
		case rt.method == http.MethodGet && (r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/masuk?lanjut=")):
			t.Errorf("%s logged out: %d → %q, want the login page", name, r.Status, r.Location)
		case rt.method == http.MethodPost && r.Status != http.StatusUnauthorized:
			t.Errorf("%s logged out: %d, want 401", name, r.Status)
		}
		if rt.method == http.MethodGet {
			for who, c := range map[string]*client{"editor": editor, "admin": admin} {
				if r := c.get(rt.path); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
					t.Errorf("%s as %s: %d", name, who, r.Status)
				}
			}
		}
	}
	// Without the CSRF token nothing is uploaded, imported, added or hidden.
	if r := editor.upload("/faq/impor", "faq.csv", []byte(reklameCSV), nil, false); r.Status != http.StatusForbidden {
		t.Errorf("upload without CSRF: %d, want 403", r.Status)
	}
	if n := countUploads(t, e); n != 0 {
		t.Errorf("%d uploads kept from refused requests", n)
	}
	rep := importFile(t, editor, "faq.csv", []byte(reklameCSV), false)
	form := applyForm(t, rep)
	if r := editor.postForm("/faq/impor/terapkan", form); r.Status != http.StatusForbidden {
		t.Errorf("apply without CSRF: %d, want 403", r.Status)
	}
	form.Set("csrf", "x"+editor.csrf)
	if r := editor.postForm("/faq/impor/terapkan", form); r.Status != http.StatusForbidden {
		t.Errorf("apply with a wrong CSRF token: %d, want 403", r.Status)
	}
	if _, err := e.KB.Get(context.Background(), "izin-reklame"); err == nil {
		t.Error("imported without the CSRF token")
	}
	if r := editor.postForm("/tak-terjawab/alternatif", url.Values{"faq": {"skck"}, "pertanyaan": {"surat catatan polisi"}}); r.Status != http.StatusForbidden {
		t.Errorf("alternate without CSRF: %d, want 403", r.Status)
	}
	if f, _ := e.KB.Get(context.Background(), "skck"); len(f.Alternates) != 2 {
		t.Errorf("alternate added without CSRF: %q", f.Alternates)
	}
}

func TestTryQuestion(t *testing.T) {
	_, c := kbEnv(t)
	r := c.get("/coba?q=" + url.QueryEscape("bagaimana cara mengurus ktp yang hilang"))
	if r.Status != http.StatusOK {
		t.Fatalf("try: %d", r.Status)
	}
	page := text(r.Body)
	result := between(page, `id="try-result"`, "</section>")
	if !strings.Contains(result, "Keputusan bot: Dijawab") || !regexp.MustCompile(`Keyakinan \d,\d\d`).MatchString(result) {
		t.Errorf("decision:\n%s", result)
	}
	hits := between(r.Body, `id="try-hits"`, "</section>")
	if !strings.Contains(hits, `<a href="/faq/ktp-hilang">Bagaimana cara mengurus KTP yang hilang?</a>`) ||
		!regexp.MustCompile(`<td class="num">\d+,\d\d</td>`).MatchString(hits) {
		t.Errorf("hits:\n%s", hits)
	}
	if first := between(hits, "<tbody>", "</tr>"); !strings.Contains(first, "ktp-hilang") {
		t.Errorf("first hit is not ktp-hilang:\n%s", first)
	}
	if preview := between(r.Body, `id="try-preview"`, "</section>"); !strings.Contains(preview, "<b>surat kehilangan</b>") {
		t.Errorf("answer preview as Telegram shows it:\n%s", preview)
	}

	for q, want := range map[string]string{
		"harga cabai di pasar induk":           "Keputusan bot: Diteruskan ke petugas",
		"selamat pagi":                         "Keputusan bot: Obrolan ringan",
		"<script>alert('ktp hilang')</script>": "Keputusan bot:",
	} {
		r := c.get("/coba?q=" + url.QueryEscape(q))
		if r.Status != http.StatusOK || !strings.Contains(text(r.Body), want) {
			t.Errorf("%q: %d, want %q\n%s", q, r.Status, want, between(text(r.Body), "<main>", "</main>"))
		}
		if strings.Contains(r.Body, "<script>alert") {
			t.Errorf("%q is not escaped", q)
		}
	}
	if r := c.get("/coba"); r.Status != http.StatusOK || strings.Contains(r.Body, `id="try-result"`) {
		t.Errorf("empty box: %d", r.Status)
	}
}

// logAs logs a citizen's question as the bot does, optionally with the FAQ ranked
// first, and moves it age into the past.
func logAs(t *testing.T, e *env, text string, d knowledge.Decision, top string, age time.Duration) int64 {
	t.Helper()
	res := knowledge.Result{Decision: d}
	if top != "" {
		res.Hits = []knowledge.Hit{{ID: top, Score: 3, Question: top}}
	}
	id, err := knowledge.LogQuestion(context.Background(), e.DB, citizenAni.ID, text, res)
	if err != nil {
		t.Fatal(err)
	}
	if age > 0 {
		if _, err := e.DB.Exec(`UPDATE questions SET created_at = created_at - $2::interval WHERE id = $1`, id, age.String()); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// unansweredRows are the rows of the list: the question cell's text and the count.
func unansweredRows(t *testing.T, body string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	re := regexp.MustCompile(`(?s)<td class="question">(.*?)\s*<br>.*?<td class="num" data-label="Jumlah">(\d+)</td>`)
	for _, m := range re.FindAllStringSubmatch(between(body, "<tbody>", "</tbody>"), -1) {
		rows[text(strings.TrimSpace(m[1]))] = m[2]
	}
	return rows
}

func TestUnansweredGrouping(t *testing.T) {
	e, c := kbEnv(t)
	day := 24 * time.Hour
	for i, q := range []string{"Jam buka Samsat hari Sabtu?", "jam buka samsat hari sabtu", "JAM BUKA SAMSAT HARI SABTU!!", "jam  buka samsat, hari sabtu 🙏"} {
		logAs(t, e, q, knowledge.DecisionEscalate, "", time.Duration(4-i)*time.Hour)
	}
	unhelpful := logAs(t, e, "Jam buka samsat hari sabtu ??", knowledge.DecisionAnswer, "pajak-kendaraan", 0)
	if err := knowledge.SetFeedback(context.Background(), e.DB, unhelpful, false); err != nil {
		t.Fatal(err)
	}
	logAs(t, e, "ktp saya hilang di jalan", knowledge.DecisionClarify, "ktp-hilang", day)
	logAs(t, e, "syarat skck", knowledge.DecisionAnswer, "skck", 0)
	logAs(t, e, "denda telat bayar pajak", knowledge.DecisionEscalate, "", 60*day)

	r := c.get("/tak-terjawab")
	if r.Status != http.StatusOK {
		t.Fatalf("list: %d", r.Status)
	}
	rows := unansweredRows(t, r.Body)
	want := map[string]string{"Jam buka samsat hari sabtu ??": "5", "ktp saya hilang di jalan": "1"}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("groups %v, want %v", rows, want)
	}
	if !strings.Contains(text(r.Body), "4× ke petugas 1× dinilai tidak membantu") {
		t.Error("the breakdown of the samsat group is missing")
	}
	// The oldest question shows in the 90-day period only; newest first on request.
	rows = unansweredRows(t, c.get("/tak-terjawab?periode=90&urut=terbaru").Body)
	if rows["denda telat bayar pajak"] != "1" || len(rows) != 3 {
		t.Errorf("90 days: %v", rows)
	}
	page := text(c.get("/tak-terjawab?periode=90&urut=terbaru").Body)
	if strings.Index(page, "Jam buka samsat") > strings.Index(page, "denda telat") {
		t.Error("newest first puts an older group first")
	}
	// Each group links to a new FAQ with its wording.
	if !strings.Contains(text(r.Body), `href="/faq/baru?pertanyaan=ktp+saya+hilang+di+jalan"`) {
		t.Errorf("no link to a new FAQ with the question:\n%s", between(r.Body, "<tbody>", "</tbody>"))
	}
}

func TestUnansweredPaging(t *testing.T) {
	e, c := kbEnv(t)
	for i := range 55 {
		logAs(t, e, fmt.Sprintf("pertanyaan nomor %c%c", 'a'+i/26, 'a'+i%26), knowledge.DecisionEscalate, "", 0)
	}
	p1 := c.get("/tak-terjawab")
	if n := len(unansweredRows(t, p1.Body)); n != 50 || !strings.Contains(p1.Body, "55 kelompok pertanyaan, halaman 1 dari 2") {
		t.Errorf("page 1: %d rows", n)
	}
	if !strings.Contains(p1.Body, `href="/tak-terjawab?halaman=2&amp;periode=30"`) {
		t.Errorf("no link to page 2:\n%s", between(p1.Body, `class="pager`, "</nav>"))
	}
	if n := len(unansweredRows(t, c.get("/tak-terjawab?halaman=2&periode=30").Body)); n != 5 {
		t.Errorf("page 2: %d rows, want 5", n)
	}
}

func TestUnansweredAlternateAndHide(t *testing.T) {
	e, c := kbEnv(t)
	phrasing := "mau ngurus surat catatan kepolisian buat lamar kerja"
	logAs(t, e, phrasing, knowledge.DecisionClarify, "skck", time.Hour)
	logAs(t, e, "Mau ngurus surat catatan kepolisian, buat lamar kerja!", knowledge.DecisionEscalate, "skck", 0)
	logAs(t, e, "loket buka jam berapa", knowledge.DecisionEscalate, "", 0)
	if res, _ := e.Index.Search(context.Background(), phrasing); res.Decision == knowledge.DecisionAnswer {
		t.Fatalf("the index already answers %q", phrasing)
	}
	list := c.get("/tak-terjawab")
	// The one-click form suggests the FAQ most often ranked first.
	form := between(list.Body, `<form method="post" action="/tak-terjawab/alternatif">`, "</form>")
	if !strings.Contains(form, `name="faq" value="skck"`) || !strings.Contains(text(form), "Apa syarat membuat SKCK?") {
		t.Fatalf("one-click form:\n%s", form)
	}
	fields := url.Values{}
	for _, m := range regexp.MustCompile(`name="(pertanyaan|faq|kunci|kembali)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		fields.Set(m[1], text(m[2]))
	}
	r := c.post("/tak-terjawab/alternatif", fields)
	if r.Status != http.StatusSeeOther || r.Location != "/tak-terjawab?periode=30" {
		t.Fatalf("add alternate: %d → %q\n%s", r.Status, r.Location, text(r.Body))
	}
	skck, err := e.KB.Lookup(context.Background(), "skck")
	if err != nil || skck.Alternates[len(skck.Alternates)-1] != "Mau ngurus surat catatan kepolisian, buat lamar kerja!" {
		t.Fatalf("skck alternates %q, %v", skck.Alternates, err)
	}
	revs, err := e.KB.Revisions(context.Background(), "skck")
	if err != nil || len(revs) == 0 || revs[0].Author != "Eka" {
		t.Errorf("no revision by the editor: %+v %v", revs, err)
	}
	waitAnswered(t, e, "mau ngurus surat catatan kepolisian, buat lamar kerja!", "skck")
	after := c.get(r.Location)
	if rows := unansweredRows(t, after.Body); len(rows) != 1 || rows["loket buka jam berapa"] != "1" {
		t.Errorf("after adding, groups %v: the handled one must be hidden", rows)
	}
	if !strings.Contains(text(after.Body), "ditambahkan sebagai pertanyaan lain untuk FAQ \"Apa syarat membuat SKCK?\"") {
		t.Error("no confirmation")
	}
	// Adding it again is refused with a reason.
	if r := c.post("/tak-terjawab/alternatif", fields); r.Status != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "sudah punya pertanyaan ini") {
		t.Errorf("duplicate: %d", r.Status)
	}

	// The chooser suggests the live index's best hit and lists the FAQs.
	ch := c.get("/tak-terjawab/alternatif?pertanyaan=" + url.QueryEscape("bayar pajak motor tahunan"))
	if ch.Status != http.StatusOK || !strings.Contains(ch.Body, `<option value="pajak-kendaraan" selected>`) {
		t.Errorf("chooser: %d\n%s", ch.Status, between(ch.Body, "<select", "</select>"))
	}

	// Hiding a group; it comes back when asked again.
	hide := url.Values{"kunci": {knowledge.Normalize("loket buka jam berapa")}, "kembali": {"/tak-terjawab?periode=7"}}
	if r := c.post("/tak-terjawab/sembunyikan", hide); r.Status != http.StatusSeeOther || r.Location != "/tak-terjawab?periode=7" {
		t.Fatalf("hide: %d → %q", r.Status, r.Location)
	}
	if rows := unansweredRows(t, c.get("/tak-terjawab").Body); len(rows) != 0 {
		t.Errorf("after hiding: %v", rows)
	}
	logAs(t, e, "Loket buka jam berapa?", knowledge.DecisionEscalate, "", 0)
	if rows := unansweredRows(t, c.get("/tak-terjawab").Body); rows["Loket buka jam berapa?"] != "1" {
		t.Errorf("asked again after hiding: %v", rows)
	}
	// "kembali" never leaves the list.
	hide.Set("kembali", "https://contoh.test/")
	if r := c.post("/tak-terjawab/sembunyikan", hide); r.Location != "/tak-terjawab" {
		t.Errorf("hide with a foreign return address went to %q", r.Location)
	}
}

// "Buat FAQ baru" from an unanswered question opens the form with the question filled in.
func TestNewFAQPrefilledFromUnanswered(t *testing.T) {
	e := newEnv(t)
	e.addUser("budi", tickets.RoleEditor)
	c := e.login("budi")
	r := c.get("/faq/baru?pertanyaan=" + url.QueryEscape("cara daftar bpjs ke 081234567890"))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `value="cara daftar bpjs ke`) || strings.Contains(r.Body, "081234567890") {
		t.Errorf("prefilled form: %d, question field missing or phone number not masked", r.Status)
	}
}
