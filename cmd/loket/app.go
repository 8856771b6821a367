package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/loket-id/loket/internal/config"
	"github.com/loket-id/loket/internal/logctx"
)

// env is what a command gets from the process: its standard streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// usageError is a mistake in how a command was called; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "", "Everything for a first try: a private PostgreSQL under .data/ when DATABASE_URL is unset, migrations, the sample knowledge base into an empty database, then the bot (TELEGRAM_BOT_TOKEN set) or the terminal chat", runDev},
		{"serve", "", "Run the Telegram bot (long polling), the sender and the HTTP server", runServe},
		{"migrate", "", "Apply pending database migrations", runMigrate},
		{"kb import", "FILE [--merge]", "Import a knowledge-base file (YAML or JSON); without --merge the database then holds exactly the file's FAQs", runKBImport},
		{"kb export", "[--format yaml|json] [-o FILE]", "Write the knowledge base as a file", runKBExport},
		{"kb test", "CASES.yaml [--kb FILE] [--min-top1 F] [--min-hit3 F] [--max-wrong F] [--min-caught F] [--json]", "Score golden questions against the knowledge base (the database, or FILE); fails when a quality bar (a fraction 0..1) is not met", runKBTest}, // kb test (kbtest.go)
		{"ask", "[--kb FILE] [--json] [QUESTION]", "Answer a question from the knowledge base (the database, or FILE); without QUESTION, one per line from standard input", runAsk},
		{"chat", "", "Chat with Loket in the terminal as a citizen (buttons become numbered choices)", runChat},
		{"unit", "add --slug S --name NAME [--chat-id ID] [--default] [--integrity] [--first-response-days N] [--resolution-days N] | list | disable|enable --slug S", "Units, the offices that answer tickets: a question goes to its FAQ's unit, else to the default unit; the integrity unit's tickets are seen by its members only. Adding an existing unit changes only what is given", runUnit}, // unit (unit.go)
		{"staff add", "--telegram-id ID --name NAME [--role officer|supervisor|admin] [--unit a,b]", "Register an officer, or change one (what is not given is kept): officers act on their units' tickets, supervisors and admins on every unit's (audited)", runStaffAdd},
		{"staff list", "", "List registered officers with their role, units and state", runStaffList},
		{"staff disable", "--telegram-id ID", "Stop an officer from acting on tickets (audited)", runStaffDisable},
		{"staff enable", "--telegram-id ID", "Let a disabled officer act again (audited)", runStaffEnable},
		{"user", "add --username NAME --role officer|editor|supervisor|admin [--name N] [--unit a,b] [--telegram-id ID] | passwd --username NAME | list", "Web console accounts (the password is read from standard input, never from a flag); --telegram-id makes a registered officer's login. Or open /pasang in the console while no admin exists", runUser}, // user (user.go)
		{"audit", "--ticket N | --since 24h|7d|DATE [--limit N] [--json]", "Show the audit log, in Indonesian for supervisors: a ticket's whole trail, or the latest entries of a period (times in LOKET_TIMEZONE)", runAudit},
		{"calendar", "import FILE [--replace] | list [--year N] | check [--from \"2026-12-24 15:00\"] --add 3d|8h", "Working-day calendar for SLA deadlines: import holidays and cuti bersama (YAML or CSV), list them, check a deadline (office hours from LOKET_OFFICE_HOURS)", runCalendar}, // calendar (calendar.go)
		{"loadtest", "[--self [--webhook]] [--listen ADDR] [--telegram-limits] [--citizens N] [--messages M] [--escalate F] [--officers K] [--rate R]", "Size a deployment: a fake Telegram Bot API that `loket serve` (or, with --self, a Loket in this process) answers while simulated citizens and officers write to it; prints throughput, latency percentiles, lost and doubled replies and Telegram limit violations, and fails on any", runLoadtest},
		{"help", "", "Show this help", nil},
	}
}

// run dispatches to the subcommand named by args.
func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(e.stdout)
		return nil
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name && c.run != nil {
			return c.run(ctx, e, args[len(words):])
		}
	}
	return usageError{fmt.Sprintf("unknown command %q; see `loket help`", strings.Join(args, " "))}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Loket — a Telegram service desk for Indonesian public services.")
	fmt.Fprintln(w, "\nUsage: loket COMMAND [ARGS]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n      %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration (environment variables):")
	for _, s := range config.Settings {
		def := s.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  %-20s default %s\n      %s\n", s.Name, def, s.Description)
	}
}

// newLogger builds the process's logger from the configuration.
func newLogger(w io.Writer, c config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(logctx.NewHandler(slog.NewJSONHandler(w, opts))) // update_id, request_id
	}
	return slog.New(logctx.NewHandler(slog.NewTextHandler(w, opts)))
}
