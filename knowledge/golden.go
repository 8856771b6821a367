package knowledge

import (
	"context"
	"strings"
)

// ExpectNone is a golden case's expected id when nothing in the knowledge base answers
// the question: the bot must not answer it, it offers an officer.
const ExpectNone = "none"

// GoldenReport is the outcome of running golden questions against an index.
//
// A case expecting an id the index does not hold still counts as in scope (it can
// never be right, so it shows as a miss) and its id is listed in UnknownExpect.
type GoldenReport struct {
	// Cases is the number of golden questions; InScope expect an FAQ, OutOfScope
	// expect none.
	Cases      int `json:"cases"`
	InScope    int `json:"in_scope"`
	OutOfScope int `json:"out_of_scope"`
	// Top1 and Hit3 count the in-scope cases whose expected FAQ is the first hit, or
	// among the first three.
	Top1 int `json:"top1"`
	Hit3 int `json:"hit3"`
	// Answered counts the answer decisions (all cases); Wrong those whose first hit is
	// not the expected FAQ, out-of-scope cases included.
	Answered int `json:"answered"`
	Wrong    int `json:"wrong"`
	// Caught counts the out-of-scope cases decided neither answer nor clarify.
	Caught int `json:"caught"`
	// Misses lists, in case order, every in-scope case whose expected FAQ was not
	// first and every wrong answer (a case is listed once).
	Misses []GoldenMiss `json:"misses"`
	// UnknownExpect lists the expected ids the index does not hold (a typo in the
	// cases file), each once, in order of first use.
	UnknownExpect []string `json:"unknown_expect"`
}

// GoldenMiss is a golden case the search got wrong: the question, the expected id
// ("none" for an out-of-scope case that was answered), the decision and the ranked hits.
type GoldenMiss struct {
	Q        string   `json:"q"`
	Expect   string   `json:"expect"`
	Decision Decision `json:"decision"`
	Got      []Hit    `json:"got"`
}

// ratio returns n/d, or 0 when d is 0.
func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Top1Rate is the share of in-scope cases whose first hit is the expected FAQ; 0 when
// there are no in-scope cases.
func (r GoldenReport) Top1Rate() float64 { return ratio(r.Top1, r.InScope) }

// Hit3Rate is the share of in-scope cases with the expected FAQ among the first three
// hits; 0 when there are no in-scope cases.
func (r GoldenReport) Hit3Rate() float64 { return ratio(r.Hit3, r.InScope) }

// WrongRate is the share of answer decisions whose first hit is not the expected FAQ;
// 0 when nothing was answered.
func (r GoldenReport) WrongRate() float64 { return ratio(r.Wrong, r.Answered) }

// CaughtRate is the share of out-of-scope cases decided neither answer nor clarify; 0
// when there are no out-of-scope cases.
func (r GoldenReport) CaughtRate() float64 { return ratio(r.Caught, r.OutOfScope) }

// isNone reports whether a case's expected id means "nothing answers it".
func isNone(expect string) bool { return strings.EqualFold(strings.TrimSpace(expect), ExpectNone) }

// RunGolden searches every golden question in ix and scores the results as the
// evaluation README describes: top-1 and hit@3 over in-scope cases, wrong answers over
// answer decisions, out-of-scope caught over cases expecting none.
func RunGolden(ctx context.Context, ix *Index, cases []Case) (GoldenReport, error) {
	r := GoldenReport{Cases: len(cases), Misses: []GoldenMiss{}, UnknownExpect: []string{}}
	unknown := map[string]bool{}
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return GoldenReport{}, err
		}
		res, err := ix.Search(ctx, c.Q)
		if err != nil {
			return GoldenReport{}, err
		}
		expect := strings.TrimSpace(c.Expect)
		none := isNone(expect)
		first := ""
		if len(res.Hits) > 0 {
			first = res.Hits[0].ID
		}
		miss := false
		if none {
			expect = ExpectNone
			r.OutOfScope++
			if res.Decision != DecisionAnswer && res.Decision != DecisionClarify {
				r.Caught++
			}
		} else {
			r.InScope++
			if _, ok := ix.FAQ(expect); !ok && !unknown[expect] {
				unknown[expect] = true
				r.UnknownExpect = append(r.UnknownExpect, expect)
			}
			if first == expect {
				r.Top1++
			} else {
				miss = true
			}
			for i, h := range res.Hits {
				if i >= 3 {
					break
				}
				if h.ID == expect {
					r.Hit3++
					break
				}
			}
		}
		if res.Decision == DecisionAnswer {
			r.Answered++
			if none || first != expect {
				r.Wrong++
				miss = true
			}
		}
		if miss {
			got := res.Hits
			if got == nil {
				got = []Hit{}
			}
			r.Misses = append(r.Misses, GoldenMiss{Q: c.Q, Expect: expect, Decision: res.Decision, Got: got})
		}
	}
	return r, nil
}
