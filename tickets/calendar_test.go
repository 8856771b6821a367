package tickets_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below even where the system has none

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/tickets"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// holidays2026 is the shipped list of 2026's holidays and cuti bersama.
func holidays2026(t testing.TB) []tickets.Holiday {
	t.Helper()
	data, err := os.ReadFile("testdata/holidays-2026.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hs, err := tickets.ParseHolidays("holidays-2026.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// office returns the default-hours calendar of an office in the named zone with 2026's
// holidays.
func office(t testing.TB, zoneName string) *tickets.Calendar {
	t.Helper()
	c, err := tickets.NewCalendar(zone(t, zoneName), tickets.DefaultOfficeHours(), holidays2026(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// instant parses "2026-11-30 10:00 +07" (an absolute time) or "2026-11-30 10:00" (a
// wall time in c's zone).
func instant(t testing.TB, c *tickets.Calendar, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04 -07", s)
	if err != nil {
		v, err = time.ParseInLocation("2006-01-02 15:04", s, c.Location())
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wall(c *tickets.Calendar, v time.Time) string {
	if v.Location() != c.Location() {
		return "not in the calendar's zone: " + v.String()
	}
	return v.Format("2006-01-02 15:04")
}

func TestCalendarAdd(t *testing.T) {
	tests := []struct {
		name, zone, start string
		d                 time.Duration
		want              string // wall time in zone
	}{
		{"within the morning", "Asia/Jakarta", "2026-11-30 10:00", time.Hour, "2026-11-30 11:00"},
		{"across the lunch break", "Asia/Jakarta", "2026-11-30 11:30", time.Hour, "2026-11-30 13:30"},
		{"request during the lunch break", "Asia/Jakarta", "2026-11-30 12:30", time.Hour, "2026-11-30 14:00"},
		{"request before opening", "Asia/Jakarta", "2026-11-30 06:00", time.Hour, "2026-11-30 09:00"},
		{"request after hours", "Asia/Jakarta", "2026-11-30 17:00", time.Hour, "2026-12-01 09:00"},
		{"deadline at closing stays at closing", "Asia/Jakarta", "2026-11-30 15:00", time.Hour, "2026-11-30 16:00"},
		{"friday closes at 16.30", "Asia/Jakarta", "2026-12-04 15:30", time.Hour, "2026-12-04 16:30"},
		{"friday break from 11.30", "Asia/Jakarta", "2026-12-04 11:00", time.Hour, "2026-12-04 13:30"},
		{"over the weekend", "Asia/Jakarta", "2026-12-04 16:00", time.Hour, "2026-12-07 08:30"},
		{"request on saturday", "Asia/Jakarta", "2026-12-05 10:00", 8 * time.Hour, "2026-12-08 09:00"},
		{"national holiday (Hari Lahir Pancasila)", "Asia/Jakarta", "2026-06-01 10:00", time.Hour, "2026-06-02 09:00"},
		{"cuti bersama (Idul Adha)", "Asia/Jakarta", "2026-05-28 09:00", time.Hour, "2026-05-29 09:00"},
		{"cuti bersama then libur (Natal)", "Asia/Jakarta", "2026-12-23 15:00", 2 * time.Hour, "2026-12-28 09:00"},
		{"Idul Fitri and cuti bersama week", "Asia/Jakarta", "2026-03-17 15:00", 2 * time.Hour, "2026-03-25 09:00"},
		{"three working days across Idul Fitri", "Asia/Jakarta", "2026-03-17 10:00", 21 * time.Hour, "2026-03-27 10:00"},
		{"zero duration", "Asia/Jakarta", "2026-12-05 10:00", 0, "2026-12-05 10:00"},
		// One instant, 15.30 WIB = 16.30 WITA = 17.30 WIT, in three offices.
		{"WIB office still open", "Asia/Jakarta", "2026-11-30 08:30 +00", time.Hour, "2026-12-01 08:30"},
		{"WITA office just closed", "Asia/Makassar", "2026-11-30 08:30 +00", time.Hour, "2026-12-01 09:00"},
		{"WIT office long closed", "Asia/Jayapura", "2026-11-30 08:30 +00", time.Hour, "2026-12-01 09:00"},
		// 07.00 WIB = 08.00 WITA = 09.00 WIT.
		{"WIB office not open yet", "Asia/Jakarta", "2026-12-01 00:00 +00", 30 * time.Minute, "2026-12-01 08:30"},
		{"WITA office just opened", "Asia/Makassar", "2026-12-01 00:00 +00", 30 * time.Minute, "2026-12-01 08:30"},
		{"WIT office open for an hour", "Asia/Jayapura", "2026-12-01 00:00 +00", 30 * time.Minute, "2026-12-01 09:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := office(t, tt.zone)
			start := instant(t, c, tt.start)
			got := c.Add(start, tt.d)
			if wall(c, got) != tt.want {
				t.Errorf("Add(%s, %v) = %s, want %s", tt.start, tt.d, wall(c, got), tt.want)
			}
			if b := c.Between(start, got); b != tt.d {
				t.Errorf("Between(start, deadline) = %v, want %v", b, tt.d)
			}
		})
	}
}

func TestCalendarAddDays(t *testing.T) {
	tests := []struct {
		name, start string
		days        int
		want        string
	}{
		{"monday 10.00 plus 3 is thursday 10.00", "2026-11-30 10:00", 3, "2026-12-03 10:00"},
		{"saturday counts from monday's opening", "2026-12-05 10:00", 1, "2026-12-08 08:00"},
		{"after closing counts from the next opening", "2026-11-30 17:00", 1, "2026-12-02 08:00"},
		{"during the break counts from 13.00", "2026-11-30 12:30", 1, "2026-12-01 13:00"},
		{"friday 16.15 lands after monday's closing", "2026-12-04 16:15", 1, "2026-12-07 16:00"},
		{"thursday 11.45 lands in friday's break", "2026-12-03 11:45", 1, "2026-12-04 11:30"},
		{"over cuti bersama and Natal", "2026-12-23 10:00", 1, "2026-12-28 10:00"},
		{"over the Idul Fitri week", "2026-03-17 10:00", 2, "2026-03-26 10:00"},
		{"zero days", "2026-12-05 10:00", 0, "2026-12-05 10:00"},
	}
	c := office(t, "Asia/Jakarta")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.AddDays(instant(t, c, tt.start), tt.days); wall(c, got) != tt.want {
				t.Errorf("AddDays(%s, %d) = %s, want %s", tt.start, tt.days, wall(c, got), tt.want)
			}
		})
	}
}

func TestCalendarOpen(t *testing.T) {
	tests := []struct {
		name, at string
		open     bool
		next     string
	}{
		{"opening minute", "2026-11-30 08:00", true, "2026-11-30 08:00"},
		{"before opening", "2026-11-30 07:59", false, "2026-11-30 08:00"},
		{"break starts", "2026-11-30 12:00", false, "2026-11-30 13:00"},
		{"closing minute", "2026-11-30 16:00", false, "2026-12-01 08:00"},
		{"friday afternoon", "2026-12-04 16:15", true, "2026-12-04 16:15"},
		{"friday prayers", "2026-12-04 11:45", false, "2026-12-04 13:00"},
		{"saturday", "2026-12-05 10:00", false, "2026-12-07 08:00"},
		{"cuti bersama", "2026-12-24 10:00", false, "2026-12-28 08:00"},
		{"before Idul Fitri week", "2026-03-17 16:00", false, "2026-03-25 08:00"},
	}
	c := office(t, "Asia/Jakarta")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := instant(t, c, tt.at)
			if c.IsOpen(at) != tt.open {
				t.Errorf("IsOpen(%s) = %v", tt.at, !tt.open)
			}
			if got := c.NextOpen(at); wall(c, got) != tt.next {
				t.Errorf("NextOpen(%s) = %s, want %s", tt.at, wall(c, got), tt.next)
			}
		})
	}
	if h, ok := c.Holiday(instant(t, c, "2026-12-24 10:00")); !ok || h.Kind != tickets.KindCutiBersama {
		t.Errorf("Holiday(24 Desember) = %+v, %v", h, ok)
	}
}

