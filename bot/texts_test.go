package bot

import (
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/telegramtest"
)

// Every catalog text exists in both languages and is valid Telegram HTML.
func TestCatalogComplete(t *testing.T) {
	for key := txtStart; key <= txtSmalltalkOther; key++ {
		texts, ok := catalog[key]
		if !ok {
			t.Errorf("text %d has no entry in the catalog", key)
			continue
		}
		for l, s := range texts {
			if strings.TrimSpace(s) == "" {
				t.Errorf("text %d is empty in language %d", key, l)
				continue
			}
			if _, _, err := telegramtest.ParseHTML(strings.NewReplacer("%s", "x", "%d", "1").Replace(s)); err != nil {
				t.Errorf("text %d (language %d) is not valid Telegram HTML: %v", key, l, err)
			}
		}
	}
}
