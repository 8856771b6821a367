// Package pgcluster starts and stops a private PostgreSQL cluster using the
// server binaries installed on the machine (initdb, pg_ctl, postgres).
//
// It is meant for development and tests, not production: the cluster
// listens on 127.0.0.1 only, has no Unix socket, and trusts every local
// connection (no password). A typical use:
//
//	c, err := pgcluster.Start(ctx, pgcluster.Options{Dir: "/path/to/data"})
//	if err != nil { ... }
//	defer c.Stop(ctx)
//	db, err := sql.Open("postgres", c.URL())
//
// Start runs initdb when Dir holds no cluster yet and reuses the data
// otherwise, so data survives a Stop/Start cycle. A server left running in
// Dir by an earlier process (for example one that crashed) is stopped and
// restarted with the requested settings; a stale postmaster.pid is removed.
// Only one process at a time should manage a given Dir.
//
// PostgreSQL refuses to run as root. When the calling process is root, the
// server runs as a system user (Options.RunAs, default "postgres", created by
// the Debian/Ubuntu "postgresql" package): Start hands Dir to that user and
// checks that every parent directory of Dir can be traversed by it (so a Dir
// under /root, which is mode 0700, is rejected with a clear error; use a
// directory under /tmp or /var/tmp instead).
//
// The binaries are found by [FindBinaries]: on PATH, via pg_config --bindir,
// or in /usr/lib/postgresql/VERSION/bin where Debian and Ubuntu install them.
//
// The cmd/pgtmp subdirectory holds a small command that starts and stops a
// cluster from shell scripts.
package pgcluster
