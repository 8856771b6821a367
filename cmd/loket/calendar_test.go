package main

import (
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/dbtest"
)

const holidayFile = "../../tickets/testdata/holidays-2026.yaml"

func TestCalendarCommands(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	steps := []struct {
		name string
		vars map[string]string
		args []string
		want []string
	}{
		{"empty list", nil, []string{"list"}, []string{"Jam kantor: mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30", "Belum ada hari libur"}},
		{"import the 2026 file", nil, []string{"import", holidayFile}, []string{"25 hari libur (25 baru, 0 diubah, 0 tetap)"}},
		{"import again", nil, []string{"import", holidayFile}, []string{"(0 baru, 0 diubah, 25 tetap)"}},
		{"list 2026", nil, []string{"list", "--year", "2026"}, []string{"17 libur nasional, 8 cuti bersama",
			"Kamis, 24 Desember 2026    cuti bersama    Cuti Bersama Kelahiran Yesus Kristus", "Jumat, 25 Desember 2026    libur nasional"}},
		{"list 2027", nil, []string{"list", "--year", "2027"}, []string{"Belum ada hari libur tahun 2027"}},
		{"check hours over Natal", nil, []string{"check", "--from", "2026-12-24 15:00", "--add", "2h"}, []string{
			"Mulai: Kamis, 24 Desember 2026 pukul 15.00 WIB",
			"Kantor tutup (hari libur: Cuti Bersama Kelahiran Yesus Kristus); dihitung sejak Senin, 28 Desember 2026 pukul 08.00 WIB",
			"Batas waktu: Senin, 28 Desember 2026 pukul 10.00 WIB"}},
		{"check days over Idul Fitri", nil, []string{"check", "--from", "2026-03-17 10.00", "--add", "3d"}, []string{"Batas waktu: Jumat, 27 Maret 2026 pukul 10.00 WIB"}},
		{"check in WITA", map[string]string{"LOKET_TIMEZONE": "Asia/Makassar"}, []string{"check", "--from", "2026-11-30 16:10", "--add", "1h"},
			[]string{"di luar jam kantor", "Batas waktu: Selasa, 1 Desember 2026 pukul 09.00 WITA"}},
		{"check with the office's own hours", map[string]string{"LOKET_OFFICE_HOURS": "mon-sat 07:00-14:00"}, []string{"check", "--from", "2026-12-05 13:00", "--add", "2h"},
			[]string{"Jam kantor: mon-sat 07:00-14:00", "Batas waktu: Senin, 7 Desember 2026 pukul 08.00 WIB"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			v := map[string]string{"DATABASE_URL": vars["DATABASE_URL"]}
			for k, x := range st.vars {
				v[k] = x
			}
			out, _, err := loket(t, v, "", append([]string{"calendar"}, st.args...)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, w := range st.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not contain %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCalendarImportReplaceAndBrokenFile(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	if _, _, err := loket(t, vars, "", "calendar", "import", holidayFile); err != nil {
		t.Fatal(err)
	}
	broken := writeFile(t, "libur.csv", "tanggal,nama,jenis\n2026-12-25,Natal,libur\n2026-12-32,Salah,libur\n2026-12-24,Cuti,cuti\n")
	_, _, err := loket(t, vars, "", "calendar", "import", broken, "--replace")
	if err == nil {
		t.Fatal("a broken file was imported")
	}
	for _, w := range []string{"libur.csv", "baris 3: tanggal '2026-12-32'", "baris 4: jenis 'cuti'"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not mention %q:\n%v", w, err)
		}
	}
	fixed := writeFile(t, "libur.csv", "2026-12-25;Hari Raya Natal;libur nasional\n24/12/2026;Cuti Bersama Natal;cuti bersama\n")
	out, _, err := loket(t, vars, "", "calendar", "import", fixed, "--replace")
	if err != nil || !strings.Contains(out, "2 hari libur (0 baru, 2 diubah, 0 tetap, 23 dihapus karena tidak ada di berkas)") {
		t.Fatalf("replace: %q, %v", out, err)
	}
	out, _, _ = loket(t, vars, "", "calendar", "list")
	if !strings.Contains(out, "1 libur nasional, 1 cuti bersama") {
		t.Errorf("after replace:\n%s", out)
	}
}

func TestCalendarUsage(t *testing.T) {
	db := dbtest.NewURL(t)
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
		code int
	}{
		{"no subcommand", nil, nil, "pemakaian", 2},
		{"unknown subcommand", nil, []string{"show"}, "tidak dikenal", 2},
		{"import without file", nil, []string{"import"}, "pemakaian", 2},
		{"missing file", nil, []string{"import", "tidak-ada.yaml"}, "tidak ditemukan", 1},
		{"check without --add", nil, []string{"check"}, "pemakaian", 2},
		{"bad --add", nil, []string{"check", "--add", "3x"}, "--add", 2},
		{"bad --from", nil, []string{"check", "--add", "3d", "--from", "besok"}, "--from", 2},
		{"bad office hours", map[string]string{"LOKET_OFFICE_HOURS": "mon 8-16"}, []string{"check", "--add", "1h"}, "LOKET_OFFICE_HOURS", 1},
		{"no database", map[string]string{"DATABASE_URL": "-"}, []string{"list"}, "DATABASE_URL", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := map[string]string{"DATABASE_URL": db}
			for k, x := range tt.vars {
				v[k] = x
			}
			if v["DATABASE_URL"] == "-" {
				delete(v, "DATABASE_URL")
			}
			_, _, err := loket(t, v, "", append([]string{"calendar"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != tt.code {
				t.Errorf("err = %v (exit %d), want exit %d mentioning %q", err, exitCode(err), tt.code, tt.want)
			}
		})
	}
}
