// Package tghtml turns FAQ answers written in Markdown into the HTML subset
// accepted by Telegram's "HTML" parse mode, and prepares such HTML for
// sending and displaying.
//
// Telegram understands only b/strong, i/em, u/ins, s/strike/del, tg-spoiler,
// a href, code, pre (optionally wrapping <code class="language-x">) and
// blockquote, plus the entities &lt; &gt; &amp; and &quot;. Everything this
// package emits stays inside that subset:
//
//   - [Render] converts Markdown (CommonMark plus GFM strikethrough and
//     tables) into Telegram HTML. Raw HTML in the Markdown is shown as
//     escaped text, and only http, https, tg and mailto links become <a>
//     elements.
//   - [Escape] escapes plain text, such as a citizen's message that the bot
//     echoes, for use inside Telegram HTML.
//   - [Split] cuts rendered HTML into messages that fit Telegram's length
//     limit ([MaxMessageLen]) while keeping every message well formed.
//   - [PlainText] and [VisibleLen] report what a reader of a message sees.
//
// Lengths are counted the way Telegram counts them: in UTF-16 code units of
// the text left after tags are removed and entities decoded.
package tghtml

// MaxMessageLen is Telegram's limit on the visible length of one text
// message, in UTF-16 code units. Pass it to [Split].
const MaxMessageLen = 4096
