package pgcluster

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
)

// Options configures [Start]. Only Dir is required.
type Options struct {
	// Dir is the data directory. It is created (and initialised with
	// initdb) when it holds no cluster yet, and reused otherwise.
	Dir string
	// Port is the TCP port to listen on (127.0.0.1 only); 0 picks a free one.
	Port int
	// Database is created when missing; the default is "loket".
	Database string
	// User is the superuser name given to initdb; the default is
	// "postgres". It only matters when Dir is initialised; reusing a Dir
	// requires the same User.
	User string
	// Fsync makes the server durable. When false (the default), fsync,
	// synchronous_commit and full_page_writes are turned off: much faster,
	// fine for tests and development data, but an OS crash or power loss
	// can corrupt the cluster.
	Fsync bool
	// Settings are extra server settings, passed as -c name=value; they
	// override the defaults above (e.g. {"max_connections": "300"}).
	Settings map[string]string
	// LogFile receives the server's log (appended); the default is
	// Dir/server.log.
	LogFile string
	// BinDir is the directory holding initdb, pg_ctl and postgres; the
	// default is what [FindBinaries] returns.
	BinDir string
	// RunAs is the system user the server runs as when the calling process
	// is root (PostgreSQL refuses to run as root); the default is "postgres".
	RunAs string
	// Logger, if not nil, receives a few informational messages.
	Logger *slog.Logger
}

// Cluster is a running PostgreSQL server started by [Start].
type Cluster struct {
	dir, bin, logFile string
	user, db          string
	port              int
	acct              *account
	log               *slog.Logger
}

// startTimeout bounds how long pg_ctl waits for the server to start or stop.
const startTimeout = 60

// Start starts a PostgreSQL server on 127.0.0.1 from the data directory
// opts.Dir, initialising it first if needed, and creates opts.Database if
// it does not exist. A server already running from Dir is stopped and
// restarted; a stale postmaster.pid is removed. It returns once the server
// accepts connections. Call [Cluster.Stop] to shut it down.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	c, err := newCluster(opts)
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := c.prepareDir(ctx, opts); err != nil {
		return nil, err
	}
	if err := c.stopRunning(ctx); err != nil {
		return nil, err
	}
	if err := c.prepareLog(); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		c.port = opts.Port
		if c.port == 0 {
			if c.port, err = freePort(); err != nil {
				return nil, fmt.Errorf("pgcluster: pick a free port: %w", err)
			}
		}
		retry, err := c.start(ctx, opts)
		if err == nil {
			break
		}
		if !retry || opts.Port != 0 || attempt == 3 {
			return nil, err
		}
		c.log.Info("pgcluster: port taken, retrying", "port", c.port)
	}
	if err := c.ensureDatabase(ctx); err != nil {
		_ = c.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	c.log.Info("pgcluster: started", "dir", c.dir, "port", c.port, "took", time.Since(began).Round(time.Millisecond))
	return c, nil
}

func newCluster(opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("pgcluster: Options.Dir is required")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	c := &Cluster{dir: dir, bin: opts.BinDir, logFile: opts.LogFile, user: opts.User, db: opts.Database, log: opts.Logger}
	if c.bin == "" {
		if c.bin, err = FindBinaries(); err != nil {
			return nil, err
		}
	}
	if c.user == "" {
		c.user = "postgres"
	}
	if c.db == "" {
		c.db = "loket"
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	runAs := opts.RunAs
	if runAs == "" {
		runAs = "postgres"
	}
	if c.acct, err = serverAccount(runAs); err != nil {
		return nil, err
	}
	return c, nil
}

// prepareDir creates Dir, hands it to the server account and runs initdb
// when it holds no cluster yet.
func (c *Cluster) prepareDir(ctx context.Context, opts Options) error {
	if err := c.acct.checkReachable(c.dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.dir), 0o755); err != nil {
		return fmt.Errorf("pgcluster: create data directory: %w", err)
	}
	if err := os.Mkdir(c.dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("pgcluster: create data directory: %w", err)
	}
	if real, err := filepath.EvalSymlinks(c.dir); err == nil {
		c.dir = real
	}
	if c.logFile == "" {
		c.logFile = filepath.Join(c.dir, "server.log")
	} else {
		abs, err := filepath.Abs(c.logFile)
		if err != nil {
			return fmt.Errorf("pgcluster: log file: %w", err)
		}
		c.logFile = abs
		if err := c.acct.checkReachable(c.logFile); err != nil {
			return err
		}
	}
	if err := c.acct.own(c.dir); err != nil {
		return fmt.Errorf("pgcluster: give %s to the server's user: %w", c.dir, err)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err == nil {
		return nil
	}
	args := []string{"-D", c.dir, "-U", c.user, "--auth=trust", "--encoding=UTF8"}
	if runtime.GOOS == "linux" {
		args = append(args, "--locale=C.UTF-8")
	} else {
		args = append(args, "--no-locale")
	}
	if !opts.Fsync {
		args = append(args, "--no-sync")
	}
	c.log.Info("pgcluster: initdb", "dir", c.dir)
	if out, err := c.run(ctx, "initdb", args...); err != nil {
		return fmt.Errorf("pgcluster: initdb %s: %w\n%s", c.dir, err, tail(out, 2000))
	}
	return nil
}

// prepareLog creates the log file so the server account can append to it.
func (c *Cluster) prepareLog() error {
	f, err := os.OpenFile(c.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("pgcluster: log file: %w", err)
	}
	f.Close()
	if err := c.acct.own(c.logFile); err != nil {
		return fmt.Errorf("pgcluster: log file: %w", err)
	}
	return nil
}

// start runs pg_ctl start once. retry reports a port clash.
func (c *Cluster) start(ctx context.Context, opts Options) (retry bool, err error) {
	settings := map[string]string{
		"listen_addresses":        "127.0.0.1",
		"unix_socket_directories": "",
	}
	if !opts.Fsync {
		settings["fsync"] = "off"
		settings["synchronous_commit"] = "off"
		settings["full_page_writes"] = "off"
	}
	maps.Copy(settings, opts.Settings)
	serverArgs := []string{"-p", strconv.Itoa(c.port)}
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		serverArgs = append(serverArgs, "-c", shellQuote(k+"="+settings[k]))
	}
	var offset int64
	if fi, err := os.Stat(c.logFile); err == nil {
		offset = fi.Size()
	}
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.dir, "-l", c.logFile, "-w",
		"-t", strconv.Itoa(startTimeout), "-o", strings.Join(serverArgs, " "))
	if err == nil {
		return false, nil
	}
	logTail := readTail(c.logFile, offset, 3000)
	retry = strings.Contains(logTail, "could not bind") || strings.Contains(logTail, "Address already in use")
	return retry, fmt.Errorf("pgcluster: start server in %s on port %d: %w\npg_ctl: %s\nserver log (%s):\n%s",
		c.dir, c.port, err, strings.TrimSpace(string(out)), c.logFile, logTail)
}

