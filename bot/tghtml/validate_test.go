package tghtml

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file holds an independent checker of Telegram's HTML subset, used by
// the tests to judge what Render and Split produce.

var (
	tagRE      = regexp.MustCompile(`^<(/?)([a-z-]+)((?: [a-z]+="[^"<>]*")*)>$`)
	attrRE     = regexp.MustCompile(` ([a-z]+)="([^"<>]*)"`)
	langRE     = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]+$`)
	hrefRE     = regexp.MustCompile(`^(?i:https?://[^\s/?#]+|tg://\S|mailto:\S)\S*$`)
	validNames = map[string]bool{
		"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "tg-spoiler": true, "a": true,
		"code": true, "pre": true, "blockquote": true,
	}
	entities = []string{"&lt;", "&gt;", "&amp;", "&quot;"}
)

// validate reports the first way s falls outside Telegram's HTML subset:
// invalid UTF-8, a tag or attribute Telegram does not know, an unbalanced
// or badly nested element, an entity other than &lt; &gt; &amp; &quot;, or
// a raw ">".
func validate(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("invalid UTF-8")
	}
	var stack []string
	has := func(names ...string) bool {
		for _, open := range stack {
			for _, n := range names {
				if open == n {
					return true
				}
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return fmt.Errorf("unterminated tag at %d", i)
			}
			raw := s[i : i+j+1]
			i += j + 1
			m := tagRE.FindStringSubmatch(raw)
			if m == nil || !validNames[m[2]] {
				return fmt.Errorf("tag %q not allowed", raw)
			}
			name := m[2]
			if m[1] == "/" {
				if m[3] != "" || len(stack) == 0 || stack[len(stack)-1] != name {
					return fmt.Errorf("unbalanced end tag %q (open: %v)", raw, stack)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			if err := checkAttrs(name, parent, m[3]); err != nil {
				return fmt.Errorf("tag %q: %w", raw, err)
			}
			switch {
			case has("code") || has("pre") && !(name == "code" && parent == "pre"):
				return fmt.Errorf("tag %q inside code (open: %v)", raw, stack)
			case name == "a" && has("a"), name == "code" && has("a"):
				return fmt.Errorf("tag %q inside a link", raw)
			case name == "blockquote" && has("blockquote", "a"):
				return fmt.Errorf("nested blockquote %v", stack)
			case name == "pre" && len(stack) > 0 && (len(stack) > 1 || parent != "blockquote"):
				return fmt.Errorf("pre inside %v", stack)
			}
			stack = append(stack, name)
		case '&':
			ok := false
			for _, e := range entities {
				if strings.HasPrefix(s[i:], e) {
					ok = true
					i += len(e)
					break
				}
			}
			if !ok {
				return fmt.Errorf("bad entity at %d: %.10q", i, s[i:])
			}
		case '>':
			return fmt.Errorf("raw '>' at %d", i)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed elements %v", stack)
	}
	return nil
}

// checkAttrs checks the attributes of a start tag.
func checkAttrs(name, parent, attrs string) error {
	ms := attrRE.FindAllStringSubmatch(attrs, -1)
	switch {
	case name == "a":
		if len(ms) != 1 || ms[0][1] != "href" {
			return errors.New("a needs exactly one href")
		}
		href := ms[0][2]
		if err := checkEntities(href); err != nil {
			return err
		}
		if !hrefRE.MatchString(unescapeTest(href)) {
			return fmt.Errorf("href %q not allowed", href)
		}
	case name == "code" && len(ms) > 0:
		if parent != "pre" || len(ms) != 1 || ms[0][1] != "class" || !langRE.MatchString(ms[0][2]) {
			return errors.New("bad code attributes")
		}
	case len(ms) > 0:
		return errors.New("unexpected attributes")
	}
	return nil
}

// checkEntities checks that every "&" in s starts an allowed entity.
func checkEntities(s string) error {
	for i := strings.IndexByte(s, '&'); i >= 0; i = strings.IndexByte(s, '&') {
		ok := false
		for _, e := range entities {
			if strings.HasPrefix(s[i:], e) {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("bad entity in %q", s)
		}
		s = s[i+1:]
	}
	return nil
}

var (
	tagStripRE    = regexp.MustCompile(`<[^>]*>`)
	testUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&")
)

// unescapeTest decodes the four allowed entities.
func unescapeTest(s string) string { return testUnescaper.Replace(s) }

// visibleText is the visible text of valid Telegram HTML, computed
// independently of the package.
func visibleText(s string) string { return unescapeTest(tagStripRE.ReplaceAllString(s, "")) }

// noSpace removes all whitespace from s.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }
