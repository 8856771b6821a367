package bot

import (
	"context"
	"fmt"
)

// sentMark is a message Telegram accepted whose sending could not be recorded.
type sentMark struct {
	row       outboxRow
	messageID int64
}

// keepMark remembers that Telegram accepted an entry whose sending could not be
// recorded (the database went away between the two), so that it is recorded, rather
// than sent again, once the database is back: flushMarks runs before every claim.
// Only if this process stops meanwhile, or the outage outlasts the claim (60 s) and
// another process takes the chat, is such a message sent twice.
func (s *Sender) keepMark(r outboxRow, messageID int64, cause error) {
	s.log.Warn("message sent but not recorded as sent; recorded once the database is back", "outbox_id", r.ID, "err", cause)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.marks = append(s.marks, sentMark{row: r, messageID: messageID})
}

// flushMarks records the kept marks, oldest first, stopping at the first failure.
func (s *Sender) flushMarks(ctx context.Context) error {
	s.mu.Lock()
	marks := s.marks
	s.mu.Unlock()
	done := 0
	var err error
	for _, m := range marks {
		if err = markSent(context.WithoutCancel(ctx), s.stmts.on(nil), m.row, m.messageID); err != nil {
			break
		}
		done++
	}
	if done > 0 {
		s.mu.Lock()
		s.marks = s.marks[done:]
		s.mu.Unlock()
		s.log.Info("messages sent during a database outage recorded as sent", "messages", done)
	}
	if err != nil {
		return fmt.Errorf("bot: outbox: %d sent messages not yet recorded: %w", len(marks)-done, err)
	}
	return nil
}