func TestCalendarBetween(t *testing.T) {
	c := office(t, "Asia/Jakarta")
	tests := []struct {
		name, a, b string
		want       time.Duration
	}{
		{"one working day", "2026-11-30 10:00", "2026-12-01 10:00", 7 * time.Hour},
		{"over the weekend", "2026-12-04 16:00", "2026-12-07 08:30", time.Hour},
		{"a whole week", "2026-11-30 00:00", "2026-12-07 00:00", 35 * time.Hour},
		{"b before a", "2026-12-01 10:00", "2026-11-30 10:00", 0},
		{"closed all along", "2026-12-24 08:00", "2026-12-27 23:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Between(instant(t, c, tt.a), instant(t, c, tt.b)); got != tt.want {
				t.Errorf("Between = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCalendarBetweenAddProperty checks Between(s, Add(s, d)) == d and that deadlines
// fall in or at the end of office hours, for random starts and durations, in the three
// Indonesian zones and in zones with daylight saving time.
func TestCalendarBetweenAddProperty(t *testing.T) {
	dst, err := tickets.ParseOfficeHours("mon-fri 08:00-12:00,13:00-17:00; sun 00:00-01:30,01:45-03:30")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(20, 26))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, z := range []struct {
		name  string
		hours tickets.OfficeHours
	}{
		{"Asia/Jakarta", tickets.DefaultOfficeHours()}, {"Asia/Makassar", tickets.DefaultOfficeHours()},
		{"Asia/Jayapura", tickets.DefaultOfficeHours()}, {"Europe/Berlin", dst}, {"America/New_York", dst},
	} {
		c, err := tickets.NewCalendar(zone(t, z.name), z.hours, holidays2026(t))
		if err != nil {
			t.Fatal(err)
		}
		for range 2000 {
			s := base.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
			d := time.Duration(rng.Int64N(int64(60 * time.Hour)))
			got := c.Add(s, d)
			if b := c.Between(s, got); b != d {
				t.Fatalf("%s: Between(%v, Add(s, %v) = %v) = %v", z.name, s, d, got, b)
			}
			if d > 0 && !c.IsOpen(got.Add(-time.Nanosecond)) {
				t.Fatalf("%s: Add(%v, %v) = %v is not in office hours", z.name, s, d, got)
			}
			if n := c.NextOpen(s); !c.IsOpen(n) || c.Between(s, n) != 0 {
				t.Fatalf("%s: NextOpen(%v) = %v", z.name, s, n)
			}
		}
	}
}

// TestCalendarDST checks a zone with clock changes: on the Sunday the clocks go forward
// an hour of the 01.45–03.30 span does not exist; on the Sunday they go back, one repeats.
func TestCalendarDST(t *testing.T) {
	hours, err := tickets.ParseOfficeHours("sun 00:00-01:30,01:45-03:30")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tickets.NewCalendar(zone(t, "Europe/Berlin"), hours, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, sunday string
		want         time.Duration
	}{
		{"ordinary sunday", "2026-03-22", 3*time.Hour + 15*time.Minute},
		{"clocks forward", "2026-03-29", 2*time.Hour + 15*time.Minute},
		{"clocks back", "2026-10-25", 4*time.Hour + 15*time.Minute},
	} {
		sat := instant(t, c, tt.sunday+" 00:00").AddDate(0, 0, -1)
		if got := c.Between(sat, sat.AddDate(0, 0, 2)); got != tt.want {
			t.Errorf("%s: Between = %v, want %v", tt.name, got, tt.want)
		}
		if got := c.Add(sat, tt.want); wall(c, got) != tt.sunday+" 03:30" {
			t.Errorf("%s: Add = %s", tt.name, wall(c, got))
		}
	}
}

func TestNewCalendarRefuses(t *testing.T) {
	jkt := zone(t, "Asia/Jakarta")
	day := []tickets.Span{{480, 960}}
	var years []tickets.Holiday
	for d := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2031; d = d.AddDate(0, 0, 1) {
		years = append(years, tickets.Holiday{Date: d.Format(time.DateOnly), Name: "Tutup", Kind: tickets.KindLibur})
	}
	tests := []struct {
		name     string
		loc      *time.Location
		hours    tickets.OfficeHours
		holidays []tickets.Holiday
	}{
		{"no zone", nil, tickets.DefaultOfficeHours(), nil},
		{"never open", jkt, tickets.OfficeHours{}, nil},
		{"overlapping spans", jkt, tickets.OfficeHours{time.Monday: {{480, 720}, {700, 900}}}, nil},
		{"empty span", jkt, tickets.OfficeHours{time.Monday: {{720, 720}}}, nil},
		{"past midnight", jkt, tickets.OfficeHours{time.Monday: {{1200, 1500}}}, nil},
		{"no such weekday", jkt, tickets.OfficeHours{9: day}, nil},
		{"bad date", jkt, tickets.DefaultOfficeHours(), []tickets.Holiday{{Date: "2026-02-30", Name: "X", Kind: tickets.KindLibur}}},
		{"bad kind", jkt, tickets.DefaultOfficeHours(), []tickets.Holiday{{Date: "2026-12-25", Name: "X", Kind: "cuti"}}},
		{"no name", jkt, tickets.DefaultOfficeHours(), []tickets.Holiday{{Date: "2026-12-25", Kind: tickets.KindLibur}}},
		{"date twice", jkt, tickets.DefaultOfficeHours(), append(holidays2026(t), holidays2026(t)[0])},
		{"closed four years", jkt, tickets.DefaultOfficeHours(), years},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tickets.NewCalendar(tt.loc, tt.hours, tt.holidays); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestCalendarYearOfHolidays(t *testing.T) {
	var hs []tickets.Holiday
	for d := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2027; d = d.AddDate(0, 0, 1) {
		hs = append(hs, tickets.Holiday{Date: d.Format(time.DateOnly), Name: "Renovasi", Kind: tickets.KindLibur})
	}
	c, err := tickets.NewCalendar(zone(t, "Asia/Jakarta"), tickets.DefaultOfficeHours(), hs)
	if err != nil {
		t.Fatal(err)
	}
	start := instant(t, c, "2026-12-31 15:00")
	if got := c.Add(start, 2*time.Hour); wall(c, got) != "2028-01-03 09:00" {
		t.Errorf("Add over a closed year = %s", wall(c, got))
	}
	if got := c.AddDays(start, 1); wall(c, got) != "2028-01-03 15:00" {
		t.Errorf("AddDays over a closed year = %s", wall(c, got))
	}
}

func TestParseOfficeHours(t *testing.T) {
	good := []struct{ name, in, want string }{
		{"the default", "mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30", "mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30"},
		{"indonesian names and dots", "Senin-Jumat 07.30-15.30", "mon-fri 07:30-15:30"},
		{"lists and spaces", "mon,wed 08:00-12:00 ;  sat 08:00 - 12:00", "mon 08:00-12:00; wed 08:00-12:00; sat 08:00-12:00"},
		{"weekend around the clock", "sat-sun 00:00-24:00", "sat-sun 00:00-24:00"},
		{"explicitly closed", "mon-fri 8:00-16:00; sab tutup", "mon-fri 08:00-16:00"},
		{"wrapping range", "fri-mon 09:00-10:00", "mon 09:00-10:00; fri-sun 09:00-10:00"},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tickets.ParseOfficeHours(tt.in)
			if err != nil || h.String() != tt.want {
				t.Errorf("ParseOfficeHours(%q) = %q, %v; want %q", tt.in, h, err, tt.want)
			}
		})
	}
	if h, _ := tickets.ParseOfficeHours(good[0].in); !reflect.DeepEqual(h, tickets.DefaultOfficeHours()) {
		t.Errorf("the documented default parses to %v", h)
	}
	bad := []struct{ name, in, want string }{
		{"empty", "  ", "kosong"},
		{"no hours", "mon-thu", "tidak ditulis"},
		{"unknown day", "funday 08:00-12:00", "bukan nama hari"},
		{"hours without minutes", "mon 8-12", "JJ:MM"},
		{"past midnight", "mon 08:00-25:00", "JJ:MM"},
		{"backwards", "mon 12:00-08:00", "setelah jam mulai"},
		{"overlap", "mon 08:00-12:00,11:00-13:00", "bertumpuk"},
		{"day twice", "mon 08:00-12:00; mon-tue 13:00-14:00", "sudah disebut"},
		{"not a range", "mon 08:00", "bukan rentang"},
		{"never open", "sat tutup", "tidak punya jam buka"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tickets.ParseOfficeHours(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseOfficeHours(%q) err = %v, want it to mention %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	for zoneName, want := range map[string]string{
		"Asia/Jakarta":  "Senin, 30 November 2026 pukul 10.00 WIB",
		"Asia/Makassar": "Senin, 30 November 2026 pukul 11.00 WITA",
		"Asia/Jayapura": "Senin, 30 November 2026 pukul 12.00 WIT",
		"UTC":           "Senin, 30 November 2026 pukul 03.00 UTC",
		"Asia/Kolkata":  "Senin, 30 November 2026 pukul 08.30 IST",
	} {
		if got := tickets.FormatTime(at, zone(t, zoneName)); got != want {
			t.Errorf("%s: %q, want %q", zoneName, got, want)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	hs := holidays2026(t)
	kinds := map[string]int{}
	for _, h := range hs {
		kinds[h.Kind]++
	}
	if len(hs) != 25 || kinds[tickets.KindLibur] != 17 || kinds[tickets.KindCutiBersama] != 8 {
		t.Errorf("2026 file: %d days, %v; the SKB has 17 libur and 8 cuti bersama", len(hs), kinds)
	}
	good := []struct{ name, file, data, want string }{
		{"yaml in Indonesian", "libur.yml", "holidays:\n  - tanggal: 2026-12-24\n    nama: Cuti Natal\n    jenis: Cuti Bersama\n",
			"[{2026-12-24 Cuti Natal cuti_bersama}]"},
		{"csv with header", "libur.csv", "tanggal,nama,jenis\n2026-12-25,\"Natal, Hari Raya\",libur nasional\n",
			"[{2026-12-25 Natal, Hari Raya libur}]"},
		{"csv with semicolons and day-first dates", "libur.txt", "# 2026\n25/12/2026; Hari Raya Natal; libur\n24-12-2026;Cuti Natal;cuti_bersama;;\n",
			"[{2026-12-25 Hari Raya Natal libur} {2026-12-24 Cuti Natal cuti_bersama}]"},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := tickets.ParseHolidays(tt.file, []byte(tt.data))
			if err != nil || fmt.Sprint(hs) != tt.want {
				t.Errorf("got %v, %v; want %s", hs, err, tt.want)
			}
		})
	}
	bad := []struct {
		name, file, data string
		want             []string
	}{
		{"yaml bad date", "x.yaml", "holidays:\n  - {date: 2026-12-25, name: Natal, kind: libur}\n  - {date: 2026-02-30, name: X, kind: libur}\n",
			[]string{"baris 3: tanggal '2026-02-30' tidak valid"}},
		{"yaml unknown kind and key", "x.yaml", "holidays:\n  - date: 2026-12-25\n    nme: Natal\n    kind: cuti\n",
			[]string{"baris 3: kolom 'nme' tidak dikenal", "baris 2: nama hari libur kosong", "jenis 'cuti' tidak dikenal"}},
		{"yaml duplicate date", "x.yaml", "holidays:\n  - {date: 2026-12-25, name: Natal, kind: libur}\n  - {date: 2026-12-25, name: Natal, kind: libur}\n",
			[]string{"baris 3: tanggal 2026-12-25 sudah ada di baris 2"}},
		{"yaml syntax", "x.yaml", "holidays:\n  - {date: 2026-12-25, name: Natal\n", []string{"YAML tidak bisa dibaca"}},
		{"yaml without holidays", "x.yaml", "libur:\n  - {date: 2026-12-25}\n", []string{"baris 1: kolom 'libur' tidak dikenal", "'holidays:'"}},
		{"csv problems on their lines", "x.csv", "tanggal,nama,jenis\n2026-12-25,Natal,libur\n2026-13-01,X,libur\n2026-12-26,Y\n2026-12-25,Z,cuti\n2206-01-01,Typo,libur\n",
			[]string{"baris 3: tanggal '2026-13-01'", "baris 4: perlu 3 kolom", "baris 5: tanggal 2026-12-25 sudah ada di baris 2", "baris 5: jenis 'cuti'", "baris 6: tahun 2206"}},
		{"csv bad quote", "x.csv", "2026-12-25,\"Natal,libur\n", []string{"CSV tidak bisa dibaca"}},
		{"empty", "x.csv", "# nothing yet\n", []string{"tidak berisi hari libur"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := tickets.ParseHolidays(tt.file, []byte(tt.data))
			var fe *tickets.HolidayFileError
			if !errors.As(err, &fe) || hs != nil {
				t.Fatalf("got %v, %v; want a HolidayFileError and no holidays", hs, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestStoreHolidays(t *testing.T) {
	ctx := context.Background()
	s := tickets.NewStore(dbtest.New(t))
	h := func(date, name, kind string) tickets.Holiday {
		return tickets.Holiday{Date: date, Name: name, Kind: kind}
	}
	steps := []struct {
		name           string
		import_        []tickets.Holiday
		replace        bool
		added, updated int
		want           string
	}{
		{"first import", holidays2026(t)[:3], false, 3, 0, "2026-01-01 2026-01-16 2026-02-16"},
		{"same again changes nothing", holidays2026(t)[:3], false, 0, 0, "2026-01-01 2026-01-16 2026-02-16"},
		{"merge: one renamed, one new", []tickets.Holiday{h("2026-01-01", "Tahun Baru", tickets.KindLibur), h("2027-01-01", "Tahun Baru 2027", tickets.KindLibur)}, false, 1, 1,
			"2026-01-01 2026-01-16 2026-02-16 2027-01-01"},
		{"replace 2026 keeps 2027", []tickets.Holiday{holidays2026(t)[1], h("2026-12-25", "Natal", tickets.KindLibur)}, true, 1, 0,
			"2026-01-16 2026-12-25 2027-01-01"},
	}
	for _, st := range steps {
		added, updated, err := s.ImportHolidays(ctx, st.import_, st.replace)
		if err != nil || added != st.added || updated != st.updated {
			t.Errorf("%s: added %d, updated %d, %v; want %d, %d", st.name, added, updated, err, st.added, st.updated)
		}
		got, err := s.Holidays(ctx)
		var dates []string
		for _, h := range got {
			dates = append(dates, h.Date)
		}
		if err != nil || strings.Join(dates, " ") != st.want {
			t.Errorf("%s: holidays %v, %v; want %s", st.name, dates, err, st.want)
		}
	}
	bad := []tickets.Holiday{h("2026-12-31", "Malam Tahun Baru", tickets.KindLibur), h("2026-12-32", "X", tickets.KindLibur)}
	if _, _, err := s.ImportHolidays(ctx, bad, true); err == nil {
		t.Error("an invalid holiday was imported")
	}
	if got, _ := s.Holidays(ctx); len(got) != 3 {
		t.Errorf("a failed import changed the holidays: %v", got)
	}
	c, err := s.Calendar(ctx, zone(t, "Asia/Jakarta"), tickets.DefaultOfficeHours())
	if err != nil {
		t.Fatal(err)
	}
	if c.IsOpen(instant(t, c, "2026-12-25 10:00")) || !c.IsOpen(instant(t, c, "2026-12-28 10:00")) {
		t.Error("the stored calendar ignores the stored holidays")
	}
}

// BenchmarkCalendarAdd computes 3 working days across the Idul Fitri week of 2026.
func BenchmarkCalendarAdd(b *testing.B) {
	c := office(b, "Asia/Jakarta")
	start := instant(b, c, "2026-03-17 10:00")
	b.Run("Add 21h", func(b *testing.B) {
		for b.Loop() {
			c.Add(start, 21*time.Hour)
		}
	})
	b.Run("AddDays 3", func(b *testing.B) {
		for b.Loop() {
			c.AddDays(start, 3)
		}
	})
}
