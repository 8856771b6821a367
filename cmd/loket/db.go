package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/internal/pgconn"
	"github.com/loket-id/loket/migrations"
)

// openDB connects to PostgreSQL and makes sure the schema is current: pending
// migrations are applied when migrate is true, refused otherwise.
func openDB(ctx context.Context, url string, migrate bool, log *slog.Logger) (*sqlx.DB, error) {
	db, err := pgconn.Open(url)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("database: cannot connect (check DATABASE_URL): %w", err)
	}
	if migrate {
		n, err := migrations.Up(ctx, db.DB)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		if n > 0 {
			log.Info("migrations applied", "count", n)
		}
		return db, nil
	}
	n, err := migrations.Pending(ctx, db.DB)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if n > 0 {
		_ = db.Close()
		return nil, fmt.Errorf("database schema is out of date (%d pending migrations): run `loket migrate` or set LOKET_AUTO_MIGRATE=true", n)
	}
	return db, nil
}

func runMigrate(ctx context.Context, e env, args []string) error {
	if len(args) != 0 {
		return usageError{"usage: loket migrate"}
	}
	cfg, err := config.Load(e.getenv, config.Need{Database: true})
	if err != nil {
		return err
	}
	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer func() { _ = db.Close() }()
	n, err := migrations.Up(ctx, db.DB)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Schema is up to date (%d migrations applied now).\n", n)
	return nil
}

// databaseFor loads the configuration of a command that needs the database, and opens
// it (migrating it when configured to).
func databaseFor(ctx context.Context, e env) (config.Config, *sqlx.DB, error) {
	cfg, err := config.Load(e.getenv, config.Need{Database: true})
	if err != nil {
		return cfg, nil, err
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.AutoMigrate, newLogger(e.stderr, cfg))
	return cfg, db, err
}
