package tghtml

import (
	"html"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// inlineCtx records which formatting is already open, so that it is not
// nested again and links are never nested.
type inlineCtx struct {
	bold, italic, strike, link bool
}

// inlines renders the inline children of parent.
func (r *renderer) inlines(parent ast.Node, ic inlineCtx) string {
	var sb strings.Builder
	r.inlineChildren(&sb, parent, ic)
	return sb.String()
}

func (r *renderer) inlineChildren(sb *strings.Builder, parent ast.Node, ic inlineCtx) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		r.inline(sb, c, ic)
	}
}

// inline renders one inline node into sb.
func (r *renderer) inline(sb *strings.Builder, n ast.Node, ic inlineCtx) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(r.src)
		if n.IsRaw() {
			sb.WriteString(Escape(string(v)))
		} else {
			r.text(sb, v)
		}
		if n.HardLineBreak() || n.SoftLineBreak() {
			sb.WriteByte('\n')
		}
	case *ast.String:
		switch {
		case n.IsCode():
			sb.WriteString(Escape(html.UnescapeString(string(n.Value))))
		case n.IsRaw():
			sb.WriteString(Escape(string(n.Value)))
		default:
			r.text(sb, n.Value)
		}
	case *ast.CodeSpan:
		code := r.codeSpanText(n)
		if code == "" {
			return
		}
		if ic.link {
			// Telegram does not allow code inside a link.
			sb.WriteString(Escape(code))
			return
		}
		sb.WriteString("<code>" + Escape(code) + "</code>")
	case *ast.Emphasis:
		tag, open := "i", ic.italic
		if n.Level >= 2 {
			tag, open = "b", ic.bold
		}
		inner := ic
		if tag == "b" {
			inner.bold = true
		} else {
			inner.italic = true
		}
		r.wrap(sb, n, tag, !open, inner)
	case *east.Strikethrough:
		inner := ic
		inner.strike = true
		r.wrap(sb, n, "s", !ic.strike, inner)
	case *ast.Link:
		href, ok := safeURL(n.Destination)
		r.link(sb, n, href, ok && !ic.link, ic)
	case *ast.Image:
		href, ok := safeURL(n.Destination)
		r.link(sb, n, href, ok && !ic.link, ic)
	case *ast.AutoLink:
		dest := n.URL(r.src)
		if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(string(dest), "mailto:") {
			dest = append([]byte("mailto:"), dest...)
		}
		label := Escape(string(n.Label(r.src)))
		href, ok := safeURL(dest)
		if !ok || ic.link {
			sb.WriteString(label)
			return
		}
		sb.WriteString(`<a href="` + escapeAttr(href) + `">` + label + "</a>")
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			sb.WriteString(Escape(string(seg.Value(r.src))))
		}
	default:
		r.inlineChildren(sb, n, ic)
	}
}

// wrap renders n's children, inside <tag> when emit is set.
func (r *renderer) wrap(sb *strings.Builder, n ast.Node, tag string, emit bool, ic inlineCtx) {
	if !emit {
		r.inlineChildren(sb, n, ic)
		return
	}
	inner := r.inlines(n, ic)
	if inner == "" {
		return
	}
	sb.WriteString("<" + tag + ">" + inner + "</" + tag + ">")
}

// link renders a link or image: as <a href> when emit is set, else as its
// text. A link without visible text shows its address.
func (r *renderer) link(sb *strings.Builder, n ast.Node, href string, emit bool, ic inlineCtx) {
	inner := ic
	inner.link = true
	label := r.inlines(n, inner)
	if !emit {
		sb.WriteString(label)
		return
	}
	if strings.TrimSpace(PlainText(label)) == "" {
		label = Escape(href)
	}
	sb.WriteString(`<a href="` + escapeAttr(href) + `">` + label + "</a>")
}

// text writes Markdown text, resolving backslash escapes and entity
// references, escaped for HTML.
func (r *renderer) text(sb *strings.Builder, v []byte) {
	r.buf.Reset()
	r.bw.Reset(&r.buf)
	ghtml.DefaultWriter.Write(r.bw, v)
	if err := r.bw.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	sb.Write(r.buf.Bytes())
}

// codeSpanText returns the literal content of a code span.
func (r *renderer) codeSpanText(n *ast.CodeSpan) string {
	var sb strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		var v []byte
		switch c := c.(type) {
		case *ast.Text:
			v = c.Segment.Value(r.src)
		case *ast.String:
			v = c.Value
		}
		if l := len(v); l > 0 && v[l-1] == '\n' {
			sb.Write(v[:l-1])
			sb.WriteByte(' ')
		} else {
			sb.Write(v)
		}
	}
	return sb.String()
}

// safeURL normalises a Markdown link destination and reports whether its
// scheme may be used in an <a href>.
func safeURL(dest []byte) (string, bool) {
	u := string(util.URLEscape(dest, true))
	return u, allowedURL(u)
}

// allowedURL reports whether u is an absolute http, https, tg or mailto URL
// without whitespace or control characters.
func allowedURL(u string) bool {
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] == 0x7f {
			return false
		}
	}
	scheme, rest, ok := strings.Cut(u, ":")
	if !ok {
		return false
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		p, err := url.Parse(u)
		return err == nil && p.Host != ""
	case "tg":
		return strings.HasPrefix(rest, "//") && len(rest) > 2
	case "mailto":
		return rest != ""
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
