package knowledge

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Index is the in-memory search index over the knowledge base. It is derived from the
// FAQs and synonyms (never the only copy) and rebuilt and swapped whole when they
// change, so searches never wait for a rebuild and never see half of one.
type Index struct {
	cur atomic.Pointer[snapshot]
}

// snapshot is one immutable generation of the index.
type snapshot struct {
	idx      bleve.Index
	analyzer analysis.Analyzer
	faqs     map[string]*entry
	order    []string // FAQ ids in knowledge-base order
	// vocab counts, for every term of the knowledge base (synonym terms included), the
	// FAQs that use it: a question's words outside it cannot match any FAQ, and typo
	// corrections prefer common terms.
	vocab map[string]int
	// byLen lists the vocabulary by term length, for typo correction.
	byLen map[int][]string
	// synonyms maps a term to the terms equivalent to it.
	synonyms map[string][]string
	// df counts the FAQs whose question fields hold a term.
	df map[string]int
	// ids numbers the vocabulary for the compact term sets.
	ids map[string]int32
}

// entry is an FAQ with the analysed terms of its question fields, used to measure how
// much of a question an FAQ covers.
type entry struct {
	FAQ
	// terms are the terms of the question, alternates, keywords and category.
	terms termSet
	// answerTerms are the terms of the answer body.
	answerTerms termSet
}

// termSet is a compact set of terms: their ids in the snapshot's vocabulary, sorted.
type termSet []int32

func (ts termSet) has(id int32) bool {
	_, ok := slices.BinarySearch(ts, id)
	return ok
}

// newTermSet returns the set of the tokens' terms, giving new terms ids.
func (s *snapshot) newTermSet(tokens analysis.TokenStream) termSet {
	ts := make(termSet, 0, len(tokens))
	for _, t := range tokens {
		ts = append(ts, s.id(string(t.Term)))
	}
	slices.Sort(ts)
	return slices.Clip(slices.Compact(ts))
}

// id returns a term's id, giving it one if it has none.
func (s *snapshot) id(term string) int32 {
	if id, ok := s.ids[term]; ok {
		return id
	}
	id := int32(len(s.ids))
	s.ids[term] = id
	return id
}

// Bleve indexes two fields per FAQ: "head", the question with everything that says
// what it is about (alternates, keywords, category), and "answer".
const fieldOptions = index.IndexField | index.IncludeTermVectors

// analyzed hands Bleve tokens already produced by Loket's analyzer.
type analyzed analysis.TokenStream

func (a analyzed) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(a) }

const (
	// batchSize bounds Bleve batches: an in-memory scorch index never merges
	// segments, and one huge batch costs much memory.
	batchSize = 1000
	// retireAfter is how long a replaced generation stays open for searches in flight.
	retireAfter = 30 * time.Second
	// freeMemoryFrom is the knowledge-base size from which a rebuild returns its
	// temporary memory to the system at once.
	freeMemoryFrom = 1000
	// synonymSource and synonymCollection name the thesaurus in the index.
	synonymSource     = "loket_synonyms"
	synonymCollection = "loket"
)

// NewIndex builds an index over faqs with the built-in synonyms and the given
// synonym sets (each a list of equivalent terms, single or multi-word).
func NewIndex(faqs []FAQ, synonyms ...[]string) (*Index, error) {
	ix := &Index{}
	if err := ix.Rebuild(faqs, synonyms...); err != nil {
		return nil, err
	}
	return ix, nil
}

