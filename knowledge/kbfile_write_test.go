package knowledge

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// roundTripKB writes f as YAML and as JSON and checks that both parse back to f.
func roundTripKB(t *testing.T, f *File) {
	t.Helper()
	for _, format := range []struct {
		name  string
		write func(*File, *bytes.Buffer) error
	}{
		{"kb.yaml", func(f *File, b *bytes.Buffer) error { return f.WriteYAML(b) }},
		{"kb.json", func(f *File, b *bytes.Buffer) error { return f.WriteJSON(b) }},
	} {
		var buf bytes.Buffer
		if err := format.write(f, &buf); err != nil {
			t.Fatalf("write %s: %v", format.name, err)
		}
		got, err := ParseFile(format.name, buf.Bytes())
		if err != nil {
			t.Fatalf("parse written %s: %v\n%s", format.name, err, buf.String())
		}
		if !reflect.DeepEqual(got, f) {
			for i := range min(len(got.FAQs), len(f.FAQs)) {
				if !reflect.DeepEqual(got.FAQs[i], f.FAQs[i]) {
					t.Errorf("%s: FAQ %d reads back as\n%#v\nwant\n%#v", format.name, i, got.FAQs[i], f.FAQs[i])
				}
			}
			t.Fatalf("%s does not read back equal (%d/%d FAQs, %d/%d synonym sets):\n%s",
				format.name, len(got.FAQs), len(f.FAQs), len(got.Synonyms), len(f.Synonyms), buf.String())
		}
	}
}

func TestKBWriteRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"dev/kb.yaml", func(t *testing.T) []byte { return readKBEval(t, "dev/kb.yaml") }},
		{"ext/kb.yaml", func(t *testing.T) []byte { return readKBEval(t, "ext/kb.yaml") }},
		{"small.yaml", func(t *testing.T) []byte { return readKBTestdata(t, "small.yaml") }},
		{"tricky.yaml", func(t *testing.T) []byte { return readKBTestdata(t, "tricky.yaml") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFile(tc.name, tc.data(t))
			if err != nil {
				t.Fatal(err)
			}
			roundTripKB(t, f)
		})
	}
}

