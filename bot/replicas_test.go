package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/dbtest"
	"github.com/loket-id/loket/internal/telegramtest"
)

// replicaChats are the chats the outbox tests send to.
const replicaChats = 50

// outboxFixture is a database with rows outbox entries (spread over replicaChats
// chats, "pesan N" in id order) and a fake Bot API that knows the chats.
func outboxFixture(t *testing.T, rows int) (*sqlx.DB, *telegramtest.Server) {
	t.Helper()
	db := dbtest.New(t)
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot"})
	t.Cleanup(srv.Close)
	for c := range replicaChats {
		srv.AddPrivateChat(telegramtest.User{ID: int64(5000 + c), FirstName: "Warga" + strconv.Itoa(c)})
	}
	for i := range rows {
		chat := int64(5000 + i%replicaChats)
		params, _ := json.Marshal(map[string]string{"chat_id": strconv.FormatInt(chat, 10), "text": fmt.Sprintf("pesan %d", i)})
		if _, err := db.Exec(`INSERT INTO outbox (chat_id, method, params) VALUES ($1, 'sendMessage', $2)`, chat, string(params)); err != nil {
			t.Fatal(err)
		}
	}
	return db, srv
}

// replica runs a sender on db, as one `loket serve` process; stop cancels it (a
// graceful stop) and waits for it.
func replica(t *testing.T, db *sqlx.DB, api bot.API, ttl time.Duration) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := bot.NewSender(db, api, bot.Limits{Global: 400, GlobalBurst: 10, PerChat: 100, PerChatBurst: 1, PerGroup: 100, PerGroupBurst: 1},
		testLogger(t)).WithClaimTTL(ttl)
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func connect(t *testing.T, srv *telegramtest.Server) bot.API {
	t.Helper()
	api, err := bot.Connect(context.Background(), srv.URL(), token, 10*time.Second, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// checkDelivered waits until rows messages arrived, waits a little more for doubles,
// and checks each arrived exactly once and, within a chat, in order.
func checkDelivered(t *testing.T, db *sqlx.DB, srv *telegramtest.Server, rows int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	unsent := func() int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for (len(srv.All()) < rows || unsent() > 0) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a double would show by now
	seen := map[string]int{}
	last := map[int64]int{}
	for _, s := range srv.All() {
		seen[s.Text]++
		var n int
		if _, err := fmt.Sscanf(s.Text, "pesan %d", &n); err != nil {
			t.Fatalf("unexpected message %q", s.Text)
		}
		if prev, ok := last[s.ChatID]; ok && n < prev {
			t.Errorf("chat %d: %q after pesan %d", s.ChatID, s.Text, prev)
		}
		last[s.ChatID] = n
	}
	for i := range rows {
		if c := seen[fmt.Sprintf("pesan %d", i)]; c != 1 {
			t.Errorf("pesan %d delivered %d times", i, c)
		}
	}
	var pending int
	if err := db.Get(&pending, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || len(srv.All()) != rows {
		t.Errorf("%d sends for %d entries; %d left unsent", len(srv.All()), rows, pending)
	}
}

// Two processes share one outbox: every entry is sent once, each chat in order.
func TestTwoSendersDeliverEachMessageOnce(t *testing.T) {
	const rows = 500
	db, srv := outboxFixture(t, rows)
	replica(t, db, connect(t, srv), bot.DefaultClaimTTL)
	replica(t, db, connect(t, srv), bot.DefaultClaimTTL)
	checkDelivered(t, db, srv, rows)
}

// One of two processes stops in the middle: the other delivers the rest.
func TestSenderStoppedMidwayOtherDeliversTheRest(t *testing.T) {
	const rows = 500
	db, srv := outboxFixture(t, rows)
	stopA := replica(t, db, connect(t, srv), bot.DefaultClaimTTL)
	replica(t, db, connect(t, srv), bot.DefaultClaimTTL)
	for len(srv.All()) < rows/5 {
		time.Sleep(time.Millisecond)
	}
	stopA()
	if len(srv.All()) == rows {
		t.Fatal("everything was sent before the stop: the test proves nothing")
	}
	checkDelivered(t, db, srv, rows)
}

// frozenAPI forwards calls until frozen, then blocks them (without sending) until
// thawed, when they fail: a process that hangs, or crashes, in the middle.
type frozenAPI struct {
	bot.API
	after  int64
	calls  atomic.Int64
	thawed chan struct{}
}

func (f *frozenAPI) MakeRequest(method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	if f.calls.Add(1) > f.after {
		<-f.thawed
		return nil, fmt.Errorf("frozen process woke up")
	}
	return f.API.MakeRequest(method, p)
}

// A process that hangs keeps its claims only until they expire: the other process
// takes its chats over, and the hung one, when it wakes, sends nothing more.
func TestHungSendersClaimsExpire(t *testing.T) {
	const rows = 200
	db, srv := outboxFixture(t, rows)
	frozen := &frozenAPI{API: connect(t, srv), after: 20, thawed: make(chan struct{})}
	replica(t, db, frozen, 2*time.Second)
	for frozen.calls.Load() <= frozen.after+5 {
		time.Sleep(time.Millisecond)
	}
	var claimed int
	if err := db.Get(&claimed, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND claimed_until > now()`); err != nil || claimed == 0 {
		t.Fatalf("the hung process holds no claims (%d, %v): the test proves nothing", claimed, err)
	}
	replica(t, db, connect(t, srv), 2*time.Second)
	// The other process delivers everything, once the hung one's claims expired.
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.All()) < rows && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	close(frozen.thawed)
	checkDelivered(t, db, srv, rows)
}

// Of several pollers on one database, one polls; another takes over when it stops.
func TestOnlyOnePollerPolls(t *testing.T) {
	db := dbtest.New(t)
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_test_bot"})
	t.Cleanup(srv.Close)
	srv.AddPrivateChat(citizenAni)
	var handledBy [2]atomic.Int64
	start := func(i int) (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		h := handlerFunc(func(context.Context, json.RawMessage) error { handledBy[i].Add(1); return nil })
		p := bot.NewPoller(connect(t, srv), h, time.Second, testLogger(t)).WithLock(db, 123456)
		done := make(chan struct{})
		go func() { _ = p.Run(ctx); close(done) }()
		var once sync.Once
		stop = func() { once.Do(func() { cancel(); <-done }) }
		t.Cleanup(stop)
		return stop
	}
	stopFirst := start(0)
	time.Sleep(300 * time.Millisecond)
	start(1)
	for i := range 5 {
		srv.SendText(citizenAni, citizenAni.ID, fmt.Sprintf("halo %d", i))
	}
	eventually(t, "the first poller handles the updates", func() bool { return handledBy[0].Load() == 5 })
	if n := handledBy[1].Load(); n != 0 {
		t.Fatalf("the standing-by poller handled %d updates", n)
	}
	stopFirst()
	srv.SendText(citizenAni, citizenAni.ID, "halo lagi")
	eventually(t, "the second poller takes over", func() bool { return handledBy[1].Load() == 1 })
}

type handlerFunc func(context.Context, json.RawMessage) error

func (f handlerFunc) HandleRaw(ctx context.Context, raw json.RawMessage) error { return f(ctx, raw) }
