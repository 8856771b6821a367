package console

// Importing a knowledge-base file (YAML, JSON or CSV): upload, a report of what it
// would change, then "Terapkan". The upload is kept in kb_uploads between the two
// steps (see faq_import_store.go), so any process can apply it and the browser never
// sends the content twice.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// maxUploadBytes is the largest knowledge-base file the console accepts.
const maxUploadBytes = 10 << 20

// maxShownProblems caps the problems listed for a broken file.
const maxShownProblems = 200

// editorImportRoutes registers the editors' import and export, "try a question" and
// unanswered-questions pages.
func (s *Server) editorImportRoutes() {
	s.page("GET /faq/ekspor", editorRoles, s.exportKB)
	s.page("GET /faq/impor", editorRoles, s.importPage)
	s.pageLimit("POST /faq/impor", editorRoles, maxUploadBytes+64<<10, s.importUpload)
	s.page("GET /faq/impor/pratinjau", editorRoles, s.importPreview)
	s.page("POST /faq/impor/terapkan", editorRoles, s.importApply)
	s.page("GET /coba", editorRoles, s.tryQuestion)
	s.page("GET /tak-terjawab", editorRoles, s.unansweredPage)
	s.page("GET /tak-terjawab/alternatif", editorRoles, s.alternatePage)
	s.page("POST /tak-terjawab/alternatif", editorRoles, s.addAlternate)
	s.page("POST /tak-terjawab/sembunyikan", editorRoles, s.hideUnanswered)
}

// importData is the upload page, with the problems of a broken file.
type importData struct {
	Filename string
	Replace  bool
	Error    string
	Problems []string
	More     int
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "faq_import", "Impor dan ekspor FAQ", "/faq", importData{})
}

// importUpload parses an uploaded file: a broken one is reported with every problem
// and nothing is kept; a good one is stored and its report shown.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	form := importData{Replace: r.PostFormValue("mode") == "ganti"}
	file, hdr, err := r.FormFile("berkas")
	if err != nil {
		form.Error = "Pilih berkas YAML, JSON atau CSV yang akan diimpor."
		s.render(w, r, http.StatusUnprocessableEntity, "faq_import", "Impor dan ekspor FAQ", "/faq", form)
		return
	}
	defer func() { _ = file.Close() }()
	base := path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	form.Filename = kbShorten(base, 120)
	data, err := io.ReadAll(io.LimitReader(file, maxUploadBytes+1))
	if err != nil {
		s.fail(w, r, fmt.Errorf("console: read upload: %w", err))
		return
	}
	if len(data) > maxUploadBytes {
		form.Error = fmt.Sprintf("Berkas terlalu besar: maksimal %d MB.", maxUploadBytes>>20)
		s.render(w, r, http.StatusRequestEntityTooLarge, "faq_import", "Impor dan ekspor FAQ", "/faq", form)
		return
	}
	format := uploadFormat(base, data)
	if _, err := parseUpload(format, form.Filename, data); err != nil {
		if !s.showProblems(w, r, &form, err) {
			s.fail(w, r, err)
		}
		return
	}
	id, err := saveUpload(ctx, s.cfg.DB, upload{StaffID: userOf(r).ID, Filename: form.Filename, Format: format, Replace: form.Replace, Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/faq/impor/pratinjau?unggahan="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// showProblems shows why a file cannot be imported; false when err is not about the
// file.
func (s *Server) showProblems(w http.ResponseWriter, r *http.Request, form *importData, err error) bool {
	var pe *knowledge.ParseError
	var ue uploadError
	switch {
	case errors.As(err, &ue):
		form.Error = string(ue)
	case errors.As(err, &pe):
		form.Error = fmt.Sprintf("Berkas %s tidak bisa diimpor: %d masalah. Tidak ada yang diubah. Perbaiki berkasnya lalu unggah lagi.", form.Filename, len(pe.Problems))
		for i, p := range pe.Problems {
			if i == maxShownProblems {
				form.More = len(pe.Problems) - i
				break
			}
			form.Problems = append(form.Problems, problemText(p))
		}
	default:
		return false
	}
	s.render(w, r, http.StatusUnprocessableEntity, "faq_import", "Impor dan ekspor FAQ", "/faq", *form)
	return true
}

// problemText writes a problem for the page: "Baris 12: kolom 'id' kosong".
func problemText(p knowledge.Problem) string {
	if p.Line > 0 {
		return fmt.Sprintf("Baris %d: %s", p.Line, p.Message)
	}
	r := []rune(p.Message)
	if len(r) == 0 {
		return ""
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// uploadError is a reason a file cannot be read at all, for editors.
type uploadError string

func (e uploadError) Error() string { return string(e) }

// uploadFormat tells an upload's format from its name, else from its content.
func uploadFormat(name string, data []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv", ".tsv":
		return "csv"
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	}
	if knowledge.LooksCSV(data) {
		return "csv"
	}
	if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return "json"
	}
	return "yaml"
}

// parseUpload parses an upload in its format.
func parseUpload(format, name string, data []byte) (*knowledge.File, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, uploadError("Berkas yang dipilih kosong.")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return nil, uploadError("Berkas Excel belum bisa dibaca langsung. Di Excel pilih Simpan Sebagai → 'CSV UTF-8 (Comma delimited) (*.csv)', lalu unggah berkas .csv itu.")
	case format == "csv":
		return knowledge.ParseCSV(name, data)
	case format == "json" && !strings.EqualFold(path.Ext(name), ".json"):
		return knowledge.ParseFile(name+".json", data)
	}
	return knowledge.ParseFile(name, data)
}

// importReport is the page saying what an upload would change.
type importReport struct {
	Upload   upload
	Plan     knowledge.ImportPlan
	Version  string
	Warnings []string
	// Golden is what the import would do to the golden questions: when it breaks
	// some, applying needs the editor's confirmation.
	Golden goldenCheck
	// Stale: the knowledge base changed since the editor saw the report.
	Stale bool
	// file is the parsed upload, ready to import.
	file *knowledge.File
}

// Changes reports whether applying would change anything.
func (d importReport) Changes() bool { return d.Plan.Changes() }

func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("unggahan"), 10, 64)
	rep, ok := s.importPlan(w, r, id)
	if ok {
		s.render(w, r, http.StatusOK, "faq_import_report", "Periksa impor", "/faq", rep)
	}
}

