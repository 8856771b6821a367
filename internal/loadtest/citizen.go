package loadtest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
)

// Callback data prefixes of the buttons the simulated citizen presses (bot/callback.go,
// bot/consent.go, bot/ticketflow.go).
const (
	officerButton = "esc:"  // pass the question on to an officer
	consentYes    = "cs:1:" // agree to the privacy notice
	cardButton    = "tk:"   // a ticket card's buttons in the staff group
)

// citizen is one simulated citizen: the messages they will send, and what they got.
type citizen struct {
	user     telegramtest.User
	texts    []string
	escalate bool // the last text is unanswerable and is passed on to an officer
	// expected is how many bot messages the chat should get: one per action, plus
	// the officer's answer to a ticket.
	expected int
	timeouts int
	ticket   bool // a ticket was opened
}

// plan draws each citizen's messages; the escalating citizens are spread at random.
func plan(cfg Config, qs Questions) []*citizen {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x10ce7))
	nEsc := min(cfg.Citizens, int(math.Round(cfg.Escalate*float64(cfg.Citizens*cfg.Messages))))
	escalating := map[int]bool{}
	for _, i := range rng.Perm(cfg.Citizens)[:nEsc] {
		escalating[i] = true
	}
	out := make([]*citizen, cfg.Citizens)
	for i := range out {
		c := &citizen{
			user:     telegramtest.User{ID: cfg.FirstCitizenID + int64(i), FirstName: fmt.Sprintf("Warga %d", i+1), LanguageCode: "id"},
			escalate: escalating[i],
		}
		for range cfg.Messages {
			c.texts = append(c.texts, qs.FAQ[rng.IntN(len(qs.FAQ))])
		}
		if c.escalate {
			c.texts[len(c.texts)-1] = qs.None[rng.IntN(len(qs.None))]
		}
		out[i] = c
	}
	return out
}

// run sends the citizen's messages one after the other, each once the previous one
// was answered, and follows an escalation through to the officer's answer.
func (c *citizen) run(ctx context.Context, srv *telegramtest.Server, obs *observer, lim *rate.Limiter, cfg Config, st *stats) {
	w := obs.chats[c.user.ID]
	chat := c.user.ID
	for i, text := range c.texts {
		reply, ok := c.act(ctx, w, lim, cfg, st, func() { srv.SendText(c.user, chat, text) })
		if !ok {
			continue
		}
		if c.escalate && i == len(c.texts)-1 {
			c.escalateReply(ctx, srv, w, lim, cfg, st, reply)
		}
		if cfg.Think > 0 {
			sleepCtx(ctx, cfg.Think)
		}
	}
}

// escalateReply presses the officer button on the bot's reply to an unanswerable
// question, agrees to the privacy notice if asked, and waits for the officer.
func (c *citizen) escalateReply(ctx context.Context, srv *telegramtest.Server, w *watched, lim *rate.Limiter, cfg Config, st *stats, reply telegramtest.Sent) {
	data := buttonData(reply, officerButton)
	if data == "" {
		return // small talk, say: nothing to pass on
	}
	st.escalated.Add(1)
	press := func(s telegramtest.Sent, data string) func() {
		return func() { srv.PressButton(c.user, c.user.ID, s.MessageID, data) }
	}
	reply, ok := c.act(ctx, w, lim, cfg, st, press(reply, data))
	if !ok {
		return
	}
	if data := buttonData(reply, consentYes); data != "" {
		if reply, ok = c.act(ctx, w, lim, cfg, st, press(reply, data)); !ok {
			return
		}
	}
	if !strings.Contains(reply.Text, "#") {
		return // no ticket number: the bot did not open one
	}
	c.ticket = true
	c.expected++
	st.tickets.Add(1)
	start := time.Now()
	if _, ok := w.next(ctx, 2*cfg.ReplyTimeout, true); ok {
		st.answered.Add(1)
		st.ticketLatency(time.Since(start))
	} else {
		c.timeouts++
	}
}

