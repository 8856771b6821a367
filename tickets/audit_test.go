package tickets_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/migrations"
	"github.com/loket-id/loket/tickets"
)

// openTicket gives a test a citizen (Telegram id 7), an officer and an open ticket.
func openTicket(t *testing.T, db *sqlx.DB) (*tickets.Store, tickets.Staff, tickets.Ticket) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	officer, err := s.AddStaff(ctx, 900, "Siti Rahma")
	if err != nil {
		t.Fatal(err)
	}
	tk, _, err := s.Open(ctx, db, tickets.New{CitizenID: 7, Question: "Jalan rusak"})
	if err != nil {
		t.Fatal(err)
	}
	return s, officer, tk
}

func TestAuditAppendAndRead(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s, officer, tk := openTicket(t, db)
	start := time.Now().Add(-time.Minute)

	// The change and its entry in one transaction, as callers are meant to write them.
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, tx, tk.ID, tickets.CitizenActor(7), tickets.DoorTelegram, tickets.ActionTicketOpened,
		map[string]any{"length": len(tk.Question), "category": ""}); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, tx, tk.ID, tickets.StaffActor(officer), tickets.DoorTelegram, tickets.ActionTicketTaken, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	big := int64(1) << 60 // exact after the round trip, not a float64
	if err := s.Audit(ctx, db, tk.ID, tickets.StaffActor(officer), tickets.DoorConsole, tickets.ActionStatusChanged,
		map[string]any{"from": "open", "to": "closed", "message_id": big}); err != nil {
		t.Fatal(err)
	}
	// An action about no ticket, and one rolled back with its transaction.
	if err := s.Audit(ctx, db, 0, tickets.Actor{Kind: tickets.ActorAdmin, Name: "operator"}, tickets.DoorCLI, tickets.ActionStaffAdded,
		map[string]any{"staff_id": officer.ID}); err != nil {
		t.Fatal(err)
	}
	tx, err = db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, tx, tk.ID, tickets.SystemActor(), tickets.DoorSystem, tickets.ActionTicketClosed, nil); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback()

	trail, err := s.AuditTrail(ctx, db, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 3 {
		t.Fatalf("trail has %d entries, want 3: %+v", len(trail), trail)
	}
	want := []string{tickets.ActionTicketOpened, tickets.ActionTicketTaken, tickets.ActionStatusChanged}
	for i, e := range trail {
		if e.Action != want[i] {
			t.Errorf("entry %d is %q, want %q", i, e.Action, want[i])
		}
		if !e.TicketID.Valid || e.TicketID.Int64 != tk.ID || e.At.Before(start) || e.Detail == nil {
			t.Errorf("entry %d = %+v", i, e)
		}
		if i > 0 && e.ID <= trail[i-1].ID {
			t.Errorf("entries out of order: %d after %d", e.ID, trail[i-1].ID)
		}
	}
	if a := trail[0].Actor; a.Kind != tickets.ActorCitizen || a.ID != 7 || a.Name != "" || trail[0].Door != tickets.DoorTelegram {
		t.Errorf("opened by %+v through %q", a, trail[0].Door)
	}
	if trail[0].Detail["length"] != json.Number("11") || trail[0].Detail["category"] != "" {
		t.Errorf("opened detail = %#v", trail[0].Detail)
	}
	if a := trail[1].Actor; a != tickets.StaffActor(officer) || len(trail[1].Detail) != 0 {
		t.Errorf("taken by %+v, detail %v", a, trail[1].Detail)
	}
	d := trail[2].Detail
	if d["from"] != "open" || d["to"] != "closed" || d["message_id"] != json.Number("1152921504606846976") || trail[2].Door != tickets.DoorConsole {
		t.Errorf("status change = %+v", trail[2])
	}

	recent, err := s.AuditSince(ctx, db, start, 100)
	if err != nil || len(recent) != 4 || recent[3].Action != tickets.ActionStaffAdded || recent[3].TicketID.Valid {
		t.Fatalf("AuditSince = %+v, %v", recent, err)
	}
	if recent[3].Actor.ID != 0 || recent[3].Actor.Name != "operator" {
		t.Errorf("admin without id read back as %+v", recent[3].Actor)
	}
	latest, err := s.AuditSince(ctx, db, start, 2)
	if err != nil || len(latest) != 2 || latest[0].Action != tickets.ActionStatusChanged || latest[1].Action != tickets.ActionStaffAdded {
		t.Errorf("AuditSince limit 2 = %+v, %v; want the latest two, oldest first", latest, err)
	}
	if later, err := s.AuditSince(ctx, db, time.Now().Add(time.Hour), 10); err != nil || len(later) != 0 {
		t.Errorf("AuditSince(the future) = %+v, %v", later, err)
	}
	if _, err := s.AuditSince(ctx, db, start, 0); err == nil {
		t.Error("AuditSince accepted limit 0")
	}
	mine, err := s.AuditByActor(ctx, db, tickets.ActorStaff, officer.ID, start, 10)
	if err != nil || len(mine) != 2 || mine[0].Action != tickets.ActionTicketTaken {
		t.Errorf("AuditByActor(officer) = %+v, %v", mine, err)
	}
	admins, err := s.AuditByActor(ctx, db, tickets.ActorAdmin, 0, start, 10)
	if err != nil || len(admins) != 1 {
		t.Errorf("AuditByActor(admin without id) = %+v, %v", admins, err)
	}
}

