package knowledge

// Validation of the document tree: known fields, types, ids, lengths, synonym sets.

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kbFieldLabels gives the Indonesian meaning of field names, shown after the name.
var kbFieldLabels = map[string]string{
	"faqs":       "daftar FAQ",
	"synonyms":   "sinonim",
	"category":   "kategori",
	"question":   "pertanyaan",
	"alternates": "pertanyaan lain",
	"keywords":   "kata kunci",
	"answer":     "jawaban",
}

// kbFieldAliases maps names editors may write instead of the real field names.
var kbFieldAliases = map[string]string{
	"pertanyaan": "question", "tanya": "question", "jawaban": "answer", "jawab": "answer",
	"kategori": "category", "unit_kerja": "unit", "kata_kunci": "keywords", "katakunci": "keywords",
	"kata kunci": "keywords", "tags": "keywords", "alternatif": "alternates", "variasi": "alternates",
	"sinonim": "synonyms", "faq": "faqs", "daftar": "faqs",
}

// kbName quotes a field name with its Indonesian label: "'answer' (jawaban)".
func kbName(field string) string {
	if l, ok := kbFieldLabels[field]; ok {
		return fmt.Sprintf("'%s' (%s)", field, l)
	}
	return "'" + field + "'"
}

var kbIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// file validates the document tree and builds the File.
func (p *kbParser) file(root *kbNode) *File {
	if root == nil || root.kind == kbNull {
		line := 1
		if root != nil {
			line = root.line
		}
		p.addf(line, "berkas kosong: isi berkas harus diawali 'faqs:' lalu daftar FAQ")
		return nil
	}
	if root.kind != kbMap {
		p.addf(root.line, "isi berkas harus diawali kolom 'faqs:' berisi daftar FAQ, bukan %s", kbKindName(root.kind))
		return nil
	}
	fields := p.mapping(root, kbTopFields)
	f := &File{}
	if fq, ok := fields.get("faqs"); !ok {
		fields.missing(p, root.line, "faqs", "kolom 'faqs' (daftar FAQ) tidak ada; isi berkas harus diawali 'faqs:'")
	} else {
		f.FAQs = p.faqs(fq)
	}
	if syn, ok := fields.get("synonyms"); ok {
		f.Synonyms = p.synonyms(syn)
	}
	return f
}

// kbFields are the known fields of a mapping, and the known names suggested for
// unknown ones (misspellings).
type kbFields struct {
	byName  map[string]kbField
	guessed map[string]bool
}

func (fs kbFields) get(name string) (kbField, bool) {
	f, ok := fs.byName[name]
	return f, ok
}

// missing reports that a required field is missing, unless an unknown field was
// already reported as a likely misspelling of it.
func (fs kbFields) missing(p *kbParser, line int, name, format string, args ...any) {
	if !fs.guessed[name] {
		p.addf(line, format, args...)
	}
}

// mapping checks the keys of m against known (duplicates, unknown names) and returns the
// first occurrence of each known key.
func (p *kbParser) mapping(m *kbNode, known []string) kbFields {
	out := make(map[string]kbField, len(m.fields))
	guessed := make(map[string]bool)
	for _, fl := range m.fields {
		if first, ok := out[fl.key]; ok {
			p.addf(fl.line, "kolom '%s' ditulis dua kali (pertama di baris %d); hapus salah satunya", fl.key, first.line)
			continue
		}
		isKnown := false
		for _, k := range known {
			isKnown = isKnown || k == fl.key
		}
		if !isKnown {
			msg := fmt.Sprintf("kolom '%s' tidak dikenal", fl.key)
			if s := kbSuggest(fl.key, known); s != "" {
				msg += fmt.Sprintf("; maksud Anda '%s'?", s)
				guessed[s] = true
			} else {
				msg += "; kolom yang boleh dipakai: " + strings.Join(known, ", ")
			}
			p.addf(fl.line, "%s", msg)
			continue
		}
		out[fl.key] = fl
	}
	return kbFields{byName: out, guessed: guessed}
}

