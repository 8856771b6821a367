package telegramtest

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
)

// content is a text or caption after entity parsing.
type content struct {
	raw      string
	mode     string
	text     string
	entities []Entity
}

// parseContent parses raw with the given parse_mode (or explicit entities),
// trims it as Telegram does and checks its length in UTF-16 code units.
// Empty text is an error unless it is a caption.
func parseContent(raw, mode, entitiesJSON string, caption bool) (content, *apiError) {
	ct := content{raw: raw, mode: mode}
	if !utf8.ValidString(raw) {
		return ct, badRequest("text must be encoded in UTF-8")
	}
	switch strings.ToLower(mode) {
	case "":
		ct.text = raw
		if strings.TrimSpace(entitiesJSON) != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &ct.entities); err != nil {
				return ct, badRequest("can't parse entities JSON object")
			}
			if err := checkEntities(ct.entities, UTF16Len(raw)); err != nil {
				return ct, err
			}
		}
	case "html":
		text, ents, err := ParseHTML(raw)
		if err != nil {
			return ct, badRequest("can't parse entities: %s", err.Error())
		}
		ct.text, ct.entities = text, ents
	case "markdown", "markdownv2":
		// Not validated: the visible text is the raw text.
		ct.text = raw
	default:
		return ct, badRequest("unsupported parse_mode")
	}
	ct.text, ct.entities = trimText(ct.text, ct.entities)
	n := UTF16Len(ct.text)
	switch {
	case n == 0 && !caption:
		return ct, badRequest("message must be non-empty")
	case caption && n > maxCaptionLen:
		return ct, badRequest("message caption is too long")
	case !caption && n > maxTextLen:
		return ct, badRequest("message is too long")
	}
	return ct, nil
}

func checkEntities(es []Entity, n int) *apiError {
	for _, e := range es {
		if e.Type == "" || e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
			return badRequest("can't parse entities: entity beyond the end of the text or of invalid type")
		}
	}
	return nil
}

// trimText strips leading and trailing white space, as Telegram does, and
// shifts and clips the entities accordingly.
func trimText(text string, es []Entity) (string, []Entity) {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	lead := UTF16Len(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	total := UTF16Len(trimmed)
	if lead == 0 && total == UTF16Len(text) {
		return text, es
	}
	var out []Entity
	for _, e := range es {
		start := max(e.Offset, lead) - lead
		end := min(e.Offset+e.Length, lead+total) - lead
		if end > start {
			e.Offset, e.Length = start, end-start
			out = append(out, e)
		}
	}
	return trimmed, out
}

// botCommandEntities marks /commands (optionally /cmd@bot) that start the
// text or follow white space, as Telegram does for incoming messages.
func botCommandEntities(text string) []Entity {
	var es []Entity
	off := 0
	prevSpace := true
	for i, r := range text {
		if r == '/' && prevSpace {
			j := i + 1
			for j < len(text) && (isAlnum(text[j]) || text[j] == '_') {
				j++
			}
			if j > i+1 && j-i-1 <= 32 {
				if j < len(text) && text[j] == '@' {
					k := j + 1
					for k < len(text) && (isAlnum(text[k]) || text[k] == '_') {
						k++
					}
					if k > j+1 {
						j = k
					}
				}
				es = append(es, Entity{Type: "bot_command", Offset: off, Length: UTF16Len(text[i:j])})
			}
		}
		prevSpace = unicode.IsSpace(r)
		off += utf16Len(r)
	}
	return es
}

func entitiesEqual(a, b []Entity) bool {
	return slices.Equal(a, b)
}
