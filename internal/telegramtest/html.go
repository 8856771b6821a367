package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// htmlTags maps each supported start tag to the entity type it produces.
var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"span": "spoiler", "tg-spoiler": "spoiler",
	"a":          "text_link",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
	"tg-emoji":   "custom_emoji",
}

type openTag struct {
	name       string
	bytePos    int
	start      int // UTF-16 offset in the visible text
	href       string
	language   string
	emojiID    string
	expandable bool
}

// ParseHTML parses text the way Telegram parses parse_mode "HTML" and returns
// the visible text and its entities (offsets in UTF-16 code units, sorted).
// It is stricter than Telegram's lenient parser where the Bot API
// documentation says so: every '<', '>' and '&' outside a tag must be
// escaped; the only named entities are &lt; &gt; &amp; &quot; (numeric
// &#NN; and &#xNN; are accepted); tags must be supported, properly nested
// and closed; <a> needs a non-empty href; <span> needs class="tg-spoiler";
// <tg-emoji> needs a numeric emoji-id. Errors read like Telegram's text after
// "Bad Request: can't parse entities: ". The text is not trimmed.
func ParseHTML(s string) (text string, entities []Entity, err error) {
	if !utf8.ValidString(s) {
		return "", nil, htmlErrorf("Strings must be encoded in UTF-8")
	}
	var out strings.Builder
	off := 0
	var stack []*openTag
	i := 0
	for i < len(s) {
		switch s[i] {
		case '&':
			r, n, ok := decodeEntity(s[i:])
			if !ok {
				return "", nil, entityError(s[i:], i)
			}
			out.WriteRune(r)
			off += utf16Len(r)
			i += n
		case '>':
			return "", nil, htmlErrorf("Character '>' is reserved and must be escaped as &gt; at byte offset %d", i)
		case '<':
			if i+1 < len(s) && s[i+1] == '/' {
				end, name, err := parseEndTag(s, i)
				if err != nil {
					return "", nil, err
				}
				if len(stack) == 0 {
					return "", nil, htmlErrorf("Unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if top.name != name {
					return "", nil, htmlErrorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
				entities = closeTag(entities, top, off)
				i = end
				continue
			}
			tag, end, err := parseStartTag(s, i)
			if err != nil {
				return "", nil, err
			}
			tag.start = off
			stack = append(stack, tag)
			i = end
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			out.WriteRune(r)
			off += utf16Len(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", nil, htmlErrorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	for k := range entities {
		if entities[k].Type == "code" {
			entities[k].Language = ""
		}
	}
	sortEntities(entities)
	return out.String(), entities, nil
}

func entityError(s string, pos int) error {
	end := strings.IndexAny(s[1:], "; \n<&") + 1
	if end <= 1 || end > 12 || s[end] != ';' {
		return htmlErrorf("Character '&' must be escaped as &amp; at byte offset %d", pos)
	}
	return htmlErrorf("Unsupported HTML entity \"%s\" at byte offset %d", s[:end+1], pos)
}

// decodeEntity decodes the character reference at the start of s.
func decodeEntity(s string) (rune, int, bool) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 10 {
		return 0, 0, false
	}
	name := s[1:semi]
	switch name {
	case "lt":
		return '<', semi + 1, true
	case "gt":
		return '>', semi + 1, true
	case "amp":
		return '&', semi + 1, true
	case "quot":
		return '"', semi + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if digits == "" || strings.ContainsAny(digits, "+-") {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, 0, false
	}
	return rune(v), semi + 1, true
}

// decodeAttr decodes character references in an attribute value leniently:
// what is not a known reference stays as written (as Telegram does).
func decodeAttr(v string) string {
	if !strings.Contains(v, "&") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		if v[i] == '&' {
			if r, n, ok := decodeEntity(v[i:]); ok {
				b.WriteRune(r)
				i += n
				continue
			}
		}
		b.WriteByte(v[i])
		i++
	}
	return b.String()
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func parseEndTag(s string, begin int) (end int, name string, err error) {
	j := begin + 2
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	name = strings.ToLower(s[begin+2 : j])
	for j < len(s) && isHTMLSpace(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != '>' {
		return 0, "", htmlErrorf("Unclosed end tag at byte offset %d", begin)
	}
	return j + 1, name, nil
}

func parseStartTag(s string, begin int) (*openTag, int, error) {
	j := begin + 1
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	if j >= len(s) {
		return nil, 0, htmlErrorf("Unclosed start tag at byte offset %d", begin)
	}
	tag := &openTag{name: strings.ToLower(s[begin+1 : j]), bytePos: begin}
	if _, ok := htmlTags[tag.name]; !ok {
		return nil, 0, htmlErrorf("Unsupported start tag \"%s\" at byte offset %d", tag.name, begin)
	}
	var class string
	for {
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return nil, 0, htmlErrorf("Unclosed start tag at byte offset %d", begin)
		}
		if s[j] == '>' {
			j++
			break
		}
		k := j
		for k < len(s) && (isAlnum(s[k]) || s[k] == '-' || s[k] == '_') {
			k++
		}
		attr := strings.ToLower(s[j:k])
		if attr == "" {
			return nil, 0, htmlErrorf("Empty attribute name in the tag \"%s\" at byte offset %d", tag.name, begin)
		}
		j = k
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			if tag.name == "blockquote" && attr == "expandable" {
				tag.expandable = true
				continue
			}
			return nil, 0, htmlErrorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", tag.name, begin)
		}
		j++
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return nil, 0, htmlErrorf("Unclosed start tag at byte offset %d", begin)
		}
		var value string
		if q := s[j]; q == '"' || q == '\'' {
			e := strings.IndexByte(s[j+1:], q)
			if e < 0 {
				return nil, 0, htmlErrorf("Unclosed end of attribute value in the tag \"%s\" at byte offset %d", tag.name, begin)
			}
			value = s[j+1 : j+1+e]
			j += e + 2
		} else {
			k := j
			for k < len(s) && !isHTMLSpace(s[k]) && s[k] != '>' {
				k++
			}
			value = s[j:k]
			j = k
		}
		value = decodeAttr(value)
		switch {
		case tag.name == "a" && attr == "href":
			tag.href = value
		case (tag.name == "code" || tag.name == "span") && attr == "class":
			class = value
		case tag.name == "tg-emoji" && attr == "emoji-id":
			tag.emojiID = value
		}
	}
	switch tag.name {
	case "a":
		if strings.TrimSpace(tag.href) == "" {
			return nil, 0, htmlErrorf("Tag \"a\" must have a non-empty \"href\" attribute at byte offset %d", begin)
		}
	case "span":
		if class != "tg-spoiler" {
			return nil, 0, htmlErrorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", begin)
		}
	case "code":
		if lang, ok := strings.CutPrefix(class, "language-"); ok {
			tag.language = lang
		}
	case "tg-emoji":
		if _, err := strconv.ParseInt(tag.emojiID, 10, 64); err != nil {
			return nil, 0, htmlErrorf("Custom emoji identifier must be specified in the \"emoji-id\" attribute of the tag \"tg-emoji\" at byte offset %d", begin)
		}
	}
	return tag, j, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// closeTag turns a closed tag into an entity (empty ones are dropped, as
// Telegram drops them).
func closeTag(entities []Entity, t *openTag, off int) []Entity {
	length := off - t.start
	if length == 0 {
		return entities
	}
	e := Entity{Type: htmlTags[t.name], Offset: t.start, Length: length}
	switch t.name {
	case "a":
		e.URL = t.href
	case "code":
		// The language is kept only to be moved to an enclosing <pre>.
		e.Language = t.language
	case "blockquote":
		if t.expandable {
			e.Type = "expandable_blockquote"
		}
	case "tg-emoji":
		e.CustomEmojiID = t.emojiID
	case "pre":
		// <pre><code class="language-x">...</code></pre> is one pre entity.
		if n := len(entities); n > 0 {
			last := entities[n-1]
			if last.Type == "code" && last.Offset == e.Offset && last.Length == e.Length {
				e.Language = last.Language
				entities = entities[:n-1]
			}
		}
	}
	return append(entities, e)
}

func sortEntities(es []Entity) {
	sort.SliceStable(es, func(a, b int) bool {
		if es[a].Offset != es[b].Offset {
			return es[a].Offset < es[b].Offset
		}
		return es[a].Length > es[b].Length
	})
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// UTF16Len returns the length of s in UTF-16 code units, the unit Telegram
// uses for text limits and entity offsets.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}

// htmlError is an HTML parse error; its text follows Telegram's wording.
type htmlError string

func (e htmlError) Error() string { return string(e) }

func htmlErrorf(format string, args ...any) error {
	return htmlError(fmt.Sprintf(format, args...))
}
