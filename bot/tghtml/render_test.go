package tghtml

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"empty", "", ""},
		{"blank", " \n\n \t\n", ""},
		{"paragraph", "Bawa KTP asli.", "Bawa KTP asli."},
		{"paragraphs", "Satu.\n\n\n\nDua.", "Satu.\n\nDua."},
		{"soft break kept", "baris satu\nbaris dua", "baris satu\nbaris dua"},
		{"hard break spaces", "baris satu  \nbaris dua", "baris satu\nbaris dua"},
		{"hard break backslash", "baris satu\\\nbaris dua", "baris satu\nbaris dua"},
		{"trailing whitespace", "teks   \n\nlagi\t", "teks\n\nlagi"},
		{"crlf", "satu\r\n\r\ndua\r\n", "satu\n\ndua"},
		{"heading atx", "# Syarat KTP\n\nIsi.", "<b>Syarat KTP</b>\n\nIsi."},
		{"heading h3", "### Biaya", "<b>Biaya</b>"},
		{"heading setext", "Biaya\n=====", "<b>Biaya</b>"},
		{"heading with bold not nested", "## Pakai **KTP** _asli_", "<b>Pakai KTP <i>asli</i></b>"},
		{"bold", "**wajib**", "<b>wajib</b>"},
		{"bold underscores", "__wajib__", "<b>wajib</b>"},
		{"italic underscore", "_opsional_", "<i>opsional</i>"},
		{"italic star", "*opsional*", "<i>opsional</i>"},
		{"bold italic", "***penting***", "<i><b>penting</b></i>"},
		{"strikethrough", "~~Rp 50.000~~ gratis", "<s>Rp 50.000</s> gratis"},
		{"code span", "ketik `/status`", "ketik <code>/status</code>"},
		{"code span escapes", "`a < b && c > d`", "<code>a &lt; b &amp;&amp; c &gt; d</code>"},
		{"fenced code", "```\nNIK: 3201<x>\n```", "<pre>NIK: 3201&lt;x&gt;</pre>"},
		{"fenced code language", "```json\n{\"a\": 1}\n```", "<pre><code class=\"language-json\">{\"a\": 1}</code></pre>"},
		{"fenced code bad language", "```x\"onclick\n1\n```", "<pre>1</pre>"},
		{"fenced code keeps blank lines", "```\na\n\n\n  b   \n```", "<pre>a\n\n\n  b   </pre>"},
		{"empty code block", "```\n```\n\nteks", "teks"},
		{"indented code", "Contoh:\n\n    kode 1\n    kode 2", "Contoh:\n\n<pre>kode 1\nkode 2</pre>"},
		{"blockquote", "> Catatan: bawa *fotokopi*.", "<blockquote>Catatan: bawa <i>fotokopi</i>.</blockquote>"},
		{"blockquote paragraphs", "> satu\n>\n> dua", "<blockquote>satu\n\ndua</blockquote>"},
		{"nested blockquote flattened", "> luar\n>> dalam", "<blockquote>luar\n\ndalam</blockquote>"},
		{"blockquote with list", "> - a\n> - b", "<blockquote>• a\n• b</blockquote>"},
		{"bullet list", "- KTP\n- KK\n* Akta", "• KTP\n• KK\n\n• Akta"},
		{"nested list", "- a\n  - b\n    - c\n      - d\n- e", "• a\n  ◦ b\n    ▪ c\n      ▪ d\n• e"},
		{"ordered list", "1. Datang\n2. Ambil antrean", "1. Datang\n2. Ambil antrean"},
		{"ordered start", "3. tiga\n4. empat", "3. tiga\n4. empat"},
		{"ordered paren", "1) satu\n2) dua", "1) satu\n2) dua"},
		{"ordered in bullet", "- Langkah:\n  1. isi\n  2. kirim", "• Langkah:\n  1. isi\n  2. kirim"},
		{"bullet in ordered", "1. Bawa:\n   - KTP\n   - KK", "1. Bawa:\n   ◦ KTP\n   ◦ KK"},
		{"loose list", "- a\n\n- b", "• a\n\n• b"},
		{"list item paragraphs", "- a\n\n  lanjut\n- b", "• a\n\n  lanjut\n\n• b"},
		{"list item code", "- a\n\n  ```\n  x\n  ```", "• a\n\n  <pre>x</pre>"},
		{"list item code not indented", "1. ```sh\n   echo 1\n\n     echo 2\n   ```\n2. b\n   c", "1. <pre><code class=\"language-sh\">echo 1\n\n  echo 2</code></pre>\n2. b\n   c"},
		{"list item quote", "- > kutip\n  > lagi", "• <blockquote>kutip\n  lagi</blockquote>"},
		{"quote heading code", "> # H\n> ```\n> x\n> ```", "<blockquote><b>H</b>\n\n<pre>x</pre></blockquote>"},
		{"link title ignored", `[a](https://a.id "judul")`, `<a href="https://a.id">a</a>`},
		{"nested emphasis", "***a** b*", "<i><b>a</b> b</i>"},
		{"italic in italic", "*a _b_ c*", "<i>a b c</i>"},
		{"empty list item", "-\n- b", "•\n• b"},
		{"thematic break", "a\n\n---\n\nb", "a\n\n———\n\nb"},
		{"text escaping", "umur < 17 tahun & belum menikah", "umur &lt; 17 tahun &amp; belum menikah"},
		{"arrows", "a -> b >= c", "a -&gt; b &gt;= c"},
		{"quotes", `kata "resmi"`, "kata &quot;resmi&quot;"},
		{"markdown entities", "&lt;b&gt; &amp; &copy; &#x41;", "&lt;b&gt; &amp; © A"},
		{"backslash escapes", `\*bukan miring\* \<b\>`, "*bukan miring* &lt;b&gt;"},
		{"link", "[Formulir](https://loket.id/form)", `<a href="https://loket.id/form">Formulir</a>`},
		{"link url escaping", `[x](https://a.id/?q=1&r="2"&s=<3>)`, `<a href="https://a.id/?q=1&amp;r=%222%22&amp;s=%3C3%3E">x</a>`},
		{"link angle url", `[x](<https://a.id/a b>)`, `<a href="https://a.id/a%20b">x</a>`},
		{"link text escaping", "[a < b & c](https://a.id)", `<a href="https://a.id">a &lt; b &amp; c</a>`},
		{"link formatted text", "[**KTP** baru](https://a.id)", `<a href="https://a.id"><b>KTP</b> baru</a>`},
		{"link code text", "[`/start`](https://a.id)", `<a href="https://a.id">/start</a>`},
		{"link empty text", "[](https://a.id)", `<a href="https://a.id">https://a.id</a>`},
		{"link reference", "[KTP][1]\n\n[1]: https://a.id/ktp", `<a href="https://a.id/ktp">KTP</a>`},
		{"link tg", "[chat](tg://resolve?domain=loket)", `<a href="tg://resolve?domain=loket">chat</a>`},
		{"link mailto", "[surel](mailto:cs@loket.id)", `<a href="mailto:cs@loket.id">surel</a>`},
		{"link uppercase scheme", "[x](HTTPS://A.ID)", `<a href="HTTPS://A.ID">x</a>`},
		{"javascript link", "[klik](javascript:alert(1))", "klik"},
		{"javascript entity link", "[klik](jav&#x61;script:alert(1))", "klik"},
		{"javascript autolink", "<javascript:alert(1)>", "javascript:alert(1)"},
		{"data link", "[x](data:text/html,hi)", "x"},
		{"ftp link", "[x](ftp://a.id)", "x"},
		{"relative link", "[x](/layanan)", "x"},
		{"http without host", "[x](http:foo)", "x"},
		{"autolink", "<https://loket.id/a?b=1&c=2>", `<a href="https://loket.id/a?b=1&amp;c=2">https://loket.id/a?b=1&amp;c=2</a>`},
		{"email autolink", "<cs@loket.id>", `<a href="mailto:cs@loket.id">cs@loket.id</a>`},
		{"bare url stays text", "lihat https://loket.id", "lihat https://loket.id"},
		{"image", "![Peta kantor](https://a.id/peta.png)", `<a href="https://a.id/peta.png">Peta kantor</a>`},
		{"image no alt", "![](https://a.id/p.png)", `<a href="https://a.id/p.png">https://a.id/p.png</a>`},
		{"image unsafe", "![Peta](javascript:x)", "Peta"},
		{"image in link", "[![logo](https://a.id/l.png)](https://a.id)", `<a href="https://a.id">logo</a>`},
		{"raw inline html", "ini <b>x</b> tebal", "ini &lt;b&gt;x&lt;/b&gt; tebal"},
		{"raw inline a", `<a href="javascript:x">y</a>`, `&lt;a href="javascript:x"&gt;y&lt;/a&gt;`},
		{"html block script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"html block div", "<div>\n*a*\n</div>\n\nteks", "&lt;div&gt;\n*a*\n&lt;/div&gt;\n\nteks"},
		{"html comment", "<!-- catatan -->", "&lt;!-- catatan --&gt;"},
		{"table", "| Layanan | Biaya |\n|---|---|\n| KTP | **gratis** |\n| KK | Rp 0 |",
			"<b>Layanan</b> | <b>Biaya</b>\nKTP | <b>gratis</b>\nKK | Rp 0"},
		{"nul byte", "a\x00b", "a\uFFFDb"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"emoji", "Selesai ✅ 👍🏽", "Selesai ✅ 👍🏽"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.md)
			if err != nil {
				t.Fatalf("Render(%q) error: %v", tt.md, err)
			}
			if got != tt.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tt.md, got, tt.want)
			}
			if err := validate(got); err != nil {
				t.Errorf("Render(%q) = %q is not valid Telegram HTML: %v", tt.md, got, err)
			}
		})
	}
}

