package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
)

// templates caches, per process, the outcome of preparing each template.
var templates struct {
	mu   sync.Mutex
	byID map[string]*templateEntry
}

type templateEntry struct {
	once sync.Once
	err  error
}

// template returns the name of the ready template database for key,
// creating it if needed.
func (s *server) template(key string, setup SetupFunc) (string, error) {
	name := templateName(key)
	templates.mu.Lock()
	if templates.byID == nil {
		templates.byID = map[string]*templateEntry{}
	}
	e := templates.byID[name]
	if e == nil {
		e = &templateEntry{}
		templates.byID[name] = e
	}
	templates.mu.Unlock()
	e.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		e.err = s.ensureTemplate(ctx, name, setup)
	})
	if e.err != nil {
		return "", fmt.Errorf("template %q (database %s): %w", key, name, e.err)
	}
	return name, nil
}

// templateName derives the template database's name from key: readable
// prefix, hash for uniqueness.
func templateName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return dbName("tmpl_"+key, hex.EncodeToString(sum[:8]))
}

// ensureTemplate creates template database name with setup unless it is
// already there. It holds an advisory lock meanwhile, so concurrent test
// binaries wait for one of them to build it. A finished template is marked
// with IS_TEMPLATE; an unfinished one (left by a crash) is rebuilt.
func (s *server) ensureTemplate(ctx context.Context, name string, setup SetupFunc) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sum := sha256.Sum256([]byte("pgtest template " + name))
	lock := int64(binary.BigEndian.Uint64(sum[:8]))
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lock); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lock); uerr != nil && err == nil {
			err = fmt.Errorf("unlock: %w", uerr)
		}
	}()

	var ready bool
	err = conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&ready)
	if err != nil || ready {
		return err
	}
	if err := s.drop(ctx, name); err != nil { // unfinished leftover
		return err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quote(name)); err != nil {
		return err
	}
	if err := runSetup(ctx, s.urlFor(name), setup); err != nil {
		_ = s.drop(context.WithoutCancel(ctx), name)
		return fmt.Errorf("setup: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+quote(name)+" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true"); err != nil {
		return err
	}
	return nil
}

// dropTemplate removes template database name (used by pgtest's own tests).
func (s *server) dropTemplate(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, "ALTER DATABASE "+quote(name)+" WITH IS_TEMPLATE false"); err != nil {
		return err
	}
	return s.drop(ctx, name)
}
