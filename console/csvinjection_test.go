package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loket-id/loket/knowledge"
)

// An editor imports a CSV whose cells carry SQL, HTML and script, Telegram-HTML
// breakers, spreadsheet formulas, NUL bytes and very long text. Everything is stored
// as text, every console page shows it escaped, a citizen gets it from the bot as
// text Telegram accepts, and the export is safe to open in a spreadsheet and
// re-imports to no change.

// sqlDrop and the other fragments are what the hostile cells carry.
const (
	sqlDrop      = `'); DROP TABLE faqs; --`
	sqlOr        = `' OR '1'='1`
	scriptTag    = `<script>alert(1)</script>`
	imgOnerror   = `<img src=x onerror=alert(1)>`
	tableBreak   = `</td></tr></table>`
	unclosedB    = `<b>unclosed`
	nbsp         = `&nbsp;`
	jsLink       = `<a href="javascript:alert(1)">x</a>`
	hyperlink    = `=HYPERLINK("http://evil","x")`
	cmdFormula   = `+cmd|' /C calc'!A0`
	atFormula    = `@SUM(1)`
	minusFormula = `-2+3 sertifikat`
)

// longQuestion is exactly as long as a question may be; longAnswer too.
var (
	longQuestion = fitRunes("Bagaimana cara mendaftar beasiswa daerah "+strings.Repeat(scriptTag+sqlDrop+" ", 40), knowledge.MaxQuestionLength)
	longAnswer   = fitRunes(strings.Repeat("Pendaftaran beasiswa daerah dibuka setiap Januari. "+scriptTag+" "+imgOnerror+" "+tableBreak+" **tebal** "+nbsp+" "+sqlDrop+"\n\n", 200), knowledge.MaxAnswerLength)
)

// fitRunes cuts s to n runes, without whitespace at its end.
func fitRunes(s string, n int) string {
	r := []rune(s)
	for len(r) > n || (len(r) > 0 && strings.TrimSpace(string(r[len(r)-1])) == "") {
		if len(r) > n {
			r = r[:n]
		} else {
			r = r[:len(r)-1]
		}
	}
	return string(r)
}

// injectionFAQs are the rows of the hostile file. Each has plain words too, so that a
// citizen's question finds it. "|" separates list entries in a CSV cell, so the
// "+cmd|…" formula only goes where a cell is one text.
var injectionFAQs = []knowledge.FAQ{
	{ID: "izin-keramaian", Category: "Uji" + sqlDrop,
		Question:   "Bagaimana mengurus izin keramaian" + sqlDrop,
		Alternates: []string{"izin keramaian " + sqlOr, `x'; DELETE FROM faq_revisions; --`},
		Keywords:   []string{"keramaian", `' OR 1=1 --`},
		Answer:     "Ajukan izin keramaian ke Polsek " + sqlDrop + "\n\nJangan percaya " + sqlOr + "."},
	{ID: "retribusi-sampah", Category: scriptTag,
		Question:   "Berapa retribusi sampah rumah tangga " + scriptTag + "?",
		Alternates: []string{"retribusi sampah " + imgOnerror, "bayar sampah " + tableBreak},
		Keywords:   []string{"retribusi", imgOnerror},
		Answer:     "Retribusi sampah " + scriptTag + " dibayar bulanan. " + imgOnerror + " " + tableBreak + " Selesai."},
	{ID: "akta-kelahiran", Category: cmdFormula,
		Question:   "Bagaimana membuat akta kelahiran anak " + unclosedB + "?",
		Alternates: []string{"akta lahir " + nbsp + " anak"},
		Answer:     "Bawa surat keterangan lahir " + unclosedB + " " + nbsp + " &amp; " + jsLink + " ke Disdukcapil. [klik](javascript:alert(1)) **tebal"},
	{ID: "sertifikat-tanah", Category: hyperlink,
		Question:   hyperlink + " cara balik nama sertifikat tanah?",
		Alternates: []string{atFormula, minusFormula},
		Keywords:   []string{"sertifikat", "=1+1"},
		Answer:     hyperlink + "\n" + cmdFormula + "\n" + atFormula + "\nBalik nama sertifikat tanah di kantor BPN."},
	{ID: "beasiswa-daerah", Category: "Pendidikan", Question: longQuestion,
		Alternates: []string{"daftar beasiswa daerah", strings.Repeat("panjang ", 60) + "beasiswa"},
		Answer:     longAnswer},
}

