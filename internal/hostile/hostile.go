// Package hostile holds the texts the tests type into every field a citizen, officer
// or editor controls, to show that none of them breaks Loket.
package hostile

import "strings"

// Texts are what someone might type to break the bot or the console: SQL, HTML and
// template injection, format verbs, bidirectional and control characters, NUL,
// entities Telegram refuses, emoji sequences and very long text. Each call returns
// a fresh slice.
func Texts() []string {
	return []string{
		`'; DROP TABLE tickets; --`,
		`<script>alert(1)</script>`,
		`<b onclick="alert(1)">klik</b> <a href="javascript:alert(1)">x</a>`,
		`{{.}} {{template "x"}} ${jndi:ldap://x}`,
		`%s%n%d%!x %v`,
		"\u202Egnp.exe lampu mati \u200F\u200E",
		"lampu\x00mati\x00",
		`Tom & Jerry &amp; &lt;b&gt; &#0; &bogus; </i> <`,
		"👩‍👩‍👧 🇮🇩 ✊🏾 lampu jalan mati \U0001F4A9",
		strings.Repeat("Jalan rusak <b>parah</b> & berlubang ", 140), // ~5,000 characters
	}
}
