package tghtml

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// checkChunks checks what Split must guarantee for any input: every chunk
// is valid Telegram HTML, not blank, and within limit (limit ≥ 2).
func checkChunks(t *testing.T, chunks []string, limit int) {
	t.Helper()
	for i, c := range chunks {
		if err := validate(c); err != nil {
			t.Errorf("chunk %d invalid: %v\n%q", i, err, c)
		}
		if strings.TrimSpace(visibleText(c)) == "" {
			t.Errorf("chunk %d is blank: %q", i, c)
		}
		if n := len(utf16.Encode([]rune(visibleText(c)))); n > limit {
			t.Errorf("chunk %d has %d visible UTF-16 units, limit %d", i, n, limit)
		}
		if n := VisibleLen(c); n != len(utf16.Encode([]rune(visibleText(c)))) {
			t.Errorf("chunk %d: VisibleLen %d disagrees with the test's count", i, n)
		}
	}
}

// checkSameText checks that the chunks together show the original's text,
// ignoring whitespace.
func checkSameText(t *testing.T, orig string, chunks []string) {
	t.Helper()
	var all strings.Builder
	for _, c := range chunks {
		all.WriteString(visibleText(c))
	}
	if got, want := noSpace(all.String()), noSpace(visibleText(orig)); got != want {
		t.Errorf("chunks' text differs from the original's:\n got: %.200q\nwant: %.200q", got, want)
	}
}

// longAnswer is a realistic FAQ answer of about 10,000 characters.
func longAnswer() string {
	var b strings.Builder
	for i := 1; b.Len() < 10000; i++ {
		fmt.Fprintf(&b, "## Bagian %d: syarat & ketentuan\n\n", i)
		fmt.Fprintf(&b, "Pemohon yang berumur < 17 tahun & belum menikah wajib datang bersama orang tua. "+
			"Bawa **KTP asli**, _kartu keluarga_, dan formulir dari [situs kami](https://loket.id/form?bagian=%d&x=1). "+
			"Antrean dibuka pukul 08.00 & ditutup pukul 14.00 WIB. 👍\n\n", i)
		b.WriteString("- Dokumen:\n  - fotokopi KTP\n  - fotokopi KK\n- Biaya: ~~Rp 10.000~~ **gratis**\n\n")
		b.WriteString("> Catatan: petugas tidak menerima berkas yang tidak lengkap. Mohon periksa kembali " +
			"semua dokumen sebelum datang ke kantor kelurahan.\n\n")
		b.WriteString("```\nNIK: 3201xxxxxxxxxxxx\nNama: <sesuai KTP>\n```\n\n")
	}
	return b.String()
}

func TestSplitLongAnswer(t *testing.T) {
	html, err := Render(longAnswer())
	if err != nil {
		t.Fatal(err)
	}
	if VisibleLen(html) < 2*MaxMessageLen {
		t.Fatalf("test answer too short: %d", VisibleLen(html))
	}
	chunks := Split(html, MaxMessageLen)
	if len(chunks) < 3 {
		t.Fatalf("got %d chunks", len(chunks))
	}
	checkChunks(t, chunks, MaxMessageLen)
	checkSameText(t, html, chunks)
	// Every cut is at a paragraph break: each chunk's text appears in the
	// original followed by a blank line.
	orig := visibleText(html)
	pos := 0
	for i, c := range chunks {
		v := visibleText(c)
		at := strings.Index(orig[pos:], v)
		if at < 0 || strings.TrimSpace(orig[pos:pos+at]) != "" {
			t.Fatalf("chunk %d not found in order", i)
		}
		pos += at + len(v)
		if i < len(chunks)-1 && !strings.HasPrefix(orig[pos:], "\n\n") {
			t.Errorf("chunk %d ends mid-paragraph: ...%q", i, v[max(0, len(v)-40):])
		}
	}
}

