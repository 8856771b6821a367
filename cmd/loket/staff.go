package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/tickets"
)

func runStaffAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	id := fs.Int64("telegram-id", 0, "the officer's Telegram user id (a number; the bot tells it to unregistered officers)")
	name := fs.String("name", "", "the officer's name as shown to colleagues")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *id <= 0 || *name == "" || fs.NArg() != 0 {
		return usageError{"usage: loket staff add --telegram-id ID --name NAME"}
	}
	cfg, err := config.Load(e.getenv, config.Need{Database: true})
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.AutoMigrate, newLogger(e.stderr, cfg))
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	st, err := tickets.NewStore(db).AddStaff(ctx, *id, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Officer %q (Telegram id %d) registered and active.\n", st.Name, st.TelegramUserID)
	return nil
}

func runStaffList(ctx context.Context, e env, args []string) error {
	if len(args) != 0 {
		return usageError{"usage: loket staff list"}
	}
	cfg, err := config.Load(e.getenv, config.Need{Database: true})
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg.DatabaseURL, cfg.AutoMigrate, newLogger(e.stderr, cfg))
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	list, err := tickets.NewStore(db).ListStaff(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "No officers registered yet: loket staff add --telegram-id ID --name NAME")
	}
	for _, s := range list {
		state := "active"
		if !s.Active {
			state = "disabled"
		}
		fmt.Fprintf(e.stdout, "%-14d %-30s %s\n", s.TelegramUserID, s.Name, state)
	}
	return nil
}
