package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/loket-id/loket/bot/tghtml"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the parsed templates: each page file with the layout and the partials.
type pages struct {
	byName map[string]*template.Template
}

// parsePages parses every template; a page is templates/NAME.html defining "content"
// (and optionally "head"); files starting with "_" are the layout and partials.
func parsePages(loc *time.Location) (*pages, error) {
	funcs := templateFuncs(loc)
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	var shared []string
	for _, e := range entries {
		if strings.HasPrefix(path.Base(e), "_") {
			shared = append(shared, e)
		}
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, e := range entries {
		base := path.Base(e)
		if strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, append(append([]string{}, shared...), e)...)
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", base, err)
		}
		p.byName[strings.TrimSuffix(base, ".html")] = t
	}
	return p, nil
}

// view is what every page template gets: the page's own data in .Data.
type view struct {
	Title    string
	Office   string
	User     tickets.Staff
	CSRF     string
	Flash    string
	FlashBad bool
	// Nav is the menu for the account's role; Active is the current entry's path.
	Nav    []navItem
	Active string
	Data   any
}

type navItem struct{ Path, Label string }

// nav is the menu of a role.
func nav(role string) []navItem {
	var items []navItem
	add := func(roles []string, p, label string) {
		for _, r := range roles {
			if r == role {
				items = append(items, navItem{p, label})
				return
			}
		}
	}
	add(ticketRoles, "/tiket", "Tiket")
	add(editorRoles, "/faq", "FAQ")
	add(editorRoles, "/tak-terjawab", "Tak terjawab")
	add(editorRoles, "/coba", "Coba pertanyaan")
	add(supervisorRole, "/dasbor", "Dasbor")
	add(adminRole, "/pengguna", "Pengguna")
	add(anyRole, "/akun", "Akun")
	return items
}

// render writes a page with the layout. title is the page's title; active the menu
// entry to highlight ("" for none).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title, active string, data any) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("console: no template %q", name))
		return
	}
	v := view{Title: title, Office: s.cfg.OfficeName, User: userOf(r), CSRF: sessionOf(r).CSRF, Active: active, Data: data}
	if v.User.ID != 0 {
		v.Nav = nav(v.User.Role)
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil {
			v.Flash, v.FlashBad = strings.TrimPrefix(msg, "!"), strings.HasPrefix(msg, "!")
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.fail(w, r, fmt.Errorf("console: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderFragment writes one named template without the layout (for the parts of a
// page that refresh themselves).
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, fragment string, data any) {
	t, ok := s.pages.byName[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("console: no template %q", page))
		return
	}
	var buf bytes.Buffer
	v := view{User: userOf(r), CSRF: sessionOf(r).CSRF, Data: data}
	if err := t.ExecuteTemplate(&buf, fragment, v); err != nil {
		s.fail(w, r, fmt.Errorf("console: render %s/%s: %w", page, fragment, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// flashCookie carries a one-time message to the next page (after a redirect).
const flashCookie = "loket_pesan"

// redirect goes to target with a message shown there once; bad marks an error.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target, msg string, bad bool) {
	if msg != "" {
		if bad {
			msg = "!" + msg
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// errorPage answers with a status and a message in Indonesian.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error", http.StatusText(status), "", msg)
}

// fail logs an unexpected error and answers 500 without details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "console", "method", r.Method, "path", r.URL.Path, "err", err)
	t, ok := s.pages.byName["error"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	if ok {
		_ = t.ExecuteTemplate(w, "layout", view{Title: "Kesalahan server", Office: s.cfg.OfficeName,
			Data: "Terjadi kesalahan di server. Coba lagi sebentar lagi; bila berulang, hubungi admin."})
	}
}

// staticHandler serves the embedded CSS, JavaScript and icons, cacheable for a day.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// markdownPolicy is what rendered Markdown may contain.
var markdownPolicy = bluemonday.UGCPolicy()

// telegramPolicy is what Telegram's HTML may contain.
var telegramPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote", "br")
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	return p
}()

// templateFuncs are the helpers every template may use.
func templateFuncs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		// when writes a time as the office keeps it: "27 Nov 2026 10.05".
		"when": func(t any) string {
			var tt time.Time
			switch v := t.(type) {
			case time.Time:
				tt = v
			case *time.Time:
				if v == nil {
					return "—"
				}
				tt = *v
			default:
				return "—"
			}
			if tt.IsZero() {
				return "—"
			}
			tt = tt.In(loc)
			return fmt.Sprintf("%d %s %d %02d.%02d", tt.Day(), shortMonths[tt.Month()-1], tt.Year(), tt.Hour(), tt.Minute())
		},
		// mask hides NIKs and phone numbers.
		"mask": knowledge.MaskPersonalData,
		// markdown renders an editor's Markdown, sanitised.
		"markdown": func(src string) template.HTML {
			var buf bytes.Buffer
			if err := goldmark.Convert([]byte(src), &buf); err != nil {
				return template.HTML(template.HTMLEscapeString(src))
			}
			return template.HTML(markdownPolicy.SanitizeBytes(buf.Bytes()))
		},
		// telegram renders an answer exactly as the bot sends it to Telegram.
		"telegram": func(src string) template.HTML {
			html, err := tghtml.Render(src)
			if err != nil {
				return template.HTML(template.HTMLEscapeString(src))
			}
			return template.HTML(telegramPolicy.Sanitize(strings.ReplaceAll(html, "\n", "<br>")))
		},
		"status":   statusLabel,
		"role":     roleLabel,
		"duration": formatDuration,
		"join":     strings.Join,
		"has":      slices.Contains[[]string],
		"itoa":     func(n int64) string { return strconv.FormatInt(n, 10) },
	}
}

var shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}

// statusLabel is a ticket state in plain Indonesian.
func statusLabel(st tickets.Status) string {
	switch st {
	case tickets.StatusNew:
		return "Baru"
	case tickets.StatusInProgress:
		return "Diproses"
	case tickets.StatusWaitingCitizen:
		return "Menunggu warga"
	case tickets.StatusResolved:
		return "Selesai"
	case tickets.StatusClosed:
		return "Ditutup"
	case tickets.StatusCancelled:
		return "Dibatalkan"
	}
	return string(st)
}

// roleLabel is a role in plain Indonesian.
func roleLabel(role string) string {
	switch role {
	case tickets.RoleOfficer:
		return "Petugas"
	case tickets.RoleEditor:
		return "Editor"
	case tickets.RoleSupervisor:
		return "Pimpinan"
	case tickets.RoleAdmin:
		return "Admin"
	}
	return role
}

// formatDuration writes a duration for people: "3 j 20 m", "2 h 4 j", "45 m".
func formatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d >= 24*time.Hour:
		s = fmt.Sprintf("%d h %d j", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		s = fmt.Sprintf("%d j %d m", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		s = fmt.Sprintf("%d m", int(d/time.Minute))
	}
	if neg {
		return "−" + s
	}
	return s
}
