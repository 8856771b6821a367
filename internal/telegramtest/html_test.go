package telegramtest_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/telegramtest"
)

type E = telegramtest.Entity

func TestParseHTMLValid(t *testing.T) {
	cases := []struct {
		in   string
		text string
		ents []E
	}{
		{"plain text", "plain text", nil},
		{"<b>bold</b> rest", "bold rest", []E{{Type: "bold", Offset: 0, Length: 4}}},
		{"<strong>s</strong><em>e</em><ins>u</ins><del>d</del><strike>k</strike><s>x</s>", "seudkx", []E{
			{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1},
			{Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1},
			{Type: "strikethrough", Offset: 4, Length: 1}, {Type: "strikethrough", Offset: 5, Length: 1}}},
		{"a &lt; b &amp;&amp; c &gt; d", "a < b && c > d", nil},
		{"&quot;quoted&quot;", `"quoted"`, nil},
		{"&#65;&#x42;&#X43;", "ABC", nil},
		{`<a href="https://example.com/?a=1&b=2">link</a>`, "link", []E{{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.com/?a=1&b=2"}}},
		{`<a href='tg://user?id=1'>u</a>`, "u", []E{{Type: "text_link", Offset: 0, Length: 1, URL: "tg://user?id=1"}}},
		{`<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`, "st", []E{{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{`<pre><code class="language-go">x := 1</code></pre>`, "x := 1", []E{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{`<code class="language-go">x</code>`, "x", []E{{Type: "code", Offset: 0, Length: 1}}},
		{"<pre>p</pre>", "p", []E{{Type: "pre", Offset: 0, Length: 1}}},
		{"<blockquote>q</blockquote>", "q", []E{{Type: "blockquote", Offset: 0, Length: 1}}},
		{"<blockquote expandable>q</blockquote>", "q", []E{{Type: "expandable_blockquote", Offset: 0, Length: 1}}},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []E{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"<B>upper</B>", "upper", []E{{Type: "bold", Offset: 0, Length: 5}}},
		{"<b><i>x</i>y</b>", "xy", []E{{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 0, Length: 1}}},
		{"😀<b>x</b>", "😀x", []E{{Type: "bold", Offset: 2, Length: 1}}},
		{"<b></b>x", "x", nil},
		{`<b class="ignored">x</b >`, "x", []E{{Type: "bold", Offset: 0, Length: 1}}},
		{"line\nbreak", "line\nbreak", nil},
	}
	for _, c := range cases {
		text, ents, err := telegramtest.ParseHTML(c.in)
		if err != nil {
			t.Errorf("ParseHTML(%q): %v", c.in, err)
			continue
		}
		if text != c.text || !reflect.DeepEqual(ents, c.ents) {
			t.Errorf("ParseHTML(%q) = %q %+v, want %q %+v", c.in, text, ents, c.text, c.ents)
		}
	}
}

func TestParseHTMLInvalid(t *testing.T) {
	cases := []struct{ in, err string }{
		{"a < b", `Unsupported start tag "" at byte offset 2`},
		{"a > b", "Character '>' is reserved and must be escaped as &gt; at byte offset 2"},
		{"a & b", "Character '&' must be escaped as &amp; at byte offset 2"},
		{"&nbsp;", `Unsupported HTML entity "&nbsp;" at byte offset 0`},
		{"&apos;", `Unsupported HTML entity "&apos;" at byte offset 0`},
		{"&amp", "Character '&' must be escaped as &amp; at byte offset 0"},
		{"&#0;", `Unsupported HTML entity "&#0;" at byte offset 0`},
		{"&#xD800;", `Unsupported HTML entity "&#xD800;" at byte offset 0`},
		{"<b>unclosed", `Can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"x</b>", "Unexpected end tag at byte offset 1"},
		{"<br>", `Unsupported start tag "br" at byte offset 0`},
		{"a<br/>b", `Unsupported start tag "br/" at byte offset 1`},
		{"<div>x</div>", `Unsupported start tag "div" at byte offset 0`},
		{"<span>x</span>", `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{"<a>x</a>", `Tag "a" must have a non-empty "href" attribute at byte offset 0`},
		{`<a href="">x</a>`, `Tag "a" must have a non-empty "href" attribute at byte offset 0`},
		{"<b", "Unclosed start tag at byte offset 0"},
		{"<b>x</b", "Unclosed end tag at byte offset 4"},
		{"<i attr>x</i>", `Expected equal sign in declaration of an attribute of the tag "i" at byte offset 0`},
		{`<a href="x>y</a>`, `Unclosed end of attribute value in the tag "a" at byte offset 0`},
		{"<tg-emoji>x</tg-emoji>", `Custom emoji identifier must be specified in the "emoji-id" attribute of the tag "tg-emoji" at byte offset 0`},
		{"bad \xff utf8", "Strings must be encoded in UTF-8"},
	}
	for _, c := range cases {
		_, _, err := telegramtest.ParseHTML(c.in)
		if err == nil || err.Error() != c.err {
			t.Errorf("ParseHTML(%q) error = %v, want %q", c.in, err, c.err)
		}
	}
}

func TestSendMessageHTMLThroughServer(t *testing.T) {
	srv := newServer(t)
	code, env := send(t, srv, citizen.ID, "a < b", "parse_mode", "HTML")
	wantError(t, code, env, http.StatusBadRequest, `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`)
	code, env = send(t, srv, citizen.ID, "<b><i></b></i>", "parse_mode", "HTML")
	if code != http.StatusBadRequest || !strings.HasPrefix(env.Description, "Bad Request: can't parse entities: ") {
		t.Fatalf("crossed tags: %d %q", code, env.Description)
	}
	mustSend(t, srv, citizen.ID, "Tiket <b>#42</b> &amp; lampiran", "parse_mode", "HTML")

	all := srv.All()
	if len(all) != 1 {
		t.Fatalf("recorded %d sends, want 1", len(all))
	}
	got := all[0]
	if got.Text != "Tiket #42 & lampiran" || got.HTML != "Tiket <b>#42</b> &amp; lampiran" || got.ParseMode != "HTML" {
		t.Fatalf("recorded %+v", got)
	}
	if len(got.Entities) != 1 || got.Entities[0] != (E{Type: "bold", Offset: 6, Length: 3}) {
		t.Fatalf("entities %+v", got.Entities)
	}
	rej := srv.Rejected()
	if len(rej) != 2 || rej[0].Method != "sendMessage" || rej[0].Params["text"] != "a < b" || rej[0].Code != 400 {
		t.Fatalf("rejections %+v", rej)
	}
	// parse_mode is case-insensitive; unknown modes are refused.
	mustSend(t, srv, citizen.ID, "<i>x</i>", "parse_mode", "html")
	code, env = send(t, srv, citizen.ID, "x", "parse_mode", "BBCode")
	wantError(t, code, env, 400, "Bad Request: unsupported parse_mode")
}

func TestTextLengthAfterEntityParsing(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		name, text, mode string
		desc             string // "" means accepted
	}{
		{"4096 ascii", strings.Repeat("a", 4096), "", ""},
		{"4097 ascii", strings.Repeat("a", 4097), "", "Bad Request: message is too long"},
		{"tags are free", "<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", ""},
		{"entities count once", strings.Repeat("&amp;", 4096), "HTML", ""},
		{"entities over", strings.Repeat("&amp;", 4097), "HTML", "Bad Request: message is too long"},
		{"astral counts twice", strings.Repeat("😀", 2048), "", ""},
		{"astral over", strings.Repeat("😀", 2048) + "a", "", "Bad Request: message is too long"},
		{"cyrillic counts once", strings.Repeat("ы", 4096), "", ""},
		{"trailing space trimmed", strings.Repeat("a", 4096) + "   \n", "", ""},
		{"empty", "", "", "Bad Request: message text is empty"},
		{"blank", "  \n ", "", "Bad Request: message must be non-empty"},
		{"empty after parsing", "<b> </b>", "HTML", "Bad Request: message must be non-empty"},
	}
	for _, c := range cases {
		code, env := send(t, srv, citizen.ID, c.text, "parse_mode", c.mode)
		if c.desc == "" {
			if code != 200 {
				t.Errorf("%s: got %d %q, want ok", c.name, code, env.Description)
			}
			continue
		}
		if code != 400 || env.Description != c.desc {
			t.Errorf("%s: got %d %q, want 400 %q", c.name, code, env.Description, c.desc)
		}
	}
	code, env := send(t, srv, citizen.ID, "  <b>hi</b>  ", "parse_mode", "HTML")
	wantOK(t, code, env)
	last := srv.All()[len(srv.All())-1]
	if last.Text != "hi" || len(last.Entities) != 1 || last.Entities[0].Offset != 0 || last.Entities[0].Length != 2 {
		t.Fatalf("trimmed message %+v", last)
	}
}