// importPlan loads the logged-in editor's upload and works out what it would change;
// false when it answered the request itself.
func (s *Server) importPlan(w http.ResponseWriter, r *http.Request, id int64) (importReport, bool) {
	ctx := r.Context()
	up, err := loadUpload(ctx, s.cfg.DB, id, userOf(r).ID)
	if errors.Is(err, errUploadGone) {
		s.redirect(w, r, "/faq/impor", "Unggahan itu tidak ada, sudah diterapkan, atau sudah lewat satu jam. Unggah berkasnya lagi.", true)
		return importReport{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return importReport{}, false
	}
	f, err := parseUpload(up.Format, up.Filename, up.Data)
	if err != nil {
		form := importData{Filename: up.Filename, Replace: up.Replace}
		if !s.showProblems(w, r, &form, err) {
			s.fail(w, r, err)
		}
		return importReport{}, false
	}
	if err := s.keepSynonyms(r, up, f); err != nil {
		s.fail(w, r, err)
		return importReport{}, false
	}
	plan, err := s.cfg.Knowledge.PlanImport(ctx, f, up.Replace)
	if err != nil {
		s.fail(w, r, err)
		return importReport{}, false
	}
	warnings, err := s.unitWarnings(r, f)
	if err != nil {
		s.fail(w, r, err)
		return importReport{}, false
	}
	rep := importReport{Upload: up, Plan: plan, Version: planVersion(plan), Warnings: warnings, file: f}
	if plan.Changes() {
		rep.Golden, err = s.checkGolden(ctx, importChange(f, up.Replace), rep.Version)
		if err != nil {
			s.fail(w, r, err)
			return importReport{}, false
		}
		if len(rep.Golden.Broken) > 0 {
			rep.Golden.Confirm = &confirmForm{Action: "/faq/impor/terapkan", CSRF: sessionOf(r).CSRF, Button: "Tetap terapkan",
				Fields: []hiddenField{{"unggahan", strconv.FormatInt(up.ID, 10)}, {"versi", rep.Version}}}
		}
	}
	return rep, true
}

// importChange is what ImportAs does to the published FAQs and the synonym sets.
func importChange(f *knowledge.File, replace bool) change {
	if replace {
		return change{
			faqs:     func([]knowledge.FAQ) []knowledge.FAQ { return f.FAQs },
			synonyms: func([][]string) [][]string { return f.Synonyms },
		}
	}
	return change{
		faqs: func(cur []knowledge.FAQ) []knowledge.FAQ {
			out := slices.Clone(cur)
			at := make(map[string]int, len(out))
			for i, q := range out {
				at[q.ID] = i
			}
			for _, q := range f.FAQs {
				if i, ok := at[q.ID]; ok {
					out[i] = q
				} else {
					out = append(out, q)
				}
			}
			return out
		},
		synonyms: func(cur [][]string) [][]string {
			out := slices.Clone(cur)
			for _, set := range f.Synonyms {
				if !slices.ContainsFunc(out, func(s []string) bool { return slices.Equal(s, set) }) {
					out = append(out, set)
				}
			}
			return out
		},
	}
}

// keepSynonyms gives a CSV file, which holds no synonym sets, the stored ones, so that
// importing it leaves them as they are.
func (s *Server) keepSynonyms(r *http.Request, up upload, f *knowledge.File) error {
	if up.Format != "csv" {
		return nil
	}
	syns, err := s.cfg.Knowledge.Synonyms(r.Context())
	f.Synonyms = syns
	return err
}

// unitWarnings names the units the file's FAQs escalate to that do not exist.
func (s *Server) unitWarnings(r *http.Request, f *knowledge.File) ([]string, error) {
	units, err := s.cfg.Tickets.Units(r.Context(), s.cfg.DB)
	if err != nil || len(units) == 0 {
		return nil, err
	}
	known := map[string]bool{}
	for _, u := range units {
		known[u.Slug] = true
	}
	uses := map[string]int{}
	var order []string
	for _, q := range f.FAQs {
		if q.Unit != "" && !known[q.Unit] {
			if uses[q.Unit] == 0 {
				order = append(order, q.Unit)
			}
			uses[q.Unit]++
		}
	}
	var out []string
	for _, u := range order {
		out = append(out, fmt.Sprintf("Unit '%s' (dipakai %d FAQ) belum terdaftar: pertanyaan yang diteruskan ke petugas dari FAQ itu akan masuk ke unit bawaan.", u, uses[u]))
	}
	return out, nil
}

// planVersion fingerprints a plan, so that "Terapkan" applies the changes the editor
// saw and nothing else.
func planVersion(p knowledge.ImportPlan) string {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// importApply applies an upload whose report the editor saw; when the knowledge base
// changed since, the new report is shown instead.
func (s *Server) importApply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userOf(r)
	id, _ := strconv.ParseInt(r.PostFormValue("unggahan"), 10, 64)
	rep, ok := s.importPlan(w, r, id)
	if !ok {
		return
	}
	if rep.Version != r.PostFormValue("versi") {
		rep.Stale = true
		s.render(w, r, http.StatusConflict, "faq_import_report", "Periksa impor", "/faq", rep)
		return
	}
	if len(rep.Golden.Broken) > 0 && !confirmed(r, rep.Version) {
		s.render(w, r, http.StatusConflict, "faq_import_report", "Periksa impor", "/faq", rep)
		return
	}
	claimed, err := claimUpload(ctx, s.cfg.DB, id, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !claimed {
		s.redirect(w, r, "/faq/impor", "Unggahan itu sudah diterapkan.", true)
		return
	}
	res, err := s.cfg.Knowledge.ImportAs(ctx, rep.file, rep.Upload.Replace, editorOf(r))
	if err != nil {
		s.log.ErrorContext(r.Context(), "console import", "staff_id", u.ID, "file", rep.Upload.Filename, "err", err)
		s.redirect(w, r, "/faq/impor", "Impor gagal; tidak ada yang diubah. Unggah berkasnya lagi, atau hubungi admin bila berulang.", true)
		return
	}
	if err := s.cfg.Tickets.Audit(ctx, s.cfg.DB, 0, tickets.StaffActor(u), tickets.DoorConsole, tickets.ActionKBImported, map[string]any{
		"added": res.Added, "changed": res.Changed, "removed": res.Removed, "format": rep.Upload.Format, "replace": rep.Upload.Replace,
	}); err != nil {
		s.log.ErrorContext(r.Context(), "console import audit", "err", err)
	}
	s.log.InfoContext(r.Context(), "kb imported", "staff_id", u.ID, "file", rep.Upload.Filename, "added", res.Added, "changed", res.Changed, "removed", res.Removed)
	msg := fmt.Sprintf("Impor selesai: %d FAQ baru, %d diubah, %d tetap", res.Added, res.Changed, res.Unchanged)
	if res.Removed > 0 {
		msg += fmt.Sprintf(", %d dihapus", res.Removed)
	}
	s.redirect(w, r, "/faq/impor", msg+". Bot memakai isi yang baru dalam beberapa detik.", false)
}
