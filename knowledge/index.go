package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Index is the in-memory search index over the knowledge base. It is derived from the
// FAQs (never the only copy) and rebuilt and swapped whole when they change, so
// searches never wait for a rebuild and never see half of one.
type Index struct {
	cur atomic.Pointer[snapshot]
}

// snapshot is one immutable generation of the index.
type snapshot struct {
	idx      bleve.Index
	analyzer analysis.Analyzer
	faqs     map[string]*entry
	order    []string // FAQ ids in knowledge-base order
	// vocab holds every term of the knowledge base: a question's words outside it
	// (slang, typos, off-topic words) cannot be matched by any FAQ.
	vocab map[string]bool
}

// entry is an FAQ with the analysed terms of its question fields, used to measure how
// much of a question an FAQ covers.
type entry struct {
	FAQ
	terms map[string]bool
}

// doc is what Bleve indexes for one FAQ.
type doc struct {
	Question   string `json:"question"`
	Alternates string `json:"alternates"`
	Keywords   string `json:"keywords"`
	Answer     string `json:"answer"`
	Category   string `json:"category"`
}

// batchSize bounds Bleve batches: an in-memory scorch index never merges segments, and
// one huge batch costs much memory.
const batchSize = 1000

// retireAfter is how long a replaced generation stays open for searches in flight.
const retireAfter = 30 * time.Second

// NewIndex builds an index over faqs.
func NewIndex(faqs []FAQ) (*Index, error) {
	ix := &Index{}
	if err := ix.Rebuild(faqs); err != nil {
		return nil, err
	}
	return ix, nil
}

// Rebuild builds a new generation of the index from faqs and swaps it in.
func (ix *Index) Rebuild(faqs []FAQ) error {
	s, err := build(faqs)
	if err != nil {
		return err
	}
	if old := ix.cur.Swap(s); old != nil {
		// Searches that already hold the old generation finish on it; close it once
		// they surely have, which stops its background goroutines.
		time.AfterFunc(retireAfter, func() { _ = old.idx.Close() })
	}
	return nil
}

// Len returns the number of FAQs in the index.
func (ix *Index) Len() int {
	s := ix.cur.Load()
	if s == nil {
		return 0
	}
	return len(s.order)
}

// FAQ returns the FAQ with the given id from the index.
func (ix *Index) FAQ(id string) (FAQ, bool) {
	s := ix.cur.Load()
	if s == nil {
		return FAQ{}, false
	}
	e, ok := s.faqs[id]
	if !ok {
		return FAQ{}, false
	}
	return e.FAQ, true
}

// Categories returns the categories in knowledge-base order, each with its FAQs.
func (ix *Index) Categories() []Category {
	s := ix.cur.Load()
	if s == nil {
		return nil
	}
	var out []Category
	pos := map[string]int{}
	for _, id := range s.order {
		f := s.faqs[id].FAQ
		name := f.Category
		if name == "" {
			name = "Lainnya"
		}
		i, ok := pos[name]
		if !ok {
			i = len(out)
			pos[name] = i
			out = append(out, Category{Name: name})
		}
		out[i].FAQs = append(out[i].FAQs, f)
	}
	return out
}

// Category is a named group of FAQs.
type Category struct {
	Name string
	FAQs []FAQ
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzer(m); err != nil {
		return nil, fmt.Errorf("knowledge: analyzer: %w", err)
	}
	m.DefaultAnalyzer = AnalyzerName
	m.ScoringModel = "bm25"
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = true
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, name := range []string{"question", "alternates", "keywords", "answer", "category"} {
		dm.AddFieldMappingsAt(name, text())
	}
	m.DefaultMapping = dm
	return m, nil
}

func build(faqs []FAQ) (*snapshot, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("knowledge: new index: %w", err)
	}
	an := m.AnalyzerNamed(AnalyzerName)
	if an == nil {
		return nil, fmt.Errorf("knowledge: analyzer %q missing", AnalyzerName)
	}
	s := &snapshot{idx: idx, analyzer: an, faqs: make(map[string]*entry, len(faqs)), vocab: map[string]bool{}}
	b := idx.NewBatch()
	for _, f := range faqs {
		if _, dup := s.faqs[f.ID]; dup {
			return nil, fmt.Errorf("knowledge: duplicate FAQ id %q", f.ID)
		}
		e := &entry{FAQ: f, terms: map[string]bool{}}
		for _, t := range analyze(an, strings.Join(slices.Concat([]string{f.Question, f.Category}, f.Alternates, f.Keywords), "\n")) {
			e.terms[t] = true
			s.vocab[t] = true
		}
		for _, t := range analyze(an, f.Answer) {
			s.vocab[t] = true
		}
		s.faqs[f.ID] = e
		s.order = append(s.order, f.ID)
		if err := b.Index(f.ID, doc{
			Question:   f.Question,
			Alternates: strings.Join(f.Alternates, "\n"),
			Keywords:   strings.Join(f.Keywords, "\n"),
			Answer:     f.Answer,
			Category:   f.Category,
		}); err != nil {
			return nil, fmt.Errorf("knowledge: index %s: %w", f.ID, err)
		}
		if b.Size() >= batchSize {
			if err := idx.Batch(b); err != nil {
				return nil, fmt.Errorf("knowledge: index batch: %w", err)
			}
			b = idx.NewBatch()
		}
	}
	if err := idx.Batch(b); err != nil {
		return nil, fmt.Errorf("knowledge: index batch: %w", err)
	}
	return s, nil
}

// analyze returns the distinct terms of text under the analyzer, in order.
func analyze(an analysis.Analyzer, text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, tok := range an.Analyze([]byte(text)) {
		t := string(tok.Term)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