func TestSplitShortUnchanged(t *testing.T) {
	in := "<b>Syarat</b>\n\n• KTP &amp; KK\n• <a href=\"https://a.id/?a=1&amp;b=2\">formulir</a>\n\n<pre><code class=\"language-go\">x &lt; y</code></pre>"
	got := Split(in, MaxMessageLen)
	if len(got) != 1 || got[0] != in {
		t.Errorf("Split(%q) = %q", in, got)
	}
	if got := Split(in, 0); len(got) != 1 || got[0] != in {
		t.Errorf("Split with limit 0 = %q", got)
	}
}

func TestSplitLongParagraph(t *testing.T) {
	words := make([]string, 0, 2000)
	for i := 0; len(strings.Join(words, " ")) < 9000; i++ {
		words = append(words, fmt.Sprintf("kata%d", i))
	}
	in := Escape(strings.Join(words, " ") + " & selesai")
	chunks := Split(in, MaxMessageLen)
	if len(chunks) != 3 {
		t.Errorf("got %d chunks, want 3", len(chunks))
	}
	checkChunks(t, chunks, MaxMessageLen)
	checkSameText(t, in, chunks)
	var rejoined []string
	for _, c := range chunks {
		v := visibleText(c)
		if strings.TrimSpace(v) != v {
			t.Errorf("chunk has whitespace at an end: %.20q...%.20q", v, v[len(v)-20:])
		}
		rejoined = append(rejoined, v)
	}
	if got := strings.Join(rejoined, " "); got != visibleText(in) {
		t.Error("chunks were not cut at word boundaries")
	}
}