// TestRenderNoBlankRuns checks the blank-line and trailing-space rules on
// a mix of constructs.
func TestRenderNoBlankRuns(t *testing.T) {
	md := "# A\n\n\n\n- x  \n\n\n- y\n\n> q\n\n\n\n---\n\n\n| a |\n|---|\n|  |\n\nz   "
	got, err := Render(md)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "\n\n\n") {
		t.Errorf("blank-line run in %q", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.TrimRight(line, " \t") != line {
			t.Errorf("trailing whitespace in line %q of %q", line, got)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"biasa saja", "biasa saja"},
		{"umur < 17 tahun & belum menikah", "umur &lt; 17 tahun &amp; belum menikah"},
		{"a > b", "a &gt; b"},
		{"&amp; sudah", "&amp;amp; sudah"},
		{`"kutip"`, `"kutip"`},
		{"<b>bukan tebal</b>", "&lt;b&gt;bukan tebal&lt;/b&gt;"},
		{"emoji 😀", "emoji 😀"},
	}
	for _, tt := range tests {
		got := Escape(tt.in)
		if got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := validate(got); err != nil {
			t.Errorf("Escape(%q) = %q: %v", tt.in, got, err)
		}
		if back := PlainText(got); back != tt.in {
			t.Errorf("PlainText(Escape(%q)) = %q", tt.in, back)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"<b>tebal</b> &amp; <i>miring</i>", "tebal & miring"},
		{"&lt;tag&gt; &quot;q&quot; &#65;&#x42;", `<tag> "q" AB`},
		{`<a href="https://a.id/?x=1&amp;y=2">Formulir</a>`, "Formulir (https://a.id/?x=1&y=2)"},
		{`<a href="https://a.id">https://a.id</a>`, "https://a.id"},
		{`<a href="mailto:cs@a.id">cs@a.id</a>`, "cs@a.id"},
		{`<a href="https://a.id">a</a><a href="https://b.id">b</a>`, "a (https://a.id)b (https://b.id)"},
		{`<a href="javascript:x">t</a>`, "t"},
		{"<blockquote>kutip</blockquote>\n\n<pre><code class=\"language-go\">x &lt; y</code></pre>", "kutip\n\nx < y"},
		{"a &unknown; b &", "a &unknown; b &"},
		{"<br> <script>", "<br> <script>"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVisibleLen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"<b>abc</b>", 3},
		{"&lt;&amp;&gt;&quot;", 4},
		{`<a href="https://a.id/very/long">x</a>`, 1},
		{"😀", 2},
		{"é", 1},
		{"👨‍👩‍👧", 8},
		{"<pre><code class=\"language-go\">a\nb</code></pre>", 3},
	}
	for _, tt := range tests {
		if got := VisibleLen(tt.in); got != tt.want {
			t.Errorf("VisibleLen(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestRenderConcurrent(t *testing.T) {
	want, err := Render(faqAnswer)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for range 8 {
		go func() {
			got, _ := Render(faqAnswer)
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Error("concurrent Render gave a different result")
		}
	}
}
