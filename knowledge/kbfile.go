package knowledge

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// File is a knowledge-base file: FAQs and synonym sets. It is what `loket kb import`
// reads and `loket kb export` writes; see ParseFile, File.WriteYAML and File.WriteJSON.
type File struct {
	// FAQs in file order, validated and normalised by ParseFile.
	FAQs []FAQ
	// Synonyms are sets of terms that mean the same thing, e.g.
	// [skck, surat keterangan catatan kepolisian, surat kelakuan baik].
	Synonyms [][]string
}

// Limits enforced by ParseFile, in characters (runes) after trimming.
const (
	// MaxQuestionLength is the longest question ParseFile accepts.
	MaxQuestionLength = 500
	// MaxAnswerLength is the longest answer ParseFile accepts.
	MaxAnswerLength = 20000
)

// maxListedProblems caps the problems ParseError.Error prints.
const maxListedProblems = 50

// Problem is one thing wrong in a knowledge-base file.
type Problem struct {
	// Line is the 1-based line the problem is on, 0 when it is not known.
	Line int
	// Message says what is wrong and how to fix it, in Indonesian, for editors.
	Message string
}

// String formats the problem as "baris N: message".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("baris %d: %s", p.Line, p.Message)
	}
	return p.Message
}

// ParseError is returned by ParseFile when a knowledge-base file is not valid. It lists
// every problem found, not just the first, sorted by line.
type ParseError struct {
	// File is the name the file was parsed under (may be empty).
	File string
	// Problems holds at least one problem.
	Problems []Problem
}

// Error formats the problems for a terminal: a heading line, then one indented
// "baris N: …" line per problem (at most 50, then a count of the rest).
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("Berkas ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "tidak bisa diimpor (%d masalah):", len(e.Problems))
	for i, p := range e.Problems {
		if i == maxListedProblems {
			fmt.Fprintf(&b, "\n  … dan %d masalah lain", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// ParseFile parses a knowledge-base file in YAML or JSON. The file is read as JSON when
// name ends in ".json" or its first non-space byte is '{', and as YAML otherwise; name
// is also used in error messages and may be empty.
//
// Text fields are trimmed, answers keep their inner formatting (only trailing whitespace
// and leading blank lines are removed), empty and duplicate (case-insensitive)
// alternates and keywords are dropped. When anything is wrong, ParseFile returns a nil
// File and a *ParseError listing every problem with its line number.
func ParseFile(name string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	p := &kbParser{}
	var root *kbNode
	if strings.EqualFold(filepath.Ext(name), ".json") || kbLooksJSON(data) {
		root = p.parseJSON(data)
	} else {
		root = p.parseYAML(data)
	}
	var f *File
	if len(p.problems) == 0 {
		f = p.file(root)
	}
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, &ParseError{File: name, Problems: p.problems}
	}
	f.dropNUL()
	return f, nil
}

// dropNUL removes NUL characters (a stray byte in an edited file, or a \u0000 escape)
// from every text: PostgreSQL cannot store them, so one would make the whole import
// fail after its report looked fine. The console's forms drop them the same way.
func (f *File) dropNUL() {
	clean := func(s *string) { *s = strings.ReplaceAll(*s, "\x00", "") }
	for i := range f.FAQs {
		q := &f.FAQs[i]
		for _, s := range []*string{&q.ID, &q.Category, &q.Unit, &q.Question, &q.Answer} {
			clean(s)
		}
		for j := range q.Alternates {
			clean(&q.Alternates[j])
		}
		for j := range q.Keywords {
			clean(&q.Keywords[j])
		}
	}
	for _, set := range f.Synonyms {
		for j := range set {
			clean(&set[j])
		}
	}
}

// Parse is ParseFile without a file name: the format is told from the content (JSON
// when the first non-space byte is '{', YAML otherwise).
func Parse(data []byte) (*File, error) {
	return ParseFile("", data)
}

// kbLooksJSON reports whether the first non-whitespace byte of data is '{'.
func kbLooksJSON(data []byte) bool {
	s := bytes.TrimLeft(data, " \t\r\n")
	return len(s) > 0 && s[0] == '{'
}

// kbKind is the kind of a kbNode.
type kbKind int

const (
	kbNull kbKind = iota
	kbScalar
	kbList
	kbMap
)

// kbNode is a format-neutral document tree with line numbers, built from YAML or JSON.
type kbNode struct {
	kind   kbKind
	line   int
	text   string    // kbScalar
	items  []*kbNode // kbList
	fields []kbField // kbMap, in file order, duplicates kept
}

// kbField is one key of a mapping.
type kbField struct {
	key   string
	line  int // line of the key
	value *kbNode
}

// kbParser collects problems while a file is read and validated.
type kbParser struct {
	problems []Problem
}

func (p *kbParser) addf(line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
}

// Field names, in the order WriteYAML writes them.
var (
	kbTopFields = []string{"faqs", "synonyms"}
	kbFAQFields = []string{"id", "category", "unit", "question", "alternates", "keywords", "answer"}
)
