package console

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// faqForm is the FAQ form as the editor typed it: kept whole when it is shown again.
type faqForm struct {
	ID, Question, Alternates, Keywords, Category, Unit, Answer string
	// Base is the revision the editor started from (edits only).
	Base int64
	// Draft is the officer's draft the FAQ is made from (0: none).
	Draft int64
}

// listSeparators split the keywords field.
var listSeparators = regexp.MustCompile(`[,\n]`)

func formOf(f knowledge.FAQ) faqForm {
	return faqForm{ID: f.ID, Question: f.Question, Alternates: strings.Join(f.Alternates, "\n"),
		Keywords: strings.Join(f.Keywords, ", "), Category: f.Category, Unit: f.Unit, Answer: f.Answer}
}

func readFAQForm(r *http.Request) faqForm {
	base, _ := strconv.ParseInt(r.PostFormValue("base"), 10, 64)
	draft, _ := strconv.ParseInt(r.PostFormValue("draf"), 10, 64)
	return faqForm{ID: r.PostFormValue("id"), Question: r.PostFormValue("question"), Alternates: r.PostFormValue("alternates"),
		Keywords: r.PostFormValue("keywords"), Category: r.PostFormValue("category"), Unit: r.PostFormValue("unit"),
		Answer: r.PostFormValue("answer"), Base: base, Draft: draft}
}

// faq is the form's FAQ: alternates one per line, keywords by comma or line.
func (f faqForm) faq() knowledge.FAQ {
	return knowledge.FAQ{ID: f.ID, Question: f.Question, Alternates: strings.Split(f.Alternates, "\n"),
		Keywords: listSeparators.Split(f.Keywords, -1), Category: f.Category, Unit: f.Unit, Answer: f.Answer}
}

// faqPage is the page of the FAQ form, new or edited.
type faqPage struct {
	New  bool
	Form faqForm
	// Problems are the fields' problems by field name; Error one for the whole form.
	Problems map[string]string
	Error    string
	// Stored and Latest are the FAQ and its latest revision as saved (edits only).
	Stored knowledge.StoredFAQ
	Latest knowledge.Revision
	Draft  *knowledge.Draft
	// Check asks to confirm a change that breaks golden questions.
	Check      *goldenCheck
	Categories []string
	Units      []tickets.Unit
}

// reservedID reports whether an FAQ id is the name of a console page under /faq/,
// which would hide the FAQ's page.
func reservedID(id string) bool {
	switch id {
	case "baru", "draf", "emas", "impor", "ekspor":
		return true
	}
	return false
}

