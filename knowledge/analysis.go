package knowledge

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Loket's analysis chain, the same at index and query time:
//
//	ASCII folding → Unicode word tokens → lower case → loket_normalize (repeated
//	letters, numbers glued to words) → loket_slang (slang, abbreviations, regional and
//	English words to standard Indonesian) → loket_stop_id (stop words, less the
//	meaningful ones) → loket_stem (Indonesian stemmer) → loket_phrase (multi-word
//	synonym terms joined into one token, beside their words)
//
// Every component is registered with Bleve's registry (in init, Bleve's way); the
// phrase filter is configured per index with the current synonym phrases.
const (
	// AnalyzerName is the analyzer of every text field.
	AnalyzerName = "loket_id"
	// termsAnalyzerName splits already-analysed terms on spaces: queries are analysed
	// once by us (to correct typos) and handed to Bleve as terms.
	termsAnalyzerName = "loket_terms"

	normalizeName = "loket_normalize"
	slangName     = "loket_slang"
	stopName      = "loket_stop_id"
	stemName      = "loket_stem"
	phraseType    = "loket_phrase"
)

// meaningfulStopWords are in Bleve's Indonesian stop list but tell FAQs apart
// ("KTP hilang" vs "KTP baru", "belum punya", "tidak bisa", "berapa lama").
var meaningfulStopWords = map[string]bool{
	"baru": true, "belum": true, "hilang": true, "lama": true, "tidak": true,
	"bisa": true, "berapa": true, "kapan": true, "dimana": true, "mana": true,
	"lagi": true, "ganti": true, "masih": true, "sudah": true, "pertama": true,
	"akhir": true, "awal": true, "bulan": true, "tahun": true, "hari": true,
	"jam": true, "biaya": true, "syarat": true, "umum": true, "dulu": true,
	"ingin": true, "mulai": true, "keluar": true, "masuk": true, "pindah": true,
	"kembali": true, "tanpa": true, "online": true, "cepat": true, "lewat": true,
	"bayar": true, "anak": true, "lahir": true, "mati": true, "orang": true,
	"tua": true, "nama": true, "rumah": true, "kerja": true, "buka": true,
	"tutup": true, "diri": true, "luar": true, "dalam": true, "beda": true,
	"sama": true, "terlambat": true, "cara": true, "buat": true, "dapat": true,
	"sebab": true, "mengapa": true, "kenapa": true, "mampu": true, "kecil": true,
	"dekat": true, "depan": true, "sendiri": true, "lain": true, "siapa": true,
}

func stopTokenMap(_ map[string]any, _ *registry.Cache) (analysis.TokenMap, error) {
	base := analysis.NewTokenMap()
	if err := base.LoadBytes(id.IndonesianStopWords); err != nil {
		return nil, err
	}
	out := analysis.NewTokenMap()
	for w := range base {
		if !meaningfulStopWords[strings.ToLower(w)] {
			out.AddToken(w)
		}
	}
	return out, nil
}

func stopFilter(_ map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	tm, err := cache.TokenMapNamed(stopName)
	if err != nil {
		return nil, err
	}
	return stop.NewStopTokensFilter(tm), nil
}

// filterFunc adapts a function to Bleve's TokenFilter.
type filterFunc func(analysis.TokenStream) analysis.TokenStream

func (f filterFunc) Filter(in analysis.TokenStream) analysis.TokenStream { return f(in) }

func constant(f filterFunc) registry.TokenFilterConstructor {
	return func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return f, nil }
}

// Registering analysis components in init is Bleve's way: its registry is global.
func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenMap(stopName, stopTokenMap))
	must(registry.RegisterTokenFilter(stopName, stopFilter))
	must(registry.RegisterTokenFilter(normalizeName, constant(normalizeTokens)))
	must(registry.RegisterTokenFilter(slangName, constant(slangTokens)))
	must(registry.RegisterTokenFilter(stemName, constant(stemTokens)))
	must(registry.RegisterTokenFilter(phraseType, newPhraseFilter))
}

// addAnalyzers adds Loket's analyzers to an index mapping; phrases are the
// multi-word synonym terms, each as its analysed words joined by spaces.
func addAnalyzers(m *mapping.IndexMappingImpl, phrases []string) error {
	list := make([]any, len(phrases))
	for i, p := range phrases {
		list[i] = p
	}
	if err := m.AddCustomTokenFilter("loket_phrases", map[string]any{"type": phraseType, "phrases": list}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(AnalyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicodetok.Name,
		"token_filters": []string{lowercase.Name, normalizeName, slangName, stopName, stemName, "loket_phrases"},
	}); err != nil {
		return err
	}
	return m.AddCustomAnalyzer(termsAnalyzerName, map[string]any{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	})
}

