// Command loket is Loket's one binary: the Telegram bot and its operator, editor and
// developer commands. Run `loket help` for the list.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones even where the system has none
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loket:", err)
		os.Exit(exitCode(err))
	}
}