// writeKBCSV writes FAQs as an editor's spreadsheet would save them: a BOM, CRLF,
// the delimiter comma, formulas as typed (no guarding apostrophe).
func writeKBCSV(t *testing.T, faqs []knowledge.FAQ, comma rune) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, true
	_ = w.Write([]string{"id", "category", "unit", "question", "alternates", "keywords", "answer"})
	for _, q := range faqs {
		_ = w.Write([]string{q.ID, q.Category, q.Unit, q.Question, strings.Join(q.Alternates, "|"), strings.Join(q.Keywords, "\n"), q.Answer})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tagStart finds the start of an element in HTML.
var tagStart = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)`)

// rawMarkup finds markup the hostile cells would make if written unescaped: a script
// or image element, an event handler or a javascript: link in any element, or the
// unclosed <b>. It names it and tells where it is (-1: none).
func rawMarkup(page string) (string, int) {
	lower := strings.ToLower(page)
	if i := strings.Index(page, unclosedB); i >= 0 {
		return "the unclosed <b> tag", i
	}
	for _, loc := range tagStart.FindAllStringSubmatchIndex(lower, -1) {
		name := lower[loc[2]:loc[3]]
		if name == "script" || name == "img" {
			return "a <" + name + "> element", loc[0]
		}
		for _, a := range attributes(lower[loc[1]:]) {
			switch {
			case strings.HasPrefix(a[0], "on"):
				return "an event handler (" + a[0] + ")", loc[0]
			case (a[0] == "href" || a[0] == "src") && strings.HasPrefix(strings.TrimSpace(html.UnescapeString(a[1])), "javascript:"):
				return "a javascript: link", loc[0]
			}
		}
	}
	return "", -1
}

// attributes reads the attributes of a start tag, from just after its name to its
// '>': name and value pairs, values quoted or not.
func attributes(s string) [][2]string {
	var out [][2]string
	i := 0
	for i < len(s) && s[i] != '>' && s[i] != '<' {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '/' {
			i++
			continue
		}
		j := i
		for j < len(s) && !strings.ContainsRune(" \t\n\r/=><", rune(s[j])) {
			j++
		}
		name, value := s[i:j], ""
		i = j
		if i < len(s) && s[i] == '=' {
			i++
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					end = len(s) - i - 1
				}
				value, i = s[i+1:i+1+end], i+2+end
			} else {
				j := i
				for j < len(s) && !strings.ContainsRune(" \t\n\r>", rune(s[j])) {
					j++
				}
				value, i = s[i:j], j
			}
		}
		if name == "" {
			i++
			continue
		}
		out = append(out, [2]string{name, value})
	}
	return out
}

// consoleScript is the only script element the console writes itself.
const consoleScript = `<script src="/static/app.js" defer></script>`

// checkEscaped fails when a page holds markup from the hostile cells: a script
// element, an event handler, a javascript: link, or a table closed early. shown
// are hostile texts the page must show (escaped), so that the check means something.
func checkEscaped(t *testing.T, what string, r response, shown ...string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Errorf("%s: status %d\n%.500s", what, r.Status, r.Body)
		return
	}
	body := strings.Replace(r.Body, consoleScript, "", 1)
	if markup, at := rawMarkup(body); at >= 0 {
		t.Errorf("%s: the page holds %s: …%s…", what, markup, body[max(0, at-200):min(len(body), at+200)])
	}
	lower := strings.ToLower(body)
	if open, closed := strings.Count(lower, "<table"), strings.Count(lower, "</table>"); open != closed {
		t.Errorf("%s: %d tables opened and %d closed: a cell broke out of its table", what, open, closed)
	}
	page := text(r.Body)
	for _, s := range shown {
		if !strings.Contains(page, s) {
			t.Errorf("%s: the page does not show %q", what, s)
		}
	}
}

func TestCSVInjectionImport(t *testing.T) {
	e, c := kbEnv(t)
	ctx := context.Background()
	faqs := injectionFAQs
	data := writeKBCSV(t, faqs, ';')
	if !bytes.Contains(data, []byte(`;"=HYPERLINK(""http://evil"",""x"")`)) || !bytes.Contains(data, []byte(";+cmd|' /C calc'!A0;")) {
		t.Fatal("the file does not carry the formulas as a spreadsheet saves them")
	}

	// The report lists every new FAQ, escaped; nothing is stored yet.
	rep := importFile(t, c, "Buku1.csv", data, false)
	checkEscaped(t, "import report", rep, "FAQ baru (5)", scriptTag, unclosedB, sqlDrop, hyperlink)
	if n := e.countRows(`SELECT count(*) FROM faqs`); n != len(testFAQs) {
		t.Fatalf("%d FAQs before Terapkan, want %d", n, len(testFAQs))
	}
	if r := c.post("/faq/impor/terapkan", applyForm(t, rep)); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Fatalf("apply: %d → %q\n%s", r.Status, r.Location, text(r.Body))
	}
	done := c.get("/faq/impor")
	if !strings.Contains(text(done.Body), "Impor selesai: 5 FAQ baru") {
		t.Fatalf("no summary after the import:\n%s", between(text(done.Body), "<main>", "</main>"))
	}

	// Stored as text, nothing run: the tables are there with every row.
	for _, table := range []string{"faqs", "faq_revisions", "audit_log", "kb_uploads", "golden_questions", "synonyms"} {
		var exists bool
		if err := e.DB.Get(&exists, `SELECT to_regclass($1) IS NOT NULL`, table); err != nil || !exists {
			t.Errorf("table %s is gone (%v)", table, err)
		}
	}
	if n := e.countRows(`SELECT count(*) FROM faqs`); n != len(testFAQs)+len(faqs) {
		t.Errorf("%d FAQs after the import, want %d", n, len(testFAQs)+len(faqs))
	}
	if n := e.countRows(`SELECT count(*) FROM faq_revisions`); n < len(faqs) {
		t.Errorf("%d revisions after the import, want at least %d", n, len(faqs))
	}
	for _, want := range faqs {
		got, err := e.KB.Get(ctx, want.ID)
		if err != nil {
			t.Errorf("%s: %v", want.ID, err)
			continue
		}
		if got.Category != want.Category || got.Question != want.Question || got.Answer != want.Answer ||
			!slices.Equal(got.Alternates, want.Alternates) || !slices.Equal(got.Keywords, want.Keywords) {
			t.Errorf("%s stored as\n%+v\nwant verbatim\n%+v", want.ID, got, want)
		}
	}
	if utf8.RuneCountInString(longQuestion) != knowledge.MaxQuestionLength || utf8.RuneCountInString(longAnswer) != knowledge.MaxAnswerLength {
		t.Fatal("the long fields are not at the limits")
	}

	// Searching with SQL finds the text, not every row.
	list := c.get("/faq?q=" + url.QueryEscape(sqlOr))
	checkEscaped(t, "FAQ list searched for SQL", list, "izin-keramaian")
	if page := text(list.Body); strings.Contains(page, "pajak-kendaraan") || strings.Contains(page, "retribusi-sampah") {
		t.Errorf("searching for %q lists unrelated FAQs: the words became SQL", sqlOr)
	}

	// Every page that shows these FAQs escapes them.
	checkEscaped(t, "FAQ list", c.get("/faq"), scriptTag, hyperlink, unclosedB)
	for _, q := range injectionFAQs {
		checkEscaped(t, "edit "+q.ID, c.get("/faq/"+q.ID), q.Question)
		revs := c.get("/faq/" + q.ID + "/riwayat")
		checkEscaped(t, "revisions of "+q.ID, revs)
		for _, rev := range revisionLinks(q.ID, revs.Body) {
			checkEscaped(t, "revision of "+q.ID, c.get(rev), q.Question)
		}
	}
	waitAnswered(t, e, "berapa retribusi sampah rumah tangga", "retribusi-sampah")
	checkEscaped(t, "try a question", c.get("/coba?q="+url.QueryEscape("berapa retribusi sampah rumah tangga "+scriptTag)), scriptTag, imgOnerror)
	checkEscaped(t, "try a question (Telegram HTML)", c.get("/coba?q="+url.QueryEscape("bagaimana membuat akta kelahiran anak")), unclosedB, "javascript:alert(1)")
	if r := c.post("/faq/emas", url.Values{"question": {"retribusi sampah " + scriptTag}, "expect": {"retribusi-sampah"}}); r.Status != http.StatusSeeOther {
		t.Errorf("golden question: %d\n%.500s", r.Status, text(r.Body))
	}
	checkEscaped(t, "golden questions", c.get("/faq/emas"), "retribusi sampah "+scriptTag)

	// A citizen asks the bot: the answers reach Telegram as valid HTML showing the text.
	m := e.TG.SentCount()
	e.TG.SendText(citizenAni, citizenAni.ID, "berapa retribusi sampah rumah tangga")
	got := waitBot(t, e, m, citizenAni.ID, "Retribusi sampah")
	if !strings.Contains(got.Text, "Retribusi sampah "+scriptTag+" dibayar bulanan. "+imgOnerror+" "+tableBreak) {
		t.Errorf("the citizen does not see the answer's text as written: %q", got.Text)
	}
	e.TG.SendText(citizenAni, citizenAni.ID, "bagaimana membuat akta kelahiran anak")
	akta := waitBot(t, e, m, citizenAni.ID, "surat keterangan lahir")
	// (Markdown reads "&nbsp;" and "&amp;" as the characters they name.)
	if !strings.Contains(akta.Text, "Bawa surat keterangan lahir "+unclosedB) || !strings.Contains(akta.Text, jsLink+" ke Disdukcapil") {
		t.Errorf("the Telegram-HTML breakers are not shown as text: %q", akta.Text)
	}
	e.TG.SendText(citizenAni, citizenAni.ID, "cara daftar beasiswa daerah")
	long := waitBot(t, e, m, citizenAni.ID, "Pendaftaran beasiswa daerah")
	for _, s := range []tgSent{got, akta, long} {
		if what, at := rawMarkup(s.HTML); at >= 0 {
			t.Errorf("the bot sent %s: %q", what, s.HTML[max(0, at-80):min(len(s.HTML), at+80)])
		}
		for _, en := range s.Entities {
			if en.URL != "" && !strings.HasPrefix(en.URL, "http") {
				t.Errorf("the bot sent a link to %q", en.URL)
			}
		}
	}
	for _, r := range e.TG.Rejected() {
		t.Errorf("Telegram would have refused %s: %s", r.Method, r.Description)
	}
	// Something nobody answers, with script in it, shows escaped among the unanswered.
	e.TG.SendText(citizenAni, citizenAni.ID, "harga cabai "+scriptTag+" di pasar hari ini berapa")
	waitBot(t, e, m, citizenAni.ID, "belum punya jawaban")
	checkEscaped(t, "unanswered questions", c.get("/tak-terjawab"), "harga cabai "+scriptTag)
	checkEscaped(t, "add a phrasing to an FAQ", c.get("/tak-terjawab/alternatif?pertanyaan="+url.QueryEscape("retribusi sampah "+scriptTag)),
		"Berapa retribusi sampah rumah tangga "+scriptTag, hyperlink)

	// A second file changes the script FAQ: its report and its revision show the diff
	// escaped.
	changed := slices.Clone(injectionFAQs[1:2])
	changed[0].Answer = "Retribusi " + imgOnerror + " kini dibayar tahunan " + tableBreak + scriptTag
	changed[0].Alternates = append(slices.Clone(changed[0].Alternates), "sampah "+jsLink)
	rep = importFile(t, c, "ubah.csv", writeKBCSV(t, changed, ','), false)
	checkEscaped(t, "import report with changes", rep, "FAQ diubah (1)", "kini dibayar tahunan", "sampah "+jsLink)
	if r := c.post("/faq/impor/terapkan", applyForm(t, rep)); r.Status != http.StatusSeeOther {
		t.Fatalf("apply the change: %d", r.Status)
	}
	revs := c.get("/faq/retribusi-sampah/riwayat")
	checkEscaped(t, "revisions after the change", revs)
	links := revisionLinks("retribusi-sampah", revs.Body)
	if len(links) != 2 {
		t.Fatalf("revisions of retribusi-sampah: %v, want 2", links)
	}
	checkEscaped(t, "the first revision", c.get(links[len(links)-1]), "dibayar bulanan")
	checkEscaped(t, "the new revision (diff)", c.get(links[0]), "kini dibayar tahunan", "sampah "+jsLink)

	// The export neutralises formulas, and importing it again changes nothing.
	for _, sep := range []struct {
		query string
		comma rune
	}{{"format=csv", ';'}, {"format=csv&pemisah=koma", ','}} {
		r := c.get("/faq/ekspor?" + sep.query)
		if r.Status != http.StatusOK {
			t.Fatalf("export %s: %d", sep.query, r.Status)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
		cr.Comma = sep.comma
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("export %s: %v", sep.query, err)
		}
		cells := map[string]bool{}
		for _, rec := range recs {
			for _, cell := range rec {
				cells[cell] = true
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("export %s: cell %.60q would run as a formula in a spreadsheet", sep.query, cell)
				}
			}
		}
		for _, want := range []string{"'" + hyperlink, "'" + cmdFormula, "'" + atFormula + "\n" + minusFormula, "'" + hyperlink + " cara balik nama sertifikat tanah?"} {
			if !cells[want] {
				t.Errorf("export %s: no guarded cell %q", sep.query, want)
			}
		}
		again := importFile(t, c, "ekspor.csv", []byte(r.Body), true)
		if page := text(again.Body); !strings.Contains(page, `id="import-nothing"`) || strings.Contains(page, "Terapkan") {
			t.Errorf("importing the export (%s) would change something:\n%s", sep.query, between(page, "<main>", "</main>"))
		}
	}

	// A field over its limit is refused with the reason, and nothing changes.
	tooLong := []knowledge.FAQ{{ID: "terlalu-panjang", Question: longQuestion + "x", Answer: "Jawaban."}}
	r := c.upload("/faq/impor", "panjang.csv", writeKBCSV(t, tooLong, ';'), url.Values{"mode": {"tambah"}}, true)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "terlalu panjang: 501 karakter, maksimal 500") {
		t.Errorf("over-long question: %d\n%s", r.Status, between(text(r.Body), "<main>", "</main>"))
	}
	if n := e.countRows(`SELECT count(*) FROM faqs WHERE id = 'terlalu-panjang'`); n != 0 {
		t.Error("the over-long FAQ was stored")
	}
}

