package knowledge

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// AnalyzerName is the name of Loket's Indonesian analyzer in the index mapping. The
// same analyzer runs at index and at query time.
const AnalyzerName = "loket_id"

// stopName names Loket's Indonesian stop-word list: Bleve's list less the words that
// carry meaning in a citizen's question.
const stopName = "loket_stop_id"

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
	"bayar": true, "anak": true,
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

func stopFilter(config map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	tm, err := cache.TokenMapNamed(stopName)
	if err != nil {
		return nil, err
	}
	return stop.NewStopTokensFilter(tm), nil
}

// Registering analysis components in init is Bleve's way: the registry is global.
func init() {
	if err := registry.RegisterTokenMap(stopName, stopTokenMap); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(stopName, stopFilter); err != nil {
		panic(err)
	}
}

// addAnalyzer adds Loket's analyzer to an index mapping.
func addAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(AnalyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, stopName},
	})
}
