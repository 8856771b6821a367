package knowledge

// The knowledge base as a spreadsheet: CSV with one FAQ per row.
//
// Dialect. WriteCSV writes UTF-8 with a byte-order mark (so Excel reads the text as
// UTF-8), CRLF line ends, cells quoted when they hold the delimiter, a quote or a line
// break, and the delimiter the caller picks: ';' by default in the console, because
// Excel in the Indonesian locale (decimal comma) splits on ';', and ',' on request.
// ParseCSV reads what Excel, LibreOffice and Google Sheets save: ',', ';' or tab (told
// from the header row, or from Excel's "sep=;" first line), with or without the BOM,
// CRLF or LF, and text in Windows-1252 ("CSV (dipisahkan koma)" in Excel) when it is
// not valid UTF-8.
//
// Columns. A header row names the columns, in any order: id, question and answer are
// required; category, unit, alternates and keywords optional. Alternates and keywords
// hold several entries separated by '|' or line breaks inside the cell. The CSV holds
// no synonym sets: a File read from CSV has none.
//
// Formula injection. A cell a spreadsheet would run as a formula (one starting with
// '=', '+', '-', '@', tab or carriage return) is written with a leading apostrophe,
// which ParseCSV removes again; so is a cell that starts with an apostrophe followed
// by one of those or by another apostrophe, so that writing and reading give back
// exactly the text written.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/loket-id/loket/internal/csvcell"
)

// csvColumns are the columns of a knowledge-base CSV, in the order WriteCSV writes
// them.
var csvColumns = kbFAQFields

// csvRequired are the columns a knowledge-base CSV must have.
var csvRequired = []string{"id", "question", "answer"}

// csvListSeparators split the entries of an alternates or keywords cell.
var csvListSeparators = regexp.MustCompile(`[|\n]`)

// csvLineBreaks turns CR and CRLF inside cells into LF.
var csvLineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// csvSepLine is Excel's hint naming the delimiter, written as the first line.
var csvSepLine = regexp.MustCompile(`(?i)^sep=(.)\r?$`)

// ParseCSV parses a knowledge-base spreadsheet saved as CSV (see the top of this
// file). name is used in error messages and may be empty. Rows that are entirely empty
// are skipped. When anything is wrong, ParseCSV returns a nil File and a *ParseError
// whose problems carry the spreadsheet row (the header is row 1; a cell with line
// breaks is still one row) and name the column, in Indonesian.
func ParseCSV(name string, data []byte) (*File, error) {
	p := &kbParser{}
	f := p.parseCSV(data)
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, &ParseError{File: name, Problems: p.problems}
	}
	f.dropNUL()
	return f, nil
}

