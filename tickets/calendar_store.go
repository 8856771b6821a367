package tickets

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"gopkg.in/yaml.v3"
)

// Holidays returns every stored holiday, by date.
func (s *Store) Holidays(ctx context.Context) ([]Holiday, error) {
	var hs []Holiday
	if err := s.db.SelectContext(ctx, &hs, `SELECT to_char(day, 'YYYY-MM-DD') AS day, name, kind
		FROM holidays ORDER BY day`); err != nil {
		return nil, fmt.Errorf("tickets: holidays: %w", err)
	}
	return hs, nil
}

// ImportHolidays stores holidays in one transaction: new dates are added, known dates
// get the name and kind given (counted as updated only when they change). With
// replaceYears, the stored holidays of every year present in hs that hs does not list
// are removed first, so those years then hold exactly hs. Invalid or duplicate
// holidays fail the import before anything is written.
func (s *Store) ImportHolidays(ctx context.Context, hs []Holiday, replaceYears bool) (added, updated int, err error) {
	days := make([]string, len(hs))
	names := make([]string, len(hs))
	kinds := make([]string, len(hs))
	var years []int64
	seen := map[civil]bool{}
	for i, h := range hs {
		d, err := checkHoliday(h)
		if err != nil {
			return 0, 0, fmt.Errorf("tickets: import holidays: %w", err)
		}
		if seen[d] {
			return 0, 0, fmt.Errorf("tickets: import holidays: %s listed twice", h.Date)
		}
		seen[d] = true
		days[i], names[i], kinds[i] = h.Date, strings.TrimSpace(h.Name), h.Kind
		if !slices.Contains(years, int64(d.y)) {
			years = append(years, int64(d.y))
		}
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("tickets: import holidays: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if replaceYears && len(years) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM holidays
			WHERE extract(year FROM day)::int = ANY($1::int[]) AND day <> ALL($2::date[])`,
			pq.Array(years), pq.Array(days)); err != nil {
			return 0, 0, fmt.Errorf("tickets: import holidays: replace years: %w", err)
		}
	}
	var inserted []bool
	if err := tx.SelectContext(ctx, &inserted, `INSERT INTO holidays (day, name, kind)
		SELECT * FROM unnest($1::date[], $2::text[], $3::text[])
		ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind
			WHERE holidays.name <> EXCLUDED.name OR holidays.kind <> EXCLUDED.kind
		RETURNING xmax = 0`, pq.Array(days), pq.Array(names), pq.Array(kinds)); err != nil {
		return 0, 0, fmt.Errorf("tickets: import holidays: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("tickets: import holidays: commit: %w", err)
	}
	for _, ins := range inserted {
		if ins {
			added++
		} else {
			updated++
		}
	}
	return added, updated, nil
}

// Calendar returns the office's calendar in loc with the given weekly hours and the
// stored holidays.
func (s *Store) Calendar(ctx context.Context, loc *time.Location, hours OfficeHours) (*Calendar, error) {
	hs, err := s.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	return NewCalendar(loc, hours, hs)
}

// FileProblem is one thing wrong in a holiday file.
type FileProblem struct {
	// Line is the 1-based line the problem is on, 0 when it is not known.
	Line int
	// Message says what is wrong and how to fix it, in Indonesian, for the admin.
	Message string
}

// HolidayFileError is returned by ParseHolidays for a broken file. It lists every
// problem found, by line.
type HolidayFileError struct {
	// File is the name the file was parsed under (may be empty).
	File string
	// Problems holds at least one problem.
	Problems []FileProblem
}

// Error formats the problems: a heading, then one "baris N: …" line per problem (at
// most 50).
func (e *HolidayFileError) Error() string {
	var b strings.Builder
	b.WriteString("Berkas ")
	if e.File != "" {
		b.WriteString(e.File + " ")
	}
	fmt.Fprintf(&b, "tidak bisa diimpor (%d masalah):", len(e.Problems))
	for i, p := range e.Problems {
		if i == 50 {
			fmt.Fprintf(&b, "\n  … dan %d masalah lain", len(e.Problems)-i)
			break
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "\n  baris %d: %s", p.Line, p.Message)
		} else {
			b.WriteString("\n  " + p.Message)
		}
	}
	return b.String()
}

// ParseHolidays parses a holiday file, YAML or CSV. The file is read as CSV when name
// ends in .csv, as YAML when it ends in .yaml or .yml or has a "holidays:" line, and as
// CSV otherwise.
//
// YAML: holidays: [{date: 2026-12-25, name: Hari Raya Natal, kind: libur}, …] (the
// Indonesian keys tanggal, nama and jenis work too). CSV: the columns tanggal, nama,
// jenis, with an optional header line, separated by commas or semicolons. Dates are
// written 2026-12-25 (or 25/12/2026, 25-12-2026); kinds are "libur", "libur nasional"
// or "cuti bersama". When anything is wrong, ParseHolidays returns no holidays and a
// *HolidayFileError listing every problem with its line number, in Indonesian.
func ParseHolidays(name string, data []byte) ([]Holiday, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	p := &holidayParser{lines: map[string]int{}}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" || (ext != ".csv" && yamlHead.Match(data)) {
		p.parseYAML(data)
	} else {
		p.parseCSV(data)
	}
	if len(p.problems) == 0 && len(p.out) == 0 {
		p.add(0, "berkas tidak berisi hari libur; lihat contoh di README")
	}
	if len(p.problems) > 0 {
		slices.SortStableFunc(p.problems, func(a, b FileProblem) int { return a.Line - b.Line })
		return nil, &HolidayFileError{File: filepath.Base(name), Problems: p.problems}
	}
	return p.out, nil
}

var (
	yamlHead  = regexp.MustCompile(`(?m)^holidays\s*:`)
	yamlLine  = regexp.MustCompile(`^yaml: line (\d+): `)
	dayMonthY = regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$`)
	// yamlFields maps a YAML key, English or Indonesian, to date (0), name (1), kind (2).
	yamlFields = map[string]int{"date": 0, "tanggal": 0, "name": 1, "nama": 1, "kind": 2, "jenis": 2}
)

// holidayParser collects holidays and problems.
type holidayParser struct {
	out      []Holiday
	problems []FileProblem
	lines    map[string]int // date → line it first appeared on
}

func (p *holidayParser) add(line int, format string, args ...any) {
	p.problems = append(p.problems, FileProblem{line, fmt.Sprintf(format, args...)})
}

// holiday checks one entry and keeps it.
func (p *holidayParser) holiday(line int, date, name, kind string) {
	n := len(p.problems)
	date, name = strings.TrimSpace(date), strings.TrimSpace(name)
	if date == "" {
		p.add(line, "tanggal kosong; tulis seperti 2026-12-25")
	} else if d, ok := parseHolidayDate(date); !ok {
		p.add(line, "tanggal '%s' tidak valid; tulis seperti 2026-12-25 dan pastikan tanggalnya ada", date)
	} else if d.y < 2000 || d.y > 2100 {
		p.add(line, "tahun %d pada tanggal '%s' tampaknya salah ketik", d.y, date)
	} else {
		date = fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
		if first, dup := p.lines[date]; dup {
			p.add(line, "tanggal %s sudah ada di baris %d; setiap tanggal cukup ditulis sekali", date, first)
		} else {
			p.lines[date] = line
		}
	}
	if name == "" {
		p.add(line, "nama hari libur kosong")
	}
	k, ok := parseKind(kind)
	if !ok {
		p.add(line, "jenis '%s' tidak dikenal; tulis libur, libur nasional, atau cuti bersama", strings.TrimSpace(kind))
	}
	if len(p.problems) == n {
		p.out = append(p.out, Holiday{Date: date, Name: name, Kind: k})
	}
}

// parseHolidayDate parses 2026-12-25, 25/12/2026 or 25-12-2026.
func parseHolidayDate(s string) (civil, bool) {
	if m := dayMonthY.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		s = fmt.Sprintf("%s-%02d-%02d", m[3], mo, d)
	}
	c, err := parseCivil(s)
	return c, err == nil
}

