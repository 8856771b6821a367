package tickets_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

func chat(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: true} }

func TestAddUnit(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	for _, bad := range []struct {
		name string
		u    tickets.Unit
		want string
	}{
		{"empty slug", tickets.Unit{Name: "Dukcapil"}, "slug"},
		{"uppercase slug", tickets.Unit{Slug: "Dukcapil", Name: "Dukcapil"}, "slug"},
		{"leading dash", tickets.Unit{Slug: "-x", Name: "X"}, "slug"},
		{"space in slug", tickets.Unit{Slug: "dinas sosial", Name: "X"}, "slug"},
		{"long slug", tickets.Unit{Slug: strings.Repeat("a", 41), Name: "X"}, "slug"},
		{"empty name", tickets.Unit{Slug: "polres", Name: "  "}, "name"},
		{"negative days", tickets.Unit{Slug: "polres", Name: "Polres", ResolutionDays: -1}, "working day"},
		{"chat 0", tickets.Unit{Slug: "polres", Name: "Polres", StaffChatID: chat(0)}, "group id 0"},
		{"integrity without group", tickets.Unit{Slug: "inspektorat", Name: "Inspektorat", IsIntegrity: true}, "own Telegram staff group"},
		{"integrity and default", tickets.Unit{Slug: "inspektorat", Name: "Inspektorat", StaffChatID: chat(-9), IsIntegrity: true, IsDefault: true}, "cannot also be the default"},
	} {
		if _, err := s.AddUnit(ctx, bad.u); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", bad.name, err, bad.want)
		}
	}
	if us, err := s.Units(ctx, db); err != nil || len(us) != 0 {
		t.Fatalf("after refusals: %+v, %v", us, err)
	}

	u, err := s.AddUnit(ctx, tickets.Unit{Slug: " polres ", Name: " Polres Kota "})
	if err != nil {
		t.Fatal(err)
	}
	want := tickets.Unit{Slug: "polres", Name: "Polres Kota", FirstResponseDays: 1, ResolutionDays: 5, Active: true}
	if u != want {
		t.Errorf("AddUnit = %+v, want %+v", u, want)
	}
	// Adding again replaces everything and re-activates.
	if err := s.SetUnitActive(ctx, "polres", false); err != nil {
		t.Fatal(err)
	}
	u, err = s.AddUnit(ctx, tickets.Unit{Slug: "polres", Name: "Polres Metro", StaffChatID: chat(-100200), FirstResponseDays: 2, ResolutionDays: 10})
	want = tickets.Unit{Slug: "polres", Name: "Polres Metro", StaffChatID: chat(-100200), FirstResponseDays: 2, ResolutionDays: 10, Active: true}
	if err != nil || u != want {
		t.Errorf("upsert = %+v, %v; want %+v", u, err, want)
	}
	if _, err := s.AddUnit(ctx, tickets.Unit{Slug: "samsat", Name: "Samsat", StaffChatID: chat(-100200)}); err == nil || !strings.Contains(err.Error(), `already belongs to unit "polres"`) {
		t.Errorf("a group shared by two units: err = %v", err)
	}
	if got, err := s.UnitByChat(ctx, db, -100200); err != nil || got.Slug != "polres" {
		t.Errorf("UnitByChat = %+v, %v", got, err)
	}
	if _, err := s.UnitByChat(ctx, db, -1); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("UnitByChat of an unknown group: %v", err)
	}
	if _, err := s.Unit(ctx, db, "samsat"); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("Unit of an unknown slug: %v", err)
	}
	if err := s.SetUnitActive(ctx, "samsat", false); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("disabling an unknown unit: %v", err)
	}
}

func TestOneDefaultAndIntegrityUnit(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	flags := func() (def, integ []string) {
		t.Helper()
		us, err := s.Units(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			if u.IsDefault {
				def = append(def, u.Slug)
			}
			if u.IsIntegrity {
				integ = append(integ, u.Slug)
			}
		}
		return def, integ
	}
	if _, err := tickets.NewStore(db).IntegrityUnit(ctx, db); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("IntegrityUnit with none: %v", err)
	}
	for _, u := range []tickets.Unit{
		{Slug: "mpp", Name: "Mal Pelayanan Publik", IsDefault: true},
		{Slug: "inspektorat", Name: "Inspektorat", StaffChatID: chat(-1), IsIntegrity: true},
		{Slug: "dukcapil", Name: "Disdukcapil", IsDefault: true},
		{Slug: "itwasda", Name: "Itwasda", StaffChatID: chat(-2), IsIntegrity: true},
	} {
		if _, err := s.AddUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	def, integ := flags()
	if !slices.Equal(def, []string{"dukcapil"}) || !slices.Equal(integ, []string{"itwasda"}) {
		t.Errorf("default %v, integrity %v; want [dukcapil], [itwasda]", def, integ)
	}
	if u, err := s.IntegrityUnit(ctx, db); err != nil || u.Slug != "itwasda" {
		t.Errorf("IntegrityUnit = %+v, %v", u, err)
	}
	// The flagged units cannot be disabled; the others can.
	for _, slug := range []string{"dukcapil", "itwasda"} {
		if err := s.SetUnitActive(ctx, slug, false); err == nil {
			t.Errorf("%s was disabled", slug)
		}
	}
	if err := s.SetUnitActive(ctx, "mpp", false); err != nil {
		t.Error(err)
	}
	// The database holds the line too.
	if _, err := db.Exec(`UPDATE units SET is_default = true WHERE slug = 'inspektorat'`); err == nil {
		t.Error("a second default unit was stored")
	}
}

