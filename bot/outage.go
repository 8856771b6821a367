package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loket-id/loket/internal/pgconn"
	"github.com/loket-id/loket/knowledge"
)

// Outage lets Loket go on while PostgreSQL cannot be reached. It stands between the
// poller (or webhook) and the engine: an update the engine cannot handle because the
// database is unreachable is kept in the spool on local disk and acknowledged to
// Telegram. Meanwhile a question the in-memory index answers confidently is answered
// at once (without the feedback buttons, which need the database); anything else —
// tickets, officers' replies, button presses — is kept, and the citizen or the staff
// group is told once that it will be processed when the service recovers. While
// anything is kept, later updates are kept behind it, so each chat stays in order.
//
// Run replays the kept updates through the engine, oldest first, as soon as the
// database answers again: their effects (question log, tickets, cards, replies) are
// made as if they had just arrived, except that messages already sent are not sent
// again — an answer sent from memory gets its buttons added instead.
type Outage struct {
	engine *Engine
	sender *Sender
	spool  *Spool
	ping   func(context.Context) error
	log    *slog.Logger
	wake   chan struct{}

	mu       sync.Mutex
	noticed  map[int64]bool // chats told of the delay during this outage
	started  time.Time      // when the current outage began (zero: none)
	failures map[int64]int  // replay failures per kept update
}

// NewOutage returns the outage handler around engine. ping tells whether the
// database is reachable again; sender sends the messages of an outage at once.
func NewOutage(engine *Engine, sender *Sender, spool *Spool, ping func(context.Context) error, log *slog.Logger) *Outage {
	return &Outage{engine: engine, sender: sender, spool: spool, ping: ping, log: log,
		wake: make(chan struct{}, 1), noticed: map[int64]bool{}, failures: map[int64]int{}}
}

// HandleRaw handles an update through the engine, or keeps it when the database
// cannot be reached (or other updates are kept still).
func (o *Outage) HandleRaw(ctx context.Context, raw json.RawMessage) error {
	if o.spool.Len() == 0 {
		err := o.engine.HandleRaw(ctx, raw)
		if err == nil || !pgconn.Unavailable(err) || errors.Is(err, ErrMalformed) {
			return err
		}
		o.begin(err)
	}
	return o.keep(ctx, raw)
}

// begin notes the start of an outage.
func (o *Outage) begin(cause error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started.IsZero() {
		o.started = time.Now()
		o.log.Error("database unreachable: answering from memory and keeping updates for later", "err", cause)
	}
}

// keep spools an update and does what can be done without the database.
func (o *Outage) keep(ctx context.Context, raw json.RawMessage) error {
	if len(raw) > maxUpdateSize {
		return fmt.Errorf("%w: %d bytes", ErrMalformed, len(raw))
	}
	var upd tgbotapi.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	scrubNUL(&upd)
	seq, err := o.spool.Add(int64(upd.UpdateID), raw, time.Now())
	if err != nil {
		return err // not acknowledged: Telegram delivers it again
	}
	outs, acked := o.offline(ctx, upd)
	var sent []sentNow
	for _, out := range outs {
		id, err := o.sender.SendNow(ctx, out)
		if err != nil {
			o.log.Warn("message not sent during the outage; it is sent once the database is back", "chat_id", out.ChatID, "err", err)
			acked = acked && out.Method != "answerCallbackQuery"
			break
		}
		sent = append(sent, sentNow{Chat: out.ChatID, MessageID: id, Digest: digest(out)})
	}
	if len(sent) > 0 || acked {
		if err := o.spool.Sent(seq, sent, acked); err != nil {
			o.log.Error("outage: not recorded what was sent; it may be sent twice", "err", err)
		}
	}
	o.Wake()
	return nil
}

// offline returns what to send for an update while the database is unreachable: an
// answer from memory, or a notice that it is kept (once per chat and outage). acked
// is true when the outs answer a button press.
func (o *Outage) offline(ctx context.Context, upd tgbotapi.Update) (outs []Out, acked bool) {
	switch {
	case upd.CallbackQuery != nil && upd.CallbackQuery.From != nil:
		q := upd.CallbackQuery
		return []Out{answerCallback(chatOf(upd), q.ID, T(langOf(q.From.LanguageCode), txtOfflineButton))}, true
	case upd.Message == nil || upd.Message.Chat == nil || upd.Message.From == nil:
		return nil, false
	}
	m := upd.Message
	chat := m.Chat.ID
	if m.Chat.Type != "private" {
		if chat == o.engine.set.StaffChatID && o.firstNotice(chat) {
			return sendHTML(chat, staffOffline, nil), false
		}
		return nil, false
	}
	l := langOf(m.From.LanguageCode)
	text := strings.TrimSpace(m.Text)
	if text != "" && m.ReplyToMessage == nil && !hasAttachment(m) && command(m) == "" {
		if outs := o.engine.answerFromMemory(ctx, l, chat, text); outs != nil {
			return outs, false
		}
	}
	if o.firstNotice(chat) {
		return sendHTML(chat, T(l, txtOfflineKept), nil), false
	}
	return nil, false
}

