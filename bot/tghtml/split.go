package tghtml

import (
	"strings"
	"unicode"
)

// Split cuts Telegram HTML into messages of at most limit UTF-16 code units
// of visible text each, the way Telegram counts a message's length. A limit
// of zero or less means [MaxMessageLen].
//
// It cuts at the last paragraph break ("\n\n") that fills at least half a
// message, else at the last line break, else at the last space, else (in a
// long word) between two characters, never inside a tag, an entity, a
// surrogate pair or an emoji sequence; if no break fills half a message the
// last break of any kind is used before resorting to cutting a word. The
// whitespace at a cut is dropped, except the indentation that starts the
// next line. Each message is well-formed HTML on its own: elements open at a
// cut are closed at the end of one message and reopened, with the same
// attributes, at the start of the next. Messages that would contain only
// whitespace are left out, so Split returns nil for blank input.
//
// The input is read leniently and the output is canonical: entities are
// limited to &lt; &gt; &amp; (and &quot; in attributes), elements without
// visible text are dropped, and tags Telegram would reject (unknown tags,
// links to other schemes, forbidden nesting) are removed or shown as text.
func Split(html string, limit int) []string {
	if limit <= 0 {
		limit = MaxMessageLen
	}
	atoms := parseHTML(html)
	// sum[i] is the visible length of atoms[:i].
	sum := make([]int, len(atoms)+1)
	for i, a := range atoms {
		sum[i+1] = sum[i] + utf16Len(a.r)
	}
	var chunks []string
	for p := 0; p < len(atoms); {
		e := p
		for e < len(atoms) && sum[e+1]-sum[p] <= limit {
			e++
		}
		if e == p {
			e = p + 1 // limit below one character's length
		}
		if e == len(atoms) {
			chunks = appendChunk(chunks, atoms[p:])
			break
		}
		k, next := cutPoint(atoms, sum, p, e, limit)
		chunks = appendChunk(chunks, atoms[p:k])
		p = next
	}
	return chunks
}

// Cut classes, from most to least preferred.
const (
	cutParagraph = iota
	cutLine
	cutWord
	cutClasses
)

// cutPoint chooses where to end a message that starts at atoms[p] and may
// hold atoms[p:e]. The message is atoms[p:k]; the next starts at next.
func cutPoint(atoms []atom, sum []int, p, e, limit int) (k, next int) {
	var best, fallback [cutClasses]struct{ k, next int }
	half := (limit + 1) / 2
	for s := p + 1; s <= e; s++ {
		if !isBreakSpace(atoms[s].r) || isBreakSpace(atoms[s-1].r) {
			continue
		}
		t, lines, after := s, 0, s
		for t < len(atoms) && isBreakSpace(atoms[t].r) {
			if atoms[t].r == '\n' {
				lines++
				after = t + 1
			}
			t++
		}
		class := cutWord
		switch {
		case lines >= 2:
			class = cutParagraph
		case lines == 1:
			class = cutLine
		default:
			after = t
		}
		fallback[class] = struct{ k, next int }{s, after}
		if sum[s]-sum[p] >= half {
			best[class] = fallback[class]
		}
	}
	for _, set := range [][cutClasses]struct{ k, next int }{best, fallback} {
		for _, c := range set {
			if c.k > 0 {
				return c.k, c.next
			}
		}
	}
	// Cut inside a word, but not inside an emoji or combining sequence.
	for k = e; k > p+1 && !canCut(atoms, k); k-- {
	}
	if !canCut(atoms, k) {
		k = e
	}
	return k, k
}

// canCut reports whether a message may end before atoms[k].
func canCut(atoms []atom, k int) bool {
	prev, next := atoms[k-1].r, atoms[k].r
	switch {
	case prev == '\u200d', next == '\u200d': // zero-width joiner
		return false
	case next >= 0xFE00 && next <= 0xFE0F, next >= 0xE0100 && next <= 0xE01EF: // variation selectors
		return false
	case next >= 0x1F3FB && next <= 0x1F3FF: // skin tones
		return false
	case next >= 0xE0020 && next <= 0xE007F: // emoji tag sequences
		return false
	case unicode.In(next, unicode.Mn, unicode.Me, unicode.Mc):
		return false
	case isRegional(prev) && isRegional(next):
		// Regional indicators pair up into flags: cut only between pairs.
		n := 0
		for j := k - 1; j >= 0 && isRegional(atoms[j].r); j-- {
			n++
		}
		return n%2 == 0
	}
	return true
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// isBreakSpace reports whether r is whitespace that a message may be cut at.
func isBreakSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }

// appendChunk writes atoms as HTML and appends it to chunks unless it is
// only whitespace.
func appendChunk(chunks []string, atoms []atom) []string {
	blank := true
	for _, a := range atoms {
		if !unicode.IsSpace(a.r) {
			blank = false
			break
		}
	}
	if blank {
		return chunks
	}
	return append(chunks, writeHTML(atoms))
}

// writeHTML writes atoms as HTML, opening and closing elements as the
// stacks change and closing everything still open at the end.
func writeHTML(atoms []atom) string {
	var b strings.Builder
	b.Grow(len(atoms) + len(atoms)/4)
	var cur []*elem
	for _, a := range atoms {
		j := 0
		for j < len(cur) && j < len(a.stack) && cur[j] == a.stack[j] {
			j++
		}
		for x := len(cur) - 1; x >= j; x-- {
			b.WriteString(cur[x].close)
		}
		for _, e := range a.stack[j:] {
			b.WriteString(e.open)
		}
		cur = a.stack
		switch a.r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(a.r)
		}
	}
	for x := len(cur) - 1; x >= 0; x-- {
		b.WriteString(cur[x].close)
	}
	return b.String()
}

// PlainText returns the text a reader sees in a Telegram HTML message: tags
// are dropped and entities decoded. A link whose text differs from its
// address is shown as "text (address)", with a "mailto:" prefix left out
// when comparing.
func PlainText(html string) string {
	atoms := parseHTML(html)
	var b strings.Builder
	var link *elem
	start := 0
	flush := func() {
		if link == nil {
			return
		}
		label := b.String()[start:]
		if label != link.href && label != strings.TrimPrefix(link.href, "mailto:") {
			b.WriteString(" (" + link.href + ")")
		}
	}
	for _, a := range atoms {
		var l *elem
		for _, e := range a.stack {
			if e.name == "a" && e.open != "" {
				l = e
			}
		}
		if l != link {
			flush()
			link, start = l, b.Len()
		}
		b.WriteRune(a.r)
	}
	flush()
	return b.String()
}

// VisibleLen returns the length of the visible text of Telegram HTML in
// UTF-16 code units, the unit of Telegram's message length limit.
func VisibleLen(html string) int {
	n := 0
	for _, a := range parseHTML(html) {
		n += utf16Len(a.r)
	}
	return n
}

// utf16Len returns the number of UTF-16 code units needed for r.
func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
