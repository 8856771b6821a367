package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/loket-id/loket/tickets"
)

// adminRoutes registers the admins' pages: accounts.
func (s *Server) adminRoutes() {
	s.page("GET /pengguna", adminRole, s.usersPage)
	s.page("POST /pengguna", adminRole, s.addUser)
	s.page("POST /pengguna/{id}", adminRole, s.updateUser)
	s.page("POST /pengguna/{id}/sandi", adminRole, s.resetPassword)
}

// usersData is the accounts page.
type usersData struct {
	Staff []tickets.Staff
	Units []tickets.Unit
	Roles []string
	// Form keeps what was typed into the add form after an error.
	Form  NewUser
	Error string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersData{Form: NewUser{Role: tickets.RoleOfficer}})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) {
	var err error
	if d.Staff, err = s.cfg.Tickets.ListStaff(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Units, err = s.cfg.Tickets.Units(r.Context(), s.cfg.DB); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Roles = tickets.Roles()
	s.render(w, r, status, "users", "Pengguna", "/pengguna", d)
}

// formUnits are the units ticked in a form.
func formUnits(r *http.Request) []string {
	var units []string
	for _, u := range r.PostForm["unit"] {
		if u = strings.TrimSpace(u); u != "" {
			units = append(units, u)
		}
	}
	return units
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	form := NewUser{
		Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Role: r.PostFormValue("role"),
		Password: r.PostFormValue("password"), Units: formUnits(r),
	}
	if v := strings.TrimSpace(r.PostFormValue("telegram")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			form.Password = ""
			s.renderUsers(w, r, http.StatusUnprocessableEntity, usersData{Form: form, Error: "Id Telegram harus berupa angka positif."})
			return
		}
		form.TelegramUserID = id
	}
	_, err := CreateUser(r.Context(), s.cfg.DB, s.cfg.Tickets, form, tickets.StaffActor(userOf(r)), tickets.DoorConsole)
	var unknown *tickets.UnknownUnitError
	msg := ""
	switch {
	case err == nil:
		s.redirect(w, r, "/pengguna", "Akun "+strings.ToLower(strings.TrimSpace(form.Username))+" dibuat.", false)
		return
	case errors.Is(err, ErrUsernameTaken):
		msg = "Nama pengguna itu sudah dipakai."
	case errors.As(err, &unknown):
		msg = "Unit " + unknown.Slug + " tidak ada."
	case !usernamePattern.MatchString(strings.ToLower(strings.TrimSpace(form.Username))):
		msg = "Nama pengguna 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
	case CheckNewPassword(form.Password) != "":
		msg = CheckNewPassword(form.Password)
	case strings.Contains(err.Error(), "role"):
		msg = "Pilih peran yang ada."
	default:
		s.fail(w, r, err)
		return
	}
	form.Password = ""
	s.renderUsers(w, r, http.StatusUnprocessableEntity, usersData{Form: form, Error: msg})
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	me := userOf(r)
	role, active := r.PostFormValue("role"), r.PostFormValue("active") == "1"
	if id == me.ID && (role != tickets.RoleAdmin || !active) {
		s.redirect(w, r, "/pengguna", "Anda tidak bisa mencabut peran admin atau menonaktifkan akun Anda sendiri. Minta admin lain melakukannya.", true)
		return
	}
	err := UpdateUser(r.Context(), s.cfg.DB, s.cfg.Tickets, id, r.PostFormValue("name"), role, formUnits(r), active, tickets.StaffActor(me))
	var unknown *tickets.UnknownUnitError
	switch {
	case errors.Is(err, tickets.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "Akun itu tidak ada.")
	case errors.As(err, &unknown):
		s.redirect(w, r, "/pengguna", "Unit "+unknown.Slug+" tidak ada.", true)
	case err != nil && strings.Contains(err.Error(), "console: update user: "):
		s.redirect(w, r, "/pengguna", "Nama tidak boleh kosong dan peran harus salah satu yang ada.", true)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.redirect(w, r, "/pengguna", "Perubahan disimpan.", false)
	}
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	pw := r.PostFormValue("password")
	if msg := CheckNewPassword(pw); msg != "" {
		s.redirect(w, r, "/pengguna", msg, true)
		return
	}
	err := SetPassword(r.Context(), s.cfg.DB, id, pw)
	if errors.Is(err, tickets.ErrNotFound) {
		s.redirect(w, r, "/pengguna", "Akun itu tidak punya nama pengguna konsol; buat akun konsol untuknya dengan formulir di bawah.", true)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Tickets.Audit(r.Context(), s.cfg.DB, 0, tickets.StaffActor(userOf(r)), tickets.DoorConsole, tickets.ActionPasswordReset, map[string]any{"staff_id": id}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/pengguna", "Kata sandi diganti; sesi akun itu sudah diakhiri. Sampaikan kata sandi baru secara langsung, bukan lewat obrolan.", false)
}
