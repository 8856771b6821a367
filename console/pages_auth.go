package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/loket-id/loket/tickets"
)

// loginData is the login form.
type loginData struct {
	Username, Next, Error string
	Setup                 bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.authenticate(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("lanjut")), http.StatusSeeOther)
		return
	}
	hasAdmin, err := adminExists(r.Context(), s.cfg.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "login", "Masuk", "", loginData{Next: r.URL.Query().Get("lanjut"), Setup: !hasAdmin})
}

// login checks a username and password. Failures say the same whether the account
// exists or not, take as long, and are throttled per username and per address.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("lanjut"))
	form := loginData{Username: username, Next: next}
	if len(username) > 64 {
		username = username[:64]
	}
	client := clientAddr(r)
	wait, err := throttled(ctx, s.cfg.DB, username, client)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		form.Error = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam " + minutes(wait) + " menit."
		s.render(w, r, http.StatusTooManyRequests, "login", "Masuk", "", form)
		return
	}
	var cred struct {
		ID     int64   `db:"id"`
		Hash   *string `db:"password_hash"`
		Active bool    `db:"active"`
	}
	err = s.cfg.DB.GetContext(ctx, &cred, `SELECT id, password_hash, active FROM staff WHERE username = $1`, username)
	hash := dummyHash
	if err == nil && cred.Hash != nil {
		hash = *cred.Hash
	}
	ok := CheckPassword(hash, password) && err == nil && cred.Hash != nil && cred.Active
	if !ok {
		if err := recordFailure(ctx, s.cfg.DB, username, client); err != nil {
			s.fail(w, r, err)
			return
		}
		s.log.InfoContext(r.Context(), "console login failed", "username", username)
		form.Error = "Nama pengguna atau kata sandi salah."
		s.render(w, r, http.StatusUnauthorized, "login", "Masuk", "", form)
		return
	}
	if !s.startSession(w, r, cred.ID) {
		return
	}
	if st, err := s.cfg.Tickets.StaffByID(ctx, s.cfg.DB, cred.ID); err == nil {
		_ = s.cfg.Tickets.Audit(ctx, s.cfg.DB, 0, tickets.StaffActor(st), tickets.DoorConsole, tickets.ActionStaffLogin, map[string]any{"staff_id": st.ID})
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// startSession logs the browser in as staffID: a new session and its cookie. It
// answers with an error page and returns false when that fails.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, staffID int64) bool {
	token, err := newSession(r.Context(), s.cfg.DB, staffID, r.UserAgent())
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := endSession(r.Context(), s.cfg.DB, c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.redirect(w, r, "/masuk", "Anda sudah keluar.", false)
}

// setupData is the first-run form.
type setupData struct {
	Username, Name, Error string
}

// setupPage creates the first admin; it works only while no admin can log in.
func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	hasAdmin, err := adminExists(r.Context(), s.cfg.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hasAdmin {
		s.errorPage(w, r, http.StatusNotFound, "Pemasangan awal sudah selesai. Masuk dengan akun Anda.")
		return
	}
	s.render(w, r, http.StatusOK, "setup", "Pemasangan awal", "", setupData{})
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	form := setupData{Username: r.PostFormValue("username"), Name: r.PostFormValue("name")}
	password := r.PostFormValue("password")
	switch {
	case password != r.PostFormValue("password2"):
		form.Error = "Kedua kata sandi tidak sama."
	case CheckNewPassword(password) != "":
		form.Error = CheckNewPassword(password)
	case !usernamePattern.MatchString(strings.ToLower(strings.TrimSpace(form.Username))):
		form.Error = "Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
	}
	if form.Error != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "setup", "Pemasangan awal", "", form)
		return
	}
	// The check and the creation under one advisory lock: two browsers racing through
	// setup create one admin.
	conn, err := s.cfg.DB.Connx(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7707)`); err != nil {
		s.fail(w, r, err)
		return
	}
	defer func() { _, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock(7707)`) }()
	hasAdmin, err := adminExists(ctx, conn)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hasAdmin {
		s.errorPage(w, r, http.StatusNotFound, "Pemasangan awal sudah selesai. Masuk dengan akun Anda.")
		return
	}
	st, err := CreateUser(ctx, s.cfg.DB, s.cfg.Tickets, NewUser{Username: form.Username, Name: form.Name, Role: tickets.RoleAdmin, Password: password},
		tickets.Actor{Kind: tickets.ActorAdmin, Name: "Pemasangan awal"}, tickets.DoorConsole)
	if errors.Is(err, ErrUsernameTaken) {
		form.Error = "Nama pengguna itu sudah dipakai."
		s.render(w, r, http.StatusUnprocessableEntity, "setup", "Pemasangan awal", "", form)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.startSession(w, r, st.ID) {
		return
	}
	s.redirect(w, r, "/pengguna", "Akun admin dibuat. Tambahkan petugas, editor dan pimpinan di sini.", false)
}

// accountData is the account page.
type accountData struct {
	LinkCode    string
	BotUsername string
	Units       []string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account", "Akun saya", "/akun", accountData{BotUsername: s.cfg.BotUsername, Units: userOf(r).Units})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userOf(r)
	var hash string
	if err := s.cfg.DB.GetContext(ctx, &hash, `SELECT coalesce(password_hash, '') FROM staff WHERE id = $1`, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	next := r.PostFormValue("new")
	switch {
	case !CheckPassword(hash, r.PostFormValue("current")):
		s.redirect(w, r, "/akun", "Kata sandi saat ini salah.", true)
		return
	case next != r.PostFormValue("new2"):
		s.redirect(w, r, "/akun", "Kedua kata sandi baru tidak sama.", true)
		return
	case CheckNewPassword(next) != "":
		s.redirect(w, r, "/akun", CheckNewPassword(next), true)
		return
	}
	if err := SetPassword(ctx, s.cfg.DB, u.ID, next); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.startSession(w, r, u.ID) {
		return
	}
	s.redirect(w, r, "/akun", "Kata sandi diganti. Sesi lain akun ini sudah diakhiri.", false)
}

// linkTelegram shows a one-time code the officer sends to the bot.
func (s *Server) linkTelegram(w http.ResponseWriter, r *http.Request) {
	code, err := s.cfg.Tickets.NewLinkCode(r.Context(), s.cfg.DB, userOf(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", "Akun saya", "/akun", accountData{LinkCode: code, BotUsername: s.cfg.BotUsername, Units: userOf(r).Units})
}
