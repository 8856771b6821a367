package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/internal/loadtest"
	"github.com/loket-id/loket/internal/pgcluster"
	"github.com/loket-id/loket/internal/telegramtest"
)

const loadtestUsage = "usage: loket loadtest [--self [--webhook]] [--listen ADDR] [--telegram-limits] [--citizens N] [--messages M] [--escalate F] [--officers K] [--rate R] [--think D] [--connections N] [--timeout D] [--seed S] [--api-outage D [--api-outage-after D]] [--db-outage D [--db-outage-after D]] [--cpuprofile FILE]"

// loadtestToken is the bot token the fake Bot API accepts; its id part is random per
// run, so that update ids (counted per bot) never meet those of an earlier run.
func loadtestToken() string {
	return fmt.Sprintf("%d:LOADTEST-not-a-real-token-0123456789", 8_000_000_000+time.Now().UnixNano()%1_000_000_000)
}

// runLoadtest starts a fake Telegram Bot API, has a Loket answer it (one started by
// hand with `loket serve`, or with --self one in this process) and plays citizens
// and officers against it; it fails when a message was lost or answered twice.
func runLoadtest(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	self := fs.Bool("self", false, "run Loket in this process on DATABASE_URL (a scratch database: simulated citizens and tickets are written to it), or on a private PostgreSQL when DATABASE_URL is unset")
	listen := fs.String("listen", "127.0.0.1:9081", "address of the fake Bot API for `loket serve` (TELEGRAM_API_URL); unused with --self")
	webhook := fs.Bool("webhook", false, "with --self: the bot takes updates through its webhook (the fake posting --connections at once) instead of long polling")
	limits := fs.Bool("telegram-limits", false, "enforce Telegram's flood limits (30 messages/s, 1/s per chat, 20/min per group); every 429 counts as a violation")
	cfg := loadtest.Config{}
	fs.IntVar(&cfg.Citizens, "citizens", 1000, "citizens writing at once")
	fs.IntVar(&cfg.Messages, "messages", 10, "messages per citizen, each sent once the previous one was answered")
	fs.Float64Var(&cfg.Escalate, "escalate", 0.05, "fraction of messages that nothing answers and that citizens pass on to an officer")
	fs.IntVar(&cfg.Officers, "officers", 5, "officers answering tickets")
	fs.Float64Var(&cfg.Rate, "rate", 0, "cap on citizen updates per second over all (0: as fast as the bot answers)")
	fs.DurationVar(&cfg.Think, "think", 0, "pause between a reply and the citizen's next message")
	fs.DurationVar(&cfg.ReplyTimeout, "timeout", 30*time.Second, "how long a citizen waits for one reply before it counts as lost")
	fs.IntVar(&cfg.WebhookConnections, "connections", 40, "updates the fake posts at once to a webhook (Telegram's max_connections)")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed for the choice of questions (0: random)")
	fs.DurationVar(&cfg.APIOutage, "api-outage", 0, "make the fake Bot API answer every call 502 Bad Gateway for D (getUpdates too), as in an outage of Telegram's; raise --timeout above D")
	fs.DurationVar(&cfg.APIOutageAfter, "api-outage-after", 2*time.Second, "start the --api-outage that long into the run (the run must last longer: see --think)")
	dbo := &dbOutage{done: make(chan struct{})}
	fs.DurationVar(&dbo.length, "db-outage", 0, "with --self on the throwaway PostgreSQL: stop PostgreSQL for D, then start it again; FAQ questions must still be answered and everything else caught up; raise --timeout above D")
	fs.DurationVar(&dbo.after, "db-outage-after", 2*time.Second, "stop PostgreSQL for the --db-outage that long into the run")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (with --self: the bot's too) to FILE")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 0 || cfg.Citizens <= 0 || cfg.Messages <= 0 || cfg.Officers < 0 || cfg.Escalate < 0 || cfg.Escalate > 1 ||
		cfg.APIOutage < 0 || cfg.APIOutageAfter < 0 || dbo.length < 0 || dbo.after < 0 {
		return usageError{loadtestUsage}
	}
	if *webhook && !*self {
		return usageError{"--webhook goes with --self; a `loket serve` with LOKET_WEBHOOK_URL set gets the webhook on its own"}
	}
	if cfg.Escalate > 0 && cfg.Officers == 0 {
		return usageError{"--escalate needs --officers of at least 1"}
	}
	if dbo.length > 0 && (!*self || e.getenv("DATABASE_URL") != "") {
		return usageError{"--db-outage stops the throwaway PostgreSQL of --self: use it with --self and DATABASE_URL unset"}
	}
	if dbo.length == 0 {
		dbo = nil
	} else {
		dbo.out = e.stdout
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg.Log = log
	token := loadtestToken()
	srv := telegramtest.New(telegramtest.Options{Token: token, BotUsername: "loket_loadtest_bot", PrivacyMode: true, AllowHTTPWebhook: true})
	defer srv.Close()
	srv.SetRateLimits(*limits)

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		defer func() { _ = f.Close() }()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *self {
		stop, err := startSelf(ctx, e, srv, loadtest.BotOptions{TelegramLimits: *limits, Officers: cfg.Officers,
			Webhook: *webhook, MaxConnections: cfg.WebhookConnections, Log: log}, dbo)
		if err != nil {
			return err
		}
		defer stop()
	} else if err := awaitServe(ctx, e, srv, *listen, cfg.Officers, log); err != nil {
		return err
	}

	mode := "polling"
	if *webhook {
		mode = fmt.Sprintf("webhook, %d connections", cfg.WebhookConnections)
	}
	fmt.Fprintf(e.stdout, "Running %d citizens × %d messages (%s, Telegram limits %s)…\n", cfg.Citizens, cfg.Messages, mode, onOff(*limits))
	if cfg.APIOutage > 0 {
		fmt.Fprintf(e.stdout, "The Bot API answers 502 Bad Gateway for %s from %s into the run.\n", cfg.APIOutage, cfg.APIOutageAfter)
	}
	rep, err := loadtest.Run(ctx, srv, cfg)
	if err != nil {
		return err
	}
	rep.Print(e.stdout)
	if dbo != nil {
		if dbo.stopped == 0 {
			return errors.New("loadtest: the run ended before PostgreSQL was stopped; lower --db-outage-after or lengthen the run")
		}
		fmt.Fprintf(e.stdout, "Database outage:   PostgreSQL down from %s to %s into the run\n", dbo.stopped.Round(100*time.Millisecond), dbo.started.Round(100*time.Millisecond))
	}
	if cfg.APIOutage > 0 && !printOutage(e, srv.OutageCalls()) {
		return errors.New("loadtest: the run ended before the API outage began; lower --api-outage-after or lengthen the run (--messages, --think)")
	}
	if !rep.OK() {
		return fmt.Errorf("loadtest: %d replies missing, %d doubled, %d limit violations, %d of %d officer answers delivered",
			rep.Missing, rep.Duplicates, len(rep.Violations), rep.Answered, rep.Tickets)
	}
	return nil
}

// printOutage tells how many calls the --api-outage refused, and reports whether
// any was (false: the run ended before the outage began).
func printOutage(e env, calls map[string]int) bool {
	total := 0
	for _, n := range calls {
		total += n
	}
	if total == 0 {
		fmt.Fprintln(e.stdout, "API outage:        never felt: the run ended before it began")
		return false
	}
	methods := slices.Sorted(maps.Keys(calls))
	slices.SortStableFunc(methods, func(a, b string) int { return calls[b] - calls[a] })
	var parts []string
	for _, m := range methods {
		parts = append(parts, fmt.Sprintf("%d %s", calls[m], m))
	}
	fmt.Fprintf(e.stdout, "API outage:        %d calls refused (%s)\n", total, strings.Join(parts, ", "))
	return true
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// startSelf runs Loket in this process on DATABASE_URL or a private PostgreSQL.
func startSelf(ctx context.Context, e env, srv *telegramtest.Server, opts loadtest.BotOptions, dbo *dbOutage) (func(), error) {
	log := opts.Log
	c, err := config.Load(e.getenv, config.Need{})
	if err != nil {
		return nil, err
	}
	url := c.DatabaseURL
	var cluster *pgcluster.Cluster
	if url == "" {
		dir, err := os.MkdirTemp("", "loket-loadtest-")
		if err != nil {
			return nil, fmt.Errorf("loadtest: %w", err)
		}
		fmt.Fprintf(e.stderr, "DATABASE_URL is not set: starting a throwaway PostgreSQL in %s …\n", dir)
		if cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir}); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
		url = cluster.URL()
		defer func() {
			if cluster != nil { // started but not handed over: an error below
				_ = cluster.Stop(context.Background())
				_ = os.RemoveAll(dir)
			}
		}()
	} else {
		fmt.Fprintln(e.stderr, "Using DATABASE_URL: simulated citizens, questions and tickets are written to it.")
	}
	db, err := openDB(ctx, url, true, log)
	if err != nil {
		return nil, err
	}
	stopBot, err := loadtest.StartBot(ctx, db, srv, opts)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	cl, clDir := cluster, ""
	if cl != nil {
		clDir = cl.Dir()
	}
	cluster = nil
	outageCtx, endOutage := context.WithCancel(ctx)
	if dbo != nil && cl != nil {
		go dbo.run(outageCtx, clDir, cl.Port())
	}
	return func() {
		endOutage()
		if dbo != nil && cl != nil {
			<-dbo.done
			if dbo.err != nil {
				log.Error("loadtest: database outage", "err", dbo.err)
			}
		}
		stopBot()
		_ = db.Close()
		if cl != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := pgcluster.StopDir(sctx, clDir); err != nil {
				log.Error("loadtest: stopping the throwaway PostgreSQL", "err", err)
			}
			_ = os.RemoveAll(clDir)
		}
	}, nil
}

