package console

import (
	"errors"
	"net/http"

	"github.com/loket-id/loket/knowledge"
)

// maxDrafts is the most open drafts the editors' list shows.
const maxDrafts = 200

// draftsPage lists the FAQ drafts officers proposed from tickets, newest first.
func (s *Server) draftsPage(w http.ResponseWriter, r *http.Request) {
	ds, err := knowledge.OpenDrafts(r.Context(), s.cfg.DB, maxDrafts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "faq_drafts", "Draf FAQ dari petugas", "/faq", ds)
}

// draftDismiss closes a draft without making an FAQ of it.
func (s *Server) draftDismiss(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	err := knowledge.CloseDraft(r.Context(), s.cfg.DB, id, userOf(r).ID, "")
	switch {
	case errors.Is(err, knowledge.ErrNotFound):
		s.redirect(w, r, "/faq/draf", "Draf itu tidak ada atau sudah ditangani editor lain.", true)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.log.InfoContext(r.Context(), "faq draft dismissed", "draft", id, "staff", userOf(r).ID)
		s.redirect(w, r, "/faq/draf", "Draf diabaikan.", false)
	}
}
