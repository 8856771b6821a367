package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/loket-id/loket/knowledge"
)

// revisionRow is a revision in an FAQ's history.
type revisionRow struct {
	knowledge.Revision
	Label string
	// Changed names the fields that differ from the revision before.
	Changed []string
}

// faqRevisionsData is an FAQ's history.
type faqRevisionsData struct {
	ID string
	// Exists is false when an import removed the FAQ.
	Exists    bool
	Current   knowledge.StoredFAQ
	Revisions []revisionRow
}

func (s *Server) faqRevisions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	revs, err := s.cfg.Knowledge.Revisions(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := faqRevisionsData{ID: id}
	d.Current, err = s.cfg.Knowledge.Lookup(ctx, id)
	switch {
	case err == nil:
		d.Exists = true
	case !errors.Is(err, knowledge.ErrNotFound):
		s.fail(w, r, err)
		return
	case len(revs) == 0:
		s.errorPage(w, r, http.StatusNotFound, "FAQ itu tidak ada dan tidak punya riwayat. Periksa alamatnya.")
		return
	}
	for i, rev := range revs {
		row := revisionRow{Revision: rev, Label: actionLabel(rev.Action)}
		if i+1 < len(revs) {
			row.Changed = changedFields(revs[i+1], rev)
		}
		d.Revisions = append(d.Revisions, row)
	}
	s.render(w, r, http.StatusOK, "faq_revisions", "Riwayat FAQ "+id, "/faq", d)
}

// faqRevisionData is one revision with its diff against the one before.
type faqRevisionData struct {
	Revision revisionRow
	// Previous is the revision before (HasPrevious false for the first).
	Previous    knowledge.Revision
	HasPrevious bool
	Diff        []diffLine
	// Current is the FAQ's latest revision id; IsCurrent when this is it.
	IsCurrent bool
	Check     *goldenCheck
}

func (s *Server) faqRevision(w http.ResponseWriter, r *http.Request) {
	d, ok := s.loadRevision(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "faq_revision", "Revisi FAQ "+d.Revision.FAQ.ID, "/faq", d)
}