// awaitServe serves the fake Bot API on addr, tells how to point `loket serve` at it,
// and waits until a bot polls it or sets a webhook.
func awaitServe(ctx context.Context, e env, srv *telegramtest.Server, addr string, officers int, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("loadtest: listen on --listen %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("loadtest: fake Bot API", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { _ = hs.Close() })
	fmt.Fprintf(e.stdout, `The fake Telegram Bot API listens on http://%s. Run Loket against it, on a scratch database:

  export TELEGRAM_API_URL=http://%s
  export TELEGRAM_BOT_TOKEN=%s
  export LOKET_STAFF_CHAT_ID=%d
`, ln.Addr(), ln.Addr(), srv.Token(), loadtest.StaffChatID)
	if officers > 0 {
		fmt.Fprintln(e.stdout, "\nand register the simulated officers once:")
		for i, id := range loadtest.OfficerIDs(officers) {
			fmt.Fprintf(e.stdout, "  loket staff add --telegram-id %d --name \"Petugas Uji %d\"\n", id, i+1)
		}
	}
	fmt.Fprintln(e.stdout, "\nthen `loket serve`. Waiting for it to poll (or to set a webhook)…")
	for !srv.Polling() && srv.WebhookURL() == "" {
		select {
		case <-ctx.Done():
			return fmt.Errorf("loadtest: no bot connected: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}