// Rebuild builds a new generation of the index and swaps it in.
func (ix *Index) Rebuild(faqs []FAQ, synonyms ...[]string) error {
	s, err := build(faqs, slices.Concat(StarterSynonyms(), synonyms))
	if err != nil {
		return err
	}
	if old := ix.cur.Swap(s); old != nil {
		// Searches that already hold the old generation finish on it; close it once
		// they surely have, which stops its background goroutines.
		time.AfterFunc(retireAfter, func() { _ = old.idx.Close() })
	}
	// Building takes several times the memory the index keeps: give it back to the
	// system, so a large knowledge base does not keep the process's peak resident.
	if len(faqs) >= freeMemoryFrom {
		debug.FreeOSMemory()
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

// Category is a named group of FAQs.
type Category struct {
	Name string
	FAQs []FAQ
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

// newMapping returns the index mapping; phrases are the multi-word synonym terms.
func newMapping(phrases []string) (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m, phrases); err != nil {
		return nil, fmt.Errorf("knowledge: analyzers: %w", err)
	}
	if err := m.AddSynonymSource(synonymSource, map[string]any{
		"collection": synonymCollection, "analyzer": termsAnalyzerName,
	}); err != nil {
		return nil, fmt.Errorf("knowledge: synonym source: %w", err)
	}
	m.DefaultAnalyzer = AnalyzerName
	m.ScoringModel = "bm25"
	dm := bleve.NewDocumentStaticMapping()
	for _, name := range []string{"head", "answer"} {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.SynonymSource = synonymSource
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = true
		dm.AddFieldMappingsAt(name, f)
	}
	m.DefaultMapping = dm
	return m, nil
}

// analyzedSynonyms analyses synonym sets into index terms: a one-word term is its
// analysed word, a multi-word term the token the phrase filter makes of it. It also
// returns the multi-word terms as analysed phrases for the phrase filter.
func analyzedSynonyms(sets [][]string) (terms [][]string, phrases []string, err error) {
	m, err := newMapping(nil)
	if err != nil {
		return nil, nil, err
	}
	an := m.AnalyzerNamed(AnalyzerName)
	seenPhrase := map[string]bool{}
	for _, set := range sets {
		var out []string
		for _, term := range set {
			words := analyzeAll(an, term)
			switch {
			case len(words) == 0:
				continue
			case len(words) > 1:
				p := strings.Join(words, " ")
				if !seenPhrase[p] {
					seenPhrase[p] = true
					phrases = append(phrases, p)
				}
			}
			t := strings.Join(words, phraseSep)
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		if len(out) >= 2 {
			terms = append(terms, out)
		}
	}
	return terms, phrases, nil
}

func build(faqs []FAQ, synonymSets [][]string) (*snapshot, error) {
	synTerms, phrases, err := analyzedSynonyms(synonymSets)
	if err != nil {
		return nil, err
	}
	m, err := newMapping(phrases)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("knowledge: new index: %w", err)
	}
	an := m.AnalyzerNamed(AnalyzerName)
	s := &snapshot{
		idx: idx, analyzer: an, faqs: make(map[string]*entry, len(faqs)),
		vocab: map[string]int{}, byLen: map[int][]string{}, synonyms: map[string][]string{},
		df: map[string]int{}, ids: map[string]int32{},
	}
	b := idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("knowledge: index batch: %w", err)
		}
		b = idx.NewBatch()
		return nil
	}
	texts := analyzeFAQs(an, faqs)
	for i, f := range faqs {
		if _, dup := s.faqs[f.ID]; dup {
			return nil, fmt.Errorf("knowledge: duplicate FAQ id %q", f.ID)
		}
		head, headTokens, answerTokens := texts[i].head, texts[i].headTokens, texts[i].answerTokens
		e := &entry{FAQ: f, terms: s.newTermSet(headTokens), answerTerms: s.newTermSet(answerTokens)}
		for _, t := range distinctTerms(headTokens) {
			s.df[t]++
			s.vocab[t]++
		}
		for _, t := range distinctTerms(answerTokens) {
			if !e.terms.has(s.ids[t]) {
				s.vocab[t]++
			}
		}
		s.faqs[f.ID] = e
		s.order = append(s.order, f.ID)
		d := document.NewDocument(f.ID)
		d.AddField(document.NewTextFieldCustom("head", nil, []byte(head), fieldOptions, analyzed(headTokens)))
		d.AddField(document.NewTextFieldCustom("answer", nil, []byte(f.Answer), fieldOptions, analyzed(answerTokens)))
		if err := b.IndexAdvanced(d); err != nil {
			return nil, fmt.Errorf("knowledge: index %s: %w", f.ID, err)
		}
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	for i, set := range synTerms {
		for _, t := range set {
			if _, ok := s.vocab[t]; !ok {
				s.vocab[t] = 0
			}
			for _, o := range set {
				if o != t && !slices.Contains(s.synonyms[t], o) {
					s.synonyms[t] = append(s.synonyms[t], o)
				}
			}
		}
		if err := b.IndexSynonym(fmt.Sprintf("syn-%d", i), synonymCollection, &bleve.SynonymDefinition{Synonyms: set}); err != nil {
			return nil, fmt.Errorf("knowledge: index synonyms: %w", err)
		}
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for t := range s.vocab {
		if isWordy(t) && !strings.Contains(t, phraseSep) {
			n := len([]rune(t))
			s.byLen[n] = append(s.byLen[n], t)
		}
	}
	for _, ts := range s.byLen {
		slices.Sort(ts)
	}
	return s, nil
}

// analyzedFAQ is an FAQ's text as indexed, with its tokens.
type analyzedFAQ struct {
	head                     string
	headTokens, answerTokens analysis.TokenStream
}

// analyzeFAQs analyses every FAQ once, on all cores: the tokens feed both Loket's
// term statistics and Bleve.
func analyzeFAQs(an analysis.Analyzer, faqs []FAQ) []analyzedFAQ {
	out := make([]analyzedFAQ, len(faqs))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(faqs); i += workers {
				f := faqs[i]
				head := strings.Join(slices.Concat([]string{f.Question, f.Category}, f.Alternates, f.Keywords), "\n")
				out[i] = analyzedFAQ{head: head, headTokens: an.Analyze([]byte(head)), answerTokens: an.Analyze([]byte(f.Answer))}
			}
		}()
	}
	wg.Wait()
	return out
}

// distinctTerms returns the distinct terms of a token stream.
func distinctTerms(tokens analysis.TokenStream) []string {
	seen := make(map[string]bool, len(tokens))
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if term := string(t.Term); !seen[term] {
			seen[term] = true
			out = append(out, term)
		}
	}
	return out
}

// analyze returns the distinct terms of text under the analyzer, in order.
func analyze(an analysis.Analyzer, text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range analyzeAll(an, text) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// analyzeAll returns every term of text under the analyzer, in order.
func analyzeAll(an analysis.Analyzer, text string) []string {
	ts := an.Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, tok := range ts {
		if len(tok.Term) > 0 {
			out = append(out, string(tok.Term))
		}
	}
	return out
}
