package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/internal/logctx"
	"github.com/loket-id/loket/internal/metrics"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

func runServe(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		return usageError{"serve takes no arguments; it is configured by environment variables (see `loket help`)"}
	}
	cfg, err := config.Load(e.getenv, config.Need{Telegram: true, Database: true})
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg)
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.AutoMigrate, log)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	return serve(ctx, cfg, db, log)
}

// shutdownGrace is how long the sender may go on delivering after the bot stopped
// taking updates, so the answers to the last ones still go out.
const shutdownGrace = 5 * time.Second

// serve runs the bot until ctx ends, then shuts down gracefully: it stops taking
// updates, finishes the one in hand, lets the sender deliver for a moment, and stops
// the HTTP server. What is left in the outbox is sent at the next start.
func serve(ctx context.Context, cfg config.Config, db *sqlx.DB, log *slog.Logger) error {
	// Polling or the webhook may end with an error: the jobs and the watcher end too.
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	kstore := knowledge.NewStore(db)
	content, err := kstore.Content(ctx)
	if err != nil {
		return err
	}
	ix, err := knowledge.NewIndex(content.FAQs, content.Synonyms...)
	if err != nil {
		return err
	}
	faqs := content.FAQs
	if len(faqs) == 0 {
		log.Warn("the knowledge base is empty: every question will go to the officers; import one with `loket kb import FILE`")
	}
	log.Info("index built", "faqs", len(faqs))

	var app atomic.Pointer[http.Handler]  // the console, once the bot is connected
	var hook atomic.Pointer[http.Handler] // the webhook, once the engine is ready
	// While PostgreSQL is unreachable, updates are answered from memory where they can
	// be and kept on disk for when it is back.
	spool, err := bot.OpenSpool(cfg.SpoolDir)
	if err != nil {
		return fmt.Errorf("LOKET_SPOOL_DIR: %w", err)
	}
	defer func() { _ = spool.Close() }()
	met := metrics.New(metrics.Options{DB: db, IndexSize: ix.Len, Kept: spool.Len, Log: log})
	srv, err := startHTTP(cfg.HTTPAddr, db, ix, &app, log, withMetrics(met.Handler()), withWebhook(cfg.WebhookPath, &hook))
	if err != nil {
		return err
	}

	sendAPI, err := bot.Connect(ctx, cfg.TelegramAPIURL, cfg.TelegramToken, 30*time.Second, log)
	if err != nil {
		_ = srv.Close()
		return err
	}
	pollAPI, err := bot.Connect(ctx, cfg.TelegramAPIURL, cfg.TelegramToken, cfg.PollTimeout+15*time.Second, log)
	if err != nil {
		_ = srv.Close()
		return err
	}
	log.Info("connected to the Bot API", "bot", sendAPI.Self.UserName)

	cal, err := tickets.NewStore(db).Calendar(ctx, cfg.Location, cfg.OfficeHours)
	if err != nil {
		_ = srv.Close()
		return err
	}
	senderCtx, stopSender := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSender()
	sender := bot.NewSender(db, bot.Redacting(sendAPI, cfg.TelegramToken), bot.DefaultLimits(), log).ForBot(sendAPI.Self.ID)
	sender.SetMetrics(met)
	set := botSettings(cfg, cal)
	set.BotID = sendAPI.Self.ID
	engine := bot.NewEngine(db, ix, tickets.NewStore(db), set, log, sender.Wake)
	engine.SetMetrics(met)
	outage := bot.NewOutage(engine, sender, spool, db.PingContext, log)
	if err := bot.EnqueueCommands(ctx, db); err != nil {
		log.Warn("command menu not queued", "err", err)
	}
	web, err := console.New(console.Config{
		DB: db, Tickets: tickets.NewStore(db), Knowledge: kstore, Search: ix, Desk: engine,
		Files: bot.NewFiles(cfg.TelegramAPIURL, cfg.TelegramToken, nil), Location: cfg.Location, Calendar: engine.Calendar,
		OfficeName: cfg.OfficeName, BotUsername: sendAPI.Self.UserName, SecureCookies: cfg.SecureCookies,
		PublicStats: cfg.PublicStats, Log: log,
	})
	if err != nil {
		_ = srv.Close()
		return err
	}
	var h http.Handler = web
	app.Store(&h)

	var wg sync.WaitGroup
	wg.Add(4)
	go func() {
		defer wg.Done()
		engine.RunJobs(ctx, time.Minute)
	}()
	go func() {
		defer wg.Done()
		outage.Run(senderCtx) // kept updates are handled while the sender still runs
	}()
	go func() {
		defer wg.Done()
		_ = sender.Run(senderCtx)
	}()
	go func() {
		defer wg.Done()
		if err := knowledge.Watch(ctx, cfg.DatabaseURL, kstore, ix, log); err != nil {
			log.Error("knowledge watcher stopped; FAQ changes need a restart", "err", err)
		}
	}()
	log.Info("Loket is running", "http", cfg.HTTPAddr, "staff_chat_id", cfg.StaffChatID)
	var runErr error
	if cfg.WebhookURL != "" {
		runErr = runWebhook(ctx, cfg, db, outage, bot.Redacting(sendAPI, cfg.TelegramToken), &hook, log)
	} else {
		if _, err := sendAPI.MakeRequest("deleteWebhook", nil); err != nil {
			log.Warn("deleteWebhook failed; polling may be refused while a webhook is set", "err", err)
		}
		// Of several processes on one database, one polls; the others stand by.
		runErr = bot.NewPoller(bot.Redacting(pollAPI, cfg.TelegramToken), outage, cfg.PollTimeout, log).WithLock(db, sendAPI.Self.ID).Run(ctx)
	}
	stopAll()

	log.Info("shutting down")
	time.AfterFunc(shutdownGrace, stopSender)
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutCtx)
	wg.Wait()
	log.Info("stopped")
	return runErr
}

