package knowledge

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// kbEvalDir is where the shared evaluation knowledge bases live; LOKET_EVAL_DIR
// overrides it. Tests that need them are skipped when they are absent.
func kbEvalDir() string {
	if d := os.Getenv("LOKET_EVAL_DIR"); d != "" {
		return d
	}
	return "/work/shared/eval"
}

func readKBEval(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(kbEvalDir(), rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("evaluation data not found: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readKBTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "kbfile", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// parseKBProblems parses src and returns the problems, failing when it parses.
func parseKBProblems(t *testing.T, name, src string) []Problem {
	t.Helper()
	f, err := ParseFile(name, []byte(src))
	if err == nil {
		t.Fatalf("ParseFile succeeded (%d FAQs), want an error", len(f.FAQs))
	}
	if f != nil {
		t.Errorf("ParseFile returned a partial File with an error")
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v, want *ParseError", err, err)
	}
	if pe.File != name || len(pe.Problems) == 0 {
		t.Fatalf("ParseError{File: %q, %d problems}, want File %q and problems", pe.File, len(pe.Problems), name)
	}
	return pe.Problems
}

func TestParseFileEvalKB(t *testing.T) {
	idLine := regexp.MustCompile(`(?m)^\s*- id:`)
	for _, tc := range []struct {
		name string
		want int // 0: count the "- id:" lines
	}{
		{"dev/kb.yaml", 0},
		{"ext/kb.yaml", 38},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := readKBEval(t, tc.name)
			want := tc.want
			if want == 0 {
				want = len(idLine.FindAll(data, -1))
			}
			f, err := ParseFile(tc.name, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.FAQs) != want {
				t.Errorf("%d FAQs, want %d", len(f.FAQs), want)
			}
			for _, q := range f.FAQs {
				if q.ID == "" || q.Question == "" || q.Answer == "" || strings.HasSuffix(q.Answer, "\n") {
					t.Errorf("FAQ %q not filled or not trimmed: %+v", q.ID, q)
				}
			}
		})
	}
	t.Run("dev/kb.yaml first FAQ", func(t *testing.T) {
		f, err := ParseFile("kb.yaml", readKBEval(t, "dev/kb.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		q := f.FAQs[0]
		if q.ID != "ktp-el-baru" || q.Category != "Kependudukan" || q.Unit != "disdukcapil" ||
			q.Question != "Bagaimana cara membuat KTP-el untuk pertama kali?" ||
			!reflect.DeepEqual(q.Keywords, []string{"ktp", "ktp-el", "e-ktp", "perekaman", "wajib ktp"}) ||
			len(q.Alternates) != 1 || !strings.HasPrefix(q.Answer, "KTP-el pertama kali dapat dibuat") ||
			!strings.Contains(q.Answer, "\n\n**Persyaratan:**\n- Fotokopi") {
			t.Errorf("first FAQ = %+v", q)
		}
	})
}

func TestParseFileNormalizes(t *testing.T) {
	f, err := ParseFile("small.yaml", readKBTestdata(t, "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{
		FAQs: []FAQ{{
			ID:         "skck",
			Category:   "Kepolisian",
			Unit:       "polres",
			Question:   "Bagaimana cara membuat SKCK?",
			Alternates: []string{"Syarat SKCK apa saja?", "Berapa lama SKCK jadi?"},
			Keywords:   []string{"skck", "surat kelakuan baik"},
			Answer:     "**Persyaratan:**\n- Fotokopi KTP\n- Pas foto 4x6\n\nBiaya: Rp30.000 (PNBP).",
		}, {
			ID:       "jam-layanan",
			Question: "Jam berapa loket buka?",
			Answer:   "Senin–Jumat: 08.00–15.00 WIB.",
		}},
		Synonyms: [][]string{
			{"skck", "surat keterangan catatan kepolisian", "surat kelakuan baik"},
			{"ktp", "ktp-el", "e-ktp"},
		},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("ParseFile =\n%#v\nwant\n%#v", f, want)
	}
}

func TestParseFileJSONEquivalent(t *testing.T) {
	fromYAML, err := ParseFile("small.yaml", readKBTestdata(t, "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	jsonData := readKBTestdata(t, "small.json")
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"small.json", jsonData},                         // by name
		{"kb.txt", jsonData},                             // by content
		{"", append([]byte("\ufeff \n\t"), jsonData...)}, // BOM and leading space
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFile(tc.name, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f, fromYAML) {
				t.Errorf("JSON parses to\n%#v\nYAML to\n%#v", f, fromYAML)
			}
		})
	}
	if f, err := Parse(jsonData); err != nil || !reflect.DeepEqual(f, fromYAML) {
		t.Errorf("Parse(json) = %v, %v", f, err)
	}
	if _, err := ParseFile("kb.json", []byte("faqs: []\n")); err == nil {
		t.Error("YAML under a .json name parsed; want a JSON syntax error")
	}
}

func TestParseFileYAMLOnly(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      *File
	}{
		{"empty list", "faqs: []\n", &File{}},
		{"null synonyms", "faqs: []\nsynonyms:\n", &File{}},
		{"scalars as text", "faqs:\n  - id: 2024\n    question: 12\n    answer: true\n    keywords: [1, ~, yes]\n",
			&File{FAQs: []FAQ{{ID: "2024", Question: "12", Answer: "true", Keywords: []string{"1", "yes"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFile("kb.yaml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f, tc.want) {
				t.Errorf("got %#v, want %#v", f, tc.want)
			}
		})
	}
}

func TestParseFileMergeKeys(t *testing.T) {
	src := `faqs:
  # anchors (&), aliases (*) and merge keys (<<) work as in any YAML
  - &pbb
    id: pbb
    category: Pajak
    unit: bapenda
    question: Cara bayar PBB?
    answer: Bayar di bank.
  - <<: *pbb
    id: pbb-online
    question: Cara bayar PBB online?
    keywords: &kw [pbb, pajak bumi]
  - id: pbb-denda
    question: Denda PBB?
    keywords: *kw
    answer: Denda 2% per bulan.
`
	f, err := ParseFile("kb.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := FAQ{ID: "pbb-online", Category: "Pajak", Unit: "bapenda", Question: "Cara bayar PBB online?", Answer: "Bayar di bank."}
	want.Keywords = []string{"pbb", "pajak bumi"}
	if len(f.FAQs) != 3 || !reflect.DeepEqual(f.FAQs[1], want) || !reflect.DeepEqual(f.FAQs[2].Keywords, want.Keywords) {
		t.Errorf("FAQs = %+v", f.FAQs)
	}
}

// kbFAQ is a valid FAQ in YAML at lines 2–4, for error cases to build on.
const kbFAQ = "faqs:\n  - id: ktp-baru\n    question: Cara membuat KTP?\n    answer: Datang ke Disdukcapil.\n"

func TestParseFileErrors(t *testing.T) {
	long := strings.Repeat("a", MaxQuestionLength+1)
	for _, tc := range []struct {
		name, src string
		line      int
		mentions  []string
	}{
		{"yaml syntax: colon in text", kbFAQ + "  - id: b\n    question: Syarat: KTP\n    answer: x\n", 6, []string{"format YAML salah", "titik dua"}},
		{"yaml syntax: indentation", kbFAQ + "  - id: b\n   question: x\n    answer: x\n", 6, []string{"format YAML salah", "indentasi"}},
		{"yaml syntax: tab", kbFAQ + "  - id: b\n\tquestion: x\n", 6, []string{"format YAML salah", "tab"}},
		{"yaml syntax: unclosed quote", kbFAQ + "  - id: b\n    question: \"abc\n    answer: x\n", 6, []string{"format YAML salah", "kutip"}},
		{"yaml syntax: unclosed bracket", kbFAQ + "  - id: b\n    keywords: [a, b\n    question: x\n    answer: x\n", 6, []string{"format YAML salah", "]"}},
		{"yaml syntax: control character", kbFAQ + "  - id: b\n    question: a\x01b\n", 6, []string{"format YAML salah", "karakter kontrol"}},
		{"yaml: two documents", kbFAQ + "---\nfaqs: []\n", 5, []string{"---"}},
		{"empty file", "# hanya komentar\n", 1, []string{"kosong", "faqs"}},
		{"top level is a list", "- id: a\n  question: b\n  answer: c\n", 1, []string{"faqs"}},
		{"no faqs", "synonyms: []\n", 1, []string{"'faqs'", "tidak ada"}},
		{"faqs is empty", "faqs:\n", 1, []string{"'faqs'", "kosong"}},
		{"faqs is not a list", "faqs: ktp\n", 1, []string{"'faqs'", "daftar"}},
		{"unknown top-level field", "faq:\n" + kbFAQ[5:], 1, []string{"'faq'", "maksud Anda 'faqs'"}},
		{"faq is not a mapping", kbFAQ + "  - just text\n", 5, []string{"FAQ ke-2", "id"}},
		{"id missing", kbFAQ + "  - question: x\n    answer: y\n", 5, []string{"'id'", "tidak punya"}},
		{"id empty", kbFAQ + "  - id: \"  \"\n    question: x\n    answer: y\n", 5, []string{"'id'", "kosong"}},
		{"id invalid", kbFAQ + "  - id: KTP Hilang\n    question: x\n    answer: y\n", 5, []string{"id 'KTP Hilang'", "huruf kecil, angka, dan tanda hubung", "'ktp-hilang'"}},
		{"id leading dash", kbFAQ + "  - id: -ktp\n    question: x\n    answer: y\n", 5, []string{"id '-ktp'", "huruf kecil"}},
		{"id is a list", kbFAQ + "  - id: [a]\n    question: x\n    answer: y\n", 5, []string{"'id'", "teks"}},
		{"id duplicate", kbFAQ + "  - id: ktp-baru\n    question: x\n    answer: y\n", 5, []string{"id 'ktp-baru'", "sudah dipakai di baris 2"}},
		{"question missing", kbFAQ + "  - id: b\n    answer: y\n", 5, []string{"'question'", "tidak ada"}},
		{"question empty", kbFAQ + "  - id: b\n    question:\n    answer: y\n", 6, []string{"'question'", "kosong"}},
		{"question blank", kbFAQ + "  - id: b\n    question: '   '\n    answer: y\n", 6, []string{"'question'", "kosong"}},
		{"question too long", kbFAQ + "  - id: b\n    question: " + long + "\n    answer: y\n", 6, []string{"'question'", "terlalu panjang", "501", "500"}},
		{"question is a mapping", kbFAQ + "  - id: b\n    question:\n      text: x\n    answer: y\n", 7, []string{"'question'", "teks"}},
		{"answer missing", kbFAQ + "  - id: b\n    question: x\n", 5, []string{"'answer'", "jawaban", "tidak ada"}},
		{"answer empty", kbFAQ + "  - id: b\n    question: x\n    answer: |\n\n  - id: c\n    question: x\n    answer: y\n", 7, []string{"'answer' (jawaban) kosong"}},
		{"answer too long", kbFAQ + "  - id: b\n    question: x\n    answer: " + strings.Repeat("b", MaxAnswerLength+1) + "\n", 7, []string{"'answer'", "terlalu panjang", "20000"}},
		{"unknown field with suggestion", kbFAQ + "  - id: b\n    question: x\n    anwser: y\n", 7, []string{"kolom 'anwser' tidak dikenal; maksud Anda 'answer'?"}},
		{"unknown field in Indonesian", kbFAQ[:len(kbFAQ)-1] + "\n    jawaban: x\n", 5, []string{"'jawaban'", "maksud Anda 'answer'"}},
		{"unknown field in capitals", kbFAQ[:len(kbFAQ)-1] + "\n    Keywords: [a]\n", 5, []string{"'Keywords'", "maksud Anda 'keywords'"}},
		{"unknown field far from any", kbFAQ[:len(kbFAQ)-1] + "\n    prioritas: 1\n", 5, []string{"'prioritas'", "id, category, unit, question, alternates, keywords, answer"}},
		{"field twice", kbFAQ[:len(kbFAQ)-1] + "\n    question: lagi\n", 5, []string{"'question'", "dua kali", "baris 3"}},
		{"alternates is a string", kbFAQ[:len(kbFAQ)-1] + "\n    alternates: Cara bikin KTP?\n", 5, []string{"kolom 'alternates'", "harus berupa daftar"}},
		{"keywords is a mapping", kbFAQ[:len(kbFAQ)-1] + "\n    keywords:\n      a: b\n", 5, []string{"kolom 'keywords'", "harus berupa daftar"}},
		{"keywords item is a list", kbFAQ[:len(kbFAQ)-1] + "\n    keywords:\n      - ok\n      - [a, b]\n", 7, []string{"'keywords'", "teks"}},
		{"category is a list", kbFAQ[:len(kbFAQ)-1] + "\n    category: [a]\n", 5, []string{"'category'", "teks"}},
		{"synonyms not a list", kbFAQ + "synonyms: skck\n", 5, []string{"'synonyms'", "daftar"}},
		{"synonyms entry is text", kbFAQ + "synonyms:\n  - skck\n", 6, []string{"'synonyms'", "daftar istilah"}},
		{"synonyms entry has one term", kbFAQ + "synonyms:\n  - [skck]\n", 6, []string{"'synonyms'", "minimal 2"}},
		{"synonyms entry has the same term twice", kbFAQ + "synonyms:\n  - [SKCK, skck]\n", 6, []string{"'synonyms'", "minimal 2"}},
		{"synonyms entry has an empty term", kbFAQ + "synonyms:\n  - [skck, \"\", skbk]\n", 6, []string{"'synonyms'", "kosong"}},
		{"synonyms term is a list", kbFAQ + "synonyms:\n  - - skck\n    - [a]\n", 7, []string{"'synonyms'", "teks"}},
		{"json syntax: missing comma", "{\"faqs\": [\n  {\"id\": \"a\"\n   \"question\": \"b\", \"answer\": \"c\"}\n]}", 3, []string{"format JSON salah", "koma"}},
		{"json syntax: trailing comma", "{\"faqs\": [\n  {\"id\": \"a\", \"question\": \"b\", \"answer\": \"c\"},\n]}\n", 3, []string{"format JSON salah", "koma"}},
		{"json syntax: truncated", "{\"faqs\": [\n  {\"id\": \"a\"", 2, []string{"format JSON salah", "ditutup"}},
		{"json syntax: bad literal", "{\"faqs\": [\n  {\"id\": tru}\n]}", 2, []string{"format JSON salah"}},
		{"json: extra data", "{\"faqs\": []}\n{}", 2, []string{"tambahan"}},
		{"json: wrong type", "{\"faqs\": [\n  {\"id\": \"a\",\n   \"question\": \"b\",\n   \"alternates\": \"c\",\n   \"answer\": \"d\"}\n]}", 4, []string{"kolom 'alternates'", "harus berupa daftar"}},
		{"json: duplicate id", "{\"faqs\": [\n  {\"id\": \"a\", \"question\": \"b\", \"answer\": \"c\"},\n  {\"id\": \"a\", \"question\": \"b\", \"answer\": \"c\"}\n]}", 3, []string{"id 'a'", "sudah dipakai di baris 2"}},
		{"json: empty answer", "{\"faqs\": [{\"id\": \"a\", \"question\": \"b\",\n \"answer\": \" \\n \"}]}", 2, []string{"'answer' (jawaban) kosong"}},
		{"json: unknown field", "{\"faqs\": [{\"id\": \"a\", \"question\": \"b\",\n \"answer\": \"c\", \"kategori\": \"d\"}]}", 2, []string{"'kategori'", "maksud Anda 'category'"}},
		{"json: top level is a list", "[\n]", 1, []string{"faqs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "kb.yaml"
			if strings.HasPrefix(tc.name, "json") {
				name = "kb.json"
			}
			probs := parseKBProblems(t, name, tc.src)
			if len(probs) != 1 {
				t.Fatalf("%d problems, want 1: %q", len(probs), probs)
			}
			if probs[0].Line != tc.line {
				t.Errorf("line %d, want %d: %s", probs[0].Line, tc.line, probs[0].Message)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(probs[0].Message, m) {
					t.Errorf("message %q does not mention %q", probs[0].Message, m)
				}
			}
		})
	}
}

func TestParseFileReportsAllProblems(t *testing.T) {
	src := `faqs:
  - id: ktp-baru
    question: Cara membuat KTP?
    answer: Datang ke Disdukcapil.
  - id: KK Baru
    question: Cara membuat KK?
    answer: Datang ke Disdukcapil.
  - id: ktp-baru
    question: Cara membuat KTP lagi?
    anwser: Datang lagi.
`
	probs := parseKBProblems(t, "kb.yaml", src)
	want := []struct {
		line    int
		mention string
	}{
		{5, "id 'KK Baru' tidak valid"},
		{8, "id 'ktp-baru' sudah dipakai di baris 2"},
		{10, "kolom 'anwser' tidak dikenal; maksud Anda 'answer'?"}, // and no "answer tidak ada"
	}
	if len(probs) != len(want) {
		t.Fatalf("%d problems, want %d: %q", len(probs), len(want), probs)
	}
	for i, w := range want {
		if probs[i].Line != w.line || !strings.Contains(probs[i].Message, w.mention) {
			t.Errorf("problem %d = %v, want line %d mentioning %q", i, probs[i], w.line, w.mention)
		}
	}
}

func TestParseFileThreeProblems(t *testing.T) {
	src := "faqs:\n" +
		"  - id: a\n    question: ''\n    answer: x\n" + // line 3: question empty
		"  - id: b\n    question: y\n    answer: ''\n" + // line 7: answer empty
		"  - id: a\n    question: y\n    answer: x\n" // line 8: duplicate id
	probs := parseKBProblems(t, "kb.yaml", src)
	var lines []int
	for _, p := range probs {
		lines = append(lines, p.Line)
	}
	if !reflect.DeepEqual(lines, []int{3, 7, 8}) {
		t.Errorf("lines %v, want [3 7 8]: %q", lines, probs)
	}
}

func TestParseErrorFormat(t *testing.T) {
	three := &ParseError{File: "kb.yaml", Problems: []Problem{
		{12, "kolom 'id' kosong"}, {40, "id 'ktp-baru' sudah dipakai di baris 3"}, {0, "tanpa baris"},
	}}
	want := "Berkas kb.yaml tidak bisa diimpor (3 masalah):\n" +
		"  baris 12: kolom 'id' kosong\n" +
		"  baris 40: id 'ktp-baru' sudah dipakai di baris 3\n" +
		"  tanpa baris"
	if got := three.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if got := (&ParseError{Problems: []Problem{{1, "x"}}}).Error(); got != "Berkas tidak bisa diimpor (1 masalah):\n  baris 1: x" {
		t.Errorf("Error() without a name = %q", got)
	}

	var many ParseError
	for i := 1; i <= 60; i++ {
		many.Problems = append(many.Problems, Problem{i, fmt.Sprintf("masalah %d", i)})
	}
	lines := strings.Split(many.Error(), "\n")
	if len(lines) != 1+maxListedProblems+1 || lines[0] != "Berkas tidak bisa diimpor (60 masalah):" ||
		lines[50] != "  baris 50: masalah 50" || lines[51] != "  … dan 10 masalah lain" {
		t.Errorf("Error() with 60 problems: first %q, 51st %q, last %q (%d lines)", lines[0], lines[50], lines[len(lines)-1], len(lines))
	}
}

func TestParseFileLineNumbersInLongFile(t *testing.T) {
	// yaml.v3 reports some errors at the line the enclosing block starts; the real
	// line must be found even deep in a long file.
	var b strings.Builder
	b.WriteString("faqs:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  - id: faq-%d\n    question: q\n    answer: |\n      a\n\n      b\n", i)
	}
	bad := strings.Count(b.String(), "\n") + 2
	b.WriteString("  - id: rusak\n     question: x\n")
	probs := parseKBProblems(t, "kb.yaml", b.String())
	if len(probs) != 1 || probs[0].Line != bad {
		t.Errorf("problems %q, want one on line %d", probs, bad)
	}
}

func TestKBSuggest(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"anwser", "answer"}, {"questoin", "question"}, {"keyword", "keywords"}, {"alternate", "alternates"},
		{"ID", "id"}, {"kategori", "category"}, {"xyz", ""}, {"prioritas", ""}, {"units", "unit"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if got := kbSuggest(tc.key, kbFAQFields); got != tc.want {
				t.Errorf("kbSuggest(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestParseFileHostile(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("faqs: []\nsynonyms:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := range 8 {
		name := fmt.Sprintf("b%d", i)
		fmt.Fprintf(&bomb, "  - &%s [%s]\n", name, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", "))
		prev = name
	}
	for _, tc := range []struct {
		name, src string
		mention   string
	}{
		{"alias bomb", bomb.String(), "alias"},
		{"deep yaml", "faqs: " + strings.Repeat("[", 500) + strings.Repeat("]", 500), "bertingkat"},
		{"deep json", `{"faqs": ` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "}", "bertingkat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := parseKBProblems(t, "kb", tc.src)
			if len(probs) != 1 || !strings.Contains(probs[0].Message, tc.mention) {
				t.Errorf("problems %q, want one mentioning %q", probs, tc.mention)
			}
		})
	}
}
