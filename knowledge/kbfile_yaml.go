package knowledge

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile files (alias bombs, deep nesting) cheap to reject.
const (
	kbMaxAliasNodes = 100_000 // nodes copied by expanding aliases
	kbMaxDepth      = 64
)

// parseYAML parses data into a kbNode tree; on a syntax error it records the problem
// and returns nil. An empty document (nothing but comments) is a nil tree.
func (p *kbParser) parseYAML(data []byte) *kbNode {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			p.yamlSyntax(data, err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.addf(extra.Line, "berkas berisi lebih dari satu dokumen YAML (ada pemisah '---'); gabungkan semua FAQ di bawah satu 'faqs:'")
		return nil
	} else if !errors.Is(err, io.EOF) {
		p.yamlSyntax(data, err)
		return nil
	}
	c := kbYAMLConv{p: p}
	return c.node(&doc, 0)
}

// kbYAMLConv converts yaml.Node trees, resolving aliases and merge keys.
type kbYAMLConv struct {
	p          *kbParser
	aliasDepth int // > 0 while expanding an alias
	expanded   int // nodes copied by alias expansion
	tooLarge   bool
}

func (c *kbYAMLConv) node(n *yaml.Node, depth int) *kbNode {
	if c.aliasDepth > 0 {
		c.expanded++
	}
	if c.expanded > kbMaxAliasNodes || depth > kbMaxDepth {
		if !c.tooLarge {
			c.tooLarge = true
			c.p.addf(n.Line, "berkas terlalu rumit: terlalu bertingkat atau terlalu banyak alias (*); tulis isinya secara langsung")
		}
		return &kbNode{kind: kbNull, line: n.Line}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.node(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return &kbNode{kind: kbNull, line: n.Line}
		}
		c.aliasDepth++
		v := *c.node(n.Alias, depth+1)
		c.aliasDepth--
		v.line = n.Line
		return &v
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return &kbNode{kind: kbNull, line: n.Line}
		}
		return &kbNode{kind: kbScalar, line: n.Line, text: n.Value}
	case yaml.SequenceNode:
		out := &kbNode{kind: kbList, line: n.Line}
		for _, it := range n.Content {
			out.items = append(out.items, c.node(it, depth+1))
		}
		return out
	case yaml.MappingNode:
		return c.mapping(n, depth)
	}
	return &kbNode{kind: kbNull, line: n.Line}
}

// mapping converts a YAML mapping. Keys written explicitly come first, in file order
// and with duplicates kept (for reporting); keys from merge keys (<<: *anchor) follow
// unless written explicitly.
func (c *kbYAMLConv) mapping(n *yaml.Node, depth int) *kbNode {
	out := &kbNode{kind: kbMap, line: n.Line}
	var merged []kbField
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		for k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			c.p.addf(n.Content[i].Line, "nama kolom harus berupa teks biasa, misalnya 'question:'")
			continue
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, c.merge(v, depth)...)
			continue
		}
		out.fields = append(out.fields, kbField{key: k.Value, line: n.Content[i].Line, value: c.node(v, depth+1)})
	}
	have := make(map[string]bool, len(out.fields))
	for _, f := range out.fields {
		have[f.key] = true
	}
	for _, f := range merged {
		if !have[f.key] {
			have[f.key] = true
			out.fields = append(out.fields, f)
		}
	}
	return out
}

// merge returns the fields a merge key's value brings: a mapping or a list of them,
// earlier ones winning.
func (c *kbYAMLConv) merge(v *yaml.Node, depth int) []kbField {
	m := c.node(v, depth+1)
	var maps []*kbNode
	switch m.kind {
	case kbMap:
		maps = []*kbNode{m}
	case kbList:
		maps = m.items
	}
	var out []kbField
	for _, mm := range maps {
		if mm.kind != kbMap {
			c.p.addf(mm.line, "nilai '<<' harus berupa kumpulan kolom (alias ke sebuah mapping)")
			continue
		}
		out = append(out, mm.fields...)
	}
	if len(maps) == 0 {
		c.p.addf(m.line, "nilai '<<' harus berupa kumpulan kolom (alias ke sebuah mapping)")
	}
	return out
}

var kbYAMLErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// kbYAMLHints explains yaml.v3 messages to editors, by substring.
var kbYAMLHints = []struct{ match, hint string }{
	{"tab character", "gunakan spasi untuk indentasi, bukan tab"},
	{"mapping values are not allowed", "ada titik dua (:) di tempat yang tidak semestinya; jika teks berisi ': ' apit teks dengan tanda kutip, atau periksa indentasi"},
	{"cannot start any token", "teks tidak boleh diawali karakter seperti @, ` atau tab; apit teks dengan tanda kutip"},
	{"could not find expected ':'", "mungkin kurang titik dua (:) setelah nama kolom, atau tanda kutip belum ditutup"},
	{"unexpected end of stream", "mungkin ada tanda kutip atau kurung yang belum ditutup"},
	{"did not find expected ',' or ']'", "mungkin kurung siku ']' belum ditutup atau ada koma yang hilang"},
	{"did not find expected ',' or '}'", "mungkin kurung kurawal '}' belum ditutup atau ada koma yang hilang"},
	{"did not find expected", "periksa indentasi (jumlah spasi di awal baris) dan tanda '-' di awal setiap FAQ"},
	{"block sequence entries are not allowed", "periksa indentasi (jumlah spasi di awal baris) sebelum tanda '-'"},
	{"unknown escape character", "di dalam tanda kutip ganda, tulis \\ sebagai \\\\ atau gunakan tanda kutip tunggal"},
	{"control characters are not allowed", "hapus karakter kontrol yang tidak terlihat"},
	{"UTF-8", "simpan berkas dengan encoding UTF-8"},
}

// yamlSyntax records a yaml.v3 syntax error in Indonesian, at the best line it can find.
func (p *kbParser) yamlSyntax(data []byte, err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := kbYAMLErrLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		line = kbYAMLErrorLine(data, line, msg)
	} else if off := kbFirstBadByte(data); off >= 0 {
		line = 1 + bytes.Count(data[:off], []byte("\n"))
	}
	text := "berkas tidak bisa dibaca: format YAML salah (" + msg + ")"
	for _, h := range kbYAMLHints {
		if strings.Contains(msg, h.match) {
			text += "; " + h.hint
			break
		}
	}
	p.addf(line, "%s", text)
}

// kbYAMLErrorLine finds the line a yaml.v3 error is really on. yaml.v3 reports parser
// errors at the (0-based) line where the enclosing block starts, not where the problem
// is; the problem is on the first line from there whose prefix of the file fails with
// the same message. The search is a bisection, so it costs a few parses.
func kbYAMLErrorLine(data []byte, reported int, msg string) int {
	ends := []int{} // ends[i] is the offset just past line i+1
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(line int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(data[:ends[line-1]], &n)
		if err == nil {
			return false
		}
		m := kbYAMLErrLine.FindStringSubmatch(err.Error())
		return m != nil && m[2] == msg
	}
	lo, hi := max(reported, 1), len(ends)
	if lo > hi {
		return reported
	}
	if !fails(hi) {
		return max(reported, 1)
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// kbFirstBadByte returns the offset of the first byte YAML rejects (invalid UTF-8 or a
// control character), or -1.
func kbFirstBadByte(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return i
		}
		i += size
	}
	return -1
}
