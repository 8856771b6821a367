// Package console is the web console for officers, editors, supervisors and admins:
// server-rendered pages in Indonesian, sessions in PostgreSQL, every form protected
// against cross-site request forgery, every page checking role and unit. Everything it
// serves is embedded in the binary.
package console

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// Searcher answers a question from the live index (the "try a question" box and the
// golden questions).
type Searcher interface {
	Search(ctx context.Context, question string) (knowledge.Result, error)
}

// Desk acts on tickets as officers do in the staff group: the same rules, messages to
// the citizen, card updates and audit (bot.Engine implements it). Each returns the
// notice for the officer; an error wrapping ErrNotAllowed when they may not act.
type Desk interface {
	DeskTake(ctx context.Context, officer tickets.Staff, id int64) (string, error)
	DeskReply(ctx context.Context, officer tickets.Staff, id int64, text string) (string, error)
	DeskNote(ctx context.Context, officer tickets.Staff, id int64, note string) (string, error)
	DeskResolve(ctx context.Context, officer tickets.Staff, id int64, note string) (string, error)
	DeskHandOver(ctx context.Context, officer tickets.Staff, id int64, unit, note string) (string, error)
	HandoverTargets(ctx context.Context, t tickets.Ticket) ([]tickets.Unit, error)
}

// Files fetches a Telegram file by its file id, for the attachment proxy (the bot
// token never reaches the browser).
type Files interface {
	Open(ctx context.Context, fileID string) (body io.ReadCloser, size int64, err error)
}

// Config is what the console needs.
type Config struct {
	DB        *sqlx.DB
	Tickets   *tickets.Store
	Knowledge *knowledge.Store
	// Search is the live index; nil disables the "try a question" box.
	Search Searcher
	// Desk acts on tickets; nil makes ticket pages read-only.
	Desk Desk
	// Files serves attachments; nil shows them as unavailable.
	Files Files
	// Location is the office's time zone, for every time shown.
	Location *time.Location
	// Calendar computes working time for the dashboard (nil: plain hours).
	Calendar func() *tickets.Calendar
	// OfficeName is shown in the header.
	OfficeName string
	// BotUsername is the bot's Telegram username (for the link instructions).
	BotUsername string
	// SecureCookies marks cookies Secure (the console is served over HTTPS).
	SecureCookies bool
	// PublicStats serves the public page of monthly figures (/publik).
	PublicStats bool
	Log         *slog.Logger
}

// Server is the console's HTTP handler.
type Server struct {
	cfg   Config
	mux   *http.ServeMux
	pages *pages
	log   *slog.Logger
}

// New returns the console; mount it at the root of the HTTP server.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Tickets == nil || cfg.Knowledge == nil {
		return nil, fmt.Errorf("console: DB, Tickets and Knowledge are required")
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.OfficeName == "" {
		cfg.OfficeName = "Loket"
	}
	p, err := parsePages(cfg.Location)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), pages: p, log: cfg.Log}
	s.routes()
	return s, nil
}

// ServeHTTP serves the console.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	s.mux.ServeHTTP(w, r)
}

// routes registers every page. Each names the roles that may see it; pages are
// defined next to their handlers: auth pages here and in pages_auth.go, officers'
// in tickets*.go, editors' in faq*.go, supervisors' in dashboard*.go.
func (s *Server) routes() {
	s.mux.Handle("GET /static/", staticHandler())
	s.public("GET /masuk", s.loginPage)
	s.public("POST /masuk", s.login)
	s.public("GET /pasang", s.setupPage)
	s.public("POST /pasang", s.setup)
	s.page("POST /keluar", anyRole, s.logout)
	s.page("GET /{$}", anyRole, s.home)
	s.page("GET /akun", anyRole, s.accountPage)
	s.page("POST /akun/sandi", anyRole, s.changePassword)
	s.page("POST /akun/telegram", anyRole, s.linkTelegram)
	s.officerRoutes()
	s.editorRoutes()
	s.supervisorRoutes()
	s.adminRoutes()
}

// home sends each role to where its work is.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	target := "/tiket"
	switch u.Role {
	case tickets.RoleEditor:
		target = "/faq"
	case tickets.RoleSupervisor:
		target = "/dasbor"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