// runWebhook serves the webhook (through hook, mounted by withWebhook) and asks
// Telegram to post updates to it, then waits for ctx to end. The webhook stays set at
// shutdown: other replicas go on serving it, and Telegram keeps the updates for a
// process that starts again.
func runWebhook(ctx context.Context, cfg config.Config, db *sqlx.DB, handler bot.Handler, api bot.API, hook *atomic.Pointer[http.Handler], log *slog.Logger) error {
	secret, err := bot.WebhookSecret(ctx, db, cfg.WebhookSecret)
	if err != nil {
		return err
	}
	var h http.Handler = bot.NewWebhook(handler, secret, db.PingContext, log)
	hook.Store(&h)
	if err := bot.SetWebhook(api, cfg.WebhookURL, secret, cfg.WebhookMaxConnections); err != nil {
		return err
	}
	log.Info("webhook set: Telegram posts updates to it", "url", cfg.WebhookURL, "max_connections", cfg.WebhookMaxConnections)
	<-ctx.Done()
	return nil
}

// httpOption adds to what startHTTP serves.
type httpOption func(*http.ServeMux)

// withMetrics serves the Prometheus metrics at /metrics. They tell ticket counts and
// traffic: bind LOKET_HTTP_ADDR to an internal address, or keep /metrics from the
// public at the reverse proxy (docs/metrics.md).
func withMetrics(h http.Handler) httpOption {
	return func(mux *http.ServeMux) { mux.Handle("GET /metrics", h) }
}

// withWebhook serves the Telegram webhook at path (none when path is empty) once
// hook holds it; until then Telegram is asked to come back.
func withWebhook(path string, hook *atomic.Pointer[http.Handler]) httpOption {
	return func(mux *http.ServeMux) {
		if path == "" {
			return
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			h := hook.Load()
			if h == nil {
				w.Header().Set("Retry-After", "5")
				http.Error(w, "starting", http.StatusServiceUnavailable)
				return
			}
			(*h).ServeHTTP(w, r)
		})
	}
}

// startHTTP serves /healthz (the process is up), /readyz (it can serve: database
// reachable, index loaded), what the options add, and the console once app holds
// it; console requests carry a request id (X-Request-Id, request_id in the logs).
func startHTTP(addr string, db *sqlx.DB, ix *knowledge.Index, app *atomic.Pointer[http.Handler], log *slog.Logger, opts ...httpOption) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/", logctx.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := app.Load()
		if h == nil {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "Loket sedang dimulai. Muat ulang halaman ini sebentar lagi.", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	}), log))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintf(w, "ok: %d FAQs indexed\n", ix.Len())
	})
	for _, o := range opts {
		o(mux)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http: listen on LOKET_HTTP_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	}()
	return srv, nil
}

// botSettings are the dialogs' settings from the configuration.
func botSettings(cfg config.Config, cal *tickets.Calendar) bot.Settings {
	return bot.Settings{
		StaffChatID: cfg.StaffChatID, SupervisorChatID: cfg.SupervisorChatID, OfficeName: cfg.OfficeName, Location: cfg.Location, Calendar: cal,
		ResponseDays: cfg.ResponseDays, ResolutionDays: cfg.ResolutionDays, AutoCloseDays: cfg.AutoCloseDays,
		RetentionDays: cfg.RetentionDays, RequireConsent: cfg.RequireConsent, CitizenRate: cfg.CitizenRate,
	}
}
