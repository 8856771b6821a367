//go:build !unix

package pgtest

import "os"

// startWatchdog is a no-op where there is no POSIX shell: call Main.
func startWatchdog(string) (*os.File, error) { return nil, nil }
