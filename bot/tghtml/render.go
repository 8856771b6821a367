package tghtml

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// markdown is the shared goldmark instance; its parser is safe for
// concurrent use.
var markdown = goldmark.New(goldmark.WithExtensions(
	extension.Strikethrough,
	extension.Table,
))

// bullets are the list markers used for unordered lists, by nesting depth.
var bullets = [...]string{"•", "◦", "▪"}

// Render converts a Markdown FAQ answer into Telegram HTML.
//
// Paragraphs are separated by one blank line, and line breaks inside a
// paragraph (soft or hard) are kept as line breaks. Headings become bold
// lines; unordered lists become "• item" lines, nested ones indented
// ("  ◦ item"); ordered lists keep their start number ("3. item"); block
// quotes become <blockquote>; code blocks become <pre> (with
// <code class="language-x"> when the fence names a language); images become
// a link labelled with their alt text; thematic breaks become "———"; tables
// become one line per row with cells separated by " | " and a bold header.
// Raw HTML is rendered as escaped text, and links whose scheme is not http,
// https, tg or mailto are rendered as their plain text. Trailing whitespace
// is trimmed and runs of blank lines are collapsed to one, except inside
// code blocks.
//
// The result contains only tags and entities that Telegram accepts. Invalid
// UTF-8 in the input is replaced with U+FFFD.
func Render(md string) (string, error) {
	src := []byte(cleanInput(md))
	doc := markdown.Parser().Parse(text.NewReader(src))
	r := &renderer{src: src}
	r.bw = bufio.NewWriter(&r.buf)
	body := r.blocks(doc, blockCtx{}, "\n\n")
	if r.err != nil {
		return "", fmt.Errorf("tghtml: render: %w", r.err)
	}
	return tidy(body), nil
}

// cleanInput makes the input valid UTF-8 with "\n" line endings and no NUL
// bytes.
func cleanInput(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsAny(s, "\r\x00") {
		s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\x00", "\uFFFD").Replace(s)
	}
	return s
}

// renderer walks a goldmark AST and produces Telegram HTML.
type renderer struct {
	src []byte
	buf bytes.Buffer
	bw  *bufio.Writer
	err error
}

// blockCtx carries what a block needs to know about its ancestors.
type blockCtx struct {
	depth int  // list nesting depth
	quote bool // inside a <blockquote> already
}

// blocks renders the block children of parent, skipping empty ones, and
// joins them with sep.
func (r *renderer) blocks(parent ast.Node, bc blockCtx, sep string) string {
	var parts []string
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		if s := r.block(c, bc); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

// block renders one block node.
func (r *renderer) block(n ast.Node, bc blockCtx) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return trimSpace(r.inlines(n, inlineCtx{}))
	case *ast.Heading:
		s := trimSpace(r.inlines(n, inlineCtx{bold: true}))
		if s == "" {
			return ""
		}
		return "<b>" + s + "</b>"
	case *ast.ThematicBreak:
		return "———"
	case *ast.FencedCodeBlock:
		return r.codeBlock(n, languageClass(n.Language(r.src)))
	case *ast.CodeBlock:
		return r.codeBlock(n, "")
	case *ast.Blockquote:
		inner := r.blocks(n, blockCtx{depth: bc.depth, quote: true}, "\n\n")
		if inner == "" || bc.quote {
			// Telegram cannot nest quotes: flatten the inner one.
			return inner
		}
		return "<blockquote>" + inner + "</blockquote>"
	case *ast.List:
		return r.list(n, bc)
	case *ast.HTMLBlock:
		var sb strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			sb.WriteString(Escape(string(seg.Value(r.src))))
		}
		if n.HasClosure() {
			sb.WriteString(Escape(string(n.ClosureLine.Value(r.src))))
		}
		return trimSpace(sb.String())
	case *east.Table:
		return r.table(n)
	}
	if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
		return trimSpace(r.inlines(n, inlineCtx{}))
	}
	return r.blocks(n, bc, "\n\n")
}

// list renders an ordered or unordered list.
func (r *renderer) list(l *ast.List, bc blockCtx) string {
	sep := "\n"
	if !l.IsTight {
		sep = "\n\n"
	}
	child := bc
	child.depth++
	num := l.Start
	var items []string
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		marker := bullets[min(bc.depth, len(bullets)-1)]
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + string(l.Marker)
			num++
		}
		body := r.blocks(it, child, sep)
		pad := strings.Repeat(" ", utf8.RuneCountInString(marker)+1)
		items = append(items, marker+" "+indent(body, pad))
	}
	return strings.Join(items, sep)
}

// codeBlock renders an indented or fenced code block as <pre>.
func (r *renderer) codeBlock(n ast.Node, lang string) string {
	var sb strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		sb.Write(seg.Value(r.src))
	}
	code := strings.Trim(sb.String(), "\n")
	if strings.TrimSpace(code) == "" {
		return ""
	}
	if lang != "" {
		return `<pre><code class="language-` + lang + `">` + Escape(code) + "</code></pre>"
	}
	return "<pre>" + Escape(code) + "</pre>"
}

// table renders a GFM table as one line per row, the header row in bold.
func (r *renderer) table(t *east.Table) string {
	var rows []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		header := row.Kind() == east.KindTableHeader
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			s := trimSpace(r.inlines(c, inlineCtx{bold: header}))
			if header && s != "" {
				s = "<b>" + s + "</b>"
			}
			cells = append(cells, s)
		}
		rows = append(rows, strings.Join(cells, " | "))
	}
	return strings.Join(rows, "\n")
}

// languageClass returns the fence's language if it is safe to put in a
// class attribute, or "".
func languageClass(lang []byte) string {
	if len(lang) == 0 || len(lang) > 32 {
		return ""
	}
	for _, c := range lang {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '-' || c == '+' || c == '#' || c == '.'
		if !ok {
			return ""
		}
	}
	return string(lang)
}

// indent inserts pad after every line break that starts a non-empty line,
// except inside <pre> elements, whose text must stay as written.
func indent(s, pad string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	inPre := false
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "<pre>"):
			inPre = true
		case strings.HasPrefix(s[i:], "</pre>"):
			inPre = false
		}
		b.WriteByte(s[i])
		if s[i] == '\n' && !inPre && i+1 < len(s) && s[i+1] != '\n' {
			b.WriteString(pad)
		}
	}
	return b.String()
}

// trimSpace trims ASCII spaces, tabs and newlines from both ends of s.
func trimSpace(s string) string {
	return strings.Trim(s, " \t\n")
}

// tidy trims trailing whitespace from lines and collapses runs of blank
// lines, leaving the contents of <pre> elements untouched.
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.Index(s, "<pre>")
		if i < 0 {
			tidyText(&b, s)
			break
		}
		j := strings.Index(s[i:], "</pre>")
		if j < 0 {
			j = len(s) - i
		} else {
			j += len("</pre>")
		}
		tidyText(&b, s[:i])
		b.WriteString(s[i : i+j])
		s = s[i+j:]
	}
	return trimSpace(b.String())
}

// tidyText is tidy for a stretch of text outside <pre>.
func tidyText(b *strings.Builder, s string) {
	pieces := strings.Split(s, "\n")
	prevBlank := false
	for i, p := range pieces {
		last := i == len(pieces)-1
		if !last {
			p = strings.TrimRight(p, " \t")
		}
		if i > 0 {
			if !last {
				if p == "" && prevBlank {
					continue
				}
				prevBlank = p == ""
			}
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
}
