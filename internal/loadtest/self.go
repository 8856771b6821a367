package loadtest

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/time/rate"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/internal/telegramtest"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
	"github.com/loket-id/loket/tickets"
)

// BotOptions configure the Loket that StartBot runs in this process.
type BotOptions struct {
	// TelegramLimits makes the sender keep Telegram's limits (bot.DefaultLimits);
	// otherwise it sends as fast as it can, for a fake with its limits off.
	TelegramLimits bool
	// Officers are registered as staff (OfficerIDs(Officers)).
	Officers int
	// PollTimeout is the long-polling timeout (default 1 s, so a stop is quick).
	PollTimeout time.Duration
	Log         *slog.Logger
	// Webhook has the bot take updates through its webhook (served on a loopback
	// port, set with setWebhook) instead of long polling; the fake must allow http
	// webhooks (telegramtest.Options.AllowHTTPWebhook).
	Webhook bool
	// MaxConnections is the webhook's max_connections (default 40).
	MaxConnections int
	// Limits, when set, replace the sender's limits chosen by TelegramLimits (to try
	// other settings than `loket serve` uses).
	Limits *bot.Limits
}

// Unlimited are sender limits that never hold a message back.
func Unlimited() bot.Limits {
	return bot.Limits{Global: rate.Inf, GlobalBurst: 1, PerChat: rate.Inf, PerChatBurst: 1, PerGroup: rate.Inf, PerGroupBurst: 1}
}

// StartBot runs Loket's engine, sender and poller in this process against srv and a
// migrated database, as `loket serve` does: the sample knowledge base is imported
// when the database has none, and the simulated officers are registered. It returns
// a function that stops the bot and waits for it.
func StartBot(ctx context.Context, db *sqlx.DB, srv *telegramtest.Server, opts BotOptions) (stop func(), err error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = time.Second
	}
	kstore := knowledge.NewStore(db)
	n, err := kstore.Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	if n == 0 {
		f, err := knowledge.ParseFile("kb.yaml", sample.KB)
		if err != nil {
			return nil, fmt.Errorf("loadtest: sample knowledge base: %w", err)
		}
		if _, err := kstore.Import(ctx, f, false); err != nil {
			return nil, fmt.Errorf("loadtest: import the sample knowledge base: %w", err)
		}
	}
	content, err := kstore.Content(ctx)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	ix, err := knowledge.NewIndex(content.FAQs, content.Synonyms...)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	store := tickets.NewStore(db)
	for i, id := range OfficerIDs(opts.Officers) {
		if _, err := store.AddStaff(ctx, id, fmt.Sprintf("Petugas Uji %d", i+1)); err != nil {
			return nil, fmt.Errorf("loadtest: register officer: %w", err)
		}
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	api, err := bot.Connect(runCtx, srv.URL(), srv.Token(), opts.PollTimeout+10*time.Second, log)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	limits := Unlimited()
	if opts.TelegramLimits {
		limits = bot.DefaultLimits()
	}
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	sender := bot.NewSender(db, api, limits, log)
	engine := bot.NewEngine(db, ix, store, bot.Settings{
		BotID: api.Self.ID, StaffChatID: StaffChatID, OfficeName: "Pemerintah Kota Sukamaju (uji beban)",
		ResponseDays: 1, ResolutionDays: 5, Location: time.UTC, RequireConsent: true,
	}, log, sender.Wake)
	// As in `loket serve`: while the database is unreachable, updates are answered
	// from memory where they can be and kept in a spool for when it is back.
	spoolDir, err := os.MkdirTemp("", "loket-loadtest-spool-")
	if err != nil {
		cancel()
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	spool, err := bot.OpenSpool(spoolDir)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	outage := bot.NewOutage(engine, sender, spool, db.PingContext, log)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = sender.Run(runCtx) }()
	go func() { defer wg.Done(); outage.Run(runCtx) }()
	var hook *httptest.Server
	if opts.Webhook {
		if hook, err = startWebhook(runCtx, db, api, outage, opts, log); err != nil {
			cancel()
			wg.Wait()
			return nil, err
		}
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := bot.NewPoller(api, outage, opts.PollTimeout, log).Run(runCtx); err != nil {
				log.Error("loadtest: poller stopped", "err", err)
			}
		}()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			if hook != nil {
				hook.Close() // waits for the updates being handled
			}
			wg.Wait()
			if spool.Len() > 0 {
				log.Error("loadtest: updates kept during a database outage were not all handled", "left", spool.Len(), "spool", spoolDir)
				_ = spool.Close()
				return
			}
			_ = spool.Close()
			_ = os.RemoveAll(spoolDir)
		})
	}, nil
}

// startWebhook serves the engine's webhook on a loopback port and sets it.
func startWebhook(ctx context.Context, db *sqlx.DB, api bot.API, handler bot.Handler, opts BotOptions, log *slog.Logger) (*httptest.Server, error) {
	secret, err := bot.WebhookSecret(ctx, db, "")
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /telegram/webhook", bot.NewWebhook(handler, secret, db.PingContext, log))
	hook := httptest.NewServer(mux)
	if err := bot.SetWebhook(api, hook.URL+"/telegram/webhook", secret, cmp.Or(opts.MaxConnections, 40)); err != nil {
		hook.Close()
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	return hook, nil
}