// parseKind maps the ways a kind is written to KindLibur or KindCutiBersama.
func parseKind(s string) (string, bool) {
	s = strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(s))), " ")
	switch s {
	case "libur", "libur nasional":
		return KindLibur, true
	case "cuti bersama":
		return KindCutiBersama, true
	}
	return "", false
}

// parseYAML reads holidays: [{date, name, kind}, …] keeping each entry's line.
func (p *holidayParser) parseYAML(data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := 0, err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		}
		p.add(line, "YAML tidak bisa dibaca (%s); periksa indentasi dan tanda ':' dan '-'", strings.TrimPrefix(msg, "yaml: "))
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	list := root
	if root.Kind == yaml.MappingNode {
		list = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			if k := root.Content[i]; k.Value == "holidays" {
				list = root.Content[i+1]
			} else {
				p.add(k.Line, "kolom '%s' tidak dikenal; hari libur ditulis di bawah 'holidays:'", k.Value)
			}
		}
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		p.add(root.Line, "berkas harus berisi 'holidays:' diikuti daftar hari libur, misalnya holidays: [{date: 2026-12-25, name: Hari Raya Natal, kind: libur}]")
		return
	}
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			p.add(item.Line, "setiap hari libur ditulis sebagai {date: …, name: …, kind: …}")
			continue
		}
		var f [3]string
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			j, ok := yamlFields[strings.ToLower(k.Value)]
			switch {
			case !ok:
				p.add(k.Line, "kolom '%s' tidak dikenal; yang dipakai: date, name, kind", k.Value)
			case v.Kind != yaml.ScalarNode:
				p.add(v.Line, "kolom '%s' harus berisi teks", k.Value)
			default:
				f[j] = v.Value
			}
		}
		p.holiday(item.Line, f[0], f[1], f[2])
	}
}

