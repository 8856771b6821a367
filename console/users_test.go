package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loket-id/loket/tickets"
)

func TestUsersPageAdminOnly(t *testing.T) {
	e := newEnvWith(t, envOptions{units: map[string]string{"polres": "Polres", "samsat": "Samsat"}})
	admin := e.addUser("admin", tickets.RoleAdmin)
	e.addUser("siti", tickets.RoleOfficer, "polres")
	e.addUser("dewi", tickets.RoleSupervisor)
	for _, who := range []string{"siti", "dewi"} {
		c := e.login(who)
		if r := c.get("/pengguna"); r.Status != http.StatusForbidden {
			t.Errorf("%s GET /pengguna: %d, want 403", who, r.Status)
		}
		if r := c.post("/pengguna", url.Values{"username": {"nakal"}, "role": {"admin"}, "password": {password}}); r.Status != http.StatusForbidden {
			t.Errorf("%s POST /pengguna: %d, want 403", who, r.Status)
		}
	}
	c := e.login("admin")
	if r := c.get("/pengguna"); r.Status != http.StatusOK || !strings.Contains(r.Body, "siti") {
		t.Fatalf("admin GET /pengguna: %d", r.Status)
	}
	// Without the CSRF token nothing is created.
	if r := c.postForm("/pengguna", url.Values{"username": {"budi"}, "role": {"editor"}, "password": {password}}); r.Status != http.StatusForbidden {
		t.Errorf("POST without CSRF: %d", r.Status)
	}
	r := c.post("/pengguna", url.Values{"username": {"budi"}, "name": {"Budi <b>Editor</b>"}, "role": {"editor"}, "unit": {"samsat"}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add user: %d\n%s", r.Status, r.Body)
	}
	budi := e.login("budi")
	if r := budi.get("/"); r.Location != "/faq" {
		t.Errorf("an editor's home is %q, want /faq", r.Location)
	}
	if page := c.get("/pengguna").Body; strings.Contains(page, "<b>Editor</b>") || !strings.Contains(page, "Budi &lt;b&gt;Editor&lt;/b&gt;") {
		t.Error("a user's name is not escaped on the page")
	}
	// A duplicate username keeps the form and says why.
	if r := c.post("/pengguna", url.Values{"username": {"budi"}, "name": {"Budi Dua"}, "role": {"editor"}, "password": {password}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "sudah dipakai") || !strings.Contains(r.Body, "Budi Dua") {
		t.Errorf("duplicate: %d", r.Status)
	}
	// Disabling ends the account's sessions.
	var id int64
	if err := e.DB.Get(&id, `SELECT id FROM staff WHERE username = 'budi'`); err != nil {
		t.Fatal(err)
	}
	if r := c.post(fmt.Sprintf("/pengguna/%d", id), url.Values{"name": {"Budi"}, "role": {"editor"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.Status)
	}
	if r := budi.get("/akun"); r.Status != http.StatusSeeOther {
		t.Errorf("a disabled account still has its session: %d", r.Status)
	}
	// An admin cannot lock themselves out.
	c.post(fmt.Sprintf("/pengguna/%d", admin.ID), url.Values{"name": {"Admin"}, "role": {"officer"}, "active": {"1"}})
	var role string
	if err := e.DB.Get(&role, `SELECT role FROM staff WHERE id = $1`, admin.ID); err != nil || role != "admin" {
		t.Errorf("the admin demoted themselves: %q", role)
	}
	var audited int
	if err := e.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE door = 'console' AND action IN ('staff.added', 'staff.changed')`); err != nil || audited != 2 {
		t.Errorf("%d console account changes audited, want 2 (%v)", audited, err)
	}
}
