package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/telegramtest"
)

// Outages of the Bot API: for a while every call fails (502 Bad Gateway, or no
// answer at all). Citizens and officers go on writing in Telegram, an officer answers
// from the console; once the Bot API is back, everything is delivered exactly once, in
// order in each chat, soon.

const (
	// outageFor is how long the Bot API is down in these tests.
	outageFor = 4 * time.Second
	// recoveredWithin bounds the time from the end of the outage to the last message.
	recoveredWithin = 15 * time.Second
)

func TestAPIOutageBadGateway(t *testing.T) {
	testAPIOutage(t, telegramtest.OutageBadGateway)
}

func TestAPIOutageStall(t *testing.T) {
	testAPIOutage(t, telegramtest.OutageStall)
}

// expected is a message a chat must get once: its method and a part of its text
// (edits of buttons carry no text).
type expected struct {
	method, text string
}

func testAPIOutage(t *testing.T, mode telegramtest.OutageMode) {
	h := newHarness(t)
	ctx := context.Background()

	// Before the outage: Ani gets an answer; Budi's question nobody can answer becomes
	// a ticket with its card in the staff group.
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")
	skck := h.wait(citizenAni.ID, m, "SKCK answer", contains("Polres"))
	h.srv.SendText(citizenBudi, citizenBudi.ID, "berapa harga cabai rawit di pasar hari ini")
	no := h.wait(citizenBudi.ID, m, "honest no-answer", contains("belum punya jawaban"))
	h.srv.PressButton(citizenBudi, citizenBudi.ID, no.MessageID, button(t, no, "petugas"))
	opened := h.wait(citizenBudi.ID, no.Seq, "ticket number", contains("Nomor tiket"))
	var ticket int64
	if _, err := fmt.Sscanf(opened.Text[strings.Index(opened.Text, "#"):], "#%d", &ticket); err != nil {
		t.Fatalf("no ticket number in %q", opened.Text)
	}
	card := h.wait(staffChat, m, "staff card", contains(fmt.Sprintf("Tiket #%d", ticket)))
	// Whatever the ticket still had to send (the card's first edits) is out.
	waitOutboxEmpty(t, h)
	siti, err := h.store.StaffByTelegramID(ctx, h.db, officerSiti.ID)
	if err != nil {
		t.Fatal(err)
	}

	// The outage. An officer answers from the console (the messages wait in the
	// outbox) while citizens and another officer write in Telegram (the updates wait
	// at Telegram).
	mark := h.mark()
	start := time.Now()
	h.srv.Outage(outageFor, mode)
	if _, err := h.engine.DeskReply(ctx, siti, ticket, "Harga cabai dipantau Dinas Perdagangan setiap pagi."); err != nil {
		t.Fatal(err)
	}
	h.srv.SendText(citizenAni, citizenAni.ID, "bagaimana cara membayar pajak kendaraan bermotor tahunan")
	h.srv.PressButton(citizenAni, citizenAni.ID, skck.MessageID, button(t, skck, "👍"))
	h.srv.SendText(citizenAni, citizenAni.ID, "syarat bikin ktp baru apa aja")
	h.srv.ReplyText(officerSiti, staffChat, card.MessageID, "Silakan juga cek situs Dinas Perdagangan.")
	h.srv.SendText(citizenJohn, citizenJohn.ID, "where can I buy football tickets")
	end := start.Add(outageFor)

	want := map[int64][]expected{
		citizenAni.ID: {
			{"sendMessage", "Samsat"},
			{"editMessageReplyMarkup", ""}, // 👍 takes the buttons off the SKCK answer
			{"sendMessage", "KTP-el"},
		},
		citizenBudi.ID: {
			{"sendMessage", "Harga cabai dipantau"},
			{"sendMessage", "Silakan juga cek situs"},
		},
		citizenJohn.ID: {
			{"sendMessage", "don't have an answer"},
		},
		staffChat: {
			{"editMessageText", fmt.Sprintf("Tiket #%d — menunggu tanggapan Anda", ticket)}, // the card shows who answered
			{"sendMessage", "Siti Rahma menjawab dari konsol:\nHarga cabai dipantau"},
			{"sendMessage", fmt.Sprintf("Terkirim ke warga (tiket #%d)", ticket)}, // the reply to the card
		},
	}
	got := waitDelivered(t, h, mark, want, end.Add(recoveredWithin))
	t.Logf("outage of %v (%v): last message %v after its end", outageFor, mode, lastTime(got).Sub(end).Round(time.Millisecond))

	for _, s := range h.srv.All()[mark:] {
		if s.Time.Before(end) {
			t.Errorf("%s to chat %d accepted during the outage (at %v)", s.Method, s.ChatID, s.Time.Sub(start))
		}
	}
	if last := lastTime(got); last.After(end.Add(recoveredWithin)) {
		t.Errorf("last message %v after the outage, want within %v", last.Sub(end), recoveredWithin)
	}
	// The 👍 was recorded once and its button press answered once.
	var fb int
	if err := h.db.Get(&fb, `SELECT count(*) FROM questions WHERE citizen_id = $1 AND feedback = 1`, citizenAni.ID); err != nil || fb != 1 {
		t.Errorf("feedback recorded %d times (%v), want once", fb, err)
	}
	answers := 0
	for _, a := range h.srv.CallbackAnswers() {
		if a.ChatID == citizenAni.ID && a.MessageID == skck.MessageID {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("the 👍 press was answered %d times, want once", answers)
	}
	// The outage was felt on both sides: polling and sending.
	calls := h.srv.OutageCalls()
	if calls["getUpdates"] == 0 || calls["sendMessage"] == 0 {
		t.Errorf("calls refused by the outage %v: both getUpdates and sendMessage should have been tried", calls)
	}
	var retried int
	if err := h.db.Get(&retried, `SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts > 1 AND last_error <> ''`); err != nil || retried == 0 {
		t.Errorf("%d messages were sent after a failed attempt (%v); the console reply should have been", retried, err)
	}
	var left int
	if err := h.db.Get(&left, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil || left != 0 {
		t.Errorf("%d outbox entries unsent (%v)", left, err)
	}
}

// waitDelivered waits until every chat of want got its messages (sendMessage,
// copyMessage and edits, after mark), or deadline passes, then checks that each chat
// got exactly those, in that order, each once. It returns what was sent.
func waitDelivered(t *testing.T, h *harness, mark int, want map[int64][]expected, deadline time.Time) []telegramtest.Sent {
	t.Helper()
	collect := func() map[int64][]telegramtest.Sent {
		got := map[int64][]telegramtest.Sent{}
		for _, s := range h.srv.All()[mark:] {
			if _, ok := want[s.ChatID]; ok {
				got[s.ChatID] = append(got[s.ChatID], s)
			}
		}
		return got
	}
	done := func(got map[int64][]telegramtest.Sent) bool {
		for chat, w := range want {
			if len(got[chat]) < len(w) {
				return false
			}
		}
		return true
	}
	got := collect()
	for !done(got) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		got = collect()
	}
	// Late duplicates would come soon after: give them a moment.
	time.Sleep(1500 * time.Millisecond)
	got = collect()
	var all []telegramtest.Sent
	for chat, w := range want {
		g := got[chat]
		all = append(all, g...)
		ok := len(g) == len(w)
		for i := 0; ok && i < len(w); i++ {
			ok = g[i].Method == w[i].method && strings.Contains(g[i].Text, w[i].text)
		}
		if !ok {
			t.Errorf("chat %d got, in order:\n%swant exactly, in order: %v", chat, dump(g), w)
		}
	}
	return all
}

func lastTime(sent []telegramtest.Sent) time.Time {
	var last time.Time
	for _, s := range sent {
		if s.Time.After(last) {
			last = s.Time
		}
	}
	return last
}

// waitOutboxEmpty waits until the outbox has nothing left to send.
func waitOutboxEmpty(t *testing.T, h *harness) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		var n int
		if err := h.db.Get(&n, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox entries still unsent", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRetryAtOnceWhenTelegramAnswersAgain: a message whose sending failed waits at
// most 30 s before its next try, and when any call succeeds again the messages
// waiting for a retry are tried at once rather than after their backoff.
func TestRetryAtOnceWhenTelegramAnswersAgain(t *testing.T) {
	h := newHarness(t)
	waitOutboxEmpty(t, h)
	h.srv.FailNext("sendMessage", 2, 502, 0)
	m := h.mark()
	h.srv.SendText(citizenAni, citizenAni.ID, "cara membuat skck")

	// The answer failed once and waits a second for its retry. Make it look as if it
	// had failed ten times: without a cap the next wait would be minutes.
	id := waitEntry(t, h, `chat_id = $1 AND sent_at IS NULL AND attempts = 1`, citizenAni.ID)
	res, err := h.db.Exec(`UPDATE outbox SET attempts = 10 WHERE id = $1 AND attempts = 1 AND sent_at IS NULL`, id)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("the entry was retried before the test could age it (%v)", err)
	}
	waitEntry(t, h, `id = $1 AND sent_at IS NULL AND attempts = 11`, id)
	var secs float64
	if err := h.db.Get(&secs, `SELECT extract(epoch FROM next_attempt_at - now()) FROM outbox WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if wait := time.Duration(secs * float64(time.Second)); wait > 31*time.Second || wait < 20*time.Second {
		t.Errorf("after 11 failures the next try is in %v, want about 30 s (the cap)", wait.Round(time.Second))
	}

	// Telegram answers again: Budi's question gets its answer, and Ani's follows at
	// once instead of 30 s later.
	h.srv.SendText(citizenBudi, citizenBudi.ID, "bagaimana cara membayar pajak kendaraan bermotor tahunan")
	b := h.wait(citizenBudi.ID, m, "Budi's answer", contains("Samsat"))
	a := h.wait(citizenAni.ID, m, "Ani's answer, retried at once", contains("Polres"))
	if d := a.Time.Sub(b.Time); d > 3*time.Second {
		t.Errorf("Ani's answer came %v after Telegram answered again, want at once", d)
	}
	if n := len(h.srv.Messages(citizenAni.ID)); n != 1 {
		t.Errorf("Ani got %d messages, want her answer once:\n%s", n, dump(h.srv.Messages(citizenAni.ID)))
	}
}

// waitEntry waits until an outbox entry matches cond (with $1 = arg) and returns its id.
func waitEntry(t *testing.T, h *harness, cond string, arg any) int64 {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		var ids []int64
		if err := h.db.Select(&ids, `SELECT id FROM outbox WHERE `+cond+` ORDER BY id LIMIT 1`, arg); err != nil {
			t.Fatal(err)
		}
		if len(ids) == 1 {
			return ids[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no outbox entry with %s", cond)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
