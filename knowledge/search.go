package knowledge

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Decision is what the bot should do with a question.
type Decision string

// The decisions a search can reach.
const (
	// DecisionAnswer: one FAQ fits well; send its answer.
	DecisionAnswer Decision = "answer"
	// DecisionClarify: two or three FAQs fit about equally; ask which one was meant.
	DecisionClarify Decision = "clarify"
	// DecisionEscalate: nothing fits; say so and offer an officer.
	DecisionEscalate Decision = "escalate"
	// DecisionSmalltalk: a greeting, thanks or small talk; reply briefly and kindly.
	DecisionSmalltalk Decision = "smalltalk"
)

// Hit is one ranked FAQ for a question.
type Hit struct {
	ID       string  `json:"id"`
	Score    float64 `json:"score"`
	Question string  `json:"question"`
	Category string  `json:"-"`
	Unit     string  `json:"-"`
	// Coverage is the share of the question's known terms (those found anywhere in
	// the knowledge base) that the FAQ's question, alternates, keywords or category
	// contain, directly or through a synonym.
	Coverage float64 `json:"-"`
}

// Result is the outcome of a search: the decision and the ranked hits (at most MaxHits).
type Result struct {
	Decision Decision
	Hits     []Hit
}

// MaxHits is the number of ranked hits a search returns.
const MaxHits = 5

// Field boosts: the question and its alternates say what an FAQ is about; keywords
// less; the answer body least, because it mentions many things in passing.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{"question", 3},
	{"alternates", 2.5},
	{"keywords", 2},
	{"category", 1},
	{"answer", 0.6},
}

// Decision thresholds, measured on the evaluation sets (see README, "Answer quality").
const (
	// minCoverage is the share of a question's terms the best FAQ must contain to be
	// answered or offered.
	minCoverage = 0.5
	// minKnown is the share of a question's terms that must occur somewhere in the
	// knowledge base for the question to be answered at all.
	minKnown = 0.5
	// clarifyRatio: a runner-up scoring at least this share of the best one's score
	// makes the question ambiguous.
	clarifyRatio = 0.85
	// clarifyCoverageGap: a runner-up covering this much less of the question than
	// the best hit is not a real alternative.
	clarifyCoverageGap = 0.25
	// clarifyMax is the most FAQs offered when clarifying.
	clarifyMax = 3
)

// query is a question analysed for searching.
type analysedQuestion struct {
	// all are the question's terms after analysis, typo correction applied.
	all []string
	// known are those found in the knowledge base.
	known []string
}

// analyseQuestion analyses a question like the FAQs and corrects words the knowledge
// base does not know to the nearest ones it does.
func (s *snapshot) analyseQuestion(question string) analysedQuestion {
	var q analysedQuestion
	terms := analyze(s.analyzer, question)
	// A phrase's words are represented by the phrase's own token.
	inPhrase := map[string]bool{}
	for _, t := range terms {
		if strings.Contains(t, phraseSep) {
			for _, w := range strings.Split(t, phraseSep) {
				inPhrase[w] = true
			}
		}
	}
	for _, t := range terms {
		if inPhrase[t] {
			continue
		}
		if _, ok := s.vocab[t]; !ok && !known(t) {
			if c := s.correct(t); c != "" {
				t = c
			}
		}
		q.all = append(q.all, t)
		if _, ok := s.vocab[t]; ok {
			q.known = append(q.known, t)
		}
	}
	return q
}

// Search ranks the FAQs for a citizen's question and decides what to do with it. The
// question is analysed like the FAQs and matched term by term: its text is never
// parsed as query syntax.
func (ix *Index) Search(ctx context.Context, question string) (Result, error) {
	s := ix.cur.Load()
	if s == nil {
		return Result{Decision: DecisionEscalate}, nil
	}
	if isSmalltalk(question) {
		return Result{Decision: DecisionSmalltalk}, nil
	}
	q := s.analyseQuestion(question)
	if len(q.known) == 0 {
		return Result{Decision: DecisionEscalate}, nil
	}
	terms := strings.Join(q.known, " ")
	qs := make([]query.Query, 0, len(fieldBoosts))
	for _, fb := range fieldBoosts {
		m := bleve.NewMatchQuery(terms)
		m.SetField(fb.field)
		m.Analyzer = termsAnalyzerName
		m.SetBoost(fb.boost)
		qs = append(qs, m)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), MaxHits, 0, false)
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("knowledge: search: %w", err)
	}
	out := Result{Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		e, ok := s.faqs[h.ID]
		if !ok {
			continue
		}
		out.Hits = append(out.Hits, Hit{
			ID: h.ID, Score: h.Score, Question: e.Question, Category: e.Category, Unit: e.Unit,
			Coverage: s.coverage(e, q.known),
		})
	}
	out.Decision = decide(out.Hits, float64(len(q.known))/float64(len(q.all)))
	return out, nil
}

// coverage is the share of terms an FAQ's question fields contain, directly or
// through a synonym.
func (s *snapshot) coverage(e *entry, terms []string) float64 {
	matched := 0
	for _, t := range terms {
		if e.terms[t] {
			matched++
			continue
		}
		for _, syn := range s.synonyms[t] {
			if e.terms[syn] {
				matched++
				break
			}
		}
	}
	return float64(matched) / float64(len(terms))
}

// decide turns ranked hits into a decision; known is the share of the question's terms
// that occur in the knowledge base: a question mostly of other words is about
// something else.
func decide(hits []Hit, known float64) Decision {
	if len(hits) == 0 || hits[0].Coverage < minCoverage || known < minKnown {
		return DecisionEscalate
	}
	if len(hits) > 1 && nearTie(hits[0], hits[1]) {
		return DecisionClarify
	}
	return DecisionAnswer
}

// nearTie reports whether a runner-up fits about as well as the best hit: nearly the
// same score and not clearly less of the question covered.
func nearTie(best, h Hit) bool {
	return h.Score >= clarifyRatio*best.Score && h.Coverage >= minCoverage &&
		h.Coverage >= best.Coverage-clarifyCoverageGap
}

// ClarifyOptions returns the hits to offer when the decision is to clarify: the best
// one and the runners-up close to it.
func (r Result) ClarifyOptions() []Hit {
	var out []Hit
	for i, h := range r.Hits {
		if i >= clarifyMax {
			break
		}
		if i > 0 && !nearTie(r.Hits[0], h) {
			break
		}
		out = append(out, h)
	}
	return out
}
