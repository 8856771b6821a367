package main

// Process-level fault tests of `loket serve`: the real binary, started as an operator
// would, under a simulated load (internal/loadtest) against the fake Bot API, killed
// with SIGKILL in the middle of the run. What must hold whatever the timing:
//
//   - no citizen message goes unanswered (updates are confirmed to Telegram only once
//     their effects are committed, so an update in hand at the kill is delivered
//     again; processed_updates makes the second delivery a no-op);
//   - every escalation opens exactly one ticket, and every officer's answer reaches
//     the citizen (the messages wait in the outbox, written in the same transaction);
//   - doubles are rare: a message is sent twice only when the process died between
//     Telegram accepting it and the outbox row being marked sent (docs/replicas.md),
//     so at most the few messages in flight at the kill.
//
// A killed process's outbox claims last DefaultClaimTTL (60 s) before another
// process takes its chats over, so the chats it was draining wait about a minute:
// the citizens' reply timeout is set well above that, and these tests take 1–2
// minutes each (they run in parallel with each other).
//
// A card doubled at a kill (sent, not recorded) is answered on either copy
// (TestOfficerReplyToCardDoubledByCrash).

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/loadtest"
	"github.com/loket-id/loket/internal/telegramtest"
)

// maxDoublesAtKill bounds the bot messages sent twice because of one kill -9: those
// accepted by Telegram and not yet marked sent when the process died. At the
// sender's pace (28 messages a second, a few milliseconds from the request to the
// row marked sent) that is rarely more than one or two; a bound well above it still
// fails a run where doubles are widespread.
const maxDoublesAtKill = 20

// faultReplyTimeout is how long a simulated citizen waits for one reply: above the
// claim TTL, since the chats a killed process was sending to wait for its claims to
// expire.
const faultReplyTimeout = 100 * time.Second

// runResult is what a load run in the background ended with.
type runResult struct {
	rep *loadtest.Report
	err error
}

// startRun runs the load scenario in the background; the result arrives on the
// channel. A run still going when the test ends is stopped and waited for.
func startRun(t *testing.T, srv *telegramtest.Server, cfg loadtest.Config) <-chan runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	out := make(chan runResult, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		rep, err := loadtest.Run(ctx, srv, cfg)
		out <- runResult{rep, err}
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return out
}

// awaitReport waits for the run's report, failing the test if there is none.
func awaitReport(t *testing.T, ch <-chan runResult) *loadtest.Report {
	t.Helper()
	res := <-ch
	if res.err != nil {
		t.Fatalf("load run: %v", res.err)
	}
	var b bytes.Buffer
	res.rep.Print(&b)
	t.Logf("load run report (its Result counts any double as a failure; the kill tests allow those in flight at the kill):\n%s", b.String())
	return res.rep
}

// waitCitizenReplies waits until the bot sent n new messages to citizens (private
// chats) in all.
func waitCitizenReplies(t *testing.T, srv *telegramtest.Server, n int, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	seen := 0
	if _, err := srv.WaitForContext(ctx, func(s telegramtest.Sent) bool {
		if s.ChatID > 0 && isNewMessage(s) {
			seen++
		}
		return seen >= n
	}); err != nil {
		t.Fatalf("only %d of %d replies to citizens arrived: %v", seen, n, err)
	}
}

func isNewMessage(s telegramtest.Sent) bool {
	switch s.Method {
	case "sendMessage", "sendPhoto", "sendDocument", "copyMessage":
		return true
	}
	return false
}

// claimsLeft counts the outbox rows still claimed (by a process that may be dead) and
// not sent, and their chats.
func (r *faultRig) claimsLeft(t *testing.T) (rows, chats int) {
	t.Helper()
	var v struct {
		Rows  int `db:"rows"`
		Chats int `db:"chats"`
	}
	if err := r.db.Get(&v, `SELECT count(*) AS rows, count(DISTINCT chat_id) AS chats FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND claimed_until > now()`); err != nil {
		t.Fatal(err)
	}
	return v.Rows, v.Chats
}

