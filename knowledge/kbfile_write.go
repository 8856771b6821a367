package knowledge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// WriteYAML writes f in the knowledge-base file format, as `loket kb export` does:
// readable YAML indented by two spaces, a blank line between FAQs, fields in the order
// id, category, unit, question, alternates, keywords, answer, empty optional fields
// left out, keywords and synonym sets as [a, b] lists and answers as `|` literal
// blocks (quoted only when they hold characters a literal block cannot carry, such as
// trailing spaces). For a File from ParseFile, ParseFile reads the output back to an
// equal File.
func (f *File) WriteYAML(w io.Writer) error {
	if f == nil {
		f = &File{}
	}
	x := newKBAstral(f)
	root := &yaml.Node{Kind: yaml.MappingNode}
	faqs := &yaml.Node{Kind: yaml.SequenceNode}
	literals := make(map[string]string) // placeholder → answer, see below
	all := f.FAQs
	if len(all) == 0 {
		faqs.Style = yaml.FlowStyle // faqs: []
	}
	for i, q := range all {
		m := &yaml.Node{Kind: yaml.MappingNode}
		kbAddField(m, "id", x.str(q.ID))
		if q.Category != "" {
			kbAddField(m, "category", x.str(q.Category))
		}
		if q.Unit != "" {
			kbAddField(m, "unit", x.str(q.Unit))
		}
		kbAddField(m, "question", x.str(q.Question))
		if len(q.Alternates) > 0 {
			kbAddField(m, "alternates", x.strList(q.Alternates, 0))
		}
		if len(q.Keywords) > 0 {
			kbAddField(m, "keywords", x.strList(q.Keywords, yaml.FlowStyle))
		}
		// Literal-safe answers are written as a plain placeholder that is replaced
		// below by a literal block written here, to get `|` rather than yaml.v3's `|-`;
		// the rest are left to yaml.v3 (see str).
		if a := strings.ToValidUTF8(q.Answer, "\uFFFD"); kbLiteralSafe(a) {
			ph := fmt.Sprintf("loket-literal-answer-%d", i)
			literals[ph] = a
			kbAddField(m, "answer", x.str(ph))
		} else {
			kbAddField(m, "answer", x.str(a))
		}
		faqs.Content = append(faqs.Content, m)
	}
	kbAddField(root, "faqs", faqs)
	if len(f.Synonyms) > 0 {
		syn := &yaml.Node{Kind: yaml.SequenceNode}
		for _, set := range f.Synonyms {
			syn.Content = append(syn.Content, x.strList(set, yaml.FlowStyle))
		}
		kbAddField(root, "synonyms", syn)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("knowledge: write yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("knowledge: write yaml: %w", err)
	}

	// Every FAQ item starts with "  - " and its keys are indented by four spaces; any
	// deeper line (list items, block scalars, continuation lines) is indented further,
	// so these prefixes match nothing else.
	var out bytes.Buffer
	inFAQs, items := false, 0
	for i, line := range strings.SplitAfter(x.restore(buf.String()), "\n") {
		if line != "" && line[0] != ' ' { // a top-level key
			inFAQs = strings.HasPrefix(line, "faqs:")
			if i > 0 {
				out.WriteByte('\n')
			}
		}
		if inFAQs && strings.HasPrefix(line, "  - ") {
			if items > 0 {
				out.WriteByte('\n')
			}
			items++
		}
		if rest, ok := strings.CutPrefix(line, "    answer: "); ok {
			if a, ok := literals[strings.TrimSuffix(rest, "\n")]; ok {
				kbWriteLiteral(&out, a)
				continue
			}
		}
		out.WriteString(line)
	}
	if _, err := w.Write(out.Bytes()); err != nil {
		return fmt.Errorf("knowledge: write yaml: %w", err)
	}
	return nil
}

// WriteJSON writes f as indented JSON with the same fields as WriteYAML:
// {"faqs": [...], "synonyms": [[...]]}. For a File from ParseFile, ParseFile reads it
// back to an equal File.
func (f *File) WriteJSON(w io.Writer) error {
	doc := struct {
		FAQs     []FAQ      `json:"faqs"`
		Synonyms [][]string `json:"synonyms,omitempty"`
	}{FAQs: []FAQ{}}
	if f != nil {
		if f.FAQs != nil {
			doc.FAQs = f.FAQs
		}
		doc.Synonyms = f.Synonyms
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("knowledge: write json: %w", err)
	}
	return nil
}

// kbAddField appends key: value to a mapping node.
func kbAddField(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
}

// kbAstral swaps characters outside the Basic Multilingual Plane (emoji) for unused
// private-use characters while yaml.v3 encodes, and back afterwards: yaml.v3's emitter
// takes them for unprintable and would write them as "\U0001F600" escapes in quotes.
type kbAstral struct {
	to    map[rune]rune
	used  map[rune]bool // private-use characters the file holds
	next  rune
	pairs []string // private-use, astral, … for strings.NewReplacer
}

const kbPrivateUseFirst, kbPrivateUseLast = 0xE000, 0xF8FF

func newKBAstral(f *File) *kbAstral {
	x := &kbAstral{to: make(map[rune]rune), used: make(map[rune]bool), next: kbPrivateUseFirst}
	note := func(s string) {
		for _, r := range s {
			if r >= kbPrivateUseFirst && r <= kbPrivateUseLast {
				x.used[r] = true
			}
		}
	}
	for _, q := range f.FAQs {
		for _, s := range [...]string{q.ID, q.Category, q.Unit, q.Question, q.Answer} {
			note(s)
		}
		for _, s := range q.Alternates {
			note(s)
		}
		for _, s := range q.Keywords {
			note(s)
		}
	}
	for _, set := range f.Synonyms {
		for _, s := range set {
			note(s)
		}
	}
	return x
}

// str is a string scalar node for s with astral characters swapped out; invalid UTF-8
// is replaced so that yaml.v3 does not turn the value into !!binary, and text with
// line breaks is double-quoted: yaml.v3 writes literal blocks that do not read back
// when the text has trailing spaces or breaks other than "\n".
func (x *kbAstral) str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str"}
	if strings.ContainsAny(s, "\n\r\u0085\u2028\u2029") {
		n.Style = yaml.DoubleQuotedStyle
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, func(r rune) bool { return r > 0xFFFF }) >= 0 {
		s = strings.Map(func(r rune) rune {
			if r <= 0xFFFF {
				return r
			}
			if p, ok := x.to[r]; ok {
				return p
			}
			for x.next <= kbPrivateUseLast && x.used[x.next] {
				x.next++
			}
			if x.next > kbPrivateUseLast {
				return r // out of substitutes: yaml.v3 escapes it
			}
			p := x.next
			x.next++
			x.to[r] = p
			x.pairs = append(x.pairs, string(p), string(r))
			return p
		}, s)
	}
	n.Value = s
	return n
}