// act does one thing that the bot must answer with one message, and returns that
// message; the time from the update to the reply is recorded.
func (c *citizen) act(ctx context.Context, w *watched, lim *rate.Limiter, cfg Config, st *stats, do func()) (telegramtest.Sent, bool) {
	if lim != nil && lim.Wait(ctx) != nil {
		return telegramtest.Sent{}, false
	}
	c.expected++
	st.updates.Add(1)
	t0 := time.Now()
	do()
	s, ok := w.next(ctx, cfg.ReplyTimeout, false)
	if !ok {
		c.timeouts++
		return s, false
	}
	st.latency(s.Time.Sub(t0))
	return s, true
}

// buttonData returns the callback data of the first button whose data has prefix.
func buttonData(s telegramtest.Sent, prefix string) string {
	for _, row := range s.Keyboard {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, prefix) {
				return b.CallbackData
			}
		}
	}
	return ""
}

// officer answers every new ticket card it takes from cards, by replying to it in the
// staff group, until ctx ends.
func officer(ctx context.Context, srv *telegramtest.Server, o telegramtest.User, cards <-chan telegramtest.Sent, st *stats) {
	for {
		select {
		case <-ctx.Done():
			return
		case card := <-cards:
			srv.ReplyText(o, StaffChatID, card.MessageID,
				officerMark+": silakan datang ke loket 3 dengan membawa KTP-el dan KK asli.")
			st.updates.Add(1)
			st.officerReplies.Add(1)
		}
	}
}

// watched is one citizen's chat as the observer sees it.
type watched struct {
	ch  chan telegramtest.Sent
	got atomic.Int64 // new messages the bot sent to the chat
}

// next returns the next bot message to the chat: an officer's answer when officer is
// true, else one of the bot's own replies.
func (w *watched) next(ctx context.Context, timeout time.Duration, officer bool) (telegramtest.Sent, bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case s := <-w.ch:
			if strings.Contains(s.Text, officerMark) == officer {
				return s, true
			}
		case <-t.C:
			return telegramtest.Sent{}, false
		case <-ctx.Done():
			return telegramtest.Sent{}, false
		}
	}
}

// observer reads every send the fake records, once, and hands each to the citizen
// whose chat it went to, or a new ticket card to the officers.
type observer struct {
	srv   *telegramtest.Server
	chats map[int64]*watched // filled before run starts, read-only after
	cards chan telegramtest.Sent
	cardN atomic.Int64
	// notices counts the notices that a message is kept during a database outage.
	notices atomic.Int64
}

func newObserver(srv *telegramtest.Server, citizens int) *observer {
	return &observer{srv: srv, chats: map[int64]*watched{}, cards: make(chan telegramtest.Sent, citizens+64)}
}

func (o *observer) watch(chatID int64) {
	o.chats[chatID] = &watched{ch: make(chan telegramtest.Sent, 64)}
}

// newMessage reports whether a send put a new message in a chat.
func newMessage(s telegramtest.Sent) bool {
	switch s.Method {
	case "sendMessage", "sendPhoto", "sendDocument", "copyMessage":
		return true
	}
	return false
}

func (o *observer) run(ctx context.Context) {
	_, _ = o.srv.WaitForContext(ctx, func(s telegramtest.Sent) bool {
		if !newMessage(s) {
			return false
		}
		if s.ChatID == StaffChatID {
			if buttonData(s, cardButton) != "" {
				o.cardN.Add(1)
				select {
				case o.cards <- s:
				default:
				}
			}
			return false
		}
		if bot.IsOutageNotice(s.Text) {
			o.notices.Add(1) // "kept for later" during a database outage: not a reply
			return false
		}
		if w, ok := o.chats[s.ChatID]; ok {
			w.got.Add(1)
			select {
			case w.ch <- s:
			default: // a flood of duplicates: counted, not queued
			}
		}
		return false
	})
}
