package main

import (
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/dbtest"
)

// step is one command run in a scenario and what its output or error must contain.
type step struct {
	name    string
	args    []string
	want    []string // in standard output
	wantErr string   // "" for success
	usage   bool     // the error is a usage error (exit status 2)
}

// runSteps runs steps in order against one database.
func runSteps(t *testing.T, vars map[string]string, steps []step) {
	t.Helper()
	for _, st := range steps {
		out, _, err := loket(t, vars, "", st.args...)
		switch {
		case st.wantErr == "" && err != nil:
			t.Errorf("%s: %v\n%s", st.name, err, out)
			continue
		case st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)):
			t.Errorf("%s: err = %v, want one containing %q", st.name, err, st.wantErr)
			continue
		case st.wantErr != "" && (exitCode(err) == 2) != st.usage:
			t.Errorf("%s: exit status %d for %v", st.name, exitCode(err), err)
		}
		for _, w := range st.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output does not contain %q:\n%s", st.name, w, out)
			}
		}
	}
}

func TestUnitCommands(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": dbtest.NewURL(t), "LOKET_STAFF_CHAT_ID": "-100999"}
	runSteps(t, vars, []step{
		{name: "empty list", args: []string{"unit", "list"}, want: []string{"No units yet"}},
		{name: "no subcommand", args: []string{"unit"}, wantErr: "usage: loket unit add", usage: true},
		{name: "unknown subcommand", args: []string{"unit", "remove"}, wantErr: `unknown unit command "remove"`, usage: true},
		{name: "no slug", args: []string{"unit", "add", "--name", "Polres"}, wantErr: "usage: loket unit add", usage: true},
		{name: "new unit without name", args: []string{"unit", "add", "--slug", "polres"}, wantErr: "give its name with --name", usage: true},
		{name: "bad slug", args: []string{"unit", "add", "--slug", "Polres Kota", "--name", "Polres"}, wantErr: "slug must be lowercase"},
		{name: "zero days", args: []string{"unit", "add", "--slug", "polres", "--name", "Polres", "--resolution-days", "0"}, wantErr: "at least 1", usage: true},
		{name: "the default group", args: []string{"unit", "add", "--slug", "polres", "--name", "Polres", "--chat-id", "-100999"}, wantErr: "LOKET_STAFF_CHAT_ID", usage: true},
		{name: "add polres", args: []string{"unit", "add", "--slug", "polres", "--name", "Polres Kota", "--chat-id", "-100200", "--resolution-days", "7"},
			want: []string{`Unit "polres" (Polres Kota) created: tickets go to group -100200; first response within 1 working day, resolution within 7 working days.`, "Note: there is no default unit"}},
		{name: "add the triage unit", args: []string{"unit", "add", "--slug", "mpp", "--name", "Mal Pelayanan Publik", "--default"},
			want: []string{`Unit "mpp" (Mal Pelayanan Publik) created: tickets go to the default staff group; the default unit (triage)`}},
		{name: "integrity without group", args: []string{"unit", "add", "--slug", "inspektorat", "--name", "Inspektorat", "--integrity"}, wantErr: "own Telegram staff group"},
		{name: "integrity unit", args: []string{"unit", "add", "--slug", "inspektorat", "--name", "Inspektorat", "--integrity", "--chat-id", "-100300", "--first-response-days", "2"},
			want: []string{"the integrity unit (only its members see its tickets)", "first response within 2 working days"}},
		{name: "group taken", args: []string{"unit", "add", "--slug", "samsat", "--name", "Samsat", "--chat-id", "-100200"}, wantErr: `already belongs to unit "polres"`},
		{name: "rename keeps the rest", args: []string{"unit", "add", "--slug", "polres", "--name", "Polres Metro"},
			want: []string{`Unit "polres" (Polres Metro) updated: tickets go to group -100200;`, "resolution within 7 working days"}},
		{name: "move the default", args: []string{"unit", "add", "--slug", "polres", "--default"},
			want: []string{"the default unit (triage)", `Unit "mpp" is no longer the default unit.`}},
		{name: "disable the default", args: []string{"unit", "disable", "--slug", "polres"}, wantErr: "cannot be disabled"},
		{name: "disable mpp", args: []string{"unit", "disable", "--slug", "mpp"}, want: []string{`Unit "mpp" disabled`}},
		{name: "disable unknown", args: []string{"unit", "disable", "--slug", "bapenda"}, wantErr: `unit "bapenda" does not exist`},
		{name: "officer of polres", args: []string{"staff", "add", "--telegram-id", "5", "--name", "Siti", "--unit", "polres"}},
		{name: "list", args: []string{"unit", "list"}, want: []string{
			"SLUG         NAME                  GROUP          FLAGS      SLA (DAYS)  STAFF",
			"inspektorat  Inspektorat           -100300        integrity  2 / 5       0",
			"mpp          Mal Pelayanan Publik  default group  disabled   1 / 5       0",
			"polres       Polres Metro          -100200        default    1 / 7       1",
		}},
		{name: "enable mpp", args: []string{"unit", "enable", "--slug", "mpp"}, want: []string{`Unit "mpp" enabled`}},
		{name: "back to the default group", args: []string{"unit", "add", "--slug", "polres", "--chat-id", "0"}, want: []string{"tickets go to the default staff group"}},
	})
}
