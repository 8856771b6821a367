package console

// Before a change to the knowledge base is published, the golden questions are run
// against the live index and against a candidate index built with the change: if a
// passing one would fail, the editor is asked to confirm, and told which.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/loket-id/loket/knowledge"
)

// goldenCheck is what a change would do to the golden questions.
type goldenCheck struct {
	// Broken pass now and would fail; Fixed fail now and would pass.
	Broken, Fixed []caseView
	// Token identifies the change checked: a confirmation applies to it alone.
	Token string
	// Confirm is the form that applies the change anyway; nil when the page's own
	// form does (with the fields confirmFields adds).
	Confirm *confirmForm
}

// confirmForm applies a change despite the golden questions it breaks.
type confirmForm struct {
	Action, CSRF, Button string
	Fields               []hiddenField
}

type hiddenField struct{ Name, Value string }

// confirmToken identifies a change by what it would save, so that a confirmation
// given for one version of a form does not carry over to an edited one.
func confirmToken(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:12])
}

// confirmed reports whether the editor confirmed the change with this token ("cek";
// a request that says confirm=1 without one is taken as confirmed too).
func confirmed(r *http.Request, token string) bool {
	if r.PostFormValue("confirm") != "1" {
		return false
	}
	cek := r.PostFormValue("cek")
	return cek == "" || cek == token
}

// change turns the stored knowledge base into the candidate one.
type change struct {
	faqs     func([]knowledge.FAQ) []knowledge.FAQ
	synonyms func([][]string) [][]string
}

// checkGolden runs the golden questions against the live index and a candidate built
// from the stored knowledge base with ch applied. It is quick when there are no
// golden questions (nothing is built).
func (s *Server) checkGolden(ctx context.Context, ch change, token string) (goldenCheck, error) {
	check := goldenCheck{Token: token}
	gs, err := s.cfg.Knowledge.GoldenQuestions(ctx)
	if err != nil || len(gs) == 0 {
		return check, err
	}
	start := time.Now()
	content, err := s.cfg.Knowledge.Content(ctx)
	if err != nil {
		return check, err
	}
	// The golden questions are compared on the stored content as it is and as it would
	// be: the live index may still be catching up with the last change.
	current, err := knowledge.NewIndex(content.FAQs, content.Synonyms...)
	if err != nil {
		return check, fmt.Errorf("console: current index: %w", err)
	}
	defer func() { _ = current.Close() }()
	faqs, syns := content.FAQs, content.Synonyms
	if ch.faqs != nil {
		faqs = ch.faqs(faqs)
	}
	if ch.synonyms != nil {
		syns = ch.synonyms(syns)
	}
	candidate, err := knowledge.NewIndex(faqs, syns...)
	if err != nil {
		return check, fmt.Errorf("console: candidate index: %w", err)
	}
	defer func() { _ = candidate.Close() }()
	changes, err := knowledge.GoldenImpact(ctx, current, candidate, knowledge.GoldenCases(gs))
	if err != nil {
		return check, fmt.Errorf("console: golden impact: %w", err)
	}
	titles := faqTitles(faqs, content.FAQs)
	for _, c := range changes {
		v := newCaseView(c.After, titles)
		if c.Broken() {
			check.Broken = append(check.Broken, v)
		} else {
			check.Fixed = append(check.Fixed, v)
		}
	}
	s.log.Debug("golden check", "questions", len(gs), "faqs", len(faqs), "broken", len(check.Broken),
		"fixed", len(check.Fixed), "took", time.Since(start))
	return check, nil
}

// liveIndex returns the index the bot answers from, or, when the console has none it
// can run golden questions on, one built from content (released by the func).
func (s *Server) liveIndex(ctx context.Context, content *knowledge.File) (*knowledge.Index, func(), error) {
	if ix, ok := s.cfg.Search.(*knowledge.Index); ok && ix != nil {
		return ix, func() {}, nil
	}
	if content == nil {
		var err error
		if content, err = s.cfg.Knowledge.Content(ctx); err != nil {
			return nil, nil, err
		}
	}
	ix, err := knowledge.NewIndex(content.FAQs, content.Synonyms...)
	if err != nil {
		return nil, nil, fmt.Errorf("console: index: %w", err)
	}
	return ix, func() { _ = ix.Close() }, nil
}

// faqTitles maps FAQ ids to their questions (the first list wins).
func faqTitles(lists ...[]knowledge.FAQ) map[string]string {
	m := map[string]string{}
	for _, faqs := range lists {
		for _, f := range faqs {
			if _, ok := m[f.ID]; !ok {
				m[f.ID] = f.Question
			}
		}
	}
	return m
}

// caseView is a golden question's outcome, for people.
type caseView struct {
	// ID is the stored golden question's id (0 in a change check).
	ID       int64
	Question string
	// Expect is the FAQ that must answer it, "" when the bot must not answer it.
	Expect, ExpectTitle string
	Pass, Top1, Hit3    bool
	// Outcome says what the bot does with the question; Got is the FAQ it names ("" for
	// none).
	Outcome, Got, GotTitle string
}

func newCaseView(r knowledge.CaseResult, titles map[string]string) caseView {
	v := caseView{Question: r.Case.Q, Pass: r.Pass, Top1: r.Top1, Hit3: r.Hit3}
	if e := strings.TrimSpace(r.Case.Expect); !strings.EqualFold(e, knowledge.ExpectNone) {
		v.Expect, v.ExpectTitle = e, titles[e]
	}
	switch r.Decision {
	case knowledge.DecisionAnswer:
		v.Outcome, v.Got = "dijawab dengan", r.First()
	case knowledge.DecisionClarify:
		v.Outcome, v.Got = "ditanya balik, pilihan pertama", r.First()
	case knowledge.DecisionSmalltalk:
		v.Outcome = "dianggap sapaan atau obrolan ringan"
	default:
		v.Outcome = "tidak dijawab, ditawarkan ke petugas"
	}
	v.GotTitle = titles[v.Got]
	return v
}

// fixedNote tells, after a change is saved, which failing golden questions it fixed.
func fixedNote(c goldenCheck) string {
	if len(c.Fixed) == 0 {
		return ""
	}
	return fmt.Sprintf(" %d pertanyaan emas yang tadinya gagal kini lulus.", len(c.Fixed))
}
