package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
)

// BenchmarkEscalationToCard measures, through the fake Bot API with rate limits off,
// the time from a citizen's /petugas message to the ticket's card in the staff group:
// poll, handle (question log, ticket, audit, outbox in one transaction), send.
func BenchmarkEscalationToCard(b *testing.B) {
	h := newHarnessWith(b, bot.Limits{Global: rate.Inf, PerChat: rate.Inf, PerGroup: rate.Inf})
	ds := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		text := fmt.Sprintf("Lampu jalan nomor %d di gang melati mati", i)
		m := h.mark()
		start := time.Now()
		h.srv.SendText(citizenAni, citizenAni.ID, "/petugas "+text)
		if _, err := h.srv.WaitFor(10*time.Second, func(s telegramtest.Sent) bool {
			return s.Seq > m && s.ChatID == staffChat && strings.Contains(s.Text, text)
		}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
}