func TestAuditTrailOfUnknownTicketIsEmpty(t *testing.T) {
	db := dbtest.New(t)
	trail, err := tickets.NewStore(db).AuditTrail(context.Background(), db, 424242)
	if err != nil || len(trail) != 0 {
		t.Errorf("AuditTrail(unknown) = %+v, %v; want empty, no error", trail, err)
	}
}

func TestAuditRefusesInvalidEntries(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s := tickets.NewStore(db)
	staff := tickets.Actor{Kind: tickets.ActorStaff, ID: 1, Name: "Siti"}
	tests := []struct {
		name   string
		ticket int64
		actor  tickets.Actor
		door   tickets.Door
		action string
		detail map[string]any
		want   string
	}{
		{"actor kind", 1, tickets.Actor{Kind: "petugas", ID: 1}, tickets.DoorTelegram, tickets.ActionTicketTaken, nil, `unknown actor kind "petugas"`},
		{"empty actor kind", 1, tickets.Actor{ID: 1}, tickets.DoorTelegram, tickets.ActionTicketTaken, nil, `unknown actor kind ""`},
		{"door", 1, staff, "whatsapp", tickets.ActionTicketTaken, nil, `unknown door "whatsapp"`},
		{"empty door", 1, staff, "", tickets.ActionTicketTaken, nil, `unknown door ""`},
		{"empty action", 1, staff, tickets.DoorTelegram, "", nil, "action"},
		{"action not a code", 1, staff, tickets.DoorTelegram, "Took the ticket", nil, "action"},
		{"system with an id", 1, tickets.Actor{Kind: tickets.ActorSystem, ID: 3}, tickets.DoorSystem, tickets.ActionTicketClosed, nil, "system actor has no id"},
		{"citizen without id", 1, tickets.Actor{Kind: tickets.ActorCitizen}, tickets.DoorTelegram, tickets.ActionRated, nil, "Telegram user id"},
		{"negative ticket", -1, staff, tickets.DoorTelegram, tickets.ActionTicketTaken, nil, "negative"},
		{"detail not JSON", 1, staff, tickets.DoorTelegram, tickets.ActionTicketTaken, map[string]any{"f": func() {}}, "detail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Audit(ctx, db, tt.ticket, tt.actor, tt.door, tt.action, tt.detail)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "tickets: audit") {
				t.Errorf("err = %v, want a tickets: audit error mentioning %q", err, tt.want)
			}
		})
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM audit_log`); err != nil || n != 0 {
		t.Errorf("%d entries written by refused calls (%v)", n, err)
	}
	// The database refuses what slips past the code.
	if _, err := db.Exec(`INSERT INTO audit_log (actor_kind, door, action) VALUES ('robot', 'cli', 'x.y')`); err == nil {
		t.Error("the database accepted actor kind robot")
	}
	if _, err := db.Exec(`INSERT INTO audit_log (actor_kind, door, action) VALUES ('admin', 'fax', 'x.y')`); err == nil {
		t.Error("the database accepted door fax")
	}
	if _, err := db.Exec(`INSERT INTO audit_log (actor_kind, door, action, detail) VALUES ('admin', 'cli', 'x.y', '[1]')`); err == nil {
		t.Error("the database accepted a detail that is not an object")
	}
}

// rewrites are the statements that would change history.
func rewrites() []string {
	return []string{
		`UPDATE audit_log SET action = 'ticket.closed'`,
		`UPDATE audit_log SET detail = '{}' WHERE id = -1`, // refused even when it touches no row
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)`,
		`TRUNCATE audit_log`,
		`TRUNCATE audit_log RESTART IDENTITY CASCADE`,
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t) // connected as a superuser: the triggers bind it too
	s, officer, tk := openTicket(t, db)
	if err := s.Audit(ctx, db, tk.ID, tickets.StaffActor(officer), tickets.DoorTelegram, tickets.ActionTicketTaken, map[string]any{"n": 1}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range rewrites() {
		t.Run(stmt, func(t *testing.T) {
			_, err := db.ExecContext(ctx, stmt)
			assertAppendOnly(t, err)

			// Inside a transaction, after an entry of its own: refused, and the entry
			// goes with the rolled-back transaction.
			tx, err := db.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback() }()
			if err := s.Audit(ctx, tx, tk.ID, tickets.SystemActor(), tickets.DoorSystem, tickets.ActionTicketClosed, nil); err != nil {
				t.Fatal(err)
			}
			_, err = tx.ExecContext(ctx, stmt)
			assertAppendOnly(t, err)
		})
	}
	trail, err := s.AuditTrail(ctx, db, tk.ID)
	if err != nil || len(trail) != 1 || trail[0].Action != tickets.ActionTicketTaken || trail[0].Detail["n"] != json.Number("1") {
		t.Errorf("after the attempts the trail is %+v, %v; want the one entry unchanged", trail, err)
	}
}

