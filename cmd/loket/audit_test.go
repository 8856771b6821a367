package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

func TestAuditCommand(t *testing.T) {
	ctx := context.Background()
	url := dbtest.NewURL(t)
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Exec(`INSERT INTO citizens (telegram_user_id) VALUES (77)`); err != nil {
		t.Fatal(err)
	}
	s := tickets.NewStore(db)
	siti, err := s.AddStaff(ctx, 900, "Siti Rahma")
	if err != nil {
		t.Fatal(err)
	}
	tk, _, err := s.Open(ctx, db, tickets.New{CitizenID: 77, Question: "Jalan rusak di RT 03"})
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := s.Open(ctx, db, tickets.New{CitizenID: 77, Question: "Lampu jalan mati"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		ticket int64
		actor  tickets.Actor
		door   tickets.Door
		action string
		detail map[string]any
	}{
		{tk.ID, tickets.CitizenActor(77), tickets.DoorTelegram, tickets.ActionTicketOpened, map[string]any{"length": 20}},
		{tk.ID, tickets.StaffActor(siti), tickets.DoorTelegram, tickets.ActionTicketTaken, nil},
		{other.ID, tickets.StaffActor(siti), tickets.DoorTelegram, tickets.ActionTicketTaken, nil},
		{tk.ID, tickets.StaffActor(siti), tickets.DoorConsole, tickets.ActionStatusChanged, map[string]any{"from": "open", "to": "closed"}},
		{tk.ID, tickets.SystemActor(), tickets.DoorSystem, "ticket.reminder_sent", nil},
		{0, tickets.Actor{Kind: tickets.ActorAdmin, Name: "Operator"}, tickets.DoorCLI, tickets.ActionStaffAdded, map[string]any{"staff_id": siti.ID}},
	} {
		if err := s.Audit(ctx, db, a.ticket, a.actor, a.door, a.action, a.detail); err != nil {
			t.Fatal(err)
		}
	}
	vars := map[string]string{"DATABASE_URL": url}
	n := strconv.FormatInt(tk.ID, 10)

	out, _, err := loket(t, vars, "", "audit", "--ticket", n)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	when := `\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} \d{2}\.\d{2} WIB  `
	want := []string{
		`Warga \(Telegram 77\) lewat Telegram: membuka tiket \(length=20\)$`,
		`Siti Rahma \(petugas\) lewat Telegram: mengambil tiket$`,
		`Siti Rahma \(petugas\) lewat konsol: mengubah status tiket \(from=open, to=closed\)$`,
		`Sistem: ticket\.reminder_sent$`, // an action without a phrase shows its code
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		if !regexp.MustCompile(`^` + when + w).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s%s", i, lines[i], when, w)
		}
	}

	// Machine output: one JSON object per line.
	out, _, err = loket(t, vars, "", "audit", "--ticket", n, "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSON lines, want 4:\n%s", len(lines), out)
	}
	var first auditJSON
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.TicketID == nil || *first.TicketID != tk.ID || first.Action != tickets.ActionTicketOpened || first.Actor.Kind != "citizen" ||
		first.Actor.ID == nil || *first.Actor.ID != 77 || first.Door != "telegram" || first.Detail["length"] != 20.0 || first.At.IsZero() {
		t.Errorf("first JSON entry = %s", lines[0])
	}
	if _, off := first.At.Zone(); off != 7*3600 {
		t.Errorf("JSON time %v is not in WIB", first.At)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(lines[3]), &raw)
	if a := raw["actor"].(map[string]any); a["id"] != nil || a["kind"] != "system" {
		t.Errorf("system actor in JSON = %v, want id null", a)
	}

	// A period, across tickets, in another zone, with a limit.
	out, errOut, err := loket(t, map[string]string{"DATABASE_URL": url, "LOKET_TIMEZONE": "Asia/Makassar"}, "", "audit", "--since", "24h", "--limit", "3")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(errOut, "3 catatan terbaru") {
		t.Fatalf("--limit 3 gave %d lines, stderr %q:\n%s", len(lines), errOut, out)
	}
	if !strings.Contains(lines[0], " WITA  tiket #"+n+"  Siti Rahma (petugas) lewat konsol") ||
		!strings.HasSuffix(lines[2], " WITA  Operator (admin) lewat baris perintah: mendaftarkan petugas (staff_id="+strconv.FormatInt(siti.ID, 10)+")") {
		t.Errorf("--since listing:\n%s", out)
	}
	out, _, err = loket(t, vars, "", "audit", "--since", "7d", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("invalid JSON line %q", l)
		}
	}
	if len(lines) != 6 || !strings.Contains(lines[5], `"ticket_id":null`) {
		t.Errorf("--since 7d --json:\n%s", out)
	}

	// A ticket without entries, and one that does not exist.
	quiet, _, err := s.Open(ctx, db, tickets.New{CitizenID: 77, Question: "Tanpa jejak"})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = loket(t, vars, "", "audit", "--ticket", strconv.FormatInt(quiet.ID, 10))
	if err != nil || !strings.Contains(out, "belum punya catatan audit") {
		t.Errorf("quiet ticket: %q, %v", out, err)
	}
	if _, _, err := loket(t, vars, "", "audit", "--ticket", "424242"); err == nil || !strings.Contains(err.Error(), "tidak ada") || exitCode(err) != 1 {
		t.Errorf("unknown ticket: %v", err)
	}
	if out, _, err := loket(t, vars, "", "audit", "--since", "2h", "--limit", "5", "--json"); err != nil || strings.Count(out, "\n") != 5 {
		t.Errorf("--since 2h --limit 5 --json: %v\n%s", err, out)
	}
}

