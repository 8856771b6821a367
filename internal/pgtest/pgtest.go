package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver

	"github.com/loket-id/loket/internal/pgconn"
)

// SetupFunc prepares a fresh database, e.g. by running the migrations.
type SetupFunc func(ctx context.Context, db *sqlx.DB) error

// Option configures [New] and [NewURL].
type Option func(*config)

type config struct {
	setup       SetupFunc
	templateKey string
	template    SetupFunc
}

// WithSetup runs setup on each new database before New returns it.
func WithSetup(setup SetupFunc) Option {
	return func(c *config) { c.setup = setup }
}

// WithTemplate makes new databases copies of a template database that
// setup prepared once per key: the first use of a key on a server runs
// setup on the template, later ones just copy it (CREATE DATABASE ...
// TEMPLATE), which is much faster. Every use of a key must pass an
// equivalent setup; the key must change whenever setup's result changes
// (include a hash of the migrations), since templates outlive the test
// run on a long-lived server. It combines with [WithSetup], which then
// runs on each copy.
func WithTemplate(key string, setup SetupFunc) Option {
	return func(c *config) { c.templateKey, c.template = key, setup }
}

// setupTimeout bounds database creation and setup.
const setupTimeout = 10 * time.Minute

// New returns a connection to a brand-new database unique to this test,
// prepared as the options say. The connection is closed and the database
// dropped when the test and its subtests finish. If no PostgreSQL server
// can be found or reached, New fails the test (see the package docs).
func New(t testing.TB, opts ...Option) *sqlx.DB {
	t.Helper()
	s, name, cfg := create(t, opts)
	ctx, cancel := context.WithTimeout(t.Context(), setupTimeout)
	defer cancel()
	dsn, err := pgconn.DSN(s.urlFor(name)) // as `loket serve` connects
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	db, err := sqlx.ConnectContext(ctx, "postgres", dsn)
	if err != nil {
		t.Fatalf("pgtest: connect to new database %s: %v", name, err)
	}
	t.Cleanup(func() { db.Close() })
	if cfg.setup != nil {
		if err := cfg.setup(ctx, db); err != nil {
			t.Fatalf("pgtest: setup of database %s: %v", name, err)
		}
	}
	return db
}

// NewURL is like [New] but returns the new database's connection URL
// instead of a connection, for code under test that connects by itself.
// Connections still open when the test ends are terminated.
func NewURL(t testing.TB, opts ...Option) string {
	t.Helper()
	s, name, cfg := create(t, opts)
	if cfg.setup != nil {
		ctx, cancel := context.WithTimeout(t.Context(), setupTimeout)
		defer cancel()
		if err := runSetup(ctx, s.urlFor(name), cfg.setup); err != nil {
			t.Fatalf("pgtest: setup of database %s: %v", name, err)
		}
	}
	return s.urlFor(name)
}

// create creates the database for t and arranges for it to be dropped.
func create(t testing.TB, opts []Option) (*server, string, config) {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	s, err := getServer()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), setupTimeout)
	defer cancel()
	stmt := "CREATE DATABASE %s"
	var tmpl string
	if cfg.template != nil {
		if tmpl, err = s.template(cfg.templateKey, cfg.template); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		stmt += " TEMPLATE " + quote(tmpl)
	}
	name := dbName("test_"+t.Name(), randomHex(6))
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf(stmt, quote(name))); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.drop(ctx, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return s, name, cfg
}

// drop drops database name, disconnecting its sessions first.
func (s *server) drop(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// runSetup connects to url and runs setup there.
func runSetup(ctx context.Context, url string, setup SetupFunc) error {
	db, err := sqlx.ConnectContext(ctx, "postgres", url)
	if err != nil {
		return err
	}
	defer db.Close()
	return setup(ctx, db)
}

// dbName builds a valid database name from a readable prefix (sanitised
// and shortened) and a unique suffix.
func dbName(prefix, suffix string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(prefix) {
		if b.Len() == 40 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String() + "_" + suffix
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// quote quotes a generated identifier (only [a-z0-9_]).
func quote(ident string) string { return `"` + ident + `"` }