func assertAppendOnly(t *testing.T, err error) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
		t.Errorf("err = %v, want PostgreSQL's %q", err, "audit_log is append-only")
	}
}

// TestAuditLogOrdinaryRole checks a role that is not the table's owner: even with every
// privilege granted by mistake it cannot rewrite entries, nor remove the triggers.
func TestAuditLogOrdinaryRole(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	s, officer, tk := openTicket(t, db)
	if err := s.Audit(ctx, db, tk.ID, tickets.StaffActor(officer), tickets.DoorTelegram, tickets.ActionTicketTaken, nil); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	role := "loket_audit_test_" + hex.EncodeToString(b)
	if _, err := db.Exec(`CREATE ROLE ` + role); err != nil {
		t.Skipf("cannot create a role on this server (%v): the ordinary-role check needs CREATEROLE", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP OWNED BY ` + role + `; DROP ROLE ` + role); err != nil {
			t.Errorf("dropping role %s: %v", role, err)
		}
	})
	if _, err := db.Exec(`GRANT USAGE ON SCHEMA public TO ` + role + `;
		GRANT INSERT, SELECT ON audit_log TO ` + role + `;
		GRANT USAGE ON SEQUENCE audit_log_id_seq TO ` + role); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.ExecContext(ctx, `SET ROLE `+role); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = conn.ExecContext(ctx, `RESET ROLE`) }()

	// The application's grants: it appends and reads.
	if err := s.Audit(ctx, conn, tk.ID, tickets.SystemActor(), tickets.DoorSystem, tickets.ActionTicketClosed, nil); err != nil {
		t.Fatalf("an INSERT-only role cannot append: %v", err)
	}
	for _, stmt := range rewrites() {
		if _, err := conn.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s: err = %v, want permission denied", stmt, err)
		}
	}
	// A mistaken GRANT ALL: the triggers still refuse, and only the owner may drop them.
	if _, err := db.Exec(`GRANT ALL ON audit_log TO ` + role); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range rewrites() {
		_, err := conn.ExecContext(ctx, stmt)
		if strings.Contains(stmt, "RESTART IDENTITY") && err != nil && strings.Contains(err.Error(), "must be owner of sequence") {
			continue // refused earlier, for the sequence
		}
		if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
			t.Errorf("%s with every privilege: err = %v, want append-only", stmt, err)
		}
	}
	for _, stmt := range []string{
		`DROP TRIGGER audit_log_no_update_delete ON audit_log`,
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
	} {
		if _, err := conn.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("%s: err = %v, want must be owner", stmt, err)
		}
	}
	trail, err := s.AuditTrail(ctx, db, tk.ID)
	if err != nil || len(trail) != 2 {
		t.Errorf("trail = %+v, %v; want both entries", trail, err)
	}
}

// TestAuditMigrationDown rolls back 00004 alone and applies it again.
func TestAuditMigrationDown(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	p, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyVersion(ctx, 4, false); err != nil {
		t.Fatalf("down: %v", err)
	}
	var left int
	if err := db.Get(&left, `SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'audit_log%')
		+ (SELECT count(*) FROM pg_proc WHERE proname = 'audit_log_append_only')`); err != nil || left != 0 {
		t.Errorf("after down, %d audit objects remain (%v)", left, err)
	}
	if _, err := p.ApplyVersion(ctx, 4, true); err != nil {
		t.Fatalf("up again: %v", err)
	}
	_, err = db.Exec(`DELETE FROM audit_log`)
	assertAppendOnly(t, err)
}
