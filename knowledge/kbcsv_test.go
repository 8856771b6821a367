package knowledge

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const csvHeaderRow = "id,category,unit,question,alternates,keywords,answer\n"

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []FAQ
	}{
		{
			name: "comma with every column",
			data: csvHeaderRow +
				"ktp-hilang,Kependudukan,disdukcapil,KTP saya hilang?,ktp hilang|kehilangan ktp,ktp|e-ktp,Bawa surat kehilangan.\n",
			want: []FAQ{{ID: "ktp-hilang", Category: "Kependudukan", Unit: "disdukcapil", Question: "KTP saya hilang?",
				Alternates: []string{"ktp hilang", "kehilangan ktp"}, Keywords: []string{"ktp", "e-ktp"}, Answer: "Bawa surat kehilangan."}},
		},
		{
			name: "semicolon, BOM and CRLF as Indonesian Excel saves",
			data: "\ufeffid;question;answer\r\nskck;Syarat SKCK?;Bawa KTP, KK dan pas foto.\r\npajak;Bayar pajak motor?;Di Samsat.\r\n",
			want: []FAQ{
				{ID: "skck", Question: "Syarat SKCK?", Answer: "Bawa KTP, KK dan pas foto."},
				{ID: "pajak", Question: "Bayar pajak motor?", Answer: "Di Samsat."},
			},
		},
		{
			name: "quoted multi-line answer with quotes and delimiters",
			data: "id;question;answer\r\n" +
				"akta;Cara membuat akta?;\"Syarat:\r\n- KK; KTP\r\n- surat \"\"keterangan\"\" lahir\r\n\r\nGratis.\"\r\n",
			want: []FAQ{{ID: "akta", Question: "Cara membuat akta?", Answer: "Syarat:\n- KK; KTP\n- surat \"keterangan\" lahir\n\nGratis."}},
		},
		{
			name: "list cells split on bars and line breaks, trimmed, without duplicates",
			data: "id,question,answer,alternates,keywords\n" +
				"kk,Cara buat KK?,Ke Disdukcapil.,\"bikin kk | buat kartu keluarga\nKK baru\n\n bikin KK \",kk||kartu keluarga\n",
			want: []FAQ{{ID: "kk", Question: "Cara buat KK?", Answer: "Ke Disdukcapil.",
				Alternates: []string{"bikin kk", "buat kartu keluarga", "KK baru"}, Keywords: []string{"kk", "kartu keluarga"}}},
		},
		{
			name: "columns in any order and case, empty rows skipped",
			data: "Answer,ID, Question \n,,\n\nJawab.,a1,Tanya?\n,,,\n",
			want: []FAQ{{ID: "a1", Question: "Tanya?", Answer: "Jawab."}},
		},
		{
			name: "Excel's sep= line",
			data: "sep=;\nid;question;answer\nx;Satu, dua?;Tiga.\n",
			want: []FAQ{{ID: "x", Question: "Satu, dua?", Answer: "Tiga."}},
		},
		{
			name: "tab-separated",
			data: "id\tquestion\tanswer\nx\tA, b; c?\tJawab.\n",
			want: []FAQ{{ID: "x", Question: "A, b; c?", Answer: "Jawab."}},
		},
		{
			name: "Windows-1252 from Excel's plain CSV",
			data: "id;question;answer\nkafe;Izin caf\xe9?;\x93Ya\x94 \x96 ke DPMPTSP.\n",
			want: []FAQ{{ID: "kafe", Question: "Izin café?", Answer: "“Ya” – ke DPMPTSP."}},
		},
		{
			name: "formula guard removed, other apostrophes kept",
			data: "id;question;answer;keywords\nf;'=SUM(A1);'- langkah satu;'abc\n",
			want: []FAQ{{ID: "f", Question: "=SUM(A1)", Answer: "- langkah satu", Keywords: []string{"'abc"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseCSV("kb.csv", []byte(tc.data))
			if err != nil {
				t.Fatalf("ParseCSV: %v", err)
			}
			if !reflect.DeepEqual(f.FAQs, tc.want) {
				t.Errorf("FAQs\n got %#v\nwant %#v", f.FAQs, tc.want)
			}
			if len(f.Synonyms) != 0 {
				t.Errorf("synonyms %v from a CSV", f.Synonyms)
			}
		})
	}
}

func TestParseCSVProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		// want are the problems expected, as "line: part of the message".
		want []string
	}{
		{"empty id", csvHeaderRow + "a,,,Tanya?,,,Jawab.\n,,,Tanya lagi?,,,Jawab.\n", []string{"3: kolom 'id' kosong"}},
		{"rows not lines after a multi-line cell", "id;question;answer\na;Tanya?;\"satu\ndua\ntiga\"\n;Tanya?;Jawab.\n", []string{"3: kolom 'id' kosong"}},
		{"blank lines count as rows", "id;question;answer\n\n\nb;;Jawab.\n", []string{"4: kolom 'question' (pertanyaan) kosong"}},
		{"duplicate id names the first row", "id,question,answer\nx,A?,B.\ny,C?,D.\nx,E?,F.\n", []string{"4: id 'x' sudah dipakai di baris 2"}},
		{"invalid id", "id,question,answer\nKTP Hilang,A?,B.\n", []string{"2: id 'KTP Hilang' tidak valid"}},
		{"missing required column", "id,question\nx,A?\n", []string{"1: kolom 'answer' (jawaban) tidak ada di baris judul"}},
		{"misspelt column", "id,qestion,answer\nx,A?,B.\n", []string{"1: judul kolom ke-2 (B) 'qestion' tidak dikenal; maksud Anda 'question'?"}},
		{"Indonesian column name", "id;pertanyaan;jawaban\n", []string{"1: judul kolom ke-2 (B) 'pertanyaan' tidak dikenal; maksud Anda 'question'?", "1: judul kolom ke-3 (C) 'jawaban' tidak dikenal; maksud Anda 'answer'?"}},
		{"duplicate column", "id,question,answer,id\n", []string{"1: kolom 'id' ada dua kali di baris judul (kolom ke-1 (A) dan ke-4 (D))"}},
		{"unclosed quote", "id,question,answer\nx,A?,B.\ny,\"C?,D.\nz,E?,F.\n", []string{"3: tanda petik (\") pembuka sel tidak ditutup"}},
		{"bare quote", "id,question,answer\nx,A?,B.\ny,Kata \"ini\" apa?,D.\n", []string{"3: ada tanda petik (\") di tengah sel"}},
		{"every problem after a broken row", "id,question,answer\nx,A?,B.\ny,Kata \"ini\" apa?,D.\n\n,Tanpa id?,C.\nz,\"dua\nbaris\",E.\nx,F?,G.\n",
			[]string{"3: ada tanda petik (\") di tengah sel", "5: kolom 'id' kosong", "7: id 'x' sudah dipakai di baris 2"}},
		{"text in an untitled column", "id,question,answer\nx,A?,B.,lebih\n", []string{"2: sel di kolom ke-4 (D) berisi teks"}},
		{"header only", "id;question;answer\r\n", []string{"2: berkas hanya berisi baris judul"}},
		{"empty file", "\ufeff", []string{"1: berkas kosong"}},
		{"UTF-16", "\xff\xfei\x00d\x00", []string{"0: berkas tersimpan sebagai UTF-16"}},
		{"answer too long", "id,question,answer\nx,A?," + strings.Repeat("a", MaxAnswerLength+1) + "\n", []string{"2: kolom 'answer' (jawaban) terlalu panjang"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseCSV("kb.csv", []byte(tc.data))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseCSV = %v, %v; want a *ParseError", f, err)
			}
			if f != nil {
				t.Errorf("a File with the error")
			}
			var got []string
			for _, p := range pe.Problems {
				got = append(got, strings.TrimPrefix(p.String(), "baris "))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d like %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				line, msg, _ := strings.Cut(w, ": ")
				if pe.Problems[i].Line != atoi(t, line) || !strings.Contains(pe.Problems[i].Message, msg) {
					t.Errorf("problem %d = %d: %q, want %s: …%s…", i, pe.Problems[i].Line, pe.Problems[i].Message, line, msg)
				}
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("bad line %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// csvTricky holds what a spreadsheet could damage: delimiters, quotes, line breaks,
// formulas, apostrophes, Markdown lists, non-Latin text.
var csvTricky = &File{FAQs: []FAQ{
	{ID: "ktp-hilang", Category: "Kependudukan", Unit: "disdukcapil", Question: "Bagaimana mengurus KTP yang hilang; \"segera\"?",
		Alternates: []string{"ktp hilang", "=HYPERLINK(\"http://x\")", "'=1+1"}, Keywords: []string{"ktp", "@ktp", "-ktp"},
		Answer: "- Bawa **surat kehilangan**, KK\n- Fotokopi, 2 lembar\n\n  Selesai; gratis."},
	{ID: "formula", Question: "=1+1", Answer: "+62 812 untuk info"},
	{ID: "apostrof", Question: "'=sudah dijaga", Alternates: []string{"''dua"}, Answer: "''=dua kali"},
	{ID: "biasa", Question: "'Tanya' biasa?", Answer: "Jawaban 🙂 tanpa apa-apa."},
}}

func TestWriteCSVRoundTrip(t *testing.T) {
	for _, comma := range []rune{';', ',', '\t'} {
		t.Run(string(comma), func(t *testing.T) {
			var buf bytes.Buffer
			if err := csvTricky.WriteCSV(&buf, comma); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffid"+string(comma)+"category")) {
				t.Errorf("no BOM and header: %q", buf.String()[:20])
			}
			if !strings.Contains(buf.String(), "\r\n") {
				t.Errorf("no CRLF line ends")
			}
			f, err := ParseCSV("ekspor.csv", buf.Bytes())
			if err != nil {
				t.Fatalf("ParseCSV of WriteCSV: %v\n%s", err, buf.String())
			}
			if !reflect.DeepEqual(f.FAQs, csvTricky.FAQs) {
				t.Errorf("round trip\n got %#v\nwant %#v", f.FAQs, csvTricky.FAQs)
			}
		})
	}
}

// Every cell a spreadsheet would evaluate as a formula is written behind an
// apostrophe.
func TestWriteCSVFormulaGuard(t *testing.T) {
	var buf bytes.Buffer
	if err := csvTricky.WriteCSV(&buf, ';'); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, rec := range recs {
		for _, c := range rec {
			cells[c] = true
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
	}
	for _, want := range []string{"'=1+1", "'+62 812 untuk info", "'- Bawa **surat kehilangan**, KK\n- Fotokopi, 2 lembar\n\n  Selesai; gratis.", "''=sudah dijaga", "'''dua", "'Tanya' biasa?"} {
		if !cells[want] {
			t.Errorf("no cell %q in\n%s", want, buf.String())
		}
	}
}

func TestWriteCSVDelimiter(t *testing.T) {
	if err := csvTricky.WriteCSV(&bytes.Buffer{}, '|'); err == nil {
		t.Error("WriteCSV accepted '|' as delimiter")
	}
}

func TestLooksCSV(t *testing.T) {
	tests := map[string]bool{
		"\ufeffid;category;question\n":       true,
		"question,answer,id\r\n":             true,
		"sep=;\n":                            true,
		"\"id\";\"question\"\n":              true,
		"faqs:\n  - id: x\n":                 false,
		"{\"faqs\": []}":                     false,
		"# id, question, answer\nfaqs: []\n": false,
		"":                                   false,
	}
	for in, want := range tests {
		if got := LooksCSV([]byte(in)); got != want {
			t.Errorf("LooksCSV(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(csvHeaderRow + "a,K,u,Tanya?,x|y,k,Jawab.\n"))
	f.Add([]byte("\ufeffid;question;answer\r\nb;\"multi\r\nline\";'=1+1\r\n"))
	f.Add([]byte("sep=,\nid,question,answer\nc,\"a\"\"b\",c\n\n"))
	f.Add([]byte("id;question;answer\n\xe9;\x93;\"\n"))
	f.Add([]byte("id\tquestion\tanswer\tkeywords\nd\t''-x\t'-y\t'@z\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseCSV("fuzz.csv", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("error %v is not a ParseError with problems", err)
			}
			return
		}
		for _, comma := range []rune{';', ','} {
			var buf bytes.Buffer
			if err := file.WriteCSV(&buf, comma); err != nil {
				t.Fatal(err)
			}
			again, err := ParseCSV("again.csv", buf.Bytes())
			if err != nil {
				t.Fatalf("written CSV does not parse: %v\n%q", err, buf.String())
			}
			if !reflect.DeepEqual(again.FAQs, file.FAQs) {
				t.Fatalf("round trip changed the FAQs\n got %#v\nwant %#v", again.FAQs, file.FAQs)
			}
		}
	})
}