func TestAuditCommandUsage(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
	for _, args := range [][]string{
		{"audit"},
		{"audit", "--ticket", "1", "--since", "24h"},
		{"audit", "--ticket", "-3"},
		{"audit", "--ticket", "1", "--limit", "5"},
		{"audit", "--since", "24h", "--limit", "0"},
		{"audit", "--since", "kemarin"},
		{"audit", "--since", "-2h"},
		{"audit", "--ticket", "satu"},
		{"audit", "--ticket", "1", "extra"},
	} {
		_, _, err := loket(t, vars, "", args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestAuditFormatting(t *testing.T) {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	jayapura, _ := time.LoadLocation("Asia/Jayapura")
	at := time.Date(2026, 11, 27, 3, 5, 0, 0, time.UTC)
	en := tickets.AuditEntry{At: at, Actor: tickets.Actor{Kind: tickets.ActorStaff, ID: 3, Name: "Siti Rahma"},
		Door: tickets.DoorTelegram, Action: tickets.ActionTicketTaken, Detail: map[string]any{}}
	if got, want := auditLine(en, jakarta, false), "27 November 2026 10.05 WIB  Siti Rahma (petugas) lewat Telegram: mengambil tiket"; got != want {
		t.Errorf("auditLine = %q\nwant        %q", got, want)
	}
	if got := formatWhen(time.Date(2026, 1, 2, 20, 0, 0, 0, time.UTC), jayapura); got != "3 Januari 2026 05.00 WIT" {
		t.Errorf("formatWhen = %q", got)
	}
	for _, a := range tickets.KnownActions() {
		if actionPhrase(a) == a {
			t.Errorf("action %s has no Indonesian phrase", a)
		}
	}
	refused := tickets.AuditEntry{At: at, Actor: tickets.Actor{Kind: tickets.ActorStaff, Name: "Budi"}, Door: tickets.DoorTelegram,
		Action: tickets.ActionRefused, Detail: map[string]any{"telegram_user_id": json.Number("555"), "what": "take ticket"}}
	if got := auditLine(refused, jakarta, true); !strings.HasSuffix(got, `Budi (bukan petugas terdaftar) lewat Telegram: ditolak karena bukan petugas terdaftar (telegram_user_id=555, what="take ticket")`) {
		t.Errorf("refused = %q", got)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, jakarta)
	for in, want := range map[string]time.Time{
		"24h":                  now.Add(-24 * time.Hour),
		"90m":                  now.Add(-90 * time.Minute),
		"7d":                   now.AddDate(0, 0, -7),
		"2026-11-20":           time.Date(2026, 11, 20, 0, 0, 0, 0, jakarta),
		"2026-11-20T08:00:00Z": time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC),
	} {
		if got, err := parseSince(in, now, jakarta); err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