func (s *Server) renderFAQ(w http.ResponseWriter, r *http.Request, status int, p faqPage) {
	all, err := s.cfg.Knowledge.ListAll(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Categories = categories(all)
	if p.Units, err = s.unitOptions(r, p.Form.Unit); err != nil {
		s.fail(w, r, err)
		return
	}
	title := "FAQ baru"
	if !p.New {
		title = "Ubah FAQ " + p.Stored.ID
	}
	s.render(w, r, status, "faq_form", title, "/faq", p)
}

// faqNewPage is the empty form, or one filled from an officer's draft (?draf=ID).
func (s *Server) faqNewPage(w http.ResponseWriter, r *http.Request) {
	p := faqPage{New: true}
	if v := r.URL.Query().Get("draf"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		d, err := knowledge.GetDraft(r.Context(), s.cfg.DB, id)
		if errors.Is(err, knowledge.ErrNotFound) || (err == nil && d.ClosedAt.Valid) {
			s.redirect(w, r, "/faq/draf", "Draf itu tidak ada atau sudah ditangani editor lain.", true)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Draft = &d
		p.Form = faqForm{ID: knowledge.Slug(d.Question), Question: d.Question, Answer: d.Answer,
			Category: d.Category, Unit: d.Unit, Draft: d.ID}
	} else if q := strings.TrimSpace(r.URL.Query().Get("pertanyaan")); q != "" {
		// From the unanswered questions: the citizens' phrasing, masked, as the question.
		q = knowledge.MaskPersonalData(q)
		p.Form = faqForm{ID: knowledge.Slug(q), Question: q}
	}
	s.renderFAQ(w, r, http.StatusOK, p)
}

// faqEditPage is the form of an existing FAQ.
func (s *Server) faqEditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadFAQPage(w, r)
	if !ok {
		return
	}
	p.Form = formOf(p.Stored.FAQ)
	p.Form.Base = p.Stored.Revision
	s.renderFAQ(w, r, http.StatusOK, p)
}

// loadFAQPage loads the FAQ of the path for its page; it answers the request itself
// when it cannot.
func (s *Server) loadFAQPage(w http.ResponseWriter, r *http.Request) (faqPage, bool) {
	ctx := r.Context()
	id := r.PathValue("id")
	f, err := s.cfg.Knowledge.Lookup(ctx, id)
	if errors.Is(err, knowledge.ErrNotFound) {
		if revs, err := s.cfg.Knowledge.Revisions(ctx, id); err == nil && len(revs) > 0 {
			s.redirect(w, r, "/faq/"+id+"/riwayat", "FAQ ini sudah dihapus oleh impor. Anda bisa mengembalikannya dari riwayatnya.", true)
			return faqPage{}, false
		}
		s.errorPage(w, r, http.StatusNotFound, "FAQ itu tidak ada. Periksa alamatnya, atau cari di daftar FAQ.")
		return faqPage{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return faqPage{}, false
	}
	p := faqPage{Stored: f}
	if f.Revision != 0 {
		if p.Latest, err = s.cfg.Knowledge.Revision(ctx, f.Revision); err != nil {
			s.fail(w, r, err)
			return faqPage{}, false
		}
	}
	return p, true
}

func (s *Server) faqCreate(w http.ResponseWriter, r *http.Request) {
	p := faqPage{New: true, Form: readFAQForm(r)}
	if p.Form.Draft != 0 {
		if d, err := knowledge.GetDraft(r.Context(), s.cfg.DB, p.Form.Draft); err == nil {
			p.Draft = &d
		}
	}
	s.saveFAQ(w, r, p)
}

func (s *Server) faqUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadFAQPage(w, r)
	if !ok {
		return
	}
	p.Form = readFAQForm(r)
	p.Form.ID = p.Stored.ID // an FAQ keeps its id
	s.saveFAQ(w, r, p)
}

// saveFAQ checks the form and saves it, or shows it again: with the preview, with
// its problems, with a conflicting change, or asking to confirm a change that breaks
// golden questions.
func (s *Server) saveFAQ(w http.ResponseWriter, r *http.Request, p faqPage) {
	ctx := r.Context()
	f, problems := knowledge.CheckFAQ(p.Form.faq())
	p.Problems = map[string]string{}
	for _, pr := range problems {
		if _, ok := p.Problems[pr.Field]; !ok {
			p.Problems[pr.Field] = pr.Message
		}
	}
	if p.New && p.Problems["id"] == "" {
		if reservedID(f.ID) {
			p.Problems["id"] = fmt.Sprintf("Id '%s' dipakai oleh halaman konsol; pilih id lain, misalnya '%s-info'.", f.ID, f.ID)
		} else if other, err := s.cfg.Knowledge.Lookup(ctx, f.ID); err == nil {
			p.Problems["id"] = fmt.Sprintf("Id '%s' sudah dipakai FAQ \"%s\". Pilih id lain.", f.ID, other.Question)
		} else if !errors.Is(err, knowledge.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
	}
	if r.PostFormValue("aksi") == "pratinjau" {
		s.renderFAQ(w, r, http.StatusOK, p)
		return
	}
	if len(p.Problems) > 0 {
		s.renderFAQ(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	published := p.New || p.Stored.Published
	var check goldenCheck
	if published {
		token := confirmToken("faq", f.ID, f.Question, strings.Join(f.Alternates, "\n"), strings.Join(f.Keywords, "\n"),
			f.Category, f.Unit, f.Answer)
		if !confirmed(r, token) {
			var err error
			check, err = s.checkGolden(ctx, change{faqs: func(faqs []knowledge.FAQ) []knowledge.FAQ {
				return knowledge.WithFAQ(faqs, f, true)
			}}, token)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if len(check.Broken) > 0 {
				p.Check = &check
				s.renderFAQ(w, r, http.StatusConflict, p)
				return
			}
		}
	}
	ed := editorOf(r)
	var err error
	if p.New {
		_, err = s.cfg.Knowledge.CreateFAQ(ctx, f, ed)
	} else {
		_, err = s.cfg.Knowledge.UpdateFAQ(ctx, f, p.Form.Base, ed)
	}
	switch {
	case errors.Is(err, knowledge.ErrExists):
		p.Problems["id"] = fmt.Sprintf("Id '%s' baru saja dipakai FAQ lain. Pilih id lain.", f.ID)
		s.renderFAQ(w, r, http.StatusConflict, p)
		return
	case errors.Is(err, knowledge.ErrConflict):
		s.showConflict(w, r, p)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if p.New && p.Form.Draft != 0 {
		if err := knowledge.CloseDraft(ctx, s.cfg.DB, p.Form.Draft, ed.StaffID, f.ID); err != nil && !errors.Is(err, knowledge.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "close draft", "draft", p.Form.Draft, "faq", f.ID, "err", err)
		}
	}
	s.log.InfoContext(r.Context(), "faq saved", "faq", f.ID, "new", p.New, "staff", ed.StaffID)
	msg := "FAQ disimpan dan diterbitkan. Bot memakai isi barunya dalam beberapa detik."
	if !published {
		msg = "Perubahan disimpan. FAQ ini tidak diterbitkan, jadi bot belum memakainya."
	}
	s.redirect(w, r, "/faq/"+f.ID, msg+fixedNote(check), false)
}

// showConflict shows the form again when someone changed the FAQ since the editor
// opened it; saving again overwrites that change.
func (s *Server) showConflict(w http.ResponseWriter, r *http.Request, p faqPage) {
	cur, ok := s.loadFAQPage(w, r)
	if !ok {
		return
	}
	p.Stored, p.Latest = cur.Stored, cur.Latest
	p.Form.Base = cur.Stored.Revision
	p.Error = fmt.Sprintf("FAQ ini baru saja diubah oleh %s. Perubahan Anda belum disimpan: periksa versi terbaru di riwayat, "+
		"lalu tekan Simpan lagi bila tetap ingin memakai isian Anda.", authorName(p.Latest.Author))
	s.renderFAQ(w, r, http.StatusConflict, p)
}

// faqPublish publishes or unpublishes an FAQ (terbit=1 or 0).
func (s *Server) faqPublish(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, ok := s.loadFAQPage(w, r)
	if !ok {
		return
	}
	f := p.Stored
	publish := r.PostFormValue("terbit") == "1"
	target := "/faq/" + f.ID
	if publish == f.Published {
		s.redirect(w, r, target, "Tidak ada yang berubah: status FAQ ini sudah seperti itu.", false)
		return
	}
	token := confirmToken("publish", f.ID, strconv.FormatBool(publish), strconv.FormatInt(f.Revision, 10))
	var check goldenCheck
	if !confirmed(r, token) {
		var err error
		check, err = s.checkGolden(ctx, change{faqs: func(faqs []knowledge.FAQ) []knowledge.FAQ {
			return knowledge.WithFAQ(faqs, f.FAQ, publish)
		}}, token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(check.Broken) > 0 {
			button := "Tetap hentikan penerbitan"
			if publish {
				button = "Tetap terbitkan"
			}
			check.Confirm = &confirmForm{Action: target + "/terbitkan", CSRF: sessionOf(r).CSRF, Button: button,
				Fields: []hiddenField{{"terbit", r.PostFormValue("terbit")}}}
			p.Check = &check
			p.Form = formOf(f.FAQ)
			p.Form.Base = f.Revision
			s.renderFAQ(w, r, http.StatusConflict, p)
			return
		}
	}
	if _, err := s.cfg.Knowledge.SetPublished(ctx, f.ID, publish, editorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "faq publication", "faq", f.ID, "published", publish, "staff", userOf(r).ID)
	msg := "FAQ tidak diterbitkan lagi: bot berhenti menjawab dengannya dalam beberapa detik. FAQ tetap tersimpan."
	if publish {
		msg = "FAQ diterbitkan lagi: bot menjawab dengannya dalam beberapa detik."
	}
	s.redirect(w, r, target, msg+fixedNote(check), false)
}

// authorName is a revision's author for people.
func authorName(author string) string {
	if author == "" {
		return "sistem"
	}
	return author
}