// ensureDatabase creates the database c.db if it does not exist.
func (c *Cluster) ensureDatabase(ctx context.Context) error {
	db, err := sql.Open("postgres", c.AdminURL())
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	defer db.Close()
	var exists bool
	err = db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", c.db).Scan(&exists)
	if err != nil {
		return fmt.Errorf("pgcluster: connect to %s: %w", c.AdminURL(), err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(c.db))
	var pqErr *pq.Error
	if err != nil && !(errors.As(err, &pqErr) && pqErr.Code == "42P04") { // duplicate_database
		return fmt.Errorf("pgcluster: create database %s: %w", c.db, err)
	}
	return nil
}

// URL returns the connection URL of the cluster's database
// (Options.Database), e.g. postgres://postgres@127.0.0.1:PORT/loket?sslmode=disable.
func (c *Cluster) URL() string { return c.urlFor(c.db) }

// AdminURL returns the connection URL of the cluster's "postgres"
// database, for administrative work such as creating databases.
func (c *Cluster) AdminURL() string { return c.urlFor("postgres") }

func (c *Cluster) urlFor(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(c.user),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port the server listens on.
func (c *Cluster) Port() int { return c.port }

// Dir returns the absolute path of the data directory.
func (c *Cluster) Dir() string { return c.dir }

// LogFile returns the path of the server's log file.
func (c *Cluster) LogFile() string { return c.logFile }

// Stop shuts the server down (pg_ctl stop -m fast: open sessions are
// disconnected) and waits for it to exit. Stopping a server that is not
// running is not an error. The data directory is kept.
func (c *Cluster) Stop(ctx context.Context) error {
	return c.stopRunning(ctx)
}

// StopDir stops the server running from the data directory dir, if any,
// like [Cluster.Stop]. It is for callers that no longer hold the
// *Cluster, such as a shell script's cleanup step; it assumes the default
// Options.RunAs and BinDir.
func StopDir(ctx context.Context, dir string) error {
	c, err := newCluster(Options{Dir: dir})
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(c.dir); err == nil {
		c.dir = real
	}
	return c.stopRunning(ctx)
}

// stopRunning stops a server running from c.dir and removes a stale
// postmaster.pid.
func (c *Cluster) stopRunning(ctx context.Context) error {
	pidFile := filepath.Join(c.dir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
	pid = max(pid, -pid) // negative for a single-user backend
	if !processAlive(pid) || !isPostmasterOf(pid, c.dir) {
		c.log.Info("pgcluster: removing stale postmaster.pid", "dir", c.dir, "pid", pid)
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("pgcluster: remove stale %s: %w", pidFile, err)
		}
		return nil
	}
	c.log.Info("pgcluster: stopping server", "dir", c.dir, "pid", pid)
	out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", strconv.Itoa(startTimeout))
	if err != nil {
		return fmt.Errorf("pgcluster: stop server in %s: %w\n%s", c.dir, err, tail(out, 2000))
	}
	return nil
}

// run runs one of the server binaries as the server account and returns
// its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = "/" // the server account may not be able to enter our working directory
	c.acct.apply(cmd)
	return cmd.CombinedOutput()
}

// freePort asks the kernel for a currently unused TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// shellQuote quotes s for the POSIX shell pg_ctl passes its -o options to.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// readTail returns up to n bytes from the end of file, starting no earlier
// than offset.
func readTail(file string, offset int64, n int) string {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	b, _ := io.ReadAll(f)
	return tail(b, n)
}

// tail returns the last n bytes of b, starting at a line boundary.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return strings.TrimSpace(string(b))
}
