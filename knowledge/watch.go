package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lib/pq"
)

// Watch keeps ix in step with the FAQs in the database until ctx ends: it listens for
// change notifications and rebuilds the index on each (coalescing bursts), and also
// after every reconnect, when notifications may have been missed.
func Watch(ctx context.Context, dbURL string, store *Store, ix *Index, log *slog.Logger) error {
	l := pq.NewListener(dbURL, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			log.Warn("faq listener", "event", int(ev), "err", err)
		}
	})
	defer func() { _ = l.Close() }()
	if err := l.Listen(ChangeChannel); err != nil {
		return fmt.Errorf("knowledge: listen: %w", err)
	}
	// Changes made before the listener started are not notified: sync once now.
	if err := reload(ctx, store, ix); err != nil {
		log.Error("rebuild index", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.Notify:
		case <-time.After(90 * time.Second):
			_ = l.Ping()
			continue
		}
		// Coalesce a burst of notifications into one rebuild.
		drain := time.After(50 * time.Millisecond)
	burst:
		for {
			select {
			case <-l.Notify:
			case <-drain:
				break burst
			case <-ctx.Done():
				return nil
			}
		}
		if err := reload(ctx, store, ix); err != nil {
			log.Error("rebuild index", "err", err)
			continue
		}
		log.Info("index rebuilt", "faqs", ix.Len())
	}
}

func reload(ctx context.Context, store *Store, ix *Index) error {
	c, err := store.Content(ctx)
	if err != nil {
		return err
	}
	return ix.Rebuild(c.FAQs, c.Synonyms...)
}