// TestCSVImportNULBytes: a CSV cell with NUL bytes, which PostgreSQL cannot store in
// text, is imported without them, as the console drops them from its forms (and the
// bot from updates); the report must not promise an import that then fails.
func TestCSVImportNULBytes(t *testing.T) {
	e, c := kbEnv(t)
	ctx := context.Background()
	nul := knowledge.FAQ{ID: "karakter-nul", Category: "Uji\x00", Question: "Kapan pendaftaran\x00 paspor dibuka?",
		Alternates: []string{"paspor\x00 baru"}, Keywords: []string{"pas\x00por"}, Answer: "Pendaftaran paspor\x00 dibuka setiap hari kerja."}
	data := writeKBCSV(t, []knowledge.FAQ{nul}, ';')
	if bytes.Count(data, []byte("\x00")) != 5 {
		t.Fatal("the file does not carry the NUL bytes")
	}
	rep := importFile(t, c, "nul.csv", data, false)
	checkEscaped(t, "import report", rep, "FAQ baru (1)")
	if r := c.post("/faq/impor/terapkan", applyForm(t, rep)); r.Status != http.StatusSeeOther || r.Location != "/faq/impor" {
		t.Fatalf("apply: %d → %q", r.Status, r.Location)
	}
	if page := text(c.get("/faq/impor").Body); !strings.Contains(page, "Impor selesai: 1 FAQ baru") {
		t.Fatalf("the import the report offered failed:\n%s", between(page, "<main>", "</main>"))
	}
	want := stripNUL(nul)
	got, err := e.KB.Get(ctx, nul.ID)
	if err != nil || got.Question != want.Question || got.Answer != want.Answer || got.Category != want.Category ||
		!slices.Equal(got.Alternates, want.Alternates) || !slices.Equal(got.Keywords, want.Keywords) {
		t.Errorf("stored as %+v (%v), want %+v", got, err, want)
	}
}

