package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/loket-id/loket/tickets"
)

// sessionCookie holds the session token.
const sessionCookie = "loket_sesi"

// Who may see a page.
var (
	anyRole        = tickets.Roles()
	ticketRoles    = []string{tickets.RoleOfficer, tickets.RoleEditor, tickets.RoleSupervisor, tickets.RoleAdmin}
	editorRoles    = []string{tickets.RoleEditor, tickets.RoleAdmin}
	supervisorRole = []string{tickets.RoleSupervisor, tickets.RoleAdmin}
	adminRole      = []string{tickets.RoleAdmin}
)

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// userOf is the logged-in account of a request that passed page().
func userOf(r *http.Request) tickets.Staff {
	u, _ := r.Context().Value(userKey).(tickets.Staff)
	return u
}

// sessionOf is the session of a request that passed page().
func sessionOf(r *http.Request) session {
	s, _ := r.Context().Value(sessionKey).(session)
	return s
}

// public registers a page anyone may open (login, setup). Its forms are protected by
// the browser's cross-origin checks (Sec-Fetch-Site / Origin).
func (s *Server) public(pattern string, h http.HandlerFunc) {
	limited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		stripNUL(r)
		h(w, r)
	})
	s.mux.Handle(pattern, http.NewCrossOriginProtection().Handler(limited))
}

// maxFormBytes is the largest request body a page takes unless it says otherwise.
const maxFormBytes = 1 << 20

// page registers a page for logged-in accounts of the given roles. A request without a
// session is sent to the login page (GET) or refused with 401; a role not listed gets
// 403; a POST without the session's CSRF token gets 403 and changes nothing; a body
// over maxFormBytes gets 413.
func (s *Server) page(pattern string, roles []string, h http.HandlerFunc) {
	s.pageLimit(pattern, roles, maxFormBytes, h)
}

// pageLimit is page for a form whose body may hold up to limit bytes (an upload).
func (s *Server) pageLimit(pattern string, roles []string, limit int64, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("Kiriman terlalu besar: maksimal %d MB.", max(limit>>20, 1)))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		sess, u, err := s.authenticate(r)
		if err != nil {
			if !errors.Is(err, errNoSession) {
				s.fail(w, r, err)
				return
			}
			if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.Header.Get("X-Requested-With") != "fetch" {
				http.Redirect(w, r, "/masuk?lanjut="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, http.StatusUnauthorized, "Sesi Anda sudah berakhir. Silakan masuk lagi.")
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), userKey, u), sessionKey, sess)
		r = r.WithContext(ctx)
		if !slices.Contains(roles, u.Role) {
			s.errorPage(w, r, http.StatusForbidden, "Halaman ini bukan untuk peran Anda.")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := checkCSRF(r, sess.CSRF); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("Kiriman terlalu besar: maksimal %d MB.", max(limit>>20, 1)))
					return
				}
				s.errorPage(w, r, http.StatusForbidden, "Formulir ini sudah kedaluwarsa atau tidak berasal dari konsol. Muat ulang halaman lalu coba lagi.")
				return
			}
		}
		stripNUL(r)
		h(w, r)
	})
}

// stripNUL removes NUL characters, which PostgreSQL refuses in text (a form holding
// one would fail with a server error), from the request's query and form values.
func stripNUL(r *http.Request) {
	clean := func(vs url.Values) {
		for _, v := range vs {
			for i := range v {
				v[i] = strings.ReplaceAll(v[i], "\x00", "")
			}
		}
	}
	if strings.Contains(r.URL.RawQuery, "%00") {
		q := r.URL.Query()
		clean(q)
		r.URL.RawQuery = q.Encode()
	}
	_ = r.ParseForm() // a malformed form is the handler's to refuse
	clean(r.Form)
	clean(r.PostForm)
	if r.MultipartForm != nil {
		clean(r.MultipartForm.Value)
	}
}

// authenticate returns the request's session and its active account.
func (s *Server) authenticate(r *http.Request) (session, tickets.Staff, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, tickets.Staff{}, errNoSession
	}
	sess, err := lookupSession(r.Context(), s.cfg.DB, c.Value)
	if err != nil {
		return session{}, tickets.Staff{}, err
	}
	u, err := s.cfg.Tickets.StaffByID(r.Context(), s.cfg.DB, sess.StaffID)
	if errors.Is(err, tickets.ErrNotFound) {
		return session{}, tickets.Staff{}, errNoSession // disabled since
	}
	return sess, u, err
}

// errCSRF is a form without the session's CSRF token, or sent from another site.
var errCSRF = errors.New("console: CSRF check failed")

// checkCSRF checks the form's (or the X-CSRF-Token header's) token against the
// session's, and that the browser does not say the request is cross-site. A body over
// the page's limit gives the *http.MaxBytesError.
func checkCSRF(r *http.Request, want string) error {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return errCSRF
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if err := r.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return err
			}
			return errCSRF
		}
		got = r.PostFormValue("csrf")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

// secureHeaders are sent with every response: no framing, no sniffing, no referrer
// leaving the console, and scripts, styles and images only from the console itself.
func secureHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// clientAddr is the client's address, for login throttling.
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// safeNext returns a local path to go to after login ("/" for anything else).
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// pathID is the path's wildcard name as a positive number, or 0 (which no record has).
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
