package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/loket-id/loket/knowledge"
)

// goldenRow is a stored golden question, with its result when they were run.
type goldenRow struct {
	knowledge.GoldenQuestion
	ExpectTitle string
	Result      *caseView
}

// goldenSummary sums up a run of the golden questions.
type goldenSummary struct {
	Cases, Passed, InScope, Top1, Hit3, OutOfScope, NotAnswered int
	Top1Rate, Hit3Rate                                          string
}

// goldenData is the golden questions page.
type goldenData struct {
	Rows    []goldenRow
	Ran     bool
	Summary goldenSummary
	// Question and Expect are the add form as typed; Problems its problems by field.
	Question, Expect string
	Problems         map[string]string
	FAQs             []knowledge.StoredFAQ
}

// goldenPage lists the golden questions; with ?jalankan=1 it runs them all against
// the live index.
func (s *Server) goldenPage(w http.ResponseWriter, r *http.Request) {
	s.renderGolden(w, r, http.StatusOK, goldenData{Ran: r.URL.Query().Get("jalankan") == "1"})
}

func (s *Server) renderGolden(w http.ResponseWriter, r *http.Request, status int, d goldenData) {
	ctx := r.Context()
	gs, err := s.cfg.Knowledge.GoldenQuestions(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.FAQs, err = s.cfg.Knowledge.ListAll(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	titles := map[string]string{}
	for _, f := range d.FAQs {
		titles[f.ID] = f.Question
	}
	d.Rows = make([]goldenRow, len(gs))
	for i, g := range gs {
		d.Rows[i] = goldenRow{GoldenQuestion: g, ExpectTitle: titles[g.Expect]}
	}
	if d.Ran && len(gs) > 0 {
		ix, release, err := s.liveIndex(ctx, nil)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer release()
		results, err := knowledge.CheckCases(ctx, ix, knowledge.GoldenCases(gs))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i, res := range results {
			v := newCaseView(res, titles)
			d.Rows[i].Result = &v
			d.Summary.add(v)
		}
		d.Summary.Top1Rate, d.Summary.Hit3Rate = percent(d.Summary.Top1, d.Summary.InScope), percent(d.Summary.Hit3, d.Summary.InScope)
	}
	s.render(w, r, status, "golden", "Pertanyaan emas", "/faq", d)
}

func (g *goldenSummary) add(v caseView) {
	g.Cases++
	if v.Pass {
		g.Passed++
	}
	if v.Expect == "" {
		g.OutOfScope++
		if v.Pass {
			g.NotAnswered++
		}
		return
	}
	g.InScope++
	if v.Top1 {
		g.Top1++
	}
	if v.Hit3 {
		g.Hit3++
	}
}

// percent writes n/d as a whole percentage ("—" when d is 0).
func percent(n, d int) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(d))
}

// expectedID reads the expected FAQ of a golden question as typed: an FAQ id, or
// what editors may write for "the bot must not answer it" (knowledge.ExpectNone).
func expectedID(typed string) string {
	s := strings.ToLower(strings.TrimSpace(typed))
	switch s {
	case "tidak ada", "tidak-ada", "none", "-":
		return knowledge.ExpectNone
	}
	return s
}

// goldenAdd stores a golden question.
func (s *Server) goldenAdd(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := goldenData{Question: strings.TrimSpace(r.PostFormValue("question")), Expect: strings.TrimSpace(r.PostFormValue("expect")),
		Problems: map[string]string{}}
	expect := expectedID(d.Expect)
	switch n := utf8.RuneCountInString(d.Question); {
	case n == 0:
		d.Problems["question"] = "Tulis pertanyaannya seperti warga mengetik di Telegram."
	case n > knowledge.MaxQuestionLength:
		d.Problems["question"] = fmt.Sprintf("Pertanyaan terlalu panjang: %d karakter, maksimal %d.", n, knowledge.MaxQuestionLength)
	}
	switch {
	case expect == "":
		d.Problems["expect"] = "Isi id FAQ yang harus menjawabnya, atau \"tidak ada\" bila bot tidak boleh menjawabnya."
	case expect != knowledge.ExpectNone:
		if _, err := s.cfg.Knowledge.Lookup(ctx, expect); errors.Is(err, knowledge.ErrNotFound) {
			d.Problems["expect"] = fmt.Sprintf("Tidak ada FAQ dengan id '%s'. Pilih dari daftar, atau tulis \"tidak ada\".", d.Expect)
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(d.Problems) == 0 {
		_, err := s.cfg.Knowledge.AddGoldenQuestion(ctx, d.Question, expect, editorOf(r))
		switch {
		case errors.Is(err, knowledge.ErrExists):
			d.Problems["question"] = "Pertanyaan ini sudah ada di daftar pertanyaan emas."
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			s.log.InfoContext(r.Context(), "golden question added", "expect", expect, "staff", userOf(r).ID)
			s.redirect(w, r, "/faq/emas", "Pertanyaan emas ditambahkan. Tekan Jalankan untuk mengujinya.", false)
			return
		}
	}
	s.renderGolden(w, r, http.StatusUnprocessableEntity, d)
}

// goldenDelete removes a golden question.
func (s *Server) goldenDelete(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	err := s.cfg.Knowledge.DeleteGoldenQuestion(r.Context(), id)
	switch {
	case errors.Is(err, knowledge.ErrNotFound):
		s.redirect(w, r, "/faq/emas", "Pertanyaan emas itu sudah tidak ada.", true)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.log.InfoContext(r.Context(), "golden question deleted", "id", id, "staff", userOf(r).ID)
		s.redirect(w, r, "/faq/emas", "Pertanyaan emas dihapus.", false)
	}
}
