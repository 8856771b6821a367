package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

func TestStaffCommands(t *testing.T) {
	url := dbtest.NewURL(t)
	vars := map[string]string{"DATABASE_URL": url}
	start := time.Now().Add(-time.Minute)
	runSteps(t, vars, []step{
		{name: "empty list", args: []string{"staff", "list"}, want: []string{"No officers registered yet"}},
		{name: "no id", args: []string{"staff", "add", "--name", "Siti"}, wantErr: "usage: loket staff add", usage: true},
		{name: "new without name", args: []string{"staff", "add", "--telegram-id", "5"}, wantErr: "give their name with --name", usage: true},
		{name: "bad role", args: []string{"staff", "add", "--telegram-id", "5", "--name", "Siti", "--role", "kepala"}, wantErr: `role "kepala" is not one of officer, editor, supervisor, admin`, usage: true},
		{name: "unknown unit", args: []string{"staff", "add", "--telegram-id", "5", "--name", "Siti", "--unit", "polres"},
			wantErr: `unit "polres" does not exist; create it with: loket unit add --slug polres --name NAME`},
		{name: "plain officer", args: []string{"staff", "add", "--telegram-id", "5", "--name", "Siti"},
			want: []string{`Officer "Siti" (Telegram id 5) registered: role officer, units none; active.`}},
		{name: "unit polres", args: []string{"unit", "add", "--slug", "polres", "--name", "Polres"}},
		{name: "unit samsat", args: []string{"unit", "add", "--slug", "samsat", "--name", "Samsat", "--default"}},
		{name: "officer without unit, units exist", args: []string{"staff", "add", "--telegram-id", "6", "--name", "Rudi"},
			want: []string{"Note: an officer of no unit acts only on tickets without a unit"}},
		{name: "give units", args: []string{"staff", "add", "--telegram-id", "5", "--unit", "samsat, polres"},
			want: []string{`Officer "Siti" (Telegram id 5) updated: role officer, units polres, samsat; active.`}},
		{name: "promote keeps units", args: []string{"staff", "add", "--telegram-id", "5", "--role", "supervisor"},
			want: []string{"role supervisor, units polres, samsat"}},
		{name: "admin", args: []string{"staff", "add", "--telegram-id", "7", "--name", "Dewi Lestari", "--role", "admin"}},
		{name: "disable", args: []string{"staff", "disable", "--telegram-id", "6"}, want: []string{`Officer "Rudi" (Telegram id 6) disabled`}},
		{name: "disable again", args: []string{"staff", "disable", "--telegram-id", "6"}, want: []string{"already disabled; nothing changed"}},
		{name: "disable unknown", args: []string{"staff", "disable", "--telegram-id", "66"}, wantErr: "no officer has Telegram id 66"},
		{name: "disable without id", args: []string{"staff", "disable"}, wantErr: "usage: loket staff disable --telegram-id ID", usage: true},
		{name: "changing someone disabled", args: []string{"staff", "add", "--telegram-id", "6", "--unit", "samsat"},
			want: []string{"units samsat; disabled (enable with: loket staff enable --telegram-id 6)"}},
		{name: "list", args: []string{"staff", "list"}, want: []string{
			"TELEGRAM ID  NAME          ROLE        UNITS          STATE",
			"5            Siti          supervisor  polres,samsat  active",
			"6            Rudi          officer     samsat         disabled",
			"7            Dewi Lestari  admin       -              active",
		}},
		{name: "enable", args: []string{"staff", "enable", "--telegram-id", "6"}, want: []string{`Officer "Rudi" (Telegram id 6) enabled`}},
		{name: "enable again", args: []string{"staff", "enable", "--telegram-id", "6"}, want: []string{"already enabled"}},
		{name: "clear units", args: []string{"staff", "add", "--telegram-id", "5", "--unit", ""}, want: []string{"units none"}},
		{name: "unit list counts staff", args: []string{"unit", "list"}, want: []string{"samsat  Samsat  default group  default  1 / 5       1"}},
	})

	// Every change is in the audit log, by an operator on the command line.
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	es, err := tickets.NewStore(db).AuditSince(context.Background(), db, start, 100)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range es {
		if e.Actor.Kind != tickets.ActorAdmin || e.Door != tickets.DoorCLI {
			t.Errorf("entry %+v: want an admin on the command line", e)
		}
		count[e.Action]++
	}
	want := map[string]int{tickets.ActionStaffAdded: 7, tickets.ActionStaffDisabled: 1, tickets.ActionStaffEnabled: 1}
	for a, n := range want {
		if count[a] != n {
			t.Errorf("%d %s entries, want %d (all: %v)", count[a], a, n, count)
		}
	}
	out, _, err := loket(t, vars, "", "audit", "--since", "1h")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Operator (admin) lewat baris perintah: mendaftarkan petugas", "menonaktifkan petugas", "mengaktifkan kembali petugas"} {
		if !strings.Contains(out, w) {
			t.Errorf("audit output lacks %q:\n%s", w, out)
		}
	}
}