func TestRouteUnit(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	if _, err := s.RouteUnit(ctx, db, "polres"); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("no units: err = %v, want ErrNotFound", err)
	}
	for _, u := range []tickets.Unit{{Slug: "polres", Name: "Polres"}, {Slug: "samsat", Name: "Samsat"}} {
		if _, err := s.AddUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RouteUnit(ctx, db, "bapenda"); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("unknown unit, no default: err = %v, want ErrNotFound", err)
	}
	if _, err := s.AddUnit(ctx, tickets.Unit{Slug: "mpp", Name: "Mal Pelayanan Publik", IsDefault: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUnitActive(ctx, "samsat", false); err != nil {
		t.Fatal(err)
	}
	for faq, want := range map[string]string{
		"polres": "polres", " Polres ": "polres", "samsat": "mpp", "bapenda": "mpp", "": "mpp",
	} {
		if u, err := s.RouteUnit(ctx, db, faq); err != nil || u.Slug != want {
			t.Errorf("RouteUnit(%q) = %q, %v; want %q", faq, u.Slug, err, want)
		}
	}
}

func TestSetStaff(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	for _, u := range []tickets.Unit{{Slug: "polres", Name: "Polres"}, {Slug: "samsat", Name: "Samsat"}} {
		if _, err := s.AddUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var unknown *tickets.UnknownUnitError
	if _, err := s.SetStaff(ctx, 5, "Siti", "officer", []string{"polres", "bapenda"}); !errors.As(err, &unknown) || unknown.Slug != "bapenda" {
		t.Errorf("unknown unit: err = %v", err)
	}
	if _, err := s.SetStaff(ctx, 5, "Siti", "kepala", nil); err == nil || !strings.Contains(err.Error(), "officer, editor, supervisor, admin") {
		t.Errorf("bad role: err = %v", err)
	}
	if list, _ := s.ListStaff(ctx); len(list) != 0 {
		t.Fatalf("refused changes stored someone: %+v", list)
	}
	st, err := s.SetStaff(ctx, 5, " Siti ", "", []string{"samsat", "polres", "polres", " "})
	if err != nil || st.Name != "Siti" || st.Role != tickets.RoleOfficer || !st.Active || !slices.Equal(st.Units, []string{"polres", "samsat"}) {
		t.Fatalf("SetStaff = %+v, %v", st, err)
	}
	if got, _ := s.StaffUnits(ctx, db, st.ID); !slices.Equal(got, []string{"polres", "samsat"}) {
		t.Errorf("StaffUnits = %v", got)
	}
	st, err = s.SetStaff(ctx, 5, "Siti Rahma", tickets.RoleSupervisor, []string{"samsat"})
	if err != nil || st.Role != tickets.RoleSupervisor || !slices.Equal(st.Units, []string{"samsat"}) {
		t.Errorf("second SetStaff = %+v, %v", st, err)
	}
	// "" keeps the role; AddStaff keeps role and units.
	st, _ = s.SetStaff(ctx, 5, "Siti Rahma", "", []string{"samsat"})
	again, err := s.AddStaff(ctx, 5, "Siti R.")
	if err != nil || st.Role != tickets.RoleSupervisor || again.Role != tickets.RoleSupervisor || !slices.Equal(again.Units, []string{"samsat"}) {
		t.Errorf("kept role: SetStaff %+v; AddStaff %+v, %v", st, again, err)
	}
	plain, err := s.AddStaff(ctx, 6, "Rudi")
	if err != nil || plain.Role != tickets.RoleOfficer || plain.Units == nil || len(plain.Units) != 0 {
		t.Errorf("AddStaff = %+v, %v", plain, err)
	}
	if got, err := s.StaffByTelegramID(ctx, db, 5); err != nil || got.Role != tickets.RoleSupervisor || !slices.Equal(got.Units, []string{"samsat"}) {
		t.Errorf("StaffByTelegramID = %+v, %v", got, err)
	}
	st, err = s.SetStaff(ctx, 5, "Siti Rahma", "", nil)
	if err != nil || len(st.Units) != 0 {
		t.Errorf("clearing units: %+v, %v", st, err)
	}
}

func TestCanAct(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)

	// Before any unit exists, tickets carry FAQ units or none: everyone active acts.
	early, err := s.AddStaff(ctx, 1, "Awal")
	if err != nil {
		t.Fatal(err)
	}
	for _, unit := range []string{"", "polres"} {
		if !s.CanAct(ctx, db, early, unit) {
			t.Errorf("without units, an officer cannot act on %q", unit)
		}
	}

	for _, u := range []tickets.Unit{
		{Slug: "a", Name: "Unit A", IsDefault: true},
		{Slug: "b", Name: "Unit B"},
		{Slug: "inspektorat", Name: "Inspektorat", StaffChatID: chat(-50), IsIntegrity: true},
	} {
		if _, err := s.AddUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	add := func(id int64, name, role string, units ...string) tickets.Staff {
		t.Helper()
		st, err := s.SetStaff(ctx, id, name, role, units)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	officerA := add(10, "Officer A", tickets.RoleOfficer, "a")
	supervisor := add(11, "Supervisor", tickets.RoleSupervisor)
	admin := add(12, "Admin", tickets.RoleAdmin, "a")
	inspector := add(13, "Inspector", tickets.RoleOfficer, "inspektorat")
	auditor := add(14, "Supervising inspector", tickets.RoleSupervisor, "inspektorat")
	disabled := add(15, "Gone", tickets.RoleAdmin, "a", "inspektorat")
	if err := s.DisableStaff(ctx, 15); err != nil {
		t.Fatal(err)
	}
	stranger := tickets.Staff{ID: 999999, Role: tickets.RoleAdmin, Active: true}
	// A stale struct claiming more powers changes nothing: the database decides.
	forged := officerA
	forged.Role, forged.Units = tickets.RoleAdmin, []string{"b", "inspektorat"}

	units := []string{"a", "b", "inspektorat", "", "old-unit"}
	for _, c := range []struct {
		who  tickets.Staff
		want []bool // per units
	}{
		{officerA, []bool{true, false, false, true, false}},
		{forged, []bool{true, false, false, true, false}},
		{supervisor, []bool{true, true, false, true, true}},
		{admin, []bool{true, true, false, true, true}},
		{inspector, []bool{false, false, true, true, false}},
		{auditor, []bool{true, true, true, true, true}},
		{disabled, []bool{false, false, false, false, false}},
		{stranger, []bool{false, false, false, false, false}},
	} {
		for i, unit := range units {
			if got := s.CanAct(ctx, db, c.who, unit); got != c.want[i] {
				t.Errorf("CanAct(%s, %q) = %v, want %v", c.who.Name, unit, got, c.want[i])
			}
		}
	}
}

func TestDisableEnableStaffAudited(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	start := time.Now().Add(-time.Minute)
	if err := s.DisableStaff(ctx, 77); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("disabling an unknown officer: %v", err)
	}
	if err := s.EnableStaff(ctx, 77); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("enabling an unknown officer: %v", err)
	}
	st, err := s.SetStaff(ctx, 77, "Siti", tickets.RoleAdmin, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func(context.Context, int64) error{s.DisableStaff, s.DisableStaff, s.EnableStaff, s.EnableStaff} {
		if err := step(ctx, 77); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DisableStaff(ctx, 77); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StaffByTelegramID(ctx, db, 77); !errors.Is(err, tickets.ErrNotFound) {
		t.Errorf("a disabled officer is still found: %v", err)
	}
	// SetStaff on someone disabled leaves them disabled.
	if again, err := s.SetStaff(ctx, 77, "Siti", "", nil); err != nil || again.Active {
		t.Errorf("SetStaff re-activated: %+v, %v", again, err)
	}
	es, err := s.AuditSince(ctx, db, start, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		if e.Actor.Kind != tickets.ActorAdmin || e.Door != tickets.DoorCLI || e.TicketID.Valid {
			t.Errorf("entry %+v: want an admin on the command line, about no ticket", e)
		}
		n, _ := e.Detail["staff_id"].(json.Number)
		if id, _ := n.Int64(); id != st.ID {
			t.Errorf("entry %s: staff_id %v, want %d", e.Action, e.Detail["staff_id"], st.ID)
		}
		got = append(got, e.Action)
	}
	want := []string{tickets.ActionStaffAdded, tickets.ActionStaffDisabled, tickets.ActionStaffEnabled,
		tickets.ActionStaffDisabled, tickets.ActionStaffAdded}
	if !slices.Equal(got, want) {
		t.Errorf("audit actions %v, want %v (no entry when nothing changes)", got, want)
	}
	if es[0].Detail["role"] != "admin" || es[0].Detail["created"] != true || es[4].Detail["created"] != false {
		t.Errorf("staff.added details: %v, %v", es[0].Detail, es[4].Detail)
	}
}

func TestUnitChangesAreAudited(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	if _, err := s.AddUnit(ctx, tickets.Unit{Slug: "samsat", Name: "Samsat"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUnitActive(ctx, "samsat", false); err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditSince(ctx, db, time.Now().Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == tickets.ActionUnitChanged && e.Door == tickets.DoorCLI {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d unit.changed entries, want 2: %+v", n, entries)
	}
}
