package console

import (
	"bytes"
	"fmt"
	"net/http"
	"time"
)

// exportKB downloads the published FAQs and the synonym sets as YAML (the default),
// JSON or CSV. CSV holds the FAQs only, separated by ';' for Excel in the Indonesian
// locale, or by ',' with pemisah=koma.
func (s *Server) exportKB(w http.ResponseWriter, r *http.Request) {
	f, err := s.cfg.Knowledge.Content(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	format := r.URL.Query().Get("format")
	var ctype string
	switch format {
	case "", "yaml":
		format, ctype = "yaml", "application/yaml; charset=utf-8"
		err = f.WriteYAML(&buf)
	case "json":
		ctype = "application/json; charset=utf-8"
		err = f.WriteJSON(&buf)
	case "csv":
		comma := ';'
		if r.URL.Query().Get("pemisah") == "koma" {
			comma = ','
		}
		ctype = "text/csv; charset=utf-8"
		err = f.WriteCSV(&buf, comma)
	default:
		s.errorPage(w, r, http.StatusBadRequest, "Format ekspor harus yaml, json atau csv.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("faq-%s.%s", time.Now().In(s.cfg.Location).Format("2006-01-02"), format)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = buf.WriteTo(w)
}