// LooksCSV reports whether data looks like a knowledge-base CSV rather than YAML or
// JSON: its first line (after a BOM) is Excel's "sep=" hint, or a header of at least
// two cells separated by ';', ',' or tab, one of them a known column name.
func LooksCSV(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	line, _, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSpace(line)
	if csvSepLine.Match(line) {
		return true
	}
	cells := strings.Split(string(line), string(csvDelimiter(line)))
	if len(cells) < 2 || bytes.HasPrefix(line, []byte("#")) {
		return false
	}
	for _, c := range cells {
		name := strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`))
		for _, col := range csvColumns {
			if name == col {
				return true
			}
		}
	}
	return false
}

func (p *kbParser) parseCSV(data []byte) *File {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		p.addf(0, "berkas tersimpan sebagai UTF-16; di Excel pilih Simpan Sebagai → 'CSV UTF-8 (Comma delimited)', lalu unggah lagi")
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		data = decodeWindows1252(data)
	}
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	var comma rune
	if m := csvSepLine.FindSubmatch(bytes.TrimLeft(line, " ")); m != nil {
		comma, _ = utf8.DecodeRune(m[1])
		data = rest
	} else {
		comma = rune(csvDelimiter(line))
	}
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError {
		p.addf(1, "pemisah kolom pada baris 'sep=' tidak bisa dipakai; pakai titik koma (;) atau koma (,)")
		return nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	rows := &csvRows{r: r}

	header, err := rows.next()
	if errors.Is(err, io.EOF) {
		p.addf(1, "berkas kosong: baris pertama harus berisi judul kolom: %s", strings.Join(csvColumns, ", "))
		return nil
	}
	if err != nil {
		p.csvSyntax(rows, err)
		return nil
	}
	cols := p.csvHeader(header)
	if cols == nil {
		return nil
	}
	list := &kbNode{kind: kbList, line: 1}
	for {
		rec, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken row is reported and reading goes on, so that every problem of
			// the file is listed at once.
			if !p.csvSyntax(rows, err) {
				return nil
			}
			continue
		}
		if item := p.csvRow(rows.row, cols, rec); item != nil {
			list.items = append(list.items, item)
		}
	}
	if len(list.items) == 0 && len(p.problems) == 0 {
		p.addf(2, "berkas hanya berisi baris judul; tulis satu FAQ per baris di bawahnya")
		return nil
	}
	root := &kbNode{kind: kbMap, line: 1, fields: []kbField{{key: "faqs", line: 1, value: list}}}
	return p.file(root)
}

// csvRows reads records and keeps the spreadsheet row of the last one: csv.Reader
// skips empty lines and counts lines, not rows, when a cell holds line breaks.
type csvRows struct {
	r *csv.Reader
	// row is the spreadsheet row of the last record read; end its last text line.
	row, end int
}

func (c *csvRows) next() ([]string, error) {
	rec, err := c.r.Read()
	if err != nil {
		return nil, err
	}
	start, _ := c.r.FieldPos(0)
	last, _ := c.r.FieldPos(len(rec) - 1)
	c.row += 1 + max(0, start-c.end-1)
	c.end = last + strings.Count(rec[len(rec)-1], "\n")
	return rec, nil
}

// csvSyntax reports a CSV syntax error at the row where the broken record starts and
// moves rows past it; false when reading cannot go on.
func (p *kbParser) csvSyntax(rows *csvRows, err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		p.addf(rows.row+1, "berkas tidak bisa dibaca sebagai CSV: %v", err)
		return false
	}
	row := rows.row + 1 + max(0, pe.StartLine-rows.end-1)
	rows.row, rows.end = row, pe.Line
	where := ""
	if pe.Line != row {
		where = fmt.Sprintf(" (baris teks ke-%d, karakter ke-%d)", pe.Line, pe.Column)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p.addf(row, "ada tanda petik (\") di tengah sel yang tidak diapit tanda petik%s; apit seluruh isi sel dengan tanda petik dan tulis setiap tanda petik di dalamnya dua kali (\"\")", where)
	case errors.Is(pe.Err, csv.ErrQuote):
		p.addf(row, "tanda petik (\") pembuka sel tidak ditutup, atau ada teks sesudah tanda petik penutup%s; periksa sel yang berisi tanda petik", where)
	default:
		p.addf(row, "berkas tidak bisa dibaca sebagai CSV%s: %v", where, pe.Err)
	}
	return true
}

// csvColumn is a recognised column of the header.
type csvColumn struct {
	index int
	name  string
}

// csvHeader maps the header row to the known columns, or reports why it cannot.
func (p *kbParser) csvHeader(header []string) []csvColumn {
	var cols []csvColumn
	seen := map[string]int{}
	guessed := map[string]bool{}
	before := len(p.problems)
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(csvcell.Unguard(h)))
		if name == "" {
			continue
		}
		known := false
		for _, c := range csvColumns {
			known = known || c == name
		}
		switch {
		case !known:
			msg := fmt.Sprintf("judul kolom %s '%s' tidak dikenal", csvColumnName(i), strings.TrimSpace(h))
			if s := kbSuggest(name, csvColumns); s != "" {
				msg += fmt.Sprintf("; maksud Anda '%s'?", s)
				guessed[s] = true
			} else {
				msg += "; judul kolom yang boleh dipakai: " + strings.Join(csvColumns, ", ")
			}
			p.addf(1, "%s", msg)
		case seen[name] > 0:
			p.addf(1, "kolom '%s' ada dua kali di baris judul (kolom %s dan %s); hapus salah satunya", name, csvColumnName(seen[name]-1), csvColumnName(i))
		default:
			seen[name] = i + 1
			cols = append(cols, csvColumn{index: i, name: name})
		}
	}
	for _, req := range csvRequired {
		if seen[req] == 0 && !guessed[req] {
			p.addf(1, "kolom %s tidak ada di baris judul; baris pertama harus berisi judul kolom: %s", kbName(req), strings.Join(csvColumns, ", "))
		}
	}
	if len(p.problems) > before {
		return nil
	}
	return cols
}

// csvRow turns one record into an FAQ node, nil for an empty row.
func (p *kbParser) csvRow(row int, cols []csvColumn, rec []string) *kbNode {
	empty := true
	for _, cell := range rec {
		empty = empty && strings.TrimSpace(cell) == ""
	}
	if empty {
		return nil
	}
	used := map[int]bool{}
	item := &kbNode{kind: kbMap, line: row}
	for _, c := range cols {
		used[c.index] = true
		cell := ""
		if c.index < len(rec) {
			cell = csvLineBreaks.Replace(csvcell.Unguard(rec[c.index]))
		}
		var v *kbNode
		switch c.name {
		case "alternates", "keywords":
			v = &kbNode{kind: kbList, line: row}
			for _, part := range csvListSeparators.Split(cell, -1) {
				v.items = append(v.items, &kbNode{kind: kbScalar, line: row, text: part})
			}
		default:
			v = &kbNode{kind: kbScalar, line: row, text: cell}
		}
		item.fields = append(item.fields, kbField{key: c.name, line: row, value: v})
	}
	for i, cell := range rec {
		if !used[i] && strings.TrimSpace(cell) != "" {
			p.addf(row, "sel di kolom %s berisi teks, padahal kolom itu tidak berjudul; beri judul kolom atau kosongkan selnya", csvColumnName(i))
		}
	}
	return item
}

// csvColumnName names a column as a spreadsheet does: "ke-3 (C)".
func csvColumnName(i int) string {
	letters := ""
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		letters = string(rune('A'+(n-1)%26)) + letters
	}
	return fmt.Sprintf("ke-%d (%s)", i+1, letters)
}

// csvDelimiter tells the delimiter from a header line: the most frequent of ';', ','
// and tab outside quotes (',' when none is there).
func csvDelimiter(line []byte) byte {
	counts := map[byte]int{}
	quoted := false
	for _, b := range line {
		switch {
		case b == '"':
			quoted = !quoted
		case !quoted && (b == ';' || b == ',' || b == '\t'):
			counts[b]++
		}
	}
	best := byte(',')
	for _, b := range []byte{';', '\t'} {
		if counts[b] > counts[best] {
			best = b
		}
	}
	return best
}

// WriteCSV writes the FAQs of f (not its synonym sets) as a knowledge-base CSV (see
// the top of this file) with the delimiter comma: ';', ',' or '\t'. Alternates and
// keywords are written one per line inside their cell. For a File from ParseCSV,
// ParseCSV reads the output back to an equal File.
func (f *File) WriteCSV(w io.Writer, comma rune) error {
	if comma != ';' && comma != ',' && comma != '\t' {
		return fmt.Errorf("knowledge: write csv: delimiter %q not supported", comma)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("knowledge: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = comma
	cw.UseCRLF = true
	if err := cw.Write(csvColumns); err != nil {
		return fmt.Errorf("knowledge: write csv: %w", err)
	}
	if f != nil {
		for _, q := range f.FAQs {
			rec := []string{q.ID, q.Category, q.Unit, q.Question,
				strings.Join(q.Alternates, "\n"), strings.Join(q.Keywords, "\n"), q.Answer}
			for i := range rec {
				rec[i] = csvcell.Guard(rec[i])
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("knowledge: write csv %s: %w", q.ID, err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("knowledge: write csv: %w", err)
	}
	return nil
}

// windows1252 maps the bytes 0x80–0x9F of Windows-1252 to Unicode (undefined bytes to
// the C1 control of the same number, as Windows does); the other bytes are Latin-1.
var windows1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

// decodeWindows1252 converts Windows-1252 text (what Excel saves as plain "CSV") to
// UTF-8.
func decodeWindows1252(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, b := range data {
		switch {
		case b < 0x80:
			out = append(out, b)
		case b < 0xa0:
			out = utf8.AppendRune(out, windows1252[b-0x80])
		default:
			out = utf8.AppendRune(out, rune(b))
		}
	}
	return out
}
