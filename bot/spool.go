package bot

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Spool keeps, on local disk, the updates taken while the database could not be
// reached, until they are handled (see Outage). Each process writes a file of its own
// in the spool directory, locked while the process lives; a process that starts
// adopts the files of processes that died, so a crash during an outage loses
// nothing. Every change is written and synced before it is acknowledged.
//
// The files hold what citizens wrote (personal data): they are readable by the
// service's user only and are emptied as soon as their updates are handled.
type Spool struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	pending []spooled
	next    int64
}

// spooled is one update kept for later.
type spooled struct {
	Seq int64 `json:"seq"`
	// Update is the update's id: kept updates are handled in the order Telegram
	// gave them, whatever order the chats handled at once kept them in.
	Update int64           `json:"update"`
	Raw    json.RawMessage `json:"raw"`
	At     time.Time       `json:"at"`
	// Sent are the messages already sent for it from memory (an FAQ answer, the
	// notice of the delay); handling it later does not send them again.
	Sent []sentNow `json:"sent,omitempty"`
	// Acked: the button press was answered already.
	Acked bool `json:"acked,omitempty"`
}

// sentNow is a message sent without the database: its chat, id and a digest of its
// text (the text itself is not kept).
type sentNow struct {
	Chat      int64  `json:"chat"`
	MessageID int64  `json:"message_id"`
	Digest    string `json:"digest"`
}

// spoolLine is one line of a spool file: an update added, messages sent for one, or
// one handled.
type spoolLine struct {
	Add  *spooled  `json:"add,omitempty"`
	Sent *sentLine `json:"sent,omitempty"`
	Done int64     `json:"done,omitempty"`
}

type sentLine struct {
	Seq   int64     `json:"seq"`
	Msgs  []sentNow `json:"msgs,omitempty"`
	Acked bool      `json:"acked,omitempty"`
}

// OpenSpool opens a spool in dir (created if missing), adopting the updates left by
// processes that stopped before handling them.
func OpenSpool(dir string) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("bot: spool: %w", err)
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	name := filepath.Join(dir, fmt.Sprintf("spool-%d-%s.jsonl", os.Getpid(), hex.EncodeToString(id[:])))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("bot: spool: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("bot: spool: lock %s: %w", name, err)
	}
	s := &Spool{f: f, w: bufio.NewWriter(f), next: 1}
	if err := s.adopt(dir, name); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// adopt moves the updates of other processes' files that are no longer locked (their
// process is gone) into this spool, oldest first, then removes those files.
func (s *Spool) adopt(dir, own string) error {
	names, err := filepath.Glob(filepath.Join(dir, "spool-*.jsonl"))
	if err != nil {
		return fmt.Errorf("bot: spool: %w", err)
	}
	var found []spooled
	var adopted []*os.File
	defer func() {
		for _, f := range adopted {
			_ = f.Close()
		}
	}()
	for _, name := range names {
		if name == own {
			continue
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
			_ = f.Close() // a live process owns it
			continue
		}
		adopted = append(adopted, f)
		recs, err := readSpool(f)
		if err != nil {
			return fmt.Errorf("bot: spool %s: %w", filepath.Base(name), err)
		}
		found = append(found, recs...)
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Update < found[j].Update })
	for _, r := range found {
		r.Seq = 0
		if _, err := s.add(r); err != nil {
			return err
		}
	}
	for _, f := range adopted {
		if err := os.Remove(f.Name()); err != nil {
			return fmt.Errorf("bot: spool: %w", err)
		}
	}
	return nil
}

// readSpool returns the updates of a spool file not yet handled, in order.
func readSpool(r io.Reader) ([]spooled, error) {
	var recs []spooled
	index := map[int64]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 2*maxUpdateSize)
	for sc.Scan() {
		var l spoolLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			break // a line cut short by a crash: everything before it stands
		}
		switch {
		case l.Add != nil:
			index[l.Add.Seq] = len(recs)
			recs = append(recs, *l.Add)
		case l.Sent != nil:
			if i, ok := index[l.Sent.Seq]; ok {
				recs[i].Sent = append(recs[i].Sent, l.Sent.Msgs...)
				recs[i].Acked = recs[i].Acked || l.Sent.Acked
			}
		case l.Done != 0:
			if i, ok := index[l.Done]; ok {
				recs[i].Seq = -1
			}
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if r.Seq != -1 {
			out = append(out, r)
		}
	}
	return out, nil
}

// Add keeps update id and returns its sequence number.
func (s *Spool) Add(id int64, raw json.RawMessage, at time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(spooled{Raw: raw, At: at, Update: id})
}

func (s *Spool) add(r spooled) (int64, error) {
	r.Seq = s.next
	if err := s.write(spoolLine{Add: &r}); err != nil {
		return 0, err
	}
	s.next++
	// In update order: chats handled at once may keep their updates slightly out of it.
	i := sort.Search(len(s.pending), func(i int) bool { return s.pending[i].Update > r.Update })
	s.pending = slices.Insert(s.pending, i, r)
	return r.Seq, nil
}

// Sent records messages sent for a kept update (and that a button press was
// answered), so that handling it later does not send them again.
func (s *Spool) Sent(seq int64, msgs []sentNow, acked bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(spoolLine{Sent: &sentLine{Seq: seq, Msgs: msgs, Acked: acked}}); err != nil {
		return err
	}
	for i := range s.pending {
		if s.pending[i].Seq == seq {
			s.pending[i].Sent = append(s.pending[i].Sent, msgs...)
			s.pending[i].Acked = s.pending[i].Acked || acked
		}
	}
	return nil
}

// Len is how many kept updates are not handled yet.
func (s *Spool) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// head returns the oldest kept update not handled yet.
func (s *Spool) head() (spooled, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return spooled{}, false
	}
	return s.pending[0], true
}

// Done marks a kept update handled; when none is left the file is emptied.
func (s *Spool) Done(seq int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.pending {
		if r.Seq == seq {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			break
		}
	}
	if len(s.pending) == 0 {
		if err := s.f.Truncate(0); err != nil {
			return fmt.Errorf("bot: spool: %w", err)
		}
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("bot: spool: %w", err)
		}
		s.w.Reset(s.f)
		return nil
	}
	return s.write(spoolLine{Done: seq})
}

// write appends a line and syncs the file.
func (s *Spool) write(l spoolLine) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("bot: spool: %w", err)
	}
	if strings.ContainsRune(string(b), '\n') {
		return errors.New("bot: spool: line break in a record") // json.Marshal never emits one
	}
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("bot: spool: %w", err)
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("bot: spool: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("bot: spool: %w", err)
	}
	return nil
}

// Close closes the spool's file; updates not handled stay in it for the next start.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		_ = os.Remove(s.f.Name())
	}
	return s.f.Close()
}
