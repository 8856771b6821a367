package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const firstUpdateID = 100

// queued is one update waiting to be confirmed.
type queued struct {
	id   int
	kind string
	body json.RawMessage
	// sticky updates (redelivered, or injected raw with an explicit id) are
	// not confirmed by an offset before they have been delivered once.
	sticky bool
	// once marks a malformed body: the bot can never confirm it, so it is
	// dropped after its first delivery.
	once      bool
	delivered bool
}

type poller struct {
	stop   chan struct{}
	reason *apiError
}

type updateState struct {
	nextID  int
	lastID  int
	queue   []*queued
	history map[int]queued
	wake    chan struct{}
	poll    *poller
	allowed map[string]bool // nil: Telegram's default
}

func (u *updateState) init() {
	u.nextID = firstUpdateID
	u.history = map[int]queued{}
	u.wake = make(chan struct{})
}

// defaultExcluded are the update types not delivered unless asked for.
var defaultExcluded = map[string]bool{"chat_member": true, "message_reaction": true, "message_reaction_count": true}

func (u *updateState) allows(kind string) bool {
	if kind == "" {
		return true
	}
	if u.allowed == nil {
		return !defaultExcluded[kind]
	}
	return u.allowed[kind]
}

func (u *updateState) setAllowed(kinds []string) {
	if len(kinds) == 0 {
		u.allowed = nil
		return
	}
	u.allowed = map[string]bool{}
	for _, k := range kinds {
		u.allowed[k] = true
	}
}

func (u *updateState) push(q *queued) {
	u.history[q.id] = *q
	u.lastID = q.id
	u.queue = append(u.queue, q)
	close(u.wake)
	u.wake = make(chan struct{})
}

// confirm forgets updates as getUpdates' offset says.
func (u *updateState) confirm(offset int64) {
	switch {
	case offset > 0:
		keep := u.queue[:0:0]
		for _, q := range u.queue {
			if int64(q.id) >= offset || (q.sticky && !q.delivered) {
				keep = append(keep, q)
			}
		}
		u.queue = keep
	case offset < 0:
		if n := int(-offset); n < len(u.queue) {
			u.queue = append(u.queue[:0:0], u.queue[len(u.queue)-n:]...)
		}
	}
}

// collect returns up to limit pending bodies, oldest first.
func (u *updateState) collect(limit int) []json.RawMessage {
	var out []json.RawMessage
	keep := u.queue[:0:0]
	for _, q := range u.queue {
		if len(out) < limit {
			out = append(out, q.body)
			q.delivered = true
			if q.once {
				continue
			}
		}
		keep = append(keep, q)
	}
	u.queue = keep
	return out
}

func (u *updateState) remove(id int, body json.RawMessage) {
	for i, q := range u.queue {
		if q.id == id && string(q.body) == string(body) {
			u.queue = append(u.queue[:i:i], u.queue[i+1:]...)
			return
		}
	}
}

// enqueue queues an update of the given kind unless allowed_updates
// excludes it, and returns its id (0 if dropped). The caller holds s.mu.
func (s *Server) enqueue(kind string, payload any) int {
	if !s.upd.allows(kind) {
		return 0
	}
	id := s.upd.nextID
	s.upd.nextID++
	body, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		panic("telegramtest: " + err.Error())
	}
	s.upd.push(&queued{id: id, kind: kind, body: body})
	return id
}

// InjectRaw queues an arbitrary update body and returns its update id. A JSON
// object without "update_id" gets the next id; one with an integer
// "update_id" keeps it (it may repeat or go back, and is delivered at least
// once whatever the offset). Anything else is queued verbatim, even if it is
// not valid JSON (making the whole getUpdates answer unparsable), and is
// dropped after one delivery since the bot cannot confirm it.
// allowed_updates does not filter raw updates.
func (s *Server) InjectRaw(raw json.RawMessage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &queued{body: append(json.RawMessage(nil), raw...)}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		q.id, q.once = s.upd.nextID, true
		s.upd.nextID++
		s.upd.push(q)
		return q.id
	}
	for k := range obj {
		if k != "update_id" {
			q.kind = k
		}
	}
	var id int
	if v, ok := obj["update_id"]; ok && json.Unmarshal(v, &id) == nil {
		q.id, q.sticky = id, true
		s.upd.nextID = max(s.upd.nextID, id+1)
	} else {
		q.id = s.upd.nextID
		s.upd.nextID++
		obj["update_id"], _ = json.Marshal(q.id)
		q.body, _ = json.Marshal(obj)
	}
	s.upd.push(q)
	return q.id
}

// Redeliver queues an already queued update again, with the same update_id,
// as Telegram does when it believes an update was not received. It is
// delivered at least once whatever the bot's offset.
func (s *Server) Redeliver(updateID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.upd.history[updateID]
	if !ok {
		return fmt.Errorf("telegramtest: no update %d was ever queued", updateID)
	}
	q.sticky, q.delivered = true, false
	s.upd.push(&q)
	return nil
}

// LastUpdateID returns the id of the most recently queued update (0 if none).
func (s *Server) LastUpdateID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upd.lastID
}

// Polling reports whether a getUpdates request is waiting for updates right
// now, e.g. to know that the bot has started polling.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upd.poll != nil
}

// PendingUpdates returns how many updates are queued and not yet confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.upd.queue)
}

// rawJSON is a result written verbatim (it may be invalid JSON on purpose).
type rawJSON []byte

func joinRaw(items []json.RawMessage) rawJSON {
	out := []byte{'['}
	for i, it := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, it...)
	}
	return append(out, ']')
}

func conflict(desc string) *apiError {
	return &apiError{code: http.StatusConflict, desc: "Conflict: " + desc}
}

const webhookActive = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

func (s *Server) getUpdates(c *call) (any, *apiError) {
	offset, err := c.p.int("offset")
	if err != nil {
		return nil, err
	}
	limit, err := c.p.int("limit")
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, err := c.p.int("timeout")
	if err != nil {
		return nil, err
	}
	var allowed []string
	rawAllowed := strings.TrimSpace(c.p.str("allowed_updates"))
	if rawAllowed != "" && json.Unmarshal([]byte(rawAllowed), &allowed) != nil {
		return nil, badRequest("can't parse allowed_updates JSON array")
	}

	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return nil, conflict(webhookActive)
	}
	if rawAllowed != "" {
		s.upd.setAllowed(allowed)
	}
	if prev := s.upd.poll; prev != nil {
		prev.reason = conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
		close(prev.stop)
	}
	me := &poller{stop: make(chan struct{})}
	s.upd.poll = me
	s.upd.confirm(offset)

	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		timer = t.C
	}
	expired := timeout <= 0
	for {
		if me.reason != nil {
			s.mu.Unlock()
			return nil, me.reason
		}
		batch := s.upd.collect(int(limit))
		if len(batch) > 0 || expired {
			if s.upd.poll == me {
				s.upd.poll = nil
			}
			s.mu.Unlock()
			return joinRaw(batch), nil
		}
		wake := s.upd.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-me.stop:
		case <-timer:
			expired = true
		case <-c.ctx.Done():
			s.mu.Lock()
			if s.upd.poll == me {
				s.upd.poll = nil
			}
			s.mu.Unlock()
			return joinRaw(nil), nil
		case <-s.done:
			expired = true
		}
		s.mu.Lock()
	}
}
