package console

// The unanswered and unhelpful questions, grouped by their normalised form, each one
// click away from a new FAQ or a new alternate of an existing one.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// unansweredPageSize is the number of groups a page shows.
const unansweredPageSize = 50

// unansweredPeriods are the periods offered, in days.
var unansweredPeriods = []int{7, 30, 90}

// unansweredData is the list page.
type unansweredData struct {
	Period  int
	Periods []int
	// Recent: newest first rather than most asked first.
	Recent      bool
	Groups      []unansweredView
	Total       int
	Page, Pages int
	Prev, Next  string
	Here        string
}

// unansweredView is one group with its actions.
type unansweredView struct {
	knowledge.UnansweredGroup
	// TopQuestion is the question of the FAQ most often ranked first ("": none left).
	TopQuestion string
	// NewFAQ and Choose link to a new FAQ and to choosing the FAQ to add the wording
	// to; OneClick: the wording can be added to TopFAQ as it is (it holds no mask).
	NewFAQ, Choose string
	OneClick       bool
}

// unansweredQuery reads the list's filters.
func unansweredQuery(q url.Values) (period int, recent bool, page int) {
	period = 30
	if p, err := strconv.Atoi(q.Get("periode")); err == nil {
		for _, ok := range unansweredPeriods {
			if p == ok {
				period = p
			}
		}
	}
	page, err := strconv.Atoi(q.Get("halaman"))
	if err != nil || page < 1 {
		page = 1
	}
	return period, q.Get("urut") == "terbaru", page
}

// unansweredURL is the list with the given filters.
func unansweredURL(period int, recent bool, page int) string {
	v := url.Values{"periode": {strconv.Itoa(period)}}
	if recent {
		v.Set("urut", "terbaru")
	}
	if page > 1 {
		v.Set("halaman", strconv.Itoa(page))
	}
	return "/tak-terjawab?" + v.Encode()
}

func (s *Server) unansweredPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	period, recent, page := unansweredQuery(r.URL.Query())
	filter := knowledge.UnansweredFilter{
		Since: time.Now().AddDate(0, 0, -period), Limit: unansweredPageSize, Offset: (page - 1) * unansweredPageSize,
		Skip: []string{tickets.ErasedText},
	}
	if recent {
		filter.Sort = knowledge.ByRecent
	}
	groups, total, err := knowledge.Unanswered(ctx, s.cfg.DB, filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := unansweredData{Period: period, Periods: unansweredPeriods, Recent: recent, Total: total, Page: page,
		Pages: (total + unansweredPageSize - 1) / unansweredPageSize, Here: unansweredURL(period, recent, page)}
	if page > 1 {
		d.Prev = unansweredURL(period, recent, page-1)
	}
	if page < d.Pages {
		d.Next = unansweredURL(period, recent, page+1)
	}
	questions := map[string]string{}
	for _, g := range groups {
		v := unansweredView{UnansweredGroup: g, NewFAQ: "/faq/baru?" + url.Values{"pertanyaan": {g.Text}}.Encode()}
		if g.TopFAQ != "" {
			q, seen := questions[g.TopFAQ]
			if !seen {
				f, err := s.cfg.Knowledge.Get(ctx, g.TopFAQ)
				if err != nil && !errors.Is(err, knowledge.ErrNotFound) {
					s.fail(w, r, err)
					return
				}
				q = f.Question
				questions[g.TopFAQ] = q
			}
			v.TopQuestion = q
		}
		choose := url.Values{"pertanyaan": {g.Text}, "kunci": {g.Key}, "kembali": {d.Here}}
		if v.TopQuestion != "" {
			choose.Set("faq", g.TopFAQ)
			v.OneClick = !strings.Contains(g.Text, "*")
		}
		v.Choose = "/tak-terjawab/alternatif?" + choose.Encode()
		d.Groups = append(d.Groups, v)
	}
	s.render(w, r, http.StatusOK, "faq_unanswered", "Pertanyaan tak terjawab", "/tak-terjawab", d)
}

