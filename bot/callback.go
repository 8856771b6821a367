package bot

import (
	"fmt"
	"strconv"
	"strings"
)

// Callback actions carried in inline buttons' data. The data holds ids only, never
// the data itself, and is checked against the database when pressed.
const (
	actHelpful    = "fb1"  // fb1:<question id>
	actNotHelpful = "fb0"  // fb0:<question id>
	actOfficer    = "esc"  // esc:<question id>
	actPick       = "pick" // pick:<question id>:<hit index>
	// Browsing (/layanan, browse.go): 8-hex-digit hashes resolved against the index.
	actBrowseHome     = "lyn" // lyn:<page>
	actBrowseCategory = "lyc" // lyc:<category name hash>:<page>
	actBrowseFAQ      = "lyf" // lyf:<FAQ id hash>
)

// callback is parsed callback data.
type callback struct {
	Action     string
	QuestionID int64
	Index      int
}

func (c callback) String() string {
	if c.Action == actPick {
		return fmt.Sprintf("%s:%d:%d", c.Action, c.QuestionID, c.Index)
	}
	return fmt.Sprintf("%s:%d", c.Action, c.QuestionID)
}

// parseCallback parses and validates callback data.
func parseCallback(data string) (callback, error) {
	parts := strings.Split(data, ":")
	var c callback
	if len(parts) < 2 {
		return c, fmt.Errorf("bot: callback %q: malformed", data)
	}
	c.Action = parts[0]
	want := 2
	switch c.Action {
	case actHelpful, actNotHelpful, actOfficer:
	case actPick:
		want = 3
	default:
		return c, fmt.Errorf("bot: callback %q: unknown action", data)
	}
	if len(parts) != want {
		return c, fmt.Errorf("bot: callback %q: malformed", data)
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 {
		return c, fmt.Errorf("bot: callback %q: bad id", data)
	}
	c.QuestionID = id
	if want == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 || n > 9 {
			return c, fmt.Errorf("bot: callback %q: bad index", data)
		}
		c.Index = n
	}
	return c, nil
}