// parseCSV reads tanggal,nama,jenis lines. The separator is ';' when the first line
// that is not a comment has more semicolons than commas: spreadsheets in Indonesian
// locales write those.
func (p *holidayParser) parseCSV(data []byte) {
	r := csv.NewReader(bytes.NewReader(data))
	for line := range bytes.Lines(data) {
		if line = bytes.TrimSpace(line); len(line) == 0 || line[0] == '#' {
			continue
		}
		if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
			r.Comma = ';'
		}
		break
	}
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	for n := 0; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			p.add(perr.Line, "CSV tidak bisa dibaca (%v); periksa tanda kutip", perr.Err)
			return
		} else if err != nil {
			p.add(0, "CSV tidak bisa dibaca: %v", err)
			return
		}
		line, _ := r.FieldPos(0)
		for len(rec) > 3 && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		if h := strings.ToLower(strings.TrimSpace(rec[0])); n == 0 && (h == "tanggal" || h == "date") {
			continue
		}
		if len(rec) != 3 {
			p.add(line, "perlu 3 kolom (tanggal, nama, jenis), ada %d; nama yang berisi koma ditulis dalam tanda kutip", len(rec))
			continue
		}
		p.holiday(line, rec[0], rec[1], rec[2])
	}
}

// Office hours as the admin writes them in LOKET_OFFICE_HOURS.

// dayNames maps the day names ParseOfficeHours accepts, English and Indonesian, to
// weekdays.
var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"min": time.Sunday, "sen": time.Monday, "sel": time.Tuesday, "rab": time.Wednesday,
	"kam": time.Thursday, "jum": time.Friday, "sab": time.Saturday,
	"minggu": time.Sunday, "senin": time.Monday, "selasa": time.Tuesday, "rabu": time.Wednesday,
	"kamis": time.Thursday, "jumat": time.Friday, "sabtu": time.Saturday,
}

