package tghtml

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads Telegram HTML leniently into a sequence of visible
// characters, each annotated with the elements open around it. Anything
// Telegram would not accept is read as text (a stray "<", an unknown tag, an
// unknown entity) or ignored (an unmatched end tag, a tag in a place where
// Telegram forbids it), so whatever is written back out is well formed.

// elem is one element instance in the input.
type elem struct {
	name  string // lower-case tag name
	open  string // canonical start tag; "" when the element is not emitted
	close string // end tag; "" when the element is not emitted
	href  string // decoded href of an emitted <a>
}

// atom is one visible character with the elements open around it,
// outermost first. Stacks are shared between atoms and never modified.
type atom struct {
	r     rune
	stack []*elem
}

// tag is a parsed start or end tag.
type tag struct {
	name    string
	end     bool
	href    string
	hasHref bool
	class   string
}

var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "tg-spoiler": true, "a": true,
	"code": true, "pre": true, "blockquote": true,
}

// parseHTML reads s into atoms.
func parseHTML(s string) []atom {
	atoms := make([]atom, 0, len(s))
	var stack []*elem
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if t, n, ok := parseTag(s[i:]); ok {
				i += n
				if t.end {
					stack = popTag(stack, t.name)
				} else {
					stack = append(stack[:len(stack):len(stack)], newElem(stack, t))
				}
				continue
			}
		case '&':
			if r, n, ok := parseEntity(s[i:]); ok {
				atoms = append(atoms, atom{r, stack})
				i += n
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		atoms = append(atoms, atom{r, stack})
		i += n
	}
	return atoms
}

// popTag closes the innermost open element called name, and any element
// opened inside it. Without such an element it changes nothing.
func popTag(stack []*elem, name string) []*elem {
	for k := len(stack) - 1; k >= 0; k-- {
		if stack[k].name == name {
			return stack[:k]
		}
	}
	return stack
}

// newElem creates the element for start tag t inside stack, emitted only
// where Telegram allows it: nothing inside code, no link, code or pre
// inside a link, no blockquote inside a blockquote, pre only at the top
// level or in a blockquote, and links only to allowed URLs.
func newElem(stack []*elem, t tag) *elem {
	e := &elem{name: t.name}
	var parent *elem
	var inCode, inLink, inQuote, inInline bool
	for _, a := range stack {
		if a.open == "" {
			continue
		}
		parent = a
		switch a.name {
		case "code", "pre":
			inCode = true
		case "a":
			inLink = true
		case "blockquote":
			inQuote = true
		}
		if a.name != "blockquote" {
			inInline = true
		}
	}
	open := "<" + t.name + ">"
	switch t.name {
	case "a":
		href := percentEncodeControls(t.href)
		if inCode || inLink || !t.hasHref || !allowedURL(href) {
			return e
		}
		e.href = href
		open = `<a href="` + escapeAttr(href) + `">`
	case "code":
		if inLink || inCode && parent.name != "pre" {
			return e
		}
		if inCode {
			if lang, ok := strings.CutPrefix(t.class, "language-"); ok && languageClass([]byte(lang)) != "" {
				open = `<code class="language-` + lang + `">`
			}
		}
	case "pre":
		if inInline {
			return e
		}
	case "blockquote":
		if inQuote || inCode || inLink {
			return e
		}
	default:
		if inCode {
			return e
		}
	}
	e.open, e.close = open, "</"+t.name+">"
	return e
}

// parseTag parses the tag at the start of s (which begins with '<'). It
// fails for anything but a complete start or end tag of an allowed element.
func parseTag(s string) (t tag, n int, ok bool) {
	i := 1
	if i < len(s) && s[i] == '/' {
		t.end = true
		i++
	}
	start := i
	for i < len(s) && (isAlnum(s[i]) || s[i] == '-') {
		i++
	}
	t.name = strings.ToLower(s[start:i])
	if !allowedTags[t.name] {
		return t, 0, false
	}
	for {
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return t, 0, false
		}
		if s[i] == '>' {
			return t, i + 1, true
		}
		if t.end {
			return t, 0, false
		}
		as := i
		for i < len(s) && (isAlnum(s[i]) || s[i] == '-' || s[i] == '_') {
			i++
		}
		if i == as {
			return t, 0, false
		}
		name := strings.ToLower(s[as:i])
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		val := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isHTMLSpace(s[i]) {
				i++
			}
			if i >= len(s) {
				return t, 0, false
			}
			if q := s[i]; q == '"' || q == '\'' {
				j := strings.IndexByte(s[i+1:], q)
				if j < 0 {
					return t, 0, false
				}
				val = s[i+1 : i+1+j]
				i += j + 2
			} else {
				vs := i
				for i < len(s) && !isHTMLSpace(s[i]) && !strings.ContainsRune("<>\"'`=", rune(s[i])) {
					i++
				}
				if i == vs {
					return t, 0, false
				}
				val = s[vs:i]
			}
		}
		switch name {
		case "href":
			t.href, t.hasHref = unescapeEntities(val), true
		case "class":
			t.class = unescapeEntities(val)
		}
	}
}

// parseEntity decodes the entity at the start of s (which begins with
// '&'): &lt; &gt; &amp; &quot; or a numeric character reference.
func parseEntity(s string) (r rune, n int, ok bool) {
	end := strings.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return 0, 0, false
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if digits == "" || digits[0] == '+' || digits[0] == '-' {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || v == 0 || !utf8.ValidRune(rune(v)) {
		return 0, 0, false
	}
	return rune(v), end + 1, true
}

// unescapeEntities decodes the entities parseEntity knows in s.
func unescapeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			if r, n, ok := parseEntity(s[i:]); ok {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// percentEncodeControls percent-encodes ASCII control characters and
// spaces in a URL.
func percentEncodeControls(u string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c == 0x7f {
			if b.Len() == 0 {
				b.WriteString(u[:i])
			}
			b.WriteString("%" + string(hex[c>>4]) + string(hex[c&15]))
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return u
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
