package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/loket-id/loket/internal/pgcluster"
)

// EnvURL names the environment variable holding the URL of an existing
// PostgreSQL server to create test databases on.
const EnvURL = "LOKET_TEST_DATABASE_URL"

// server is where test databases are created.
type server struct {
	admin    *url.URL // superuser URL; its database is replaced per test
	db       *sql.DB  // pool connected to admin
	cluster  *pgcluster.Cluster
	dir      string   // data directory of cluster
	watchdog *os.File // closing it (or exiting) lets the watchdog clean up
}

var shared struct {
	once sync.Once
	srv  *server
	err  error
}

// getServer returns the process-wide server, connecting to or starting it
// on first use.
func getServer() (*server, error) {
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared.srv, shared.err = openServer(ctx)
	})
	return shared.srv, shared.err
}

func openServer(ctx context.Context) (*server, error) {
	if raw := os.Getenv(EnvURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("%s must be a postgres:// URL", EnvURL)
		}
		s := &server{admin: u}
		if err := s.connect(ctx); err != nil {
			return nil, fmt.Errorf("%s=%s: %w", EnvURL, u.Redacted(), err)
		}
		return s, nil
	}
	if _, err := pgcluster.FindBinaries(); err != nil {
		return nil, fmt.Errorf("no PostgreSQL server for tests: set %s to the URL of a running server "+
			"(a superuser, or a role that may create databases), or install the server binaries: %w", EnvURL, err)
	}
	dir, err := os.MkdirTemp("", "loket-pgtest-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	if s.watchdog, err = startWatchdog(dir); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start watchdog: %w", err)
	}
	s.cluster, err = pgcluster.Start(ctx, pgcluster.Options{
		Dir:      dir,
		Database: "postgres",
		Settings: map[string]string{"max_connections": "300"},
	})
	if err == nil {
		s.admin, err = url.Parse(s.cluster.AdminURL())
	}
	if err == nil {
		err = s.connect(ctx)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *server) connect(ctx context.Context) error {
	db, err := sql.Open("postgres", s.admin.String())
	if err != nil {
		return err
	}
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return err
	}
	s.db = db
	return nil
}

// urlFor returns the URL of database name on s.
func (s *server) urlFor(name string) string {
	u := *s.admin
	u.Path, u.RawPath = "/"+name, ""
	return u.String()
}

// close disconnects and, for our own cluster, stops it and removes its
// data directory.
func (s *server) close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		errs = append(errs, s.cluster.Stop(ctx))
		cancel()
	}
	if s.dir != "" {
		errs = append(errs, os.RemoveAll(s.dir))
	}
	if s.watchdog != nil {
		s.watchdog.Close()
	}
	return errors.Join(errs...)
}

// Main runs the tests and then stops the cluster pgtest started (if any)
// and removes its directory, before exiting with the tests' status. Call
// it from TestMain in every package that uses pgtest:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.close(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: shutting down:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}
