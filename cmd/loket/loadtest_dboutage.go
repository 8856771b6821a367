package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/loket-id/loket/internal/pgcluster"
)

// dbOutage stops the throwaway PostgreSQL of `loket loadtest --self --db-outage D`
// for D, some time into the run, and starts it again on the same port: a real
// outage of the database, to see the bot answer from memory, keep the rest and
// catch up.
type dbOutage struct {
	after, length time.Duration
	out           io.Writer
	done          chan struct{}
	// stopped and started say what happened, for the report.
	stopped, started time.Duration
	err              error
}

// run performs the outage on the cluster in dir (listening on port).
func (o *dbOutage) run(ctx context.Context, dir string, port int) {
	defer close(o.done)
	begin := time.Now()
	if sleepDone(ctx, o.after) {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := pgcluster.StopDir(sctx, dir); err != nil {
		o.err = fmt.Errorf("loadtest: stop PostgreSQL: %w", err)
		return
	}
	o.stopped = time.Since(begin)
	fmt.Fprintf(o.out, "PostgreSQL stopped %s into the run.\n", o.stopped.Round(100*time.Millisecond))
	sleepDone(ctx, o.length) // start it again even when the run ends early
	if _, err := pgcluster.Start(sctx, pgcluster.Options{Dir: dir, Port: port}); err != nil {
		o.err = fmt.Errorf("loadtest: start PostgreSQL again: %w", err)
		return
	}
	o.started = time.Since(begin)
	fmt.Fprintf(o.out, "PostgreSQL started again %s into the run (down %s).\n",
		o.started.Round(100*time.Millisecond), (o.started - o.stopped).Round(100*time.Millisecond))
}

// sleepDone sleeps for d and reports whether ctx ended first.
func sleepDone(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return true
	case <-t.C:
		return false
	}
}
