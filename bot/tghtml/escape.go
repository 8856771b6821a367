package tghtml

import "strings"

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// Escape escapes plain text for Telegram's HTML parse mode by replacing
// "&", "<" and ">" with &amp;, &lt; and &gt;. Double quotes are left as
// they are, which Telegram accepts in text. Use it for text that the bot
// echoes, such as a citizen's or an officer's message.
func Escape(s string) string {
	return textEscaper.Replace(s)
}

// escapeAttr escapes s for use inside a double-quoted attribute value.
func escapeAttr(s string) string {
	return attrEscaper.Replace(s)
}