func TestSplitCases(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"blank", " \n\n\t ", 10, nil},
		{"empty", "", 10, nil},
		{"paragraph preferred", "aaaa bbbb\n\ncccc dddd eeee", 16, []string{"aaaa bbbb", "cccc dddd eeee"}},
		{"line before word", "aaaa bbbb\ncccc dddd eeee", 16, []string{"aaaa bbbb", "cccc dddd eeee"}},
		{"short paragraph not preferred", "aa\n\nbbbb cccc dddd eeee", 16, []string{"aa\n\nbbbb cccc", "dddd eeee"}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"inside bold", "<b>satu dua tiga empat</b>", 9, []string{"<b>satu dua</b>", "<b>tiga</b>", "<b>empat</b>"}},
		{"inside nested", "<blockquote><i>aa <b>bb cc</b> dd</i></blockquote>", 6,
			[]string{"<blockquote><i>aa <b>bb</b></i></blockquote>", "<blockquote><i><b>cc</b> dd</i></blockquote>"}},
		{"inside link", `<a href="https://a.id/?x=1&amp;y=2">satu dua</a>`, 5,
			[]string{`<a href="https://a.id/?x=1&amp;y=2">satu</a>`, `<a href="https://a.id/?x=1&amp;y=2">dua</a>`}},
		{"inside pre keeps indentation", "<pre><code class=\"language-go\">func f() {\n\treturn\n}</code></pre>", 12,
			[]string{"<pre><code class=\"language-go\">func f() {</code></pre>", "<pre><code class=\"language-go\">\treturn\n}</code></pre>"}},
		{"entities whole", "&lt;&amp;&gt;&lt;&amp;&gt;", 4, []string{"&lt;&amp;&gt;&lt;", "&amp;&gt;"}},
		{"no empty element at cut", "aaaa <b>bbbb</b>", 4, []string{"aaaa", "<b>bbbb</b>"}},
		{"emoji fits exactly", "aa😀b", 4, []string{"aa😀", "b"}},
		{"emoji not halved", "aaa😀b", 4, []string{"aaa", "😀b"}},
		{"zwj sequence kept", "aa👨‍👩‍👧", 8, []string{"aa", "👨‍👩‍👧"}},
		{"skin tone kept", "aaa👍🏽", 5, []string{"aaa", "👍🏽"}},
		{"flags kept in pairs", "a🇮🇩🇮🇩", 7, []string{"a🇮🇩", "🇮🇩"}},
		{"combining mark kept", "abcde\u0301", 5, []string{"abcd", "e\u0301"}},
		{"lenient unclosed", "<b>tebal", 10, []string{"<b>tebal</b>"}},
		{"lenient stray end tag", "a</i> b", 10, []string{"a b"}},
		{"lenient misnested", "<b><i>x</b>y</i>", 10, []string{"<b><i>x</i></b>y"}},
		{"lenient unknown tag", "<script>x</script><br>", 50, []string{"&lt;script&gt;x&lt;/script&gt;&lt;br&gt;"}},
		{"lenient bad entity", "a &nbsp; & b", 50, []string{"a &amp;nbsp; &amp; b"}},
		{"lenient numeric entity", "&#60;&#x1F600;", 50, []string{"&lt;😀"}},
		{"lenient unsafe link", `<a href="javascript:alert(1)">x</a>`, 50, []string{"x"}},
		{"lenient link without href", `<a>x</a>`, 50, []string{"x"}},
		{"lenient tag in pre", "<pre><b>x</b></pre>", 50, []string{"<pre>x</pre>"}},
		{"lenient pre in bold", "<b><pre>x</pre></b>", 50, []string{"<b>x</b>"}},
		{"lenient nested quote", "<blockquote><blockquote>x</blockquote></blockquote>", 50, []string{"<blockquote>x</blockquote>"}},
		{"lenient attributes", `<B CLASS=x>y</B><code class="language-go">z</code>`, 50, []string{"<b>y</b><code>z</code>"}},
		{"lenient single quotes", `<a href='https://a.id/"x"'>y</a>`, 50, []string{`<a href="https://a.id/&quot;x&quot;">y</a>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in, tt.limit)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("Split(%q, %d)\n got: %q\nwant: %q", tt.in, tt.limit, got, tt.want)
			}
			checkChunks(t, got, tt.limit)
		})
	}
}

func TestSplitEmojiAtLimit(t *testing.T) {
	in := strings.Repeat("a", MaxMessageLen-1) + "😀" + strings.Repeat("b", 10)
	chunks := Split(in, MaxMessageLen)
	if len(chunks) != 2 || chunks[0] != strings.Repeat("a", MaxMessageLen-1) || !strings.HasPrefix(chunks[1], "😀") {
		t.Errorf("emoji split wrongly: %d chunks, first %d bytes", len(chunks), len(chunks[0]))
	}
	checkChunks(t, chunks, MaxMessageLen)

	in = strings.Repeat("a", MaxMessageLen-2) + "😀" + strings.Repeat("b", 10)
	chunks = Split(in, MaxMessageLen)
	if len(chunks) != 2 || !strings.HasSuffix(chunks[0], "😀") || VisibleLen(chunks[0]) != MaxMessageLen {
		t.Errorf("emoji that fits was not kept: %d chunks", len(chunks))
	}
}

func TestSplitInsidePreLong(t *testing.T) {
	var lines []string
	for i := 0; i < 600; i++ {
		lines = append(lines, fmt.Sprintf("    baris %03d: x &lt; y", i))
	}
	in := `<pre><code class="language-yaml">` + strings.Join(lines, "\n") + "</code></pre>"
	chunks := Split(in, MaxMessageLen)
	if len(chunks) < 3 {
		t.Fatalf("got %d chunks", len(chunks))
	}
	checkChunks(t, chunks, MaxMessageLen)
	checkSameText(t, in, chunks)
	for i, c := range chunks {
		if !strings.HasPrefix(c, `<pre><code class="language-yaml">    baris `) || !strings.HasSuffix(c, "y</code></pre>") {
			t.Errorf("chunk %d not whole lines in reopened pre: %.60q ... %.30q", i, c, c[len(c)-30:])
		}
	}
}

func TestSplitInsideBoldLong(t *testing.T) {
	in := "<b>" + strings.Repeat("tebal &amp; ", 1100) + "</b>"
	chunks := Split(in, MaxMessageLen)
	if len(chunks) != 3 {
		t.Errorf("got %d chunks", len(chunks))
	}
	checkChunks(t, chunks, MaxMessageLen)
	checkSameText(t, in, chunks)
	for i, c := range chunks {
		if !strings.HasPrefix(c, "<b>tebal") || !strings.HasSuffix(c, "</b>") {
			t.Errorf("chunk %d: %.20q...%.20q", i, c, c[len(c)-20:])
		}
	}
}
