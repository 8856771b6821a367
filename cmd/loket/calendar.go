package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/loket-id/loket/tickets"
)

// The calendar commands speak Indonesian: office admins use them.

const calendarUsage = "pemakaian: loket calendar import BERKAS [--replace] | list [--year 2026] | check [--from \"2026-12-24 15:00\"] --add 3d|8h"

// maxCheckDays caps --add in working days: a year and a half of them.
const maxCheckDays = 400

// runCalendar dispatches the calendar subcommands.
func runCalendar(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usageError{calendarUsage}
	}
	switch args[0] {
	case "import":
		return runCalendarImport(ctx, e, args[1:])
	case "list":
		return runCalendarList(ctx, e, args[1:])
	case "check":
		return runCalendarCheck(ctx, e, args[1:])
	}
	return usageError{fmt.Sprintf("perintah calendar %q tidak dikenal; %s", args[0], calendarUsage)}
}

func runCalendarImport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("calendar import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	replace := fs.Bool("replace", false, "hari libur tersimpan pada tahun-tahun di berkas yang tidak ada di berkas dihapus")
	if err := fs.Parse(reorder(args, "replace")); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"pemakaian: loket calendar import BERKAS [--replace]"}
	}
	name := fs.Arg(0)
	data, err := readFile(name)
	if err != nil {
		return err
	}
	hs, err := tickets.ParseHolidays(filepath.Base(name), data)
	if err != nil {
		return err
	}
	_, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	store := tickets.NewStore(db)
	removed := 0
	if *replace {
		removed, err = holidaysToRemove(ctx, store, hs)
		if err != nil {
			return err
		}
	}
	added, updated, err := store.ImportHolidays(ctx, hs, *replace)
	if err != nil {
		return fmt.Errorf("impor gagal, tidak ada yang diubah: %w", err)
	}
	fmt.Fprintf(e.stdout, "Berkas %s diimpor: %d hari libur (%d baru, %d diubah, %d tetap", name, len(hs), added, updated, len(hs)-added-updated)
	if removed > 0 {
		fmt.Fprintf(e.stdout, ", %d dihapus karena tidak ada di berkas", removed)
	}
	fmt.Fprintln(e.stdout, ").")
	fmt.Fprintln(e.stdout, "Periksa daftarnya dengan: loket calendar list --year TAHUN")
	return nil
}

// holidaysToRemove counts the stored holidays a --replace import of hs removes.
func holidaysToRemove(ctx context.Context, store *tickets.Store, hs []tickets.Holiday) (int, error) {
	years, dates := map[string]bool{}, map[string]bool{}
	for _, h := range hs {
		years[h.Date[:4]], dates[h.Date] = true, true
	}
	stored, err := store.Holidays(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range stored {
		if years[h.Date[:4]] && !dates[h.Date] {
			n++
		}
	}
	return n, nil
}

func runCalendarList(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("calendar list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	year := fs.Int("year", 0, "hanya tahun ini, misalnya 2026")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 {
		return usageError{"pemakaian: loket calendar list [--year 2026]"}
	}
	cfg, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	all, err := tickets.NewStore(db).Holidays(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Jam kantor: %s\n", cfg.OfficeHours)
	printHolidays(e.stdout, all, *year)
	return nil
}

// printHolidays lists the holidays of year (every year when 0).
func printHolidays(w io.Writer, all []tickets.Holiday, year int) {
	var hs []tickets.Holiday
	libur := 0
	for _, h := range all {
		if year == 0 || h.Date[:4] == strconv.Itoa(year) {
			hs = append(hs, h)
			if h.Kind == tickets.KindLibur {
				libur++
			}
		}
	}
	if len(hs) == 0 {
		if year != 0 {
			fmt.Fprintf(w, "Belum ada hari libur tahun %d. Impor dengan: loket calendar import BERKAS\n", year)
		} else {
			fmt.Fprintln(w, "Belum ada hari libur tersimpan. Impor dengan: loket calendar import BERKAS")
		}
		return
	}
	fmt.Fprintf(w, "Hari libur: %d libur nasional, %d cuti bersama.\n", libur, len(hs)-libur)
	for _, h := range hs {
		d, _ := time.Parse(time.DateOnly, h.Date)
		kind := "libur nasional"
		if h.Kind == tickets.KindCutiBersama {
			kind = "cuti bersama"
		}
		fmt.Fprintf(w, "  %-26s %-15s %s\n", tickets.FormatDate(d), kind, h.Name)
	}
}

// checkLayouts are the ways --from may be written.
var checkLayouts = []string{"2006-01-02 15:04", "2006-01-02 15.04", "2006-01-02T15:04", "2006-01-02"}

func runCalendarCheck(ctx context.Context, e env, args []string) error {
	const usage = `pemakaian: loket calendar check [--from "2026-12-24 15:00"] --add 3d|8h`
	fs := flag.NewFlagSet("calendar check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fromFlag := fs.String("from", "", "waktu mulai, misalnya \"2026-12-24 15:00\" (bawaan: sekarang)")
	addFlag := fs.String("add", "", "lama waktu kerja: 3d (hari kerja) atau 8h, 90m, 1h30m (jam kerja)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 || *addFlag == "" {
		return usageError{usage}
	}
	days, dur, err := parseAdd(*addFlag)
	if err != nil {
		return usageError{err.Error()}
	}
	cfg, db, err := databaseFor(ctx, e)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	from := time.Now().In(cfg.Location)
	if *fromFlag != "" {
		if from, err = parseFrom(*fromFlag, cfg.Location); err != nil {
			return usageError{err.Error()}
		}
	}
	cal, err := tickets.NewStore(db).Calendar(ctx, cfg.Location, cfg.OfficeHours)
	if err != nil {
		return err
	}
	loc := cfg.Location
	fmt.Fprintf(e.stdout, "Jam kantor: %s\n", cfg.OfficeHours)
	fmt.Fprintf(e.stdout, "Mulai: %s\n", tickets.FormatTime(from, loc))
	if open := cal.NextOpen(from); !open.Equal(from) {
		why := "di luar jam kantor"
		if h, ok := cal.Holiday(from); ok {
			why = "hari libur: " + h.Name
		}
		fmt.Fprintf(e.stdout, "Kantor tutup (%s); dihitung sejak %s\n", why, tickets.FormatTime(open, loc))
	}
	var deadline time.Time
	if days > 0 {
		deadline = cal.AddDays(from, days)
	} else {
		deadline = cal.Add(from, dur)
	}
	fmt.Fprintf(e.stdout, "Batas waktu: %s\n", tickets.FormatTime(deadline, loc))
	return nil
}

// parseAdd reads --add: "3d" is 3 working days, anything else a Go duration of
// working time such as 8h or 1h30m.
func parseAdd(s string) (days int, d time.Duration, err error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err = strconv.Atoi(n)
		if err != nil || days <= 0 || days > maxCheckDays {
			return 0, 0, fmt.Errorf("--add %q: jumlah hari kerja harus bilangan 1 sampai %d, misalnya 3d", s, maxCheckDays)
		}
		return days, 0, nil
	}
	d, err = time.ParseDuration(s)
	if err != nil || d <= 0 || d > maxCheckDays*24*time.Hour {
		return 0, 0, fmt.Errorf("--add %q: tulis hari kerja seperti 3d atau jam kerja seperti 8h, 90m, 1h30m", s)
	}
	return 0, d, nil
}

// parseFrom reads --from in the office's time zone.
func parseFrom(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range checkLayouts {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--from %q: tulis tanggal dan jam seperti \"2026-12-24 15:00\"", s)
}
