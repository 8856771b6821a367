package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/tickets"
)

// The audit command speaks Indonesian: supervisors read it.

const auditUsage = "pemakaian: loket audit --ticket N [--json]  |  loket audit --since DURASI|TANGGAL [--limit N] [--json]"

// runAudit prints the audit log: a ticket's whole trail (--ticket), or the latest
// entries of a period (--since), one readable line per entry, or JSON lines (--json).
func runAudit(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	ticketID := fs.Int64("ticket", 0, "nomor tiket: tampilkan seluruh jejaknya, dari yang paling awal")
	sinceArg := fs.String("since", "", "tampilkan catatan sejak DURASI lalu (24h, 90m, 7d) atau sejak TANGGAL (2026-11-27, zona waktu kantor)")
	limit := fs.Int("limit", 100, "dengan --since: paling banyak N catatan terbaru")
	asJSON := fs.Bool("json", false, "satu objek JSON per baris, untuk mesin")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	limitSet := false
	fs.Visit(func(f *flag.Flag) { limitSet = limitSet || f.Name == "limit" })
	switch {
	case fs.NArg() != 0, (*ticketID != 0) == (*sinceArg != ""):
		return usageError{auditUsage}
	case *ticketID < 0:
		return usageError{"--ticket: nomor tiket harus positif"}
	case *ticketID != 0 && limitSet:
		return usageError{"--limit hanya berlaku dengan --since; --ticket selalu menampilkan seluruh jejak"}
	case *limit <= 0:
		return usageError{"--limit harus bilangan positif"}
	}
	cfg, err := config.Load(e.getenv, config.Need{Database: true})
	if err != nil {
		return err
	}
	now := time.Now()
	var since time.Time
	if *sinceArg != "" {
		if since, err = parseSince(*sinceArg, now, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.AutoMigrate, newLogger(e.stderr, cfg))
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	store := tickets.NewStore(db)
	p := auditPrinter{w: e.stdout, loc: cfg.Location, json: *asJSON}

	if *ticketID != 0 {
		trail, err := store.AuditTrail(ctx, db, *ticketID)
		if err != nil {
			return err
		}
		if len(trail) == 0 {
			if _, err := store.Get(ctx, db, *ticketID); errors.Is(err, tickets.ErrNotFound) {
				return fmt.Errorf("tiket #%d tidak ada dan tidak punya catatan audit", *ticketID)
			} else if err != nil {
				return err
			}
			if !p.json {
				fmt.Fprintf(e.stdout, "Tiket #%d belum punya catatan audit.\n", *ticketID)
			}
			return nil
		}
		return p.print(trail, false)
	}

	entries, err := store.AuditSince(ctx, db, since, *limit+1)
	if err != nil {
		return err
	}
	if len(entries) > *limit {
		entries = entries[len(entries)-*limit:]
		fmt.Fprintf(e.stderr, "Hanya %d catatan terbaru yang ditampilkan; naikkan --limit untuk melihat lebih banyak.\n", *limit)
	}
	if len(entries) == 0 && !p.json {
		fmt.Fprintf(e.stdout, "Tidak ada catatan audit sejak %s.\n", formatWhen(since, cfg.Location))
		return nil
	}
	return p.print(entries, true)
}

// parseSince reads --since: a duration back from now (Go's 90m, 24h, or whole days
// such as 7d), a date (the start of that day in loc) or an RFC 3339 time.
func parseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return now.AddDate(0, 0, -n), nil
		}
	} else if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--since %q: durasi harus positif", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: bukan durasi (24h, 90m, 7d) atau tanggal (2026-11-27)", s)
}

// auditPrinter writes entries for a supervisor or, with json, for a machine.
type auditPrinter struct {
	w    io.Writer
	loc  *time.Location
	json bool
}

// auditJSON is an entry as printed by --json: one object per line, times in the
// deployment's zone, ids null when there is none.
type auditJSON struct {
	ID       int64          `json:"id"`
	At       time.Time      `json:"at"`
	TicketID *int64         `json:"ticket_id"`
	Actor    auditActorJSON `json:"actor"`
	Door     string         `json:"door"`
	Action   string         `json:"action"`
	Detail   map[string]any `json:"detail"`
}

type auditActorJSON struct {
	Kind string `json:"kind"`
	ID   *int64 `json:"id"`
	Name string `json:"name"`
}

// print writes entries; withTicket puts the ticket number on each line (a listing
// that mixes tickets).
func (p auditPrinter) print(entries []tickets.AuditEntry, withTicket bool) error {
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	for _, en := range entries {
		if p.json {
			j := auditJSON{ID: en.ID, At: en.At.In(p.loc), Door: string(en.Door), Action: en.Action, Detail: en.Detail,
				Actor: auditActorJSON{Kind: en.Actor.Kind, Name: en.Actor.Name}}
			if en.TicketID.Valid {
				j.TicketID = &en.TicketID.Int64
			}
			if en.Actor.ID != 0 {
				j.Actor.ID = &en.Actor.ID
			}
			if err := enc.Encode(j); err != nil {
				return err
			}
			continue
		}
		if _, err := fmt.Fprintln(p.w, auditLine(en, p.loc, withTicket)); err != nil {
			return err
		}
	}
	return nil
}

