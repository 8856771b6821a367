package knowledge

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
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
	// Overall is the weighted share of all the question's terms the FAQ contains:
	// words the knowledge base never uses count as missing, with the weight of the
	// rarest term.
	Overall float64 `json:"-"`
	// Coverage is the share of the question's known terms (those found anywhere in
	// the knowledge base) that the FAQ's question, alternates, keywords or category
	// contain, directly or through a synonym.
	Coverage float64 `json:"-"`
}

// Result is the outcome of a search: the decision and the ranked hits (at most MaxHits).
type Result struct {
	Decision Decision
	Hits     []Hit
	// Smalltalk says what kind of small talk the question is, for DecisionSmalltalk:
	// greeting, thanks, goodbye, affirm, deny, bot-question, abuse, mood or test.
	Smalltalk string
}

// MaxHits is the number of ranked hits a search returns.
const MaxHits = 5

// rerankDepth is how many of Bleve's best hits are re-ranked on coverage.
const rerankDepth = 20

// Re-ranking: an FAQ's score is Bleve's BM25 score times its coverage of the question
// raised to coverageExponent, where a term found only in the answer body counts
// answerTermWeight of a term in the question, alternates or keywords. Measured on
// the evaluation sets (see README, "Answer quality").
const (
	coverageExponent = 3
	answerTermWeight = 0.5
)

// Field boosts: what an FAQ is about (its question, alternates, keywords and
// category) weighs more than its answer body, which mentions many things in passing.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{"head", 3},
	{"answer", 0.6},
}

// Decision thresholds, tuned on the evaluation sets (see README, "Answer quality").
// The confidence of the best hit is its overall coverage of the question times one
// minus the runner-up's share of its score: high when the FAQ holds the question's
// words and no other FAQ comes close.
const (
	// answerConfidence: at or above it, the best FAQ is answered.
	answerConfidence = 0.45
	// clarifyCoverage: below answerConfidence, a best FAQ covering at least this much
	// of the question is offered with its close runners-up ("Maksud Anda yang mana?");
	// below it the question goes to an officer.
	clarifyCoverage = 0.55
	// clarifyRatio: runners-up scoring at least this share of the best are offered too.
	clarifyRatio = 0.5
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
			if parts := s.split(t); parts != nil {
				q.all = append(q.all, parts...)
				q.known = append(q.known, parts...)
				continue
			}
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
	if k := classifySmalltalk(question); k != smalltalkNone {
		return Result{Decision: DecisionSmalltalk, Smalltalk: k.String()}, nil
	}
	q := s.analyseQuestion(question)
	if len(q.known) == 0 {
		return Result{Decision: DecisionEscalate}, nil
	}
	terms := strings.Join(s.salient(q.known, maxQueryTerms), " ")
	qs := make([]query.Query, 0, len(fieldBoosts))
	for _, fb := range fieldBoosts {
		m := bleve.NewMatchQuery(terms)
		m.SetField(fb.field)
		m.Analyzer = termsAnalyzerName
		m.SetBoost(fb.boost)
		qs = append(qs, m)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), rerankDepth, 0, false)
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("knowledge: search: %w", err)
	}
	out := Result{Hits: make([]Hit, 0, len(res.Hits))}
	weights := s.weights(q.known)
	var known float64
	for _, w := range weights {
		known += w
	}
	unknownWeight := math.Log(1 + float64(len(s.order)))
	for _, h := range res.Hits {
		e, ok := s.faqs[h.ID]
		if !ok {
			continue
		}
		cov := s.coverage(e, q.known, weights)
		out.Hits = append(out.Hits, Hit{
			ID: h.ID, Score: h.Score * math.Pow(cov, coverageExponent), Question: e.Question, Category: e.Category, Unit: e.Unit,
			Coverage: cov, Overall: cov * known / (known + unknownWeight*float64(len(q.all)-len(q.known))),
		})
	}
	slices.SortStableFunc(out.Hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	if len(out.Hits) > MaxHits {
		out.Hits = out.Hits[:MaxHits]
	}
	out.Decision = decide(out.Hits)
	return out, nil
}

// Query terms sent to Bleve: a long story of a question is searched by its rarest
// words, and words found in many FAQs (more than commonTermShare of them, in large
// knowledge bases: "cara", "syarat") only when too few others are left: they rank
// little and cost the most. Every word still counts in re-ranking.
const (
	maxQueryTerms   = 8
	minQueryTerms   = 2
	commonTermShare = 0.1
	commonTermMin   = 200
)

// salient returns the terms worth sending to Bleve, in question order.
func (s *snapshot) salient(terms []string, n int) []string {
	byRarity := slices.Clone(terms)
	slices.SortStableFunc(byRarity, func(a, b string) int { return cmp.Compare(s.df[a], s.df[b]) })
	common := max(commonTermMin, int(commonTermShare*float64(len(s.order))))
	keep := map[string]bool{}
	for i, t := range byRarity {
		if i >= n || (i >= minQueryTerms && s.df[t] > common) {
			break
		}
		keep[t] = true
	}
	out := make([]string, 0, n)
	for _, t := range terms {
		if keep[t] {
			out = append(out, t)
		}
	}
	return out
}

// weights gives each term its inverse document frequency: rare words say more about
// what a question is about than common ones.
func (s *snapshot) weights(terms []string) []float64 {
	n := float64(len(s.order))
	w := make([]float64, len(terms))
	for i, t := range terms {
		w[i] = math.Log(1 + n/float64(1+s.df[t]))
	}
	return w
}

// coverage is the weighted share of terms an FAQ's question fields contain, directly
// or through a synonym.
func (s *snapshot) coverage(e *entry, terms []string, weights []float64) float64 {
	var matched, total float64
	for i, t := range terms {
		total += weights[i]
		switch {
		case s.hasTerm(e.terms, t):
			matched += weights[i]
		case s.hasTerm(e.answerTerms, t):
			matched += answerTermWeight * weights[i]
		}
	}
	if total == 0 {
		return 0
	}
	return matched / total
}

// hasTerm reports whether a term set holds t or one of its synonyms.
func (s *snapshot) hasTerm(set termSet, t string) bool {
	if id, ok := s.ids[t]; ok && set.has(id) {
		return true
	}
	for _, syn := range s.synonyms[t] {
		if id, ok := s.ids[syn]; ok && set.has(id) {
			return true
		}
	}
	return false
}

// confidence is how sure the search is of its best hit.
func confidence(hits []Hit) float64 {
	if len(hits) == 0 || hits[0].Score <= 0 {
		return 0
	}
	ratio := 0.0
	if len(hits) > 1 {
		ratio = hits[1].Score / hits[0].Score
	}
	return hits[0].Overall * (1 - ratio)
}

// decide turns ranked hits into a decision.
func decide(hits []Hit) Decision {
	switch {
	case len(hits) == 0:
		return DecisionEscalate
	case confidence(hits) >= answerConfidence:
		return DecisionAnswer
	case hits[0].Overall >= clarifyCoverage:
		return DecisionClarify
	default:
		return DecisionEscalate
	}
}

// ClarifyOptions returns the hits to offer when the decision is to clarify: the best
// one and the runners-up close to it.
func (r Result) ClarifyOptions() []Hit {
	var out []Hit
	for i, h := range r.Hits {
		if i >= clarifyMax || (i > 0 && h.Score < clarifyRatio*r.Hits[0].Score) {
			break
		}
		out = append(out, h)
	}
	return out
}
