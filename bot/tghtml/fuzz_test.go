package tghtml

import "testing"

func FuzzRender(f *testing.F) {
	seeds := []string{
		"",
		"umur < 17 tahun & belum menikah",
		"# Judul\n\nParagraf **tebal** _miring_ `kode` ~~coret~~",
		"- a\n  - b\n    1. c\n\n3. d\n4. e",
		"> kutip\n>> dalam\n> ```go\n> x := 1\n> ```",
		"[a](https://a.id/?x=\"1\"&y=<2>) [b](javascript:alert(1)) <https://a.id> <a@b.id> ![c](https://a.id/c.png)",
		"<script>alert(1)</script>\n\n<b>x</b> <a href=\"https://a.id\">y</a> <!-- z -->",
		"| a | b |\n|---|---|\n| `1` | **2** |",
		"```\n\n\ncode\n```\n\n    indented\n\n---\n\nline  \nbreak\\\nx",
		"&lt;&amp;&#0;&#xD800;&copy; \\* \x00 \xff 👨‍👩‍👧 🇮🇩",
		"**[`x`](https://a.id)** *[![i](https://a.id)](https://b.id)*",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		out, err := Render(md)
		if err != nil {
			t.Fatalf("Render(%q) error: %v", md, err)
		}
		if err := validate(out); err != nil {
			t.Fatalf("Render(%q) = %q: %v", md, out, err)
		}
		for _, limit := range []int{MaxMessageLen, 37} {
			chunks := Split(out, limit)
			checkChunks(t, chunks, limit)
			checkSameText(t, out, chunks)
			if out != "" && len(chunks) == 0 && noSpace(visibleText(out)) != "" {
				t.Fatalf("Split(%q) returned nothing", out)
			}
		}
		// Split must also make valid messages out of arbitrary input.
		checkChunks(t, Split(md, 23), 23)
	})
}
