package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/loket-id/loket/knowledge"
)

// synonymSetView is a synonym set in its edit form.
type synonymSetView struct {
	ID int64
	// Terms is the form's value: the terms separated by commas (as typed when shown
	// again with a problem).
	Terms, Problem string
}

// synonymsData is the synonym sets page.
type synonymsData struct {
	Sets []synonymSetView
	// New and NewProblem are the add form.
	New, NewProblem string
	Changes         []knowledge.SynonymChange
	Check           *goldenCheck
}

// maxSynonymChanges is how many recent changes the page shows.
const maxSynonymChanges = 30

func (s *Server) synonymsPage(w http.ResponseWriter, r *http.Request) {
	s.renderSynonyms(w, r, http.StatusOK, synonymsData{}, 0, "", "")
}

// renderSynonyms shows the page; the set with id edited (0: the add form) shows terms
// and problem instead of what is stored.
func (s *Server) renderSynonyms(w http.ResponseWriter, r *http.Request, status int, d synonymsData, edited int64, terms, problem string) {
	ctx := r.Context()
	sets, err := s.cfg.Knowledge.SynonymSets(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, set := range sets {
		v := synonymSetView{ID: set.ID, Terms: strings.Join(set.Terms, ", ")}
		if set.ID == edited {
			v.Terms, v.Problem = terms, problem
		}
		d.Sets = append(d.Sets, v)
	}
	if edited == 0 {
		d.New, d.NewProblem = terms, problem
	}
	if d.Changes, err = s.cfg.Knowledge.SynonymChanges(ctx, maxSynonymChanges); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "synonyms", "Sinonim", "/faq", d)
}

// splitTerms reads a set's terms: separated by commas or lines.
func splitTerms(s string) []string { return listSeparators.Split(s, -1) }

func (s *Server) synonymAdd(w http.ResponseWriter, r *http.Request) {
	s.saveSynonymSet(w, r, 0, false)
}

func (s *Server) synonymUpdate(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		s.errorPage(w, r, http.StatusNotFound, "Set sinonim itu tidak ada.")
		return
	}
	s.saveSynonymSet(w, r, id, false)
}

func (s *Server) synonymDelete(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		s.errorPage(w, r, http.StatusNotFound, "Set sinonim itu tidak ada.")
		return
	}
	s.saveSynonymSet(w, r, id, true)
}

// saveSynonymSet adds (id 0), changes or deletes a set, after checking the golden
// questions.
func (s *Server) saveSynonymSet(w http.ResponseWriter, r *http.Request, id int64, del bool) {
	ctx := r.Context()
	typed := r.PostFormValue("terms")
	var terms []string
	if !del {
		var problem string
		terms, problem = knowledge.CheckSynonymSet(splitTerms(typed))
		if problem != "" {
			s.renderSynonyms(w, r, http.StatusUnprocessableEntity, synonymsData{}, id, typed, problem)
			return
		}
	}
	sets, err := s.cfg.Knowledge.SynonymSets(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	candidate := make([][]string, 0, len(sets)+1)
	found := id == 0
	for _, set := range sets {
		if set.ID != id {
			candidate = append(candidate, set.Terms)
			continue
		}
		found = true
		if !del {
			candidate = append(candidate, terms)
		}
	}
	if !found {
		s.redirect(w, r, "/sinonim", "Set sinonim itu sudah tidak ada; mungkin baru dihapus editor lain.", true)
		return
	}
	if id == 0 {
		candidate = append(candidate, terms)
	}
	token := confirmToken("synonyms", r.URL.Path, strings.Join(terms, "\x00"))
	var check goldenCheck
	if !confirmed(r, token) {
		check, err = s.checkGolden(ctx, change{synonyms: func([][]string) [][]string { return candidate }}, token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(check.Broken) > 0 {
			button := "Tetap simpan"
			if del {
				button = "Tetap hapus"
			}
			check.Confirm = &confirmForm{Action: r.URL.Path, CSRF: sessionOf(r).CSRF, Button: button,
				Fields: []hiddenField{{"terms", typed}}}
			s.renderSynonyms(w, r, http.StatusConflict, synonymsData{Check: &check}, id, typed, "")
			return
		}
	}
	ed := editorOf(r)
	msg := "Set sinonim disimpan."
	switch {
	case del:
		err = s.cfg.Knowledge.DeleteSynonymSet(ctx, id, ed)
		msg = "Set sinonim dihapus."
	case id == 0:
		_, err = s.cfg.Knowledge.AddSynonymSet(ctx, terms, ed)
		msg = "Set sinonim ditambahkan."
	default:
		err = s.cfg.Knowledge.UpdateSynonymSet(ctx, id, terms, ed)
	}
	switch {
	case errors.Is(err, knowledge.ErrExists):
		s.renderSynonyms(w, r, http.StatusConflict, synonymsData{}, id, typed, "Set dengan istilah yang sama sudah ada.")
		return
	case errors.Is(err, knowledge.ErrNotFound):
		s.redirect(w, r, "/sinonim", "Set sinonim itu sudah tidak ada; mungkin baru dihapus editor lain.", true)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "synonym set saved", "set", id, "deleted", del, "staff", ed.StaffID)
	s.redirect(w, r, "/sinonim", msg+" Pencarian bot memakainya dalam beberapa detik."+fixedNote(check), false)
}
