package bot

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// pollWorkers is how many chats of one getUpdates batch are handled at once. Each
// holds a database connection while it handles an update (`loket serve` opens up to
// 20).
const pollWorkers = 16

// outcome is what became of one update of a batch.
type outcome int

const (
	handled  outcome = iota // handled, or skipped for good (malformed)
	mustWait                // ErrRetry: it replies to a message still being delivered
	failed                  // an error worth another try
	shutdown                // the process is stopping
)

// stopped is the first update of a chat that was not handled, and why.
type stopped struct {
	id  int64
	how outcome
	err error
}

// handleBatch handles the updates of one getUpdates answer: the updates of one chat
// one after the other, in order, and different chats at once. A chat stops at its
// first update that cannot be handled yet; the returned offset is then that update's
// id, so it and everything after it are delivered again (updates already handled are
// recognised by their recorded ids). Otherwise the offset moves past the batch. wait
// is how long to pause before polling again; stop reports a shutdown.
func (p *Poller) handleBatch(ctx context.Context, raws []json.RawMessage, offset int64, failures, waits map[int64]int) (next int64, wait time.Duration, stop bool) {
	type item struct {
		id  int64
		raw json.RawMessage
	}
	var order []int64 // chats in the order of their first update
	chats := map[int64][]item{}
	next = offset
	for _, raw := range raws {
		id, ok := updateID(raw)
		if !ok {
			p.log.Warn("update without update_id skipped")
			continue
		}
		if id < offset {
			continue
		}
		next = max(next, id+1)
		chat := chatOfRaw(raw) // 0 (undecodable, no chat) is a chat of its own
		if _, seen := chats[chat]; !seen {
			order = append(order, chat)
		}
		chats[chat] = append(chats[chat], item{id, raw})
	}
	var (
		mu    sync.Mutex
		stops []stopped
		wg    sync.WaitGroup
		slots = make(chan struct{}, pollWorkers)
	)
	for _, chat := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func(items []item) {
			defer func() { <-slots; wg.Done() }()
			for _, it := range items {
				how, err := p.handleOne(ctx, it.id, it.raw, waits[it.id] >= maxWaits)
				if how != handled {
					mu.Lock()
					stops = append(stops, stopped{it.id, how, err})
					mu.Unlock()
					return // later updates of this chat must not overtake it
				}
			}
		}(chats[chat])
	}
	wg.Wait()
	if len(stops) == 0 {
		clear(failures)
		clear(waits)
		return next, 0, false
	}
	first := stops[0]
	for _, s := range stops[1:] {
		if s.id < first.id {
			first = s
		}
	}
	switch first.how {
	case shutdown:
		return offset, 0, true
	case mustWait:
		waits[first.id]++
		p.log.Debug("update waits for a delivery", "update_id", first.id)
		return first.id, waitStep, false
	}
	failures[first.id]++
	if failures[first.id] < maxHandleFailures {
		p.log.Error("update failed; will retry", "update_id", first.id, "attempt", failures[first.id], "err", first.err)
		return first.id, time.Duration(failures[first.id]) * time.Second, false
	}
	p.log.Error("update failed repeatedly; skipped", "update_id", first.id, "err", first.err)
	delete(failures, first.id)
	// Poll again from the update after it: the chats stopped behind other updates are
	// handled again then.
	return first.id + 1, 0, false
}

// handleOne handles one update; an update in hand is finished even when shutdown
// begins.
func (p *Poller) handleOne(ctx context.Context, id int64, raw json.RawMessage, impatientNow bool) (outcome, error) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if impatientNow {
		hctx = Impatient(hctx)
	}
	err := p.handler.HandleRaw(hctx, raw)
	switch {
	case err == nil:
		return handled, nil
	case errors.Is(err, ErrMalformed):
		p.log.Warn("malformed update skipped", "update_id", id, "err", err)
		return handled, nil
	case ctx.Err() != nil:
		return shutdown, err
	case errors.Is(err, ErrRetry):
		return mustWait, err
	}
	return failed, err
}
