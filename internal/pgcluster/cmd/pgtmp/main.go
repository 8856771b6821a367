// Command pgtmp starts and stops a private PostgreSQL cluster for shell
// scripts such as scripts/test.sh, using package pgcluster.
//
// Usage:
//
//	pgtmp start [-port N] [-db NAME] [-fsync] [-set name=value]... DIR
//	pgtmp stop DIR
//
// "start" initialises DIR if needed, starts the server in the background,
// prints the superuser URL of the "postgres" database (or of -db, if given)
// on stdout, and exits; the server keeps running until "pgtmp stop DIR".
// Diagnostics go to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/loket-id/loket/internal/pgcluster"
)

func main() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtmp:", err)
		os.Exit(1)
	}
}

func usage() error {
	return fmt.Errorf("usage: pgtmp start [-port N] [-db NAME] [-fsync] [-set name=value]... DIR | pgtmp stop DIR")
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usage()
	}
	fs := flag.NewFlagSet("pgtmp "+args[0], flag.ContinueOnError)
	var opts pgcluster.Options
	fs.IntVar(&opts.Port, "port", 0, "TCP port on 127.0.0.1 (0: a free one)")
	fs.StringVar(&opts.Database, "db", "", "database to create and print the URL of (default: the postgres database)")
	fs.BoolVar(&opts.Fsync, "fsync", false, "keep fsync on (durable, slower)")
	opts.Settings = map[string]string{}
	fs.Func("set", "extra server setting name=value (repeatable)", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return fmt.Errorf("want name=value, got %q", s)
		}
		opts.Settings[k] = v
		return nil
	})
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage()
	}
	opts.Dir = fs.Arg(0)
	switch args[0] {
	case "start":
		c, err := pgcluster.Start(ctx, opts)
		if err != nil {
			return err
		}
		url := c.AdminURL()
		if opts.Database != "" {
			url = c.URL()
		}
		fmt.Println(url)
		return nil
	case "stop":
		return pgcluster.StopDir(ctx, opts.Dir)
	default:
		return usage()
	}
}