// faqs validates the faqs list.
func (p *kbParser) faqs(fl kbField) []FAQ {
	v := fl.value
	switch v.kind {
	case kbNull:
		p.addf(fl.line, "kolom 'faqs' (daftar FAQ) kosong; tulis FAQ di bawahnya, masing-masing diawali '- id:'")
		return nil
	case kbList:
	default:
		p.addf(fl.line, "kolom 'faqs' harus berupa daftar FAQ (setiap FAQ diawali '- id:'), bukan %s", kbKindName(v.kind))
		return nil
	}
	var out []FAQ
	seen := make(map[string]int) // id → line
	for i, item := range v.items {
		if q, ok := p.faq(i+1, item, seen); ok {
			out = append(out, q)
		}
	}
	return out
}

// faq validates FAQ number n (1-based) of the list.
func (p *kbParser) faq(n int, v *kbNode, seen map[string]int) (FAQ, bool) {
	var q FAQ
	if v.kind != kbMap {
		p.addf(v.line, "FAQ ke-%d harus berisi kolom id, question, dan answer, bukan %s", n, kbKindName(v.kind))
		return q, false
	}
	before := len(p.problems)
	fields := p.mapping(v, kbFAQFields)

	idField, ok := fields.get("id")
	switch {
	case !ok:
		fields.missing(p, v.line, "id", "FAQ ke-%d tidak punya kolom 'id'; tambahkan id unik, misalnya 'id: ktp-el-baru'", n)
	case !kbIsText(idField):
		p.text(idField) // reports the wrong type
	default:
		q.ID = strings.TrimSpace(p.text(idField))
		switch {
		case q.ID == "":
			p.addf(idField.line, "kolom 'id' kosong; isi dengan id unik, misalnya 'ktp-el-baru'")
		case !kbIDPattern.MatchString(q.ID):
			p.addf(idField.line, "id '%s' tidak valid: hanya boleh berisi huruf kecil, angka, dan tanda hubung (-), diawali huruf atau angka; misalnya '%s'", q.ID, kbSlug(q.ID))
		default:
			if first, dup := seen[q.ID]; dup {
				p.addf(idField.line, "id '%s' sudah dipakai di baris %d; setiap FAQ harus punya id yang berbeda", q.ID, first)
			} else {
				seen[q.ID] = idField.line
			}
		}
	}
	q.Category = strings.TrimSpace(p.optText(fields, "category"))
	q.Unit = strings.TrimSpace(p.optText(fields, "unit"))
	q.Question = strings.TrimSpace(p.required(v, fields, "question"))
	q.Alternates = p.list(fields, "alternates")
	q.Keywords = p.list(fields, "keywords")
	q.Answer = kbCleanAnswer(p.required(v, fields, "answer"))

	if f, ok := fields.get("question"); ok && kbIsText(f) {
		if q.Question == "" {
			p.addf(f.line, "kolom 'question' (pertanyaan) kosong")
		} else if c := utf8.RuneCountInString(q.Question); c > MaxQuestionLength {
			p.addf(f.line, "kolom 'question' (pertanyaan) terlalu panjang: %d karakter, maksimal %d", c, MaxQuestionLength)
		}
	}
	if f, ok := fields.get("answer"); ok && kbIsText(f) {
		if q.Answer == "" {
			p.addf(f.line, "kolom 'answer' (jawaban) kosong")
		} else if c := utf8.RuneCountInString(q.Answer); c > MaxAnswerLength {
			p.addf(f.line, "kolom 'answer' (jawaban) terlalu panjang: %d karakter, maksimal %d", c, MaxAnswerLength)
		}
	}
	return q, len(p.problems) == before
}

// required returns the text of a required field, reporting it when missing.
func (p *kbParser) required(m *kbNode, fields kbFields, name string) string {
	f, ok := fields.get(name)
	if !ok {
		fields.missing(p, m.line, name, "kolom %s tidak ada; setiap FAQ wajib punya kolom ini", kbName(name))
		return ""
	}
	return p.text(f)
}

// optText returns the text of an optional field, "" when absent.
func (p *kbParser) optText(fields kbFields, name string) string {
	f, ok := fields.get(name)
	if !ok {
		return ""
	}
	return p.text(f)
}

// kbIsText reports whether f holds text or nothing (not a list or mapping).
func kbIsText(f kbField) bool {
	return f.value.kind == kbNull || f.value.kind == kbScalar
}

