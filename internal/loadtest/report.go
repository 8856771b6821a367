package loadtest

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loket-id/loket/internal/telegramtest"
)

// stats are gathered while the scenario runs.
type stats struct {
	updates, escalated, tickets, answered, officerReplies atomic.Int64

	mu        sync.Mutex
	latencies []time.Duration
	ticketLat []time.Duration
}

func (s *stats) latency(d time.Duration) {
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	s.mu.Unlock()
}

func (s *stats) ticketLatency(d time.Duration) {
	s.mu.Lock()
	s.ticketLat = append(s.ticketLat, d)
	s.mu.Unlock()
}

// Report is what a scenario measured.
type Report struct {
	Citizens, Messages int
	// Notices is how many citizens were told, during a database outage, that their
	// message is kept until it is back (not counted as replies).
	Notices int
	// Updates is every update the simulated people sent: messages, button presses
	// and the officers' replies.
	Updates int
	// Replies is every bot message that reached a citizen's chat.
	Replies int
	// Elapsed is from the first update to the last awaited reply.
	Elapsed time.Duration
	// UpdatesPerSecond is the citizens' updates answered per second of Elapsed.
	UpdatesPerSecond float64
	// Latency percentiles from an update being queued at the fake Bot API to the
	// bot's reply reaching it.
	P50, P90, P99, Max time.Duration
	// Escalated questions were passed on to an officer; Tickets of them got a ticket
	// number; OfficerReplies were sent by officers; Answered reached the citizen.
	Escalated, Tickets, OfficerReplies, Answered int
	// TicketP50 is the median time from a ticket's number to the officer's answer
	// reaching the citizen (officers answer at once here).
	TicketP50 time.Duration
	// Missing is how many expected bot messages never arrived; Duplicates how many
	// arrived beyond one per update; Late were awaited longer than the reply timeout.
	Missing, Duplicates, Late int
	// Pending is updates the bot had not taken from the fake at the end.
	Pending int
	// TooMany counts 429 answers; Violations the breaches of Telegram's limits (a
	// 429 answer is always one: a bot that keeps the limits never gets one).
	TooMany    int
	Violations []telegramtest.Violation
	// Rejected are requests Telegram would have refused.
	Rejected []telegramtest.Rejection
}

// OK is true when every message was answered exactly once and Telegram's limits
// were kept.
func (r *Report) OK() bool {
	return r.Missing == 0 && r.Duplicates == 0 && len(r.Violations) == 0 && r.Answered == r.Tickets
}

func (s *stats) report(cfg Config, cits []*citizen, obs *observer, srv *telegramtest.Server, elapsed time.Duration) *Report {
	r := &Report{
		Citizens: cfg.Citizens, Messages: cfg.Messages, Updates: int(s.updates.Load()), Elapsed: elapsed,
		Escalated: int(s.escalated.Load()), Tickets: int(s.tickets.Load()),
		OfficerReplies: int(s.officerReplies.Load()), Answered: int(s.answered.Load()),
		Pending: srv.PendingUpdates(), Notices: int(obs.notices.Load()), Violations: srv.Violations(), Rejected: srv.Rejected(),
	}
	for _, c := range cits {
		got := int(obs.chats[c.user.ID].got.Load())
		r.Replies += got
		r.Late += c.timeouts
		r.Missing += max(0, c.expected-got)
		r.Duplicates += max(0, got-c.expected)
	}
	r.TooMany = len(r.Violations)
	s.mu.Lock()
	lat := slices.Clone(s.latencies)
	tl := slices.Clone(s.ticketLat)
	s.mu.Unlock()
	slices.Sort(lat)
	slices.Sort(tl)
	r.P50, r.P90, r.P99 = percentile(lat, 0.50), percentile(lat, 0.90), percentile(lat, 0.99)
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	r.TicketP50 = percentile(tl, 0.50)
	citizenUpdates := r.Updates - r.OfficerReplies
	if elapsed > 0 {
		r.UpdatesPerSecond = float64(citizenUpdates) / elapsed.Seconds()
	}
	return r
}

// percentile returns the p-quantile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Print writes the report for people.
func (r *Report) Print(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "Citizens:          %d × %d messages\n", r.Citizens, r.Messages)
	fmt.Fprintf(w, "Updates sent:      %d (messages, button presses, officer replies)\n", r.Updates)
	fmt.Fprintf(w, "Replies received:  %d\n", r.Replies)
	fmt.Fprintf(w, "Elapsed:           %s\n", r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "Throughput:        %.0f citizen updates/s\n", r.UpdatesPerSecond)
	fmt.Fprintf(w, "Latency:           p50 %s  p90 %s  p99 %s  max %s\n", ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
	fmt.Fprintf(w, "Escalations:       %d passed on, %d tickets, %d officer replies, %d delivered (median %s)\n",
		r.Escalated, r.Tickets, r.OfficerReplies, r.Answered, ms(r.TicketP50))
	fmt.Fprintf(w, "Missing replies:   %d\n", r.Missing)
	fmt.Fprintf(w, "Duplicate replies: %d\n", r.Duplicates)
	if r.Late > 0 {
		fmt.Fprintf(w, "Late replies:      %d (waited longer than the reply timeout)\n", r.Late)
	}
	if r.Pending > 0 {
		fmt.Fprintf(w, "Updates pending:   %d (not yet taken by the bot)\n", r.Pending)
	}
	if r.Notices > 0 {
		fmt.Fprintf(w, "Outage notices:    %d (\"kept until the service recovers\")\n", r.Notices)
	}
	fmt.Fprintf(w, "429 received:      %d\n", r.TooMany)
	if len(r.Violations) == 0 {
		fmt.Fprintln(w, "Telegram limits:   kept")
	} else {
		fmt.Fprintf(w, "Telegram limits:   EXCEEDED %d times, first: %s in chat %d (%s)\n",
			len(r.Violations), r.Violations[0].Method, r.Violations[0].ChatID, r.Violations[0].Reason)
	}
	if len(r.Rejected) > 0 {
		fmt.Fprintf(w, "Rejected requests: %d, first: %s %d %s\n", len(r.Rejected), r.Rejected[0].Method, r.Rejected[0].Code, r.Rejected[0].Description)
	}
	if r.OK() {
		fmt.Fprintln(w, "Result:            PASS: every message answered exactly once")
	} else {
		fmt.Fprintln(w, "Result:            FAIL")
	}
}
