// Package loadtest drives a running Loket through the fake Bot API of
// internal/telegramtest: simulated citizens ask the sample golden questions (and some
// questions nothing answers, which they pass on to an officer), simulated officers
// answer the tickets, and every reply is checked and timed. It backs `loket loadtest`
// and the load tests.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
)

// StaffChatID is the officers' group in the fake Bot API.
const StaffChatID = int64(-1009000000001)

// officerMark starts every simulated officer's answer, so the citizen tells it apart
// from the bot's own replies.
const officerMark = "Jawaban petugas uji"

// Config is one load scenario.
type Config struct {
	// Citizens is how many citizens write at once; each sends Messages messages,
	// waiting for the answer to one before sending the next.
	Citizens, Messages int
	// Escalate is the fraction (0..1) of messages that are questions nothing in the
	// knowledge base answers; a citizen who gets one passes it on to an officer with
	// the button (at most once, as their last message) and waits for the answer.
	Escalate float64
	// Officers answer the tickets (their Telegram ids are OfficerIDs(Officers)).
	Officers int
	// Rate caps the citizens' messages per second over all (0: as fast as answered).
	Rate float64
	// Think is a pause between a reply and the citizen's next message.
	Think time.Duration
	// ReplyTimeout is how long a citizen waits for one reply before counting it lost.
	ReplyTimeout time.Duration
	// Settle is how long to watch for late duplicates after the last reply.
	Settle time.Duration
	// FirstCitizenID is the Telegram id of the first citizen (the others follow);
	// 0 picks a random base, so runs against one database do not meet old state.
	FirstCitizenID int64
	// Seed makes the choice of questions repeatable (0: random).
	Seed uint64
	// WebhookConnections is how many updates the fake posts at once to a bot that
	// set a webhook (default 40, Loket's LOKET_WEBHOOK_MAX_CONNECTIONS).
	WebhookConnections int
	// APIOutage, when positive, makes the fake Bot API answer every call 502 Bad
	// Gateway (getUpdates too, and no webhook call is made) for that long, starting
	// APIOutageAfter into the run: once it is over the bot must still answer every
	// message exactly once. ReplyTimeout should then be longer than the outage.
	APIOutage, APIOutageAfter time.Duration
	// Log receives the tool's own warnings (nil: discarded).
	Log *slog.Logger
}

func (c *Config) defaults() error {
	if c.Citizens <= 0 || c.Messages <= 0 {
		return errors.New("loadtest: citizens and messages must be positive")
	}
	if c.Escalate < 0 || c.Escalate > 1 {
		return errors.New("loadtest: escalate is a fraction between 0 and 1")
	}
	if c.Escalate > 0 && c.Officers <= 0 {
		return errors.New("loadtest: escalated questions need at least one officer")
	}
	if c.APIOutage < 0 || c.APIOutageAfter < 0 {
		return errors.New("loadtest: the API outage and its start cannot be negative")
	}
	if c.ReplyTimeout <= 0 {
		c.ReplyTimeout = 30 * time.Second
	}
	if c.Settle <= 0 {
		c.Settle = time.Second
	}
	if c.WebhookConnections <= 0 {
		c.WebhookConnections = 40
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Seed == 0 {
		c.Seed = rand.Uint64()
	}
	if c.FirstCitizenID == 0 {
		c.FirstCitizenID = 7_000_000_000 + rand.Int64N(1_000_000)*1000
	}
	return nil
}

// OfficerIDs are the Telegram user ids of n simulated officers.
func OfficerIDs(n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = 6_900_000_001 + int64(i)
	}
	return ids
}

// Questions are what citizens ask: FAQ questions the bot should answer, and questions
// nothing in the knowledge base answers.
type Questions struct {
	FAQ, None []string
}

// SampleQuestions are the golden questions of the sample knowledge base.
func SampleQuestions() (Questions, error) {
	cases, err := knowledge.ParseCases(sample.Cases)
	if err != nil {
		return Questions{}, fmt.Errorf("loadtest: %w", err)
	}
	var q Questions
	for _, c := range cases {
		if c.Expect == "none" {
			q.None = append(q.None, c.Q)
		} else {
			q.FAQ = append(q.FAQ, c.Q)
		}
	}
	if len(q.FAQ) == 0 || len(q.None) == 0 {
		return q, errors.New("loadtest: the sample golden questions lack answered or unanswered ones")
	}
	return q, nil
}

// Run plays the scenario against a bot that polls srv (or gets its webhook calls),
// and reports. It returns an error only when the scenario cannot run; lost and
// doubled messages are in the report (see [Report.OK]).
func Run(ctx context.Context, srv *telegramtest.Server, cfg Config) (*Report, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	qs, err := SampleQuestions()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv.AddGroup(StaffChatID, "Petugas Loket (uji beban)")
	officers := make([]telegramtest.User, cfg.Officers)
	for i, id := range OfficerIDs(cfg.Officers) {
		officers[i] = telegramtest.User{ID: id, FirstName: fmt.Sprintf("Petugas %d", i+1)}
	}
	cits := plan(cfg, qs)
	obs := newObserver(srv, cfg.Citizens)
	for _, c := range cits {
		srv.AddPrivateChat(c.user)
		obs.watch(c.user.ID)
	}
	go obs.run(ctx)
	go srv.PumpWebhook(ctx, cfg.WebhookConnections)
	var limiter *rate.Limiter
	if cfg.Rate > 0 {
		limiter = rate.NewLimiter(rate.Limit(cfg.Rate), max(1, int(cfg.Rate/100)))
	}
	st := &stats{}
	start := time.Now()
	if cfg.APIOutage > 0 {
		began := make(chan struct{})
		go func() {
			defer close(began)
			sleepCtx(ctx, cfg.APIOutageAfter)
			if ctx.Err() == nil {
				srv.Outage(cfg.APIOutage, telegramtest.OutageBadGateway)
			}
		}()
		defer func() {
			cancel()
			<-began
			srv.Outage(0, 0) // a run cut short leaves no outage behind
		}()
	}
	var officerWG sync.WaitGroup
	for _, o := range officers {
		officerWG.Add(1)
		go func() {
			defer officerWG.Done()
			officer(ctx, srv, o, obs.cards, st)
		}()
	}
	var wg sync.WaitGroup
	for _, c := range cits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.run(ctx, srv, obs, limiter, cfg, st)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loadtest: interrupted: %w", err)
	}
	sleepCtx(ctx, cfg.Settle)
	cancel()
	officerWG.Wait()
	return st.report(cfg, cits, obs, srv, elapsed), nil
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