// IsOutageNotice reports whether text is the notice a citizen gets, once per outage,
// that their message is kept until the database is back (for load tests, which must
// not count it as the reply to the message).
func IsOutageNotice(text string) bool {
	for _, l := range []lang{langID, langEN} {
		if strings.TrimSpace(text) == T(l, txtOfflineKept) {
			return true
		}
	}
	return false
}

// firstNotice reports whether chat has not been told of this outage yet, and notes
// that it is now.
func (o *Outage) firstNotice(chat int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.noticed[chat] {
		return false
	}
	o.noticed[chat] = true
	return true
}

// Wake asks Run to look at the spool.
func (o *Outage) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// outageCheckEvery is how often Run checks whether the database is back.
const outageCheckEvery = time.Second

// Run replays the kept updates whenever the database is reachable, until ctx ends.
func (o *Outage) Run(ctx context.Context) {
	t := time.NewTicker(outageCheckEvery)
	defer t.Stop()
	for {
		o.replayAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-o.wake:
		}
	}
}

// replayAll handles the kept updates in order while the database answers.
func (o *Outage) replayAll(ctx context.Context) {
	if o.spool.Len() == 0 {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	err := o.ping(pctx)
	cancel()
	if err != nil {
		return
	}
	n := 0
	for ctx.Err() == nil {
		rec, ok := o.spool.head()
		if !ok {
			break
		}
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
		err := o.engine.HandleRaw(Impatient(withReplay(hctx, rec)), rec.Raw)
		cancel()
		switch {
		case err == nil, errors.Is(err, ErrMalformed):
		case pgconn.Unavailable(err):
			return // down again: the rest waits
		default:
			o.mu.Lock()
			o.failures[rec.Seq]++
			tries := o.failures[rec.Seq]
			o.mu.Unlock()
			if tries < maxHandleFailures {
				o.log.Error("kept update failed; will retry", "attempt", tries, "err", err)
				return
			}
			o.log.Error("kept update failed repeatedly; skipped", "err", err)
		}
		if err := o.spool.Done(rec.Seq); err != nil {
			o.log.Error("outage: spool", "err", err)
			return
		}
		n++
	}
	if o.spool.Len() == 0 {
		o.mu.Lock()
		o.log.Info("database back: kept updates handled", "updates", n, "outage", time.Since(o.started).Round(time.Second))
		o.started = time.Time{}
		clear(o.noticed)
		clear(o.failures)
		o.mu.Unlock()
	}
}

type replayKey struct{}

// withReplay marks a context as the replay of a kept update.
func withReplay(ctx context.Context, rec spooled) context.Context {
	return context.WithValue(ctx, replayKey{}, rec)
}

// replayed adjusts what handling a kept update would send to what was sent already
// during the outage: a message sent then is not sent again (if it now comes with
// buttons, they are added to the message sent), and a button press answered then is
// not answered again.
func replayed(ctx context.Context, outs []Out) []Out {
	rec, ok := ctx.Value(replayKey{}).(spooled)
	if !ok {
		return outs
	}
	kept := outs[:0]
	for _, out := range outs {
		if out.Method == "answerCallbackQuery" && rec.Acked {
			continue
		}
		if i := sentMatch(rec.Sent, out); i >= 0 {
			prev := rec.Sent[i]
			rec.Sent = append(rec.Sent[:i:i], rec.Sent[i+1:]...)
			if markup := out.Params["reply_markup"]; markup != "" && prev.MessageID != 0 {
				kept = append(kept, Out{ChatID: out.ChatID, Method: "editMessageReplyMarkup", Params: map[string]string{
					"chat_id": itoa(out.ChatID), "message_id": itoa(prev.MessageID), "reply_markup": markup,
				}})
			}
			continue
		}
		kept = append(kept, out)
	}
	return kept
}

// sentMatch returns the index of the message in sent that out would send again, or -1.
func sentMatch(sent []sentNow, out Out) int {
	if out.Method != "sendMessage" {
		return -1
	}
	d := digest(out)
	for i, s := range sent {
		if s.Chat == out.ChatID && s.Digest == d {
			return i
		}
	}
	return -1
}

// digest identifies a message by its chat and text.
func digest(out Out) string {
	sum := sha256.Sum256([]byte(out.Method + "\x00" + itoa(out.ChatID) + "\x00" + out.Params["text"]))
	return hex.EncodeToString(sum[:16])
}

// answerFromMemory answers a question from the in-memory index alone: an FAQ answer
// or small talk, without buttons (they need the database). It returns nil when the
// question needs more than that.
func (e *Engine) answerFromMemory(ctx context.Context, l lang, chat int64, text string) []Out {
	res, err := e.search.Search(ctx, text)
	if err != nil {
		return nil
	}
	switch res.Decision {
	case knowledge.DecisionSmalltalk:
		return sendHTML(chat, T(l, smalltalkReply(res.Smalltalk)), nil)
	case knowledge.DecisionAnswer:
		if _, ok := e.search.FAQ(res.Hits[0].ID); !ok {
			return nil
		}
		outs, err := e.answerFAQ(citizen{Lang: l}, chat, 0, res.Hits[0].ID)
		if err != nil {
			return nil
		}
		for i := range outs {
			delete(outs[i].Params, "reply_markup")
		}
		return outs
	}
	return nil
}
