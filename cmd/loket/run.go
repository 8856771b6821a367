package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/internal/pgcluster"
	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
)

// dataDir is where the run command keeps its private PostgreSQL cluster.
const dataDir = ".data/postgres"

// runDev does everything a newcomer needs: a database (a private cluster under .data/
// when DATABASE_URL is unset), the schema, the sample knowledge base in an empty
// database, then the Telegram bot when a token is set or the terminal chat otherwise.
func runDev(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		return usageError{"run takes no arguments; it is configured by environment variables (see `loket help`)"}
	}
	cfg, err := config.Load(e.getenv, config.Need{})
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg)
	if cfg.DatabaseURL == "" {
		dir, err := filepath.Abs(dataDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "DATABASE_URL is not set: starting a private PostgreSQL in %s …\n", dataDir)
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Fsync: true})
		if err != nil {
			return err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := cluster.Stop(sctx); err != nil {
				log.Error("stopping the private PostgreSQL", "err", err)
			}
		}()
		cfg.DatabaseURL = cluster.URL()
	}
	db, err := openDB(ctx, cfg.DatabaseURL, true, log)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	store := knowledge.NewStore(db)
	n, err := store.Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		f, err := knowledge.ParseFile("kb.yaml", sample.KB)
		if err != nil {
			return fmt.Errorf("sample knowledge base: %w", err)
		}
		rep, err := store.Import(ctx, f, false)
		if err != nil {
			return err
		}
		cases, err := knowledge.ParseCases(sample.Cases)
		if err != nil {
			return fmt.Errorf("sample golden questions: %w", err)
		}
		for _, c := range cases {
			if _, err := store.AddGoldenQuestion(ctx, c.Q, c.Expect, knowledge.Editor{}); err != nil {
				return fmt.Errorf("sample golden questions: %w", err)
			}
		}
		fmt.Fprintf(e.stderr, "The database was empty: loaded the sample knowledge base (%d FAQs of the fictional Kota Sukamaju) and its %d golden questions.\n", rep.Added, len(cases))
	}
	if cfg.TelegramToken == "" {
		fmt.Fprintln(e.stderr, "TELEGRAM_BOT_TOKEN is not set: opening the terminal chat. Set it (and LOKET_STAFF_CHAT_ID) to run the Telegram bot.")
		return chat(ctx, e, cfg, db)
	}
	if cfg.StaffChatID == 0 {
		return fmt.Errorf("config: LOKET_STAFF_CHAT_ID is not set: add the bot to the officers' group and give the group's id")
	}
	return serve(ctx, cfg, db, log)
}
