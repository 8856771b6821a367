package knowledge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// parseJSON parses data into a kbNode tree with the json.Decoder token stream, so that
// every key and value keeps its line; on a syntax error it records the problem and
// returns nil. Empty input is a nil tree.
func (p *kbParser) parseJSON(data []byte) *kbNode {
	j := &kbJSON{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	j.dec.UseNumber()
	for i, b := range data {
		if b == '\n' {
			j.newlines = append(j.newlines, i)
		}
	}
	root, err := j.value(0)
	if err == nil && root != nil {
		if _, err2 := j.dec.Token(); err2 == nil {
			p.addf(j.line(j.dec.InputOffset()), "berkas tidak bisa dibaca: ada isi tambahan setelah tanda '}' penutup; JSON harus berisi satu objek saja")
			return nil
		} else if !errors.Is(err2, io.EOF) {
			err = err2
		}
	}
	if err != nil {
		p.jsonSyntax(j, err)
		return nil
	}
	return root
}

// kbJSON walks a JSON token stream.
type kbJSON struct {
	dec      *json.Decoder
	data     []byte
	newlines []int // offsets of '\n'
}

// errKBJSONTooDeep stops the walk of absurdly nested JSON.
var errKBJSONTooDeep = errors.New("too deeply nested")

// line returns the 1-based line of the byte before offset off (the last byte of the
// token just read).
func (j *kbJSON) line(off int64) int {
	return 1 + sort.SearchInts(j.newlines, int(off)-1)
}

// value reads one JSON value. It returns nil, nil at the end of empty input.
func (j *kbJSON) value(depth int) (*kbNode, error) {
	if depth > kbMaxDepth {
		return nil, errKBJSONTooDeep
	}
	tok, err := j.dec.Token()
	if err != nil {
		if depth == 0 && errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	line := j.line(j.dec.InputOffset())
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &kbNode{kind: kbMap, line: line}
			for j.dec.More() {
				kt, err := j.dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				kl := j.line(j.dec.InputOffset())
				v, err := j.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.fields = append(n.fields, kbField{key: key, line: kl, value: v})
			}
			_, err := j.dec.Token() // '}'
			return n, err
		case '[':
			n := &kbNode{kind: kbList, line: line}
			for j.dec.More() {
				v, err := j.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			_, err := j.dec.Token() // ']'
			return n, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case string:
		return &kbNode{kind: kbScalar, line: line, text: t}, nil
	case json.Number:
		return &kbNode{kind: kbScalar, line: line, text: t.String()}, nil
	case bool:
		return &kbNode{kind: kbScalar, line: line, text: fmt.Sprint(t)}, nil
	default: // nil
		return &kbNode{kind: kbNull, line: line}, nil
	}
}

// kbJSONHints explains encoding/json messages to editors, by substring.
var kbJSONHints = []struct{ match, hint string }{
	{"after object key:value pair", "mungkin kurang koma (,) di antara kolom"},
	{"after array element", "mungkin kurang koma (,) di antara isi daftar"},
	{"looking for beginning of object key string", "nama kolom harus diapit tanda kutip ganda, dan tidak boleh ada koma sebelum '}'"},
	{"looking for beginning of value", "mungkin ada koma berlebih sebelum ']' atau '}', atau teks yang tidak diapit tanda kutip ganda"},
	{"in string literal", "karakter seperti baris baru atau tab di dalam teks harus ditulis sebagai \\n atau \\t"},
	{"in string escape code", "garis miring terbalik (\\) di dalam teks harus ditulis sebagai \\\\"},
	{"after object key", "mungkin kurang titik dua (:) setelah nama kolom"},
}

// jsonSyntax records a JSON syntax error in Indonesian, at the line of its offset.
func (p *kbParser) jsonSyntax(j *kbJSON, err error) {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read before the offending one.
		text := "berkas tidak bisa dibaca: format JSON salah (" + se.Error() + ")"
		for _, h := range kbJSONHints {
			if strings.Contains(se.Error(), h.match) {
				text += "; " + h.hint
				break
			}
		}
		p.addf(j.line(se.Offset+1), "%s", text)
	case errors.Is(err, errKBJSONTooDeep):
		p.addf(j.line(j.dec.InputOffset()), "berkas terlalu bertingkat; periksa tanda kurung '[' dan '{'")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		p.addf(len(j.newlines)+1, "berkas tidak bisa dibaca: format JSON salah (berkas berakhir terlalu cepat); mungkin ada tanda kurung '}' atau ']' atau tanda kutip yang belum ditutup")
	default:
		p.addf(j.line(j.dec.InputOffset()), "berkas tidak bisa dibaca: format JSON salah (%v)", err)
	}
}
