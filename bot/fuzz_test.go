package bot

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// maxCallbackData is Telegram's limit on a button's callback data, in bytes.
const maxCallbackData = 64

// FuzzHandleRaw hands random JSON to the engine: it never panics, an update that
// does not decode is ErrMalformed, and nothing else fails.
// go test -run '^$' -fuzz FuzzHandleRaw -fuzztime 60s ./bot
func FuzzHandleRaw(f *testing.F) {
	db := dbtest.New(f)
	faqs := []knowledge.FAQ{{ID: "skck", Category: "Kepolisian", Question: "Bagaimana cara membuat SKCK?",
		Keywords: []string{"skck"}, Answer: "Datang ke Polres dengan **KTP-el**."}}
	if _, err := knowledge.NewStore(db).Import(f.Context(), &knowledge.File{FAQs: faqs}, true); err != nil {
		f.Fatal(err)
	}
	ix, err := knowledge.NewIndex(faqs)
	if err != nil {
		f.Fatal(err)
	}
	e := NewEngine(db, ix, tickets.NewStore(db), Settings{BotID: 1, StaffChatID: -100, OfficeName: "Uji",
		ResponseDays: 1, Location: time.UTC}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for _, seed := range []string{
		`{"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "first_name": "Ani"}, "text": "cara membuat skck"}}`,
		`{"update_id": 2, "message": {"message_id": 2, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "first_name": "Ani", "language_code": "en"}, "text": "/petugas lampu mati"}}`,
		`{"update_id": 3, "message": {"message_id": 3, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "first_name": "Ani"}, "text": "ok", "reply_to_message": {"message_id": 2, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 1, "is_bot": true, "first_name": "Loket"}}}}`,
		`{"update_id": 4, "message": {"message_id": 4, "date": 0, "chat": {"id": -100, "type": "supergroup"}, "from": {"id": 9, "first_name": "Siti"}, "text": "/selesai 1", "message_thread_id": 5, "is_topic_message": true}}`,
		`{"update_id": 5, "callback_query": {"id": "q", "from": {"id": 7, "first_name": "Ani"}, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}}, "data": "tk:rate:1:5"}}`,
		`{"update_id": 6, "callback_query": {"id": "q", "from": {"id": 8, "first_name": "Budi"}, "data": "esc:1"}}`,
		`{"update_id": 7, "callback_query": {"id": "q", "from": {"id": 8, "first_name": "Budi"}, "data": "lyc:0badf00d:1"}}`,
		`{"update_id": 8, "message": {"message_id": 5, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "first_name": "A"}, "photo": [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]}}`,
		`{"update_id": 9, "edited_message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "text": "x"}}`,
		`{"update_id": 10, "message": {"message_id": "x"}}`,
		`{"update_id": 11, "message": {"message_id": 6, "date": 0, "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "first_name": "A\u0000"}, "text": "a\u0000b"}}`,
		`{}`, `null`, `[]`, `{"update_id": -1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		err := e.HandleRaw(t.Context(), raw)
		var upd tgbotapi.Update
		decodes := json.Unmarshal(raw, &upd) == nil && len(raw) <= maxUpdateSize
		switch {
		case !decodes && !errors.Is(err, ErrMalformed):
			t.Errorf("undecodable update %q: err %v, want ErrMalformed", raw, err)
		case decodes && err != nil && !errors.Is(err, ErrRetry):
			t.Errorf("update %q failed: %v", raw, err)
		}
	})
}

// FuzzParseTicketCallback: parsing never panics, and what parses prints back to data
// that parses to the same, within Telegram's limit.
func FuzzParseTicketCallback(f *testing.F) {
	for _, s := range []string{"tk:take:1", "tk:done:42", "tk:rate:7:5", "tk:reopen:3", "tk:hand:9",
		"tk:to:9:disdukcapil", "tk:rate:1:0", "tk:to:1:A", "tk:", "tk:take:-1", "tk:take:01", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := parseTicketCallback(data)
		if err != nil {
			return
		}
		back, err := parseTicketCallback(c.String())
		if err != nil || back != c {
			t.Errorf("%q parsed to %+v, printed %q, parsed back to %+v (%v)", data, c, c.String(), back, err)
		}
		if c.Ticket < 1e12 && len(c.String()) > maxCallbackData {
			t.Errorf("%+v prints %d bytes of callback data", c, len(c.String()))
		}
	})
}

// FuzzParseCallback does the same for the question buttons.
func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{"fb1:1", "fb0:2", "esc:3", "pick:4:9", "pick:4:10", "esc:-1", "esc", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := parseCallback(data)
		if err != nil {
			return
		}
		back, err := parseCallback(c.String())
		if err != nil || back != c || len(c.String()) > maxCallbackData {
			t.Errorf("%q parsed to %+v, printed %q, parsed back to %+v (%v)", data, c, c.String(), back, err)
		}
	})
}

// FuzzParseBrowse does the same for the browsing buttons.
func FuzzParseBrowse(f *testing.F) {
	for _, s := range []string{"lyn:0", "lyc:0badf00d:2", "lyf:deadbeef", "lyc:0BADF00D:1", "lyn:-1", "lyn:01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		b, ok := parseBrowse(data)
		if !ok {
			return
		}
		if !isBrowseData(data) {
			t.Errorf("%q parsed but is not browse data", data)
		}
		back, ok := parseBrowse(b.String())
		if !ok || back != b || b.String() != data || len(data) > maxCallbackData {
			t.Errorf("%q parsed to %+v, printed %q, parsed back to %+v", data, b, b.String(), back)
		}
	})
}
