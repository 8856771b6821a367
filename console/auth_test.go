package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/tickets"
)

func TestPasswordHash(t *testing.T) {
	h, err := console.HashPassword("rahasia sekali 123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC format", h)
	}
	if !console.CheckPassword(h, "rahasia sekali 123") || console.CheckPassword(h, "rahasia sekali 124") {
		t.Error("CheckPassword does not tell the right password from a wrong one")
	}
	h2, _ := console.HashPassword("rahasia sekali 123")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$2a$10$abc", "plain"} {
		if console.CheckPassword(bad, "") {
			t.Errorf("CheckPassword(%q) accepted", bad)
		}
	}
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	e.addUser("siti", tickets.RoleOfficer)
	anon := e.anon()
	// Logged out: pages send to the login page, forms are refused.
	if r := anon.get("/akun?tab=sandi"); r.Status != http.StatusSeeOther || r.Location != "/masuk?lanjut=%2Fakun%3Ftab%3Dsandi" {
		t.Errorf("logged-out GET: %d → %q", r.Status, r.Location)
	}
	if r := anon.postForm("/keluar", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("logged-out POST: %d, want 401", r.Status)
	}
	if r := anon.postForm("/masuk", url.Values{"username": {"siti"}, "password": {"salah"}}); r.Status != http.StatusUnauthorized ||
		!strings.Contains(r.Body, "Nama pengguna atau kata sandi salah") {
		t.Errorf("wrong password: %d", r.Status)
	}
	if r := anon.postForm("/masuk", url.Values{"username": {"tidakada"}, "password": {"salah"}}); r.Status != http.StatusUnauthorized ||
		!strings.Contains(r.Body, "Nama pengguna atau kata sandi salah") {
		t.Errorf("unknown user: %d (must look like a wrong password)", r.Status)
	}
	// The session cookie is HttpOnly and SameSite; login goes where it was asked to
	// (a local path only).
	r := anon.postForm("/masuk", url.Values{"username": {"siti"}, "password": {password}, "lanjut": {"//evil.example/"}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Errorf("login: %d → %q, want / (never another site)", r.Status, r.Location)
	}
	cookie := r.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("session cookie %q", cookie)
	}
	anon.refreshCSRF()
	if r := anon.get("/"); r.Status != http.StatusSeeOther || r.Location != "/tiket" {
		t.Errorf("home for an officer: %d → %q", r.Status, r.Location)
	}
	// A form without the CSRF token changes nothing.
	if r := anon.postForm("/keluar", nil); r.Status != http.StatusForbidden {
		t.Errorf("logout without CSRF token: %d, want 403", r.Status)
	}
	if r := anon.get("/akun"); r.Status != http.StatusOK {
		t.Fatalf("still logged in after the refused logout: %d", r.Status)
	}
	if r := anon.post("/keluar", nil); r.Status != http.StatusSeeOther {
		t.Errorf("logout: %d", r.Status)
	}
	if r := anon.get("/akun"); r.Status != http.StatusSeeOther {
		t.Errorf("after logout /akun: %d, want a redirect to the login page", r.Status)
	}
	var sessions int
	if err := e.DB.Get(&sessions, `SELECT count(*) FROM console_sessions`); err != nil || sessions != 0 {
		t.Errorf("%d sessions left after logout (%v)", sessions, err)
	}
	// Every page says what may run on it.
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

func TestLoginThrottled(t *testing.T) {
	e := newEnv(t)
	e.addUser("budi", tickets.RoleEditor)
	c := e.anon()
	for range 5 {
		c.postForm("/masuk", url.Values{"username": {"budi"}, "password": {"tebak-tebakan"}})
	}
	r := c.postForm("/masuk", url.Values{"username": {"budi"}, "password": {password}})
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Terlalu banyak percobaan") {
		t.Errorf("sixth attempt, right password: %d, want 429", r.Status)
	}
}

func TestSetupOnlyWithoutAdmin(t *testing.T) {
	e := newEnv(t)
	c := e.anon()
	if r := c.get("/masuk"); !strings.Contains(r.Body, `href="/pasang"`) {
		t.Error("the login page does not point to the first-run setup")
	}
	if r := c.postForm("/pasang", url.Values{"username": {"admin"}, "name": {"Admin Kota"}, "password": {"pendek"}, "password2": {"pendek"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("short password: %d", r.Status)
	}
	r := c.postForm("/pasang", url.Values{"username": {"admin"}, "name": {"Admin Kota"}, "password": {password}, "password2": {password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("setup: %d\n%s", r.Status, r.Body)
	}
	c.refreshCSRF()
	other := e.anon()
	if r := other.get("/pasang"); r.Status != http.StatusNotFound {
		t.Errorf("setup page after an admin exists: %d, want 404", r.Status)
	}
	if r := other.postForm("/pasang", url.Values{"username": {"kedua"}, "password": {password}, "password2": {password}}); r.Status != http.StatusNotFound {
		t.Errorf("second setup: %d, want 404", r.Status)
	}
	var admins int
	if err := e.DB.Get(&admins, `SELECT count(*) FROM staff WHERE role = 'admin'`); err != nil || admins != 1 {
		t.Errorf("%d admins (%v)", admins, err)
	}
}

func TestLinkTelegram(t *testing.T) {
	e := newEnv(t)
	st := e.addUser("siti", tickets.RoleOfficer)
	c := e.login("siti")
	r := c.post("/akun/telegram", nil)
	code := strings.TrimSpace(between(r.Body, `id="link-code">/tautkan `, "<"))
	if len(code) != 8 {
		t.Fatalf("no link code on the page:\n%s", r.Body)
	}
	m := e.TG.SentCount()
	e.TG.SendText(officerSiti, officerSiti.ID, "/tautkan "+strings.ToLower(code))
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.Seq > m && s.ChatID == officerSiti.ID && strings.Contains(s.Text, "kini tertaut")
	}); err != nil {
		t.Fatal(err)
	}
	got, err := e.Tickets.StaffByTelegramID(t.Context(), e.DB, officerSiti.ID)
	if err != nil || got.ID != st.ID {
		t.Errorf("Telegram %d is staff %d (%v), want %d", officerSiti.ID, got.ID, err, st.ID)
	}
	// A code works once.
	e.TG.SendText(citizenAni, citizenAni.ID, "/tautkan "+code)
	if _, err := e.TG.WaitFor(waitFor, func(s tgSent) bool {
		return s.ChatID == citizenAni.ID && strings.Contains(s.Text, "tidak dikenal atau sudah kedaluwarsa")
	}); err != nil {
		t.Fatal(err)
	}
}

// between returns the text of s between the first start and the next end.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