// strList is a sequence node of strings.
func (x *kbAstral) strList(items []string, style yaml.Style) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: style}
	for _, s := range items {
		n.Content = append(n.Content, x.str(s))
	}
	return n
}

// restore puts the astral characters back into the encoded YAML.
func (x *kbAstral) restore(s string) string {
	if len(x.pairs) == 0 {
		return s
	}
	return strings.NewReplacer(x.pairs...).Replace(s)
}

// kbWriteLiteral writes an answer as a literal block whose lines are indented by six
// spaces; an answer starting with a space or tab needs the indentation given (|2:
// two more than the four of the FAQ's keys).
func kbWriteLiteral(out *bytes.Buffer, a string) {
	out.WriteString("    answer: |")
	if a[0] == ' ' || a[0] == '\t' {
		out.WriteString("2")
	}
	out.WriteByte('\n')
	for _, l := range strings.Split(a, "\n") {
		if l != "" {
			out.WriteString("      ")
			out.WriteString(l)
		}
		out.WriteByte('\n')
	}
}

// kbLiteralSafe reports whether s reads back unchanged from a `|` literal block written
// by kbWriteLiteral: it does not start with a blank line and holds no trailing
// whitespace on any line, no carriage returns or other characters YAML treats as line
// breaks, and only characters YAML allows in a file.
func kbLiteralSafe(s string) bool {
	if s == "" || s[0] == '\n' || !utf8.ValidString(s) {
		return false
	}
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == '\n':
			if prev == ' ' || prev == '\t' {
				return false
			}
		case r == '\t', r >= 0x20 && r <= 0x7e:
		case r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029:
		case r >= 0xe000 && r <= 0xfffd && r != 0xfeff:
		case r >= 0x10000 && r <= 0x10ffff:
		default:
			return false
		}
		prev = r
	}
	return prev != ' ' && prev != '\t' && prev != '\n'
}