// renumber gives tokens consecutive positions after a filter added or removed some.
func renumber(ts analysis.TokenStream) analysis.TokenStream {
	for i, t := range ts {
		t.Position = i + 1
	}
	return ts
}

// normalizeTokens collapses letters repeated three times or more ("tolongggg") and
// splits numbers glued to words ("17thn" → "17" "thn", "4x6" → "4" "x" "6").
func normalizeTokens(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for _, t := range in {
		term := collapseRepeats(string(t.Term))
		for _, part := range splitDigits(term) {
			out = append(out, &analysis.Token{Term: []byte(part), Start: t.Start, End: t.End, Type: t.Type})
		}
	}
	return renumber(out)
}

// collapseRepeats shortens runs of three or more of the same letter: to two when that
// makes a known word ("maaaaf" → "maaf"), else to one ("tolongggg" → "tolong").
func collapseRepeats(s string) string {
	if !hasRun(s) {
		return s
	}
	var one, two strings.Builder
	var prev rune
	run := 0
	for _, r := range s {
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		if run <= 1 || (run == 2 && !unicode.IsLetter(r)) {
			one.WriteRune(r)
		}
		if run <= 2 {
			two.WriteRune(r)
		}
	}
	if known(two.String()) && !known(one.String()) {
		return two.String()
	}
	return one.String()
}

func hasRun(s string) bool {
	var a, b rune
	for _, r := range s {
		if r == a && r == b && unicode.IsLetter(r) {
			return true
		}
		a, b = b, r
	}
	return false
}

// splitDigits splits a token where letters and digits meet.
func splitDigits(s string) []string {
	var parts []string
	start := 0
	var prevDigit bool
	for i, r := range s {
		d := unicode.IsDigit(r)
		if i > 0 && d != prevDigit {
			parts = append(parts, s[start:i])
			start = i
		}
		prevDigit = d
	}
	return append(parts, s[start:])
}

// slangTokens replaces slang, abbreviations, regional and English words by standard
// Indonesian, dropping pure fillers ("min", "dong").
func slangTokens(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for _, t := range in {
		words, ok := slangFor(string(t.Term))
		if !ok {
			out = append(out, t)
			continue
		}
		for _, w := range words {
			out = append(out, &analysis.Token{Term: []byte(w), Start: t.Start, End: t.End, Type: t.Type})
		}
	}
	return renumber(out)
}

// stemTokens reduces words to their roots.
func stemTokens(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if s := stemFor(string(t.Term)); s != "" && s != string(t.Term) {
			t.Term = []byte(s)
		}
	}
	return in
}

// phraseSep joins the words of a multi-word synonym term into one token.
const phraseSep = "_"

// phraseFilter adds, for every occurrence of a known phrase, one token that stands for
// the whole phrase (its words joined by "_"), keeping the words themselves.
type phraseFilter struct {
	// byFirst maps a phrase's first word to the phrases' word lists, longest first.
	byFirst map[string][][]string
}

func newPhraseFilter(config map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
	f := &phraseFilter{byFirst: map[string][][]string{}}
	list, _ := config["phrases"].([]any)
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("knowledge: phrase filter: %v is not a string", v)
		}
		words := strings.Fields(s)
		if len(words) < 2 {
			continue
		}
		f.byFirst[words[0]] = append(f.byFirst[words[0]], words)
	}
	for _, ps := range f.byFirst {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	return f, nil
}

func (f *phraseFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	if len(f.byFirst) == 0 {
		return in
	}
	out := in
	for i, t := range in {
		for _, words := range f.byFirst[string(t.Term)] {
			if i+len(words) > len(in) || !matchAt(in, i, words) {
				continue
			}
			out = append(out, &analysis.Token{
				Term:  []byte(strings.Join(words, phraseSep)),
				Start: t.Start, End: in[i+len(words)-1].End,
				Position: t.Position, Type: t.Type,
			})
			break
		}
	}
	return out
}

func matchAt(ts analysis.TokenStream, i int, words []string) bool {
	for j, w := range words {
		if string(ts[i+j].Term) != w {
			return false
		}
	}
	return true
}

// isWordy reports whether a term has a letter (numbers are never typo-corrected).
func isWordy(term string) bool {
	for _, r := range term {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
