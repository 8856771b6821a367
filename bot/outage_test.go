package bot_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
)

// TestDatabaseOutage takes the database away from a running bot and brings it back:
// meanwhile FAQ questions are answered from memory, everything else is kept and the
// citizen (or the staff group) is told once; afterwards every kept update is handled
// — the officer's reply reaches the citizen, the new question gets its answer, the
// question answered from memory is logged and its answer gets its buttons — and
// nothing is sent twice.
func TestDatabaseOutage(t *testing.T) {
	h := newHarnessOpts(t, bot.DefaultLimits(), true, withDBProxy())

	// Before: a question nothing answers becomes a ticket with a card.
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "apakah bisa mengurus izin keramaian untuk hajatan?")
	no := h.wait(citizenAni.ID, m, "honest no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	h.wait(citizenAni.ID, no.Seq, "ticket number", contains("Nomor tiket"))
	card := h.wait(staffChat, m, "staff card", contains("izin keramaian"))
	waitOutboxEmpty(t, h)

	h.proxy.Cut()
	down := h.mark()

	// An FAQ question is answered at once, from memory, without buttons.
	start := time.Now()
	h.srv.SendText(citizenBudi, citizenBudi.ID, "syarat bikin ktp baru apa aja?")
	answer := h.wait(citizenBudi.ID, down, "answer from memory", contains("KTP-el dibuat"))
	t.Logf("answered from memory %v after the question, database down", time.Since(start).Round(time.Millisecond))
	if len(answer.Keyboard) != 0 {
		t.Errorf("the answer from memory has buttons that would need the database: %+v", answer.Keyboard)
	}
	// A question that needs an officer is kept; the citizen is told once.
	h.srv.SendText(citizenAni, citizenAni.ID, "bagaimana prosedur pengaduan jalan rusak di desa kami?")
	h.wait(citizenAni.ID, down, "notice of the delay", contains("sudah kami simpan"))
	h.srv.SendText(citizenAni, citizenAni.ID, "mohon segera ditindaklanjuti ya")
	// The officer's reply to the card is kept; the staff group is told once.
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Izin keramaian diurus di Polsek setempat, paling lambat 7 hari sebelum acara.")
	h.wait(staffChat, down, "staff notice", contains("tidak dapat dihubungi"))
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Bawa fotokopi KTP-el.")
	time.Sleep(1500 * time.Millisecond) // the bot keeps trying the database meanwhile
	kept := countFiles(t, h.spoolDir)

	h.proxy.Restore()
	up := time.Now()
	reply := h.wait(citizenAni.ID, down, "officer's reply after the outage", contains("Polsek setempat"))
	t.Logf("officer's reply delivered %v after the database came back", time.Since(up).Round(time.Millisecond))
	h.wait(citizenAni.ID, down, "second officer reply", contains("fotokopi KTP-el"))
	h.wait(citizenAni.ID, down, "kept question answered", contains("belum punya jawaban"))
	if reply.Seq < answer.Seq {
		t.Errorf("the officer's reply was sent before the database came back")
	}

	// The answer from memory gets its buttons, and is not sent again.
	deadline := time.Now().Add(waitFor)
	var edit *telegramtest.Sent
	for edit == nil && time.Now().Before(deadline) {
		for _, s := range h.srv.All() {
			if s.Method == "editMessageReplyMarkup" && s.ChatID == citizenBudi.ID && s.MessageID == answer.MessageID {
				edit = &s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if edit == nil {
		t.Fatalf("the answer sent from memory never got its buttons\n%s", dump(h.srv.All()))
	}
	if !strings.Contains(edit.Markup, "Membantu") {
		t.Errorf("buttons added to the answer: %s", edit.Markup)
	}
	time.Sleep(500 * time.Millisecond)
	counts := map[string]int{}
	for _, s := range h.srv.All() {
		if s.Method != "sendMessage" {
			continue
		}
		for _, want := range []string{"KTP-el dibuat", "sudah kami simpan", "tidak dapat dihubungi", "Polsek setempat", "fotokopi KTP-el"} {
			if strings.Contains(s.Text, want) {
				counts[fmt.Sprintf("%d %s", s.ChatID, want)]++
			}
		}
	}
	for k, n := range counts {
		if n != 1 {
			t.Errorf("%q sent %d times, want once", k, n)
		}
	}
	if len(counts) != 5 {
		t.Errorf("messages seen: %v", counts)
	}

	// Every kept update left its trace: the questions are logged, the replies in
	// the ticket's thread.
	var budiQuestions, aniQuestions, officerMsgs int
	if err := h.db.Get(&budiQuestions, `SELECT count(*) FROM questions WHERE citizen_id = $1`, citizenBudi.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Get(&aniQuestions, `SELECT count(*) FROM questions WHERE citizen_id = $1`, citizenAni.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Get(&officerMsgs, `SELECT count(*) FROM ticket_messages WHERE author = 'staff'`); err != nil {
		t.Fatal(err)
	}
	if budiQuestions != 1 || aniQuestions != 3 || officerMsgs != 2 {
		t.Errorf("after the outage: %d questions of Budi (want 1), %d of Ani (want 3), %d officer messages (want 2)", budiQuestions, aniQuestions, officerMsgs)
	}
	if kept == 0 {
		t.Errorf("nothing was kept on disk during the outage")
	}
	waitEmptySpool(t, h.spoolDir)
}

// countFiles returns how many non-empty files dir holds.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Size() > 0 {
			n++
		}
	}
	return n
}

// waitEmptySpool waits until the spool holds nothing any more.
func waitEmptySpool(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for countFiles(t, dir) != 0 {
		if time.Now().After(deadline) {
			names, _ := filepath.Glob(filepath.Join(dir, "*"))
			t.Fatalf("the spool still holds updates: %v", names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cutAfter is a Bot API that takes the database away right after Telegram accepted
// the first call that cut matches.
type cutAfter struct {
	bot.API
	match func(method string, p tgbotapi.Params) bool
	once  *sync.Once
	cut   func()
}

func (c cutAfter) MakeRequest(method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := c.API.MakeRequest(method, p)
	if err == nil && c.match(method, p) {
		c.once.Do(c.cut)
	}
	return resp, err
}

// A message Telegram accepted just before the database went away is recorded as
// sent once it is back, not sent again: the ticket's card goes to the staff group
// once, and a reply to it still reaches the citizen.
func TestSentJustBeforeAnOutageIsNotSentAgain(t *testing.T) {
	h := newHarnessOpts(t, bot.DefaultLimits(), true, withDBProxy())
	h.stop()
	h.senderAPI = func(api bot.API) bot.API {
		return cutAfter{API: api, once: &sync.Once{}, cut: h.proxy.Cut, match: func(method string, p tgbotapi.Params) bool {
			return method == "sendMessage" && p["chat_id"] == strconv.FormatInt(staffChat, 10)
		}}
	}
	h.start()

	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "apakah bisa mengurus izin keramaian untuk hajatan?")
	no := h.wait(citizenAni.ID, m, "honest no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	card := h.wait(staffChat, m, "staff card", contains("izin keramaian"))
	time.Sleep(1500 * time.Millisecond) // the sender cannot record the card meanwhile
	h.proxy.Restore()
	waitOutboxEmpty(t, h)

	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Silakan ke Polsek setempat.")
	h.wait(citizenAni.ID, card.Seq, "officer's reply", contains("Polsek setempat"))
	cards := 0
	for _, s := range h.srv.All() {
		if s.Method == "sendMessage" && s.ChatID == staffChat && strings.Contains(s.Text, "izin keramaian") {
			cards++
		}
	}
	if cards != 1 {
		t.Errorf("the card was sent %d times, want once\n%s", cards, dump(h.srv.All()))
	}
}

// A card whose sending was never recorded (the process died after Telegram accepted
// it) has no link to its ticket: an officer's reply to it is still routed, by the
// ticket its buttons name, rather than dropped.
func TestReplyToUnrecordedCardReachesTheCitizen(t *testing.T) {
	h := newHarness(t)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "apakah bisa mengurus izin keramaian untuk hajatan?")
	no := h.wait(citizenAni.ID, m, "honest no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenAni, citizenAni.ID, no.MessageID, button(t, no, "petugas"))
	card := h.wait(staffChat, m, "staff card", contains("izin keramaian"))
	waitOutboxEmpty(t, h)
	if _, err := h.db.Exec(`DELETE FROM message_links WHERE chat_id = $1`, staffChat); err != nil {
		t.Fatal(err)
	}
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Silakan ke Polsek setempat.")
	h.wait(citizenAni.ID, card.Seq, "officer's reply", contains("Polsek setempat"))
}