// text returns the value of a text field; null is "", other scalars (numbers, true)
// are taken as written.
func (p *kbParser) text(f kbField) string {
	switch f.value.kind {
	case kbNull:
		return ""
	case kbScalar:
		return f.value.text
	}
	p.addf(f.value.line, "kolom %s harus berupa teks, bukan %s", kbName(f.key), kbKindName(f.value.kind))
	return ""
}

// list returns the trimmed, non-empty, de-duplicated entries of an optional list field.
func (p *kbParser) list(fields kbFields, name string) []string {
	f, ok := fields.get(name)
	if !ok || f.value.kind == kbNull {
		return nil
	}
	if f.value.kind != kbList {
		p.addf(f.line, "kolom %s harus berupa daftar, bukan %s: tulis setiap isian di baris sendiri diawali '- ', atau dalam kurung siku seperti [ktp, e-ktp]", kbName(name), kbKindName(f.value.kind))
		return nil
	}
	var out []string
	seen := make(map[string]bool)
	for _, it := range f.value.items {
		switch it.kind {
		case kbNull:
			continue
		case kbScalar:
		default:
			p.addf(it.line, "isi kolom %s harus berupa teks, bukan %s", kbName(name), kbKindName(it.kind))
			continue
		}
		s := strings.TrimSpace(it.text)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// synonyms validates the synonyms list: lists of at least two non-empty terms.
func (p *kbParser) synonyms(fl kbField) [][]string {
	v := fl.value
	switch v.kind {
	case kbNull:
		return nil
	case kbList:
	default:
		p.addf(fl.line, "kolom 'synonyms' harus berupa daftar set sinonim, misalnya '- [skck, surat kelakuan baik]', bukan %s", kbKindName(v.kind))
		return nil
	}
	var out [][]string
	for _, set := range v.items {
		if set.kind != kbList {
			p.addf(set.line, "setiap isian 'synonyms' harus berupa daftar istilah dalam kurung siku, misalnya [skck, surat kelakuan baik], bukan %s", kbKindName(set.kind))
			continue
		}
		var terms []string
		seen := make(map[string]bool)
		ok := true
		for _, t := range set.items {
			if t.kind != kbScalar && t.kind != kbNull {
				p.addf(t.line, "istilah dalam 'synonyms' harus berupa teks, bukan %s", kbKindName(t.kind))
				ok = false
				continue
			}
			s := strings.TrimSpace(t.text)
			if s == "" {
				p.addf(t.line, "ada istilah kosong dalam 'synonyms'; hapus atau isi istilahnya")
				ok = false
				continue
			}
			if k := strings.ToLower(s); !seen[k] {
				seen[k] = true
				terms = append(terms, s)
			}
		}
		if ok && len(terms) < 2 {
			p.addf(set.line, "set 'synonyms' harus berisi minimal 2 istilah yang berbeda, misalnya [skck, surat kelakuan baik]")
			ok = false
		}
		if ok {
			out = append(out, terms)
		}
	}
	return out
}

// kbLineBreaks turns every kind of line break into "\n".
var kbLineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// kbCleanAnswer normalises line breaks, drops leading blank lines and trailing
// whitespace, and keeps everything else (indentation, blank lines inside).
func kbCleanAnswer(s string) string {
	s = kbLineBreaks.Replace(s)
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			return s
		}
		s = s[i+1:]
	}
}

// kbKindName names a node kind for editors.
func kbKindName(k kbKind) string {
	switch k {
	case kbNull:
		return "kosong"
	case kbScalar:
		return "teks"
	case kbList:
		return "daftar"
	default:
		return "kumpulan kolom"
	}
}

// kbSlug turns s into a valid id, for suggestions; "ktp-el-baru" when nothing is left.
func kbSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "ktp-el-baru"
	}
	return b.String()
}

// kbSuggest returns the known field name closest to key, or "" when none is close.
func kbSuggest(key string, known []string) string {
	k := strings.ToLower(strings.TrimSpace(key))
	if a, ok := kbFieldAliases[k]; ok {
		for _, n := range known {
			if n == a {
				return a
			}
		}
	}
	best, bestDist := "", 1<<30
	for _, n := range known {
		if d := kbEditDistance(k, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	limit := 1
	if utf8.RuneCountInString(best) >= 5 {
		limit = 2
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

// kbEditDistance is the optimal-string-alignment distance between a and b: insertions,
// deletions, substitutions and transpositions of adjacent runes each cost 1.
func kbEditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
