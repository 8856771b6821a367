package main

import (
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/internal/dbtest"
)

func TestUserCommands(t *testing.T) {
	url := dbtest.NewURL(t)
	vars := map[string]string{"DATABASE_URL": url}
	pw := "rahasia-kota-123\n"
	steps := []struct {
		name, stdin string
		args        []string
		want        string
		wantErr     string
	}{
		{"no password on stdin", "", []string{"user", "add", "--username", "admin", "--role", "admin"}, "", "give the password on standard input"},
		{"short password", "pendek\n", []string{"user", "add", "--username", "admin", "--role", "admin"}, "", "password: at least 10 characters"},
		{"bad role", pw, []string{"user", "add", "--username", "admin", "--role", "raja"}, "", `role "raja" is not one of`},
		{"admin", pw, []string{"user", "add", "--username", "admin", "--role", "admin", "--name", "Admin Kota"}, "Console account admin (Admin Kota, admin) ready", ""},
		{"taken", pw, []string{"user", "add", "--username", "admin", "--role", "editor"}, "", `username "admin" is taken`},
		{"unknown unit", pw, []string{"user", "add", "--username", "siti", "--role", "officer", "--unit", "polres"}, "", `unit "polres" does not exist`},
		{"officer by telegram", pw, []string{"staff", "add", "--telegram-id", "77", "--name", "Siti"}, "", ""},
		{"login for the officer", pw, []string{"user", "add", "--username", "siti", "--role", "officer", "--telegram-id", "77", "--name", "Siti Rahma"}, "ready", ""},
		{"list", "", []string{"user", "list"}, "siti", ""},
		{"passwd", "kata-sandi-baru-99\n", []string{"user", "passwd", "--username", "siti"}, "Password of siti changed", ""},
		{"passwd unknown", pw, []string{"user", "passwd", "--username", "tidakada"}, "", `no active account "tidakada"`},
	}
	for _, st := range steps {
		out, _, err := loket(t, vars, st.stdin, st.args...)
		switch {
		case st.wantErr == "" && err != nil:
			t.Errorf("%s: %v", st.name, err)
		case st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)):
			t.Errorf("%s: err = %v, want %q", st.name, err, st.wantErr)
		case !strings.Contains(out, st.want):
			t.Errorf("%s: output %q lacks %q", st.name, out, st.want)
		}
	}
	db := sqlx.MustOpen("postgres", url)
	defer func() { _ = db.Close() }()
	var r struct {
		Rows int    `db:"n"`
		Hash string `db:"hash"`
	}
	// One person: the Telegram officer got the login, with the new password.
	if err := db.Get(&r, `SELECT count(*) AS n, max(password_hash) AS hash FROM staff WHERE telegram_user_id = 77 OR username = 'siti'`); err != nil {
		t.Fatal(err)
	}
	if r.Rows != 1 || !console.CheckPassword(r.Hash, "kata-sandi-baru-99") {
		t.Errorf("%d rows for siti; new password accepted: %v", r.Rows, console.CheckPassword(r.Hash, "kata-sandi-baru-99"))
	}
}