// alternateData is the form adding a wording to an FAQ of the editor's choice.
type alternateData struct {
	Phrasing, Key, Back string
	// FAQ is the FAQ suggested (the one most often ranked first, else the live
	// index's best hit).
	FAQ      string
	FAQs     []knowledge.FAQ
	Decision *decisionView
	Error    string
}

func (s *Server) alternatePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := alternateData{Phrasing: strings.TrimSpace(q.Get("pertanyaan")), Key: q.Get("kunci"), Back: unansweredBack(q.Get("kembali")), FAQ: q.Get("faq")}
	s.renderAlternate(w, r, http.StatusOK, d)
}

func (s *Server) renderAlternate(w http.ResponseWriter, r *http.Request, status int, d alternateData) {
	ctx := r.Context()
	faqs, err := s.cfg.Knowledge.List(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.FAQs = faqs
	if s.cfg.Search != nil && d.Phrasing != "" {
		res, err := s.cfg.Search.Search(ctx, d.Phrasing)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		dv := decisionOf(res)
		d.Decision = &dv
		if d.FAQ == "" && len(res.Hits) > 0 {
			d.FAQ = res.Hits[0].ID
		}
	}
	s.render(w, r, status, "faq_unanswered_alternate", "Tambahkan pertanyaan lain", "/tak-terjawab", d)
}

// unansweredBack is where to go back to: the list with the filters the editor had.
func unansweredBack(v string) string {
	if strings.HasPrefix(v, "/tak-terjawab") && !strings.HasPrefix(v, "/tak-terjawab/") {
		return v
	}
	return "/tak-terjawab"
}

// addAlternate adds the wording to the FAQ chosen, with a revision by the editor, and
// hides the group it came from.
func (s *Server) addAlternate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := alternateData{Phrasing: strings.TrimSpace(r.PostFormValue("pertanyaan")), Key: r.PostFormValue("kunci"),
		Back: unansweredBack(r.PostFormValue("kembali")), FAQ: r.PostFormValue("faq")}
	err := s.cfg.Knowledge.AddAlternate(ctx, d.FAQ, d.Phrasing, editorOf(r))
	var invalid *knowledge.InvalidError
	switch {
	case errors.Is(err, knowledge.ErrNotFound):
		d.Error = "FAQ itu tidak ditemukan; pilih FAQ lain."
	case errors.Is(err, knowledge.ErrPhrasingTaken):
		d.Error = "FAQ itu sudah punya pertanyaan ini. Bila bot tetap tidak menjawabnya, periksa di Coba pertanyaan FAQ mana yang menyaingi."
	case errors.As(err, &invalid):
		d.Error = invalid.Problems[0].Message
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if d.Error != "" {
		s.renderAlternate(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if d.Key != "" {
		if err := knowledge.HideUnanswered(ctx, s.cfg.DB, d.Key, userOf(r).ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	title := d.FAQ
	if f, err := s.cfg.Knowledge.Get(ctx, d.FAQ); err == nil {
		title = f.Question
	}
	s.redirect(w, r, d.Back, fmt.Sprintf("\"%s\" ditambahkan sebagai pertanyaan lain untuk FAQ \"%s\". Bot memakainya dalam beberapa detik.",
		kbShorten(d.Phrasing, 80), kbShorten(title, 80)), false)
}

// hideUnanswered marks a group as handled.
func (s *Server) hideUnanswered(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("kunci")
	back := unansweredBack(r.PostFormValue("kembali"))
	if key == "" {
		s.redirect(w, r, back, "Kelompok pertanyaan itu tidak dikenali.", true)
		return
	}
	if err := knowledge.HideUnanswered(r.Context(), s.cfg.DB, key, userOf(r).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, "Kelompok pertanyaan disembunyikan. Kelompok itu muncul lagi bila warga menanyakannya lagi.", false)
}

// kbShorten cuts s to at most n runes, marking the cut with "…".
func kbShorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
