package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/bot"
	"github.com/loket-id/loket/console"
	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/tickets"
)

// chatConsole serves the web console next to the terminal chat (`loket run` without a
// bot token), so that the console can be tried with the terminal citizen: what an
// officer does in the console shows in the terminal within a second. It returns a
// function that stops it; when the address is taken it warns and serves nothing.
func chatConsole(ctx context.Context, e env, cfg config.Config, db *sqlx.DB, ix *knowledge.Index, engine *bot.Engine,
	flush func(context.Context) error, log *slog.Logger) func() {
	web, err := console.New(console.Config{
		DB: db, Tickets: tickets.NewStore(db), Knowledge: knowledge.NewStore(db), Search: ix, Desk: engine,
		Location: cfg.Location, Calendar: engine.Calendar, OfficeName: cfg.OfficeName,
		SecureCookies: cfg.SecureCookies, PublicStats: cfg.PublicStats, Log: log,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "The web console is not available: %v\n", err)
		return func() {}
	}
	var app atomic.Pointer[http.Handler]
	var h http.Handler = web
	app.Store(&h)
	srv, err := startHTTP(cfg.HTTPAddr, db, ix, &app, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "The web console is not available: %v\n", err)
		return func() {}
	}
	fmt.Fprintf(e.stderr, "Web console: http://%s/ (first time: create the admin account at /pasang).\n", cfg.HTTPAddr)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := flush(ctx); err != nil && ctx.Err() == nil {
					log.Warn("terminal chat: delivering console actions", "err", err)
				}
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
		shutCtx, done := context.WithTimeout(context.Background(), 2*time.Second)
		defer done()
		_ = srv.Shutdown(shutCtx)
	}
}
