package bot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A process that dies during an outage leaves its kept updates on disk; the next
// process adopts them, with what was already sent for them, in update order, while
// the files of processes still alive are left alone.
func TestSpoolAdoptsWhatADeadProcessKept(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s2, err := first.Add(12, json.RawMessage(`{"update_id": 12, "message": {"text": "dua"}}`), now)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := first.Add(11, json.RawMessage(`{"update_id": 11, "message": {"text": "satu"}}`), now)
	if err != nil {
		t.Fatal(err)
	}
	s3, err := first.Add(13, json.RawMessage(`{"update_id": 13, "message": {"text": "tiga"}}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Sent(s1, []sentNow{{Chat: 5, MessageID: 77, Digest: "abc"}}, true); err != nil {
		t.Fatal(err)
	}
	if err := first.Done(s3); err != nil {
		t.Fatal(err)
	}
	_ = s2
	// A live process's file is not taken.
	alive, err := OpenSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	if alive.Len() != 0 {
		t.Fatalf("a live process's spool was adopted: %d updates", alive.Len())
	}
	// The process dies: its file stays, unlocked.
	if err := first.f.Close(); err != nil {
		t.Fatal(err)
	}
	// A torn last line (the crash cut a write short) is ignored.
	names, _ := filepath.Glob(filepath.Join(dir, "spool-*.jsonl"))
	for _, n := range names {
		if n != alive.f.Name() {
			f, err := os.OpenFile(n, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = f.WriteString(`{"add": {"seq": 9, "raw": {"upd`)
			_ = f.Close()
		}
	}
	next, err := OpenSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = next.Close() }()
	if next.Len() != 2 {
		t.Fatalf("adopted %d updates, want 2 (the third was handled)", next.Len())
	}
	h, _ := next.head()
	if h.Update != 11 || len(h.Sent) != 1 || h.Sent[0].MessageID != 77 || !h.Acked {
		t.Errorf("first adopted update: %+v", h)
	}
	if err := next.Done(h.Seq); err != nil {
		t.Fatal(err)
	}
	h, _ = next.head()
	if h.Update != 12 {
		t.Errorf("second adopted update: %+v", h)
	}
	if err := next.Done(h.Seq); err != nil {
		t.Fatal(err)
	}
	if next.Len() != 0 {
		t.Errorf("%d updates left", next.Len())
	}
	if info, err := next.f.Stat(); err != nil || info.Size() != 0 {
		t.Errorf("the spool file is not emptied once everything is handled: %v %v", info.Size(), err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "spool-*.jsonl"))
	if len(left) != 2 { // the live one and the adopter's
		t.Errorf("spool files left: %v", left)
	}
	_ = alive.Close()
}
