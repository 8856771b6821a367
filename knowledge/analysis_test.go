package knowledge

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

func testAnalyzer(t testing.TB, phrases ...string) analysis.Analyzer {
	t.Helper()
	m, err := newMapping(phrases)
	if err != nil {
		t.Fatal(err)
	}
	return m.AnalyzerNamed(AnalyzerName)
}

func TestAnalysisChain(t *testing.T) {
	an := testAnalyzer(t, "kartu keluarga")
	tests := []struct {
		name, in string
		want     []string
	}{
		{"caps and slang", "KTP SAYA HILANG GIMANA NGURUSNYA", []string{"ktp", "hilang", "urus"}},
		{"abbreviations", "gmn bikin kk, ank sy blm msk", []string{"buat", "kk", "anak", "belum", "masuk"}},
		{"repeated letters", "tolongggg dong ktp sayaaaa ilanggg", []string{"tolong", "ktp", "hilang"}},
		{"glued number", "umur 17thn", []string{"umur", "17", "tahun"}},
		{"regional", "piye carane mbayar pajek montor", []string{"cara", "bayar", "pajak", "motor"}},
		{"emoji and punctuation", "ktp?!! 😭🙏 …", []string{"ktp"}},
		{"phrase joined beside its words", "syarat kartu keluarga baru", []string{"syarat", "kartu", "keluarga", "baru", "kartu_keluarga"}},
		{"meaningful stop words kept", "ktp baru belum jadi", []string{"ktp", "baru", "belum", "jadi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analyze(an, tt.in)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("analyze(%q) = %v, missing %q", tt.in, got, w)
				}
			}
		})
	}
}

func TestNormalizeHelpers(t *testing.T) {
	for in, want := range map[string]string{"tolongggg": "tolong", "maaaaf": "maaf", "ktp": "ktp", "aaa": "a"} {
		if got := collapseRepeats(in); got != want {
			t.Errorf("collapseRepeats(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][]string{"17thn": {"17", "thn"}, "4x6": {"4", "x", "6"}, "2x": {"2", "x"}, "ktp": {"ktp"}, "2024": {"2024"}} {
		if got := splitDigits(in); !slices.Equal(got, want) {
			t.Errorf("splitDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTypoCorrectionAndSplitting(t *testing.T) {
	ix, err := NewIndex([]FAQ{
		{ID: "sim", Question: "Bagaimana cara memperpanjang SIM?", Answer: "Di Satpas."},
		{ID: "paspor", Question: "Bagaimana cara membuat paspor?", Answer: "Di kantor imigrasi."},
		{ID: "kir", Question: "Di mana lokasi uji kir kendaraan?", Answer: "Di Dishub."},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := ix.cur.Load()
	for q, want := range map[string]string{
		"perpanjnag sim":   "panjang", // transposed letters
		"pasport baru":     "paspor",  // lexicon or typo
		"imigrsai":         "imigrasi",
		"carabikin paspor": "cara", // glued words split
		"ujikir":           "kir",
	} {
		got := s.analyseQuestion(q).known
		if !slices.Contains(got, want) {
			t.Errorf("analyseQuestion(%q).known = %v, want %q among them", q, got, want)
		}
	}
	if got := s.correct("baik"); got != "" {
		t.Errorf("a 4-letter word was corrected to %q", got)
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"ktp", "kpt", 1}, {"paspor", "pasport", 1}, {"kartu", "kartu", 0}, {"abc", "xyz", 3}, {"perpanjang", "perpanjnag", 1}}
	for _, tt := range tests {
		if got := osaDistance([]rune(tt.a), []rune(tt.b), 3); got != tt.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzAnalyze feeds arbitrary Unicode through the whole analysis chain: it must not
// panic, and every term must be valid UTF-8, non-empty and free of spaces.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"gmn bikin kk", "KTP-el 17thn!!", "🙏🙏", "\x00\xff", "aaaaaaaaaa", "ﷺ ǅ Ⅻ ①", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	an := testAnalyzer(f, "kartu keluarga", "surat keterangan catatan kepolisian")
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range analyzeAll(an, s) {
			if term == "" || !utf8.ValidString(term) || strings.ContainsAny(term, " \t\n") {
				t.Fatalf("analyze(%q) gave term %q", s, term)
			}
		}
	})
}

// FuzzSearch runs arbitrary questions through the query builder and search: no
// panic, no error, a known decision, at most MaxHits hits.
func FuzzSearch(f *testing.F) {
	ix, err := NewIndex([]FAQ{
		{ID: "skck", Question: "Bagaimana cara membuat SKCK?", Keywords: []string{"skck"}, Answer: "Ke Polres."},
		{ID: "kk", Question: "Bagaimana membuat kartu keluarga baru?", Answer: "Ke Disdukcapil."},
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"skck", `title:"x" +a -b ~2 *`, "", "halo", "perpanjangskck", "\u202e\u0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		res, err := ix.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		switch res.Decision {
		case DecisionAnswer, DecisionClarify, DecisionEscalate, DecisionSmalltalk:
		default:
			t.Fatalf("Search(%q) decision %q", q, res.Decision)
		}
		if len(res.Hits) > MaxHits || (res.Decision == DecisionAnswer && len(res.Hits) == 0) {
			t.Fatalf("Search(%q) = %+v", q, res)
		}
	})
}