func TestKBWriteRoundTripTrickyAnswers(t *testing.T) {
	f, err := ParseFile("tricky.yaml", readKBTestdata(t, "tricky.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"trailing-newlines": "Baris pertama.",
		"leading-spaces":    "    kode diindentasi empat spasi\n  lalu dua spasi\nlalu tanpa spasi",
		"hash-colon-quotes": "# Judul Markdown\nkey: value dan \"kutip ganda\" serta 'kutip tunggal'\n#tagar tanpa spasi\n---\n...",
		"emoji-tabs":        "Halo 👋\n\tdengan tab\nbaris dengan spasi di akhir  \nbaris terakhir",
		"one-line":          "Satu baris saja: selesai.",
		"unicode-breaks":    "baris\npemisah\nnel dan \\ backslash",
	}
	for _, q := range f.FAQs {
		if q.Answer != want[q.ID] {
			t.Errorf("%s: answer %q, want %q", q.ID, q.Answer, want[q.ID])
		}
	}
	if k := f.FAQs[2].Keywords; !reflect.DeepEqual(k, []string{"a, b", "[kurung]", "yes", "123", "null", "~"}) {
		t.Errorf("keywords %q", k)
	}

	// Answers as the database may hold them (not normalised) must still write valid
	// YAML; they read back normalised.
	raw := &File{FAQs: []FAQ{
		{ID: "a", Question: "q", Answer: "\n\n  indented\r\nnext  \n\n"},
		{ID: "b", Question: "q\nwith newline", Answer: "x\x00y"},
		{ID: "c", Question: "- q", Answer: "bad \xff utf-8", Keywords: []string{"k\nl"}},
	}}
	var buf bytes.Buffer
	if err := raw.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ParseFile("kb.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	// NUL is dropped on reading: PostgreSQL cannot store it.
	for i, wantAnswer := range []string{"  indented\nnext", "xy", "bad \uFFFD utf-8"} {
		if got.FAQs[i].Answer != wantAnswer {
			t.Errorf("FAQ %d answer %q, want %q", i, got.FAQs[i].Answer, wantAnswer)
		}
	}
	if got.FAQs[1].Question != "q\nwith newline" || got.FAQs[2].Question != "- q" {
		t.Errorf("questions %q, %q", got.FAQs[1].Question, got.FAQs[2].Question)
	}
}

func TestKBWriteYAMLLayout(t *testing.T) {
	f := &File{
		FAQs: []FAQ{{
			ID:         "skck",
			Category:   "Kepolisian",
			Unit:       "polres",
			Question:   "Bagaimana cara membuat SKCK?",
			Alternates: []string{"Syarat SKCK: apa saja?"},
			Keywords:   []string{"skck", "kelakuan baik"},
			Answer:     "**Persyaratan:**\n- Fotokopi KTP\n\n# Catatan: \"gratis\"",
		}, {
			ID:       "jam",
			Question: "Jam buka? 🙏",
			Keywords: []string{"jam 🕗", "\ue000"},
			Answer:   "  Senin–Jumat 😀",
		}},
		Synonyms: [][]string{{"skck", "surat kelakuan baik"}},
	}
	want := `faqs:
  - id: skck
    category: Kepolisian
    unit: polres
    question: Bagaimana cara membuat SKCK?
    alternates:
      - 'Syarat SKCK: apa saja?'
    keywords: [skck, kelakuan baik]
    answer: |
      **Persyaratan:**
      - Fotokopi KTP

      # Catatan: "gratis"

  - id: jam
    question: Jam buka? 🙏
    keywords: [jam 🕗, ` + "\ue000" + `]
    answer: |2
        Senin–Jumat 😀

synonyms:
  - [skck, surat kelakuan baik]
`
	var buf bytes.Buffer
	if err := f.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("WriteYAML =\n%s\nwant\n%s", buf.String(), want)
	}
	roundTripKB(t, f)

	buf.Reset()
	if err := (&File{}).WriteYAML(&buf); err != nil || buf.String() != "faqs: []\n" {
		t.Errorf("empty file: %q, %v", buf.String(), err)
	}
}

func TestKBWriteJSON(t *testing.T) {
	f := &File{FAQs: []FAQ{{ID: "a", Question: "<q> & co", Answer: "x"}}}
	var buf bytes.Buffer
	if err := f.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "faqs": [
    {
      "id": "a",
      "question": "<q> & co",
      "answer": "x"
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("WriteJSON =\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := (&File{}).WriteJSON(&buf); err != nil || !json.Valid(buf.Bytes()) || !strings.Contains(buf.String(), `"faqs": []`) {
		t.Errorf("empty file: %q, %v", buf.String(), err)
	}
}

type kbFailingWriter struct{}

func (kbFailingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestKBWriteErrors(t *testing.T) {
	f := &File{FAQs: []FAQ{{ID: "a", Question: "q", Answer: "x"}}}
	for name, err := range map[string]error{"yaml": f.WriteYAML(kbFailingWriter{}), "json": f.WriteJSON(kbFailingWriter{})} {
		if err == nil || !strings.HasPrefix(err.Error(), "knowledge: write "+name+": ") || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzParseFileRoundTrip checks that ParseFile never panics and that whatever it
// accepts is written back (YAML and JSON) to something it reads as the same File.
func FuzzParseFileRoundTrip(f *testing.F) {
	f.Add([]byte(kbFAQ))
	f.Add([]byte("faqs:\n  - id: a\n    question: ' q '\n    answer: |2\n        x\n      # y\n\n    keywords: [a, A, '']\nsynonyms:\n  - [a, b]\n"))
	f.Add([]byte(`{"faqs": [{"id": "a", "question": "q", "answer": "x\ty \n\u2028z"}]}`))
	f.Add([]byte(`{"faqs":[{"id":"0","question":"0","answer":"\u20280"}]}`))
	f.Add([]byte("faqs:\n  - &a\n    id: a\n    question: q\n    answer: a\n  - <<: *a\n    id: b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := ParseFile("", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 || kb != nil {
				t.Fatalf("bad error %T %v (file %v)", err, err, kb)
			}
			return
		}
		roundTripKB(t, kb)
	})
}