// faultFigures are what a run ended with, for the log and the final report.
type faultFigures struct {
	tickets, cards, cardDoubles, replyDoubles, officerReplies, rejected int
}

// check asserts what must hold after a run, however often processes were killed:
// every update handled exactly once, no reply missing, one ticket per escalation,
// every officer answer delivered, nothing refused for good by the sender, and at most
// maxDoubles messages sent twice (bot replies to citizens and ticket cards).
func (r *faultRig) check(t *testing.T, rep *loadtest.Report, maxDoubles int) faultFigures {
	t.Helper()
	srv, db := r.srv, r.db
	var f faultFigures

	// Every reply arrived, within the timeout.
	if rep.Missing != 0 || rep.Late != 0 {
		t.Errorf("%d replies to citizens missing, %d later than %s (updates still queued at the fake: %d)",
			rep.Missing, rep.Late, faultReplyTimeout, rep.Pending)
	}
	// Every update was handled, once: processed_updates has one row per update the
	// simulated people sent (its primary key refuses a second).
	var handled int
	if err := db.Get(&handled, `SELECT count(*) FROM processed_updates WHERE bot_id = $1`, srv.Bot().ID); err != nil {
		t.Fatal(err)
	}
	if handled != rep.Updates {
		t.Errorf("%d updates recorded as handled, want the %d sent (messages, button presses, officer replies)", handled, rep.Updates)
	}

	// One ticket per escalation, and no citizen with two.
	if err := db.Get(&f.tickets, `SELECT count(*) FROM tickets`); err != nil {
		t.Fatal(err)
	}
	if rep.Escalated == 0 {
		t.Error("no citizen passed a question on to an officer: the scenario tests nothing about escalations")
	}
	if f.tickets != rep.Tickets || rep.Escalated != rep.Tickets {
		t.Errorf("%d escalations, %d ticket numbers reached the citizens, %d tickets in the database: want all equal",
			rep.Escalated, rep.Tickets, f.tickets)
	}
	var twice []int64
	if err := db.Select(&twice, `SELECT citizen_id FROM tickets GROUP BY citizen_id HAVING count(*) > 1`); err != nil {
		t.Fatal(err)
	}
	if len(twice) > 0 {
		t.Errorf("citizens with more than one ticket (each escalated one question once): %v", twice)
	}
	var opened, badTrail int
	if err := db.Get(&opened, `SELECT count(*) FROM audit_log WHERE action = 'ticket.opened'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&badTrail, `SELECT count(*) FROM tickets t WHERE
		(SELECT count(*) FROM audit_log a WHERE a.ticket_id = t.id AND a.action = 'ticket.opened') <> 1`); err != nil {
		t.Fatal(err)
	}
	if opened != f.tickets || badTrail != 0 {
		t.Errorf("audit log: %d ticket.opened entries for %d tickets, %d tickets without exactly one", opened, f.tickets, badTrail)
	}

	// Every ticket's card reached the staff group; doubles are counted.
	seen := map[int64]int{}
	for _, s := range srv.Messages(loadtest.StaffChatID) {
		if !isNewMessage(s) {
			continue
		}
		if id := cardTicket(s); id != 0 {
			seen[id]++
			f.cards++
		}
	}
	f.cardDoubles = f.cards - len(seen)
	if len(seen) != f.tickets {
		t.Errorf("cards of %d tickets reached the staff group, want %d", len(seen), f.tickets)
	}

	// Every officer answer was delivered (at least once), and every officer reply
	// was handled once.
	f.officerReplies = rep.OfficerReplies
	if rep.Answered != rep.Tickets {
		t.Errorf("%d of %d officer answers reached the citizen", rep.Answered, rep.Tickets)
	}
	var unanswered, replySent int
	if err := db.Get(&unanswered, `SELECT count(*) FROM tickets WHERE first_response_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&replySent, `SELECT count(*) FROM audit_log WHERE action = 'ticket.reply_sent'`); err != nil {
		t.Fatal(err)
	}
	if unanswered != 0 {
		t.Errorf("%d tickets without a first response", unanswered)
	}
	if replySent != rep.OfficerReplies {
		// A card sent twice at a kill has a first copy that was never recorded as sent;
		// a reply to it must still reach the ticket (TestOfficerReplyToCardDoubledByCrash).
		t.Errorf("%d ticket.reply_sent audit entries for %d officer replies (%d cards never recorded as sent)",
			replySent, rep.OfficerReplies, r.orphanCards(t))
	}

	// Nothing the citizens should have got waits in the outbox, and nothing was
	// given up. (The staff group's card edits and notices trail behind: 20 messages a
	// minute per group.)
	deadline := time.Now().Add(30 * time.Second)
	var unsent, groupUnsent, failed int
	for {
		if err := db.Get(&unsent, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND chat_id > 0`); err != nil {
			t.Fatal(err)
		}
		if unsent == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := db.Get(&groupUnsent, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND chat_id < 0`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&failed, `SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if unsent != 0 || failed != 0 {
		t.Errorf("outbox: %d messages to citizens still unsent, %d given up (refused by Telegram)", unsent, failed)
	}

	// Doubles: only what was in flight at a kill.
	f.replyDoubles = rep.Duplicates
	rejected := srv.Rejected()
	f.rejected = len(rejected)
	for i, rj := range rejected {
		if i == 5 {
			break
		}
		t.Logf("Telegram would have refused %s: %d %s", rj.Method, rj.Code, rj.Description)
	}
	if d := f.replyDoubles + f.cardDoubles; d > maxDoubles || f.rejected > maxDoubles {
		t.Errorf("%d replies to citizens and %d cards sent twice, %d requests Telegram would refuse: want at most %d (only messages in flight at a kill may be doubled)",
			f.replyDoubles, f.cardDoubles, f.rejected, maxDoubles)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("%d breaches of Telegram's limits, first: %+v", len(v), v[0])
	}
	t.Logf("figures: %d updates handled once, %d citizen replies (%d doubled), %d escalations → %d tickets, %d cards (%d doubled), %d officer replies, %d answers delivered, %d refused requests; staff-group messages still queued (rate-limited): %d",
		handled, rep.Replies, f.replyDoubles, rep.Escalated, f.tickets, f.cards, f.cardDoubles, rep.OfficerReplies, rep.Answered, f.rejected, groupUnsent)
	return f
}

// orphanCards counts the ticket cards in the staff group that no message_links row
// ties to their ticket (sent by a process that died before recording it).
func (r *faultRig) orphanCards(t *testing.T) int {
	t.Helper()
	n := 0
	for _, s := range r.srv.Messages(loadtest.StaffChatID) {
		if !isNewMessage(s) || cardTicket(s) == 0 {
			continue
		}
		var linked bool
		if err := r.db.Get(&linked, `SELECT EXISTS (SELECT 1 FROM message_links WHERE chat_id = $1 AND message_id = $2)`,
			s.ChatID, s.MessageID); err != nil {
			t.Fatal(err)
		}
		if !linked {
			n++
		}
	}
	return n
}

// cardTicket returns the ticket of a ticket card (from its buttons' data
// "tk:<action>:<ticket>"), or 0.
func cardTicket(s telegramtest.Sent) int64 {
	for _, row := range s.Keyboard {
		for _, b := range row {
			if rest, ok := strings.CutPrefix(b.CallbackData, "tk:"); ok {
				parts := strings.Split(rest, ":")
				if len(parts) >= 2 {
					if id, err := strconv.ParseInt(parts[1], 10, 64); err == nil {
						return id
					}
				}
			}
		}
	}
	return 0
}

// killMidRun waits until 40% of the citizens' replies arrived (and, with atTickets,
// until the first ticket card reached the staff group too, so that tickets are being
// opened and answered at the kill), kills p with SIGKILL and logs what it left
// behind.
func (r *faultRig) killMidRun(t *testing.T, p *serveProc, cfg loadtest.Config, atTickets bool) {
	t.Helper()
	waitCitizenReplies(t, r.srv, cfg.Citizens*cfg.Messages*2/5, 90*time.Second)
	if atTickets {
		if _, err := r.srv.WaitFor(60*time.Second, func(s telegramtest.Sent) bool {
			return s.ChatID == loadtest.StaffChatID && cardTicket(s) != 0
		}); err != nil {
			t.Fatalf("no ticket card reached the staff group: %v", err)
		}
	}
	sends := r.srv.SentCount()
	p.kill9(t)
	rows, chats := r.claimsLeft(t)
	var tickets int
	if err := r.db.Get(&tickets, `SELECT count(*) FROM tickets`); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed %s with SIGKILL after %d sends to Telegram, %d tickets opened; it left %d outbox messages of %d chats claimed (they wait for the claims to expire)",
		p.name, sends, tickets, rows, chats)
}

// faultLoad is the load of the kill tests. Escalations are kept few: every ticket
// card, card edit and notice goes to the one staff group, which the sender holds to
// Telegram's 20 messages a minute per group. The seed is logged, to replay a run.
func faultLoad(t *testing.T) loadtest.Config {
	seed := rand.Uint64()
	t.Logf("load: 100 citizens × 3 messages, 2.5%% unanswerable, seed %d", seed)
	return loadtest.Config{Citizens: 100, Messages: 3, Escalate: 0.025, Officers: 3,
		ReplyTimeout: faultReplyTimeout, Settle: 2 * time.Second, Seed: seed}
}

// TestServeKilledMidRunLosesNothing kills the only `loket serve` with SIGKILL in the
// middle of a load run and starts another on the same database: no reply is lost,
// no escalation lost or doubled, every officer answer delivered.
func TestServeKilledMidRunLosesNothing(t *testing.T) {
	rig := newFaultRig(t, 3, false)
	t.Parallel()
	start := time.Now()
	first := rig.serve("serve #1", nil)
	waitPolling(t, rig.srv)

	cfg := faultLoad(t)
	run := startRun(t, rig.srv, cfg)
	rig.killMidRun(t, first, cfg, true)
	time.Sleep(time.Second)
	second := rig.serve("serve #2 (restarted)", nil)
	rep := awaitReport(t, run)
	f := rig.check(t, rep, maxDoublesAtKill)
	if !second.running() {
		t.Errorf("the restarted process stopped: %s", second.exitState())
	}
	t.Logf("done in %s: %d tickets, %d doubles at the kill (%d replies, %d cards)",
		time.Since(start).Round(time.Second), f.tickets, f.replyDoubles+f.cardDoubles, f.replyDoubles, f.cardDoubles)
}

// TestReplicasOneKilledOtherCarriesOn runs two polling `loket serve` processes on one
// database (one polls, the other stands by; both send) and kills the one that polls
// in the middle of a run: the other takes over polling and finishes the run, with
// nothing lost and no ticket doubled.
func TestReplicasOneKilledOtherCarriesOn(t *testing.T) {
	rig := newFaultRig(t, 3, false)
	t.Parallel()
	start := time.Now()
	poller := rig.serve("replica A", nil)
	waitPolling(t, rig.srv)
	standby := rig.serve("replica B", nil)
	// Replica A holds the poll lock: B says it stands by.
	standby.waitLog(t, "another process is polling Telegram; standing by", 15*time.Second)
	if n := poller.logs.count("standing by"); n != 0 {
		t.Fatalf("replica A, started first and polling, logged %d standby lines", n)
	}

	cfg := faultLoad(t)
	run := startRun(t, rig.srv, cfg)
	rig.killMidRun(t, poller, cfg, false)
	killed := time.Now()
	standby.waitLog(t, "this process polls Telegram now", 15*time.Second)
	t.Logf("replica B took over polling %s after the kill", time.Since(killed).Round(100*time.Millisecond))
	rep := awaitReport(t, run)
	f := rig.check(t, rep, maxDoublesAtKill)
	if !standby.running() {
		t.Errorf("replica B stopped: %s", standby.exitState())
	}
	t.Logf("done in %s: %d tickets, %d doubles at the kill (%d replies, %d cards)",
		time.Since(start).Round(time.Second), f.tickets, f.replyDoubles+f.cardDoubles, f.replyDoubles, f.cardDoubles)
}
