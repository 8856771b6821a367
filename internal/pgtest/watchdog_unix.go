//go:build unix

package pgtest

import (
	"os"
	"os/exec"
	"syscall"
)

// watchdogScript waits until its stdin (a pipe whose write end only the
// test binary holds) reaches end of file, that is until the test binary
// exits or closes it, then stops the server in $1 (SIGINT: fast shutdown)
// and removes $1.
const watchdogScript = `
read -r _ || :
pidfile="$1/postmaster.pid"
if [ -f "$pidfile" ]; then
	pid=$(head -n 1 "$pidfile")
	if kill -INT "$pid" 2>/dev/null; then
		n=0
		while [ -f "$pidfile" ] && [ "$n" -lt 300 ]; do sleep 0.1; n=$((n+1)); done
	fi
fi
rm -rf "$1"
`

// startWatchdog starts a detached shell that cleans up the cluster in dir
// once the current process is gone, so a test binary that crashes, times
// out or never calls Main does not leave a server running. The returned
// pipe must stay open for the life of the process.
func startWatchdog(dir string) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "pgtest-watchdog", dir)
	cmd.Stdin = r                                        // stdout and stderr are /dev/null, so go test does not wait for it
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // survive Ctrl-C to the test's process group
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	go func() { _ = cmd.Wait() }() // reap it if it exits while we run
	return w, nil
}