// loadRevision loads the revision of the path with its diff; it answers the request
// itself when it cannot.
func (s *Server) loadRevision(w http.ResponseWriter, r *http.Request) (faqRevisionData, bool) {
	ctx := r.Context()
	revID := pathID(r, "rev")
	rev, err := s.cfg.Knowledge.Revision(ctx, revID)
	if errors.Is(err, knowledge.ErrNotFound) || (err == nil && rev.FAQ.ID != r.PathValue("id")) {
		s.errorPage(w, r, http.StatusNotFound, "Revisi itu tidak ada. Buka riwayat FAQ untuk memilih revisi.")
		return faqRevisionData{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return faqRevisionData{}, false
	}
	d := faqRevisionData{Revision: revisionRow{Revision: rev, Label: actionLabel(rev.Action)}}
	d.Previous, d.HasPrevious, err = s.cfg.Knowledge.PreviousRevision(ctx, rev)
	if err != nil {
		s.fail(w, r, err)
		return faqRevisionData{}, false
	}
	before := ""
	if d.HasPrevious {
		before = revisionText(d.Previous)
		d.Revision.Changed = changedFields(d.Previous, rev)
	}
	d.Diff = diffLines(before, revisionText(rev))
	cur, err := s.cfg.Knowledge.Lookup(ctx, rev.FAQ.ID)
	if err != nil && !errors.Is(err, knowledge.ErrNotFound) {
		s.fail(w, r, err)
		return faqRevisionData{}, false
	}
	d.IsCurrent = err == nil && cur.Revision == rev.ID && cur.Published
	return d, true
}

// faqRevert brings back a revision's content, published.
func (s *Server) faqRevert(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, ok := s.loadRevision(w, r)
	if !ok {
		return
	}
	rev := d.Revision.Revision
	cur, err := s.cfg.Knowledge.Lookup(ctx, rev.FAQ.ID)
	if err != nil && !errors.Is(err, knowledge.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	token := confirmToken("revert", strconv.FormatInt(rev.ID, 10), strconv.FormatInt(cur.Revision, 10))
	var check goldenCheck
	if !confirmed(r, token) {
		check, err = s.checkGolden(ctx, change{faqs: func(faqs []knowledge.FAQ) []knowledge.FAQ {
			return knowledge.WithFAQ(faqs, rev.FAQ, true)
		}}, token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(check.Broken) > 0 {
			check.Confirm = &confirmForm{Action: r.URL.Path, CSRF: sessionOf(r).CSRF, Button: "Tetap terbitkan"}
			d.Check = &check
			s.render(w, r, http.StatusConflict, "faq_revision", "Revisi FAQ "+rev.FAQ.ID, "/faq", d)
			return
		}
	}
	if _, err := s.cfg.Knowledge.RevertFAQ(ctx, rev.FAQ.ID, rev.ID, editorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "faq reverted", "faq", rev.FAQ.ID, "revision", rev.ID, "staff", userOf(r).ID)
	s.redirect(w, r, "/faq/"+rev.FAQ.ID, "Isi revisi #"+strconv.FormatInt(rev.ID, 10)+
		" dikembalikan dan diterbitkan. Bot memakainya dalam beberapa detik."+fixedNote(check), false)
}

// actionLabel names a revision's action for people.
func actionLabel(action string) string {
	switch action {
	case knowledge.ActionBaseline:
		return "Isi saat riwayat mulai dicatat"
	case knowledge.ActionCreate:
		return "Dibuat"
	case knowledge.ActionEdit:
		return "Diubah"
	case knowledge.ActionPublish:
		return "Diterbitkan lagi"
	case knowledge.ActionUnpublish:
		return "Penerbitan dihentikan"
	case knowledge.ActionRevert:
		return "Dikembalikan ke revisi lama"
	case knowledge.ActionImport:
		return "Diimpor dari berkas"
	case knowledge.ActionRemove:
		return "Dihapus oleh impor"
	}
	return action
}

// changedFields names the fields that differ between two revisions.
func changedFields(a, b knowledge.Revision) []string {
	var out []string
	add := func(differ bool, name string) {
		if differ {
			out = append(out, name)
		}
	}
	add(a.FAQ.Question != b.FAQ.Question, "pertanyaan")
	add(!slices.Equal(a.FAQ.Alternates, b.FAQ.Alternates), "pertanyaan lain")
	add(!slices.Equal(a.FAQ.Keywords, b.FAQ.Keywords), "kata kunci")
	add(a.FAQ.Category != b.FAQ.Category, "kategori")
	add(a.FAQ.Unit != b.FAQ.Unit, "unit")
	add(a.FAQ.Answer != b.FAQ.Answer, "jawaban")
	add(a.Published != b.Published, "status terbit")
	return out
}

// revisionText writes a revision's content as lines, for the diff.
func revisionText(rev knowledge.Revision) string {
	var b strings.Builder
	f := rev.FAQ
	b.WriteString("Pertanyaan: " + f.Question + "\n")
	b.WriteString("Pertanyaan lain:\n")
	for _, a := range f.Alternates {
		b.WriteString("  - " + a + "\n")
	}
	b.WriteString("Kata kunci:\n")
	for _, k := range f.Keywords {
		b.WriteString("  - " + k + "\n")
	}
	b.WriteString("Kategori: " + f.Category + "\n")
	b.WriteString("Unit: " + f.Unit + "\n")
	if rev.Published {
		b.WriteString("Status: terbit\n")
	} else {
		b.WriteString("Status: tidak terbit\n")
	}
	b.WriteString("Jawaban:\n")
	for line := range strings.SplitSeq(f.Answer, "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

// diffLine is one line of a diff: Op is "ins", "del" or "" (unchanged).
type diffLine struct {
	Op, Text string
}

// diffLines is the line diff from a to b.
func diffLines(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var out []diffLine
	for _, d := range diffs {
		op := ""
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = "ins"
		case diffmatchpatch.DiffDelete:
			op = "del"
		}
		for line := range strings.SplitSeq(strings.TrimSuffix(d.Text, "\n"), "\n") {
			out = append(out, diffLine{Op: op, Text: line})
		}
	}
	return out
}