// auditLine is one entry for a supervisor, e.g.
//
//	27 November 2026 10.05 WIB  Siti Rahma (petugas) lewat Telegram: mengambil tiket
func auditLine(en tickets.AuditEntry, loc *time.Location, withTicket bool) string {
	var b strings.Builder
	b.WriteString(formatWhen(en.At, loc))
	b.WriteString("  ")
	if withTicket && en.TicketID.Valid {
		fmt.Fprintf(&b, "tiket #%d  ", en.TicketID.Int64)
	}
	b.WriteString(actorLabel(en.Actor))
	if en.Door != tickets.DoorSystem {
		b.WriteString(" lewat ")
		b.WriteString(doorLabel(en.Door))
	}
	b.WriteString(": ")
	b.WriteString(actionPhrase(en.Action))
	if d := detailText(en.Detail); d != "" {
		b.WriteString(" (" + d + ")")
	}
	return b.String()
}

// formatWhen writes a time the Indonesian way in loc: 27 November 2026 10.05 WIB.
func formatWhen(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	months := [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}
	return fmt.Sprintf("%d %s %d %s", t.Day(), months[t.Month()-1], t.Year(), t.Format("15.04 MST"))
}

// actorLabel names who acted, with their role.
func actorLabel(a tickets.Actor) string {
	switch a.Kind {
	case tickets.ActorStaff:
		switch {
		case a.ID == 0 && a.Name != "":
			return a.Name + " (bukan petugas terdaftar)"
		case a.ID == 0:
			return "Seseorang yang bukan petugas terdaftar"
		case a.Name == "":
			return fmt.Sprintf("Petugas #%d", a.ID)
		}
		return a.Name + " (petugas)"
	case tickets.ActorCitizen:
		if a.Name != "" {
			return a.Name + " (warga)"
		}
		return fmt.Sprintf("Warga (Telegram %d)", a.ID)
	case tickets.ActorSystem:
		return "Sistem"
	case tickets.ActorAdmin:
		if a.Name != "" {
			return a.Name + " (admin)"
		}
		return "Admin"
	}
	return a.Kind
}

// doorLabel names how it was done, after "lewat".
func doorLabel(d tickets.Door) string {
	switch d {
	case tickets.DoorTelegram:
		return "Telegram"
	case tickets.DoorConsole:
		return "konsol"
	case tickets.DoorCLI:
		return "baris perintah"
	}
	return string(d)
}

// actionPhrase says what was done, in Indonesian; an action without a phrase shows
// its code.
func actionPhrase(action string) string {
	phrases := map[string]string{
		tickets.ActionTicketOpened:        "membuka tiket",
		tickets.ActionTicketViewed:        "melihat tiket",
		tickets.ActionTicketTaken:         "mengambil tiket",
		tickets.ActionTicketAssigned:      "menugaskan tiket",
		tickets.ActionTicketHandedOver:    "mengalihkan tiket ke petugas lain",
		tickets.ActionTicketReleased:      "melepas tiket kembali ke antrean",
		tickets.ActionReplySent:           "mengirim balasan ke warga",
		tickets.ActionCitizenReplied:      "membalas tiket",
		tickets.ActionNoteAdded:           "menambahkan catatan internal",
		tickets.ActionStatusChanged:       "mengubah status tiket",
		tickets.ActionTicketResolved:      "menandai tiket selesai",
		tickets.ActionTicketClosed:        "menutup tiket",
		tickets.ActionTicketReopened:      "membuka kembali tiket",
		tickets.ActionTicketCancelled:     "membatalkan tiket",
		tickets.ActionRated:               "memberi penilaian",
		tickets.ActionRatingCommented:     "menambahkan komentar pada penilaian",
		tickets.ActionCitizenDataViewed:   "melihat data pribadi warga",
		tickets.ActionCitizenDataExported: "mengekspor data pribadi warga",
		tickets.ActionCitizenDataErased:   "menghapus data pribadi warga",
		tickets.ActionStaffAdded:          "mendaftarkan petugas",
		tickets.ActionStaffEnabled:        "mengaktifkan kembali petugas",
		tickets.ActionStaffDisabled:       "menonaktifkan petugas",
		tickets.ActionRefused:             "ditolak karena bukan petugas terdaftar",
		tickets.ActionUnitChanged:         "mengubah unit",
		tickets.ActionKBImported:          "mengimpor basis pengetahuan",
		tickets.ActionStaffLinked:         "menautkan akun konsol ke Telegram",
		tickets.ActionStaffLogin:          "masuk ke konsol",
		tickets.ActionPasswordReset:       "mengganti kata sandi akun konsol",
		tickets.ActionStaffChanged:        "mengubah peran, unit atau status petugas",
		tickets.ActionReportExported:      "mengunduh laporan",
	}
	if p, ok := phrases[action]; ok {
		return p
	}
	return action
}

// detailText writes an entry's detail as key=value pairs sorted by key.
func detailText(d map[string]any) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		var v string
		switch x := d[k].(type) {
		case string:
			v = x
			if x == "" || strings.ContainsAny(x, " ,()=\"") {
				v = strconv.Quote(x)
			}
		case json.Number:
			v = x.String()
		default:
			b, _ := json.Marshal(x)
			v = string(b)
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ", ")
}