// revisionLinks are the links to the revisions of FAQ id on its history page.
func revisionLinks(id, page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`href="(/faq/`+regexp.QuoteMeta(id)+`/riwayat/\d+)"`).FindAllStringSubmatch(page, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// stripNUL is q without NUL characters.
func stripNUL(q knowledge.FAQ) knowledge.FAQ {
	drop := func(s string) string { return strings.ReplaceAll(s, "\x00", "") }
	q.Question, q.Answer, q.Category = drop(q.Question), drop(q.Answer), drop(q.Category)
	q.Alternates, q.Keywords = slices.Clone(q.Alternates), slices.Clone(q.Keywords)
	for i := range q.Alternates {
		q.Alternates[i] = drop(q.Alternates[i])
	}
	for i := range q.Keywords {
		q.Keywords[i] = drop(q.Keywords[i])
	}
	return q
}

// waitBot waits for the bot's message to chat after mark whose text holds sub.
func waitBot(t *testing.T, e *env, mark int, chat int64, sub string) tgSent {
	t.Helper()
	s, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > mark && s.ChatID == chat && s.Method == "sendMessage" && strings.Contains(s.Text, sub)
	})
	if err != nil {
		t.Fatalf("waiting for the bot's %q: %v", sub, err)
	}
	return s
}