// shortDay is the name String writes for each weekday.
var shortDay = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseOfficeHours parses weekly office hours written as parts separated by ';', each
// days then spans: "mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30".
// Days are names (mon…sun or sen…min, full Indonesian names too), ranges (mon-thu)
// or lists (mon,wed); times are HH:MM or HH.MM, 24:00 allowed as an end. "tutup" or
// "closed" instead of spans marks days closed; days not named are closed too. The
// errors, in Indonesian, name the part at fault.
func ParseOfficeHours(s string) (OfficeHours, error) {
	const example = "contoh: mon-thu 08:00-12:00,13:00-16:00; fri 08:00-11:30,13:00-16:30"
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("jam kantor kosong; %s", example)
	}
	hours := OfficeHours{}
	seen := map[time.Weekday]bool{}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("jam kantor %q: %s", part, fmt.Sprintf(format, args...))
		}
		fields := strings.Fields(part)
		daySpec, spanSpec := fields[0], strings.Join(fields[1:], "")
		days, err := parseDays(strings.ToLower(daySpec))
		if err != nil {
			return nil, fail("%v", err)
		}
		if spanSpec == "" {
			return nil, fail("jam bukanya tidak ditulis; tulis misalnya %s 08:00-16:00, atau %s tutup bila hari itu tidak buka", daySpec, daySpec)
		}
		var spans []Span
		if l := strings.ToLower(spanSpec); l != "tutup" && l != "closed" && l != "libur" {
			if spans, err = parseSpans(spanSpec); err != nil {
				return nil, fail("%v", err)
			}
		}
		for _, wd := range days {
			if seen[wd] {
				return nil, fail("hari %s sudah disebut sebelumnya", shortDay[wd])
			}
			seen[wd] = true
			if len(spans) > 0 {
				hours[wd] = spans
			}
		}
	}
	if len(hours) == 0 {
		return nil, fmt.Errorf("jam kantor tidak punya jam buka sama sekali; %s", example)
	}
	return hours, nil
}

// parseDays parses "mon-thu", "sat" or "mon,wed,fri".
func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for item := range strings.SplitSeq(s, ",") {
		a, b, isRange := strings.Cut(item, "-")
		from, ok1 := dayNames[a]
		to, ok2 := dayNames[b]
		if !isRange {
			to, ok2 = from, ok1
		}
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%q bukan nama hari; tulis mon, tue, … sun atau sen, sel, … min", item)
		}
		for wd := from; ; wd = (wd + 1) % 7 {
			out = append(out, wd)
			if wd == to {
				break
			}
		}
	}
	return out, nil
}

// parseSpans parses "08:00-12:00,13:00-16:00" into sorted, non-overlapping spans.
func parseSpans(s string) ([]Span, error) {
	var spans []Span
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		a, b, ok := strings.Cut(item, "-")
		if !ok {
			return nil, fmt.Errorf("%q bukan rentang jam seperti 08:00-12:00", item)
		}
		from, err := parseClock(a)
		if err != nil {
			return nil, err
		}
		to, err := parseClock(b)
		if err != nil {
			return nil, err
		}
		if to <= from {
			return nil, fmt.Errorf("%s: jam selesai harus setelah jam mulai", item)
		}
		spans = append(spans, Span{from, to})
	}
	if err := checkSpans(spans); err != nil {
		return nil, err
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.From - b.From })
	return spans, nil
}

// parseClock parses 08:00, 8.00 or 24:00 into minutes since midnight.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(strings.Replace(s, ".", ":", 1), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) > 2 || len(m) != 2 || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("jam %q harus ditulis JJ:MM antara 00:00 dan 24:00, misalnya 08:00", s)
	}
	return hh*60 + mm, nil
}

// String writes the spans as HH:MM-HH:MM.
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// String writes the hours in the form ParseOfficeHours reads, Monday first, joining
// consecutive days with the same spans: "mon-thu 08:00-12:00,13:00-16:00; fri …".
func (h OfficeHours) String() string {
	spans := func(wd time.Weekday) string {
		parts := make([]string, len(h[wd]))
		for i, s := range h[wd] {
			parts[i] = s.String()
		}
		return strings.Join(parts, ",")
	}
	var parts []string
	for i := 0; i < 7; {
		wd := time.Weekday((i + 1) % 7) // Monday first
		j := i + 1
		for j < 7 && spans(time.Weekday((j+1)%7)) == spans(wd) {
			j++
		}
		if len(h[wd]) > 0 {
			days := shortDay[wd]
			if j-i > 1 {
				days += "-" + shortDay[(j)%7]
			}
			parts = append(parts, days+" "+spans(wd))
		}
		i = j
	}
	return strings.Join(parts, "; ")
}
