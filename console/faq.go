package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// editorRoutes registers the editors' pages: FAQs, synonyms, import and export, the
// "try a question" box, golden questions and unanswered questions.
func (s *Server) editorRoutes() {
	s.page("GET /faq", editorRoles, s.faqList)
	s.page("GET /faq/baru", editorRoles, s.faqNewPage)
	s.page("POST /faq/baru", editorRoles, s.faqCreate)
	s.page("GET /faq/{id}", editorRoles, s.faqEditPage)
	s.page("POST /faq/{id}", editorRoles, s.faqUpdate)
	s.page("POST /faq/{id}/terbitkan", editorRoles, s.faqPublish)
	s.page("GET /faq/{id}/riwayat", editorRoles, s.faqRevisions)
	s.page("GET /faq/{id}/riwayat/{rev}", editorRoles, s.faqRevision)
	s.page("POST /faq/{id}/riwayat/{rev}/kembalikan", editorRoles, s.faqRevert)
	s.page("GET /faq/draf", editorRoles, s.draftsPage)
	s.page("POST /faq/draf/{id}/abaikan", editorRoles, s.draftDismiss)
	s.page("GET /faq/emas", editorRoles, s.goldenPage)
	s.page("POST /faq/emas", editorRoles, s.goldenAdd)
	s.page("POST /faq/emas/{id}/hapus", editorRoles, s.goldenDelete)
	s.page("GET /sinonim", editorRoles, s.synonymsPage)
	s.page("POST /sinonim", editorRoles, s.synonymAdd)
	s.page("POST /sinonim/{id}", editorRoles, s.synonymUpdate)
	s.page("POST /sinonim/{id}/hapus", editorRoles, s.synonymDelete)
	s.editorImportRoutes()
}

// editorOf is the logged-in account as the knowledge base records its changes.
func editorOf(r *http.Request) knowledge.Editor {
	u := userOf(r)
	return knowledge.Editor{StaffID: u.ID, Name: u.Name}
}

// Filters of the FAQ list.
const (
	statusAll         = ""
	statusPublished   = "terbit"
	statusUnpublished = "tidak-terbit"
)

// faqListData is the FAQ list page.
type faqListData struct {
	Query, Category, Status string
	Categories              []string
	FAQs                    []knowledge.StoredFAQ
	Total, Unpublished      int
	OpenDrafts              int
}

// faqList lists the FAQs, published or not, filtered by words, category and status.
func (s *Server) faqList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all, err := s.cfg.Knowledge.ListAll(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	drafts, err := knowledge.OpenDrafts(ctx, s.cfg.DB, maxDrafts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := faqListData{Query: strings.TrimSpace(q.Get("q")), Category: q.Get("kategori"), Status: q.Get("status"),
		Categories: categories(all), Total: len(all), OpenDrafts: len(drafts)}
	words := strings.Fields(strings.ToLower(d.Query))
	for _, f := range all {
		if !f.Published {
			d.Unpublished++
		}
		switch {
		case d.Category != "" && f.Category != d.Category,
			d.Status == statusPublished && !f.Published,
			d.Status == statusUnpublished && f.Published,
			!matchesWords(f.FAQ, words):
			continue
		}
		d.FAQs = append(d.FAQs, f)
	}
	s.render(w, r, http.StatusOK, "faq_list", "FAQ", "/faq", d)
}

// matchesWords reports whether every word is in the FAQ's id, question, alternates,
// keywords, category or answer (ignoring case).
func matchesWords(f knowledge.FAQ, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := strings.ToLower(strings.Join(append([]string{f.ID, f.Question, f.Category, f.Answer},
		append(slices.Clone(f.Alternates), f.Keywords...)...), "\n"))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// categories returns the FAQs' categories, sorted, each once.
func categories(faqs []knowledge.StoredFAQ) []string {
	var out []string
	for _, f := range faqs {
		if f.Category != "" && !slices.Contains(out, f.Category) {
			out = append(out, f.Category)
		}
	}
	slices.Sort(out)
	return out
}

// unitOptions returns the units an FAQ may name, with current among them even if no
// unit has that slug (an FAQ imported from a file).
func (s *Server) unitOptions(r *http.Request, current string) ([]tickets.Unit, error) {
	units, err := s.cfg.Tickets.Units(r.Context(), s.cfg.DB)
	if err != nil {
		return nil, err
	}
	if current != "" && !slices.ContainsFunc(units, func(u tickets.Unit) bool { return u.Slug == current }) {
		units = append(units, tickets.Unit{Slug: current, Name: current + " (tidak terdaftar)"})
	}
	return units, nil
}
