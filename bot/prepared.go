package bot

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
)

// stmtCache keeps the statements run for every update prepared: PostgreSQL then
// parses and plans each once per connection instead of at every execution, which
// is most of its work for statements this small (database/sql prepares a statement
// again on each connection that needs it, and after a connection is lost).
type stmtCache struct {
	db *sqlx.DB
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

func newStmtCache(db *sqlx.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sqlx.Stmt{}}
}

// stmt returns query prepared.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s, nil
	}
	s, err := c.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("bot: prepare: %w", err)
	}
	c.m[query] = s
	return s, nil
}

// on returns a runner of prepared statements in tx (nil: on the pool). It is a
// sqlx.QueryerContext and sqlx.ExecerContext, for the functions that take one.
func (c *stmtCache) on(tx *sqlx.Tx) preparedRunner { return preparedRunner{c: c, tx: tx} }

// preparedRunner runs statements prepared, in a transaction or on the pool.
type preparedRunner struct {
	c  *stmtCache
	tx *sqlx.Tx
}

func (r preparedRunner) get(ctx context.Context, query string) (*sqlx.Stmt, error) {
	s, err := r.c.stmt(ctx, query)
	if err != nil || r.tx == nil {
		return s, err
	}
	return r.tx.StmtxContext(ctx, s), nil
}

func (r preparedRunner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := r.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (r preparedRunner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := r.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (r preparedRunner) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	s, err := r.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryxContext(ctx, args...)
}

func (r preparedRunner) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	s, err := r.get(ctx, query)
	if err != nil {
		// sqlx.Row cannot be made to carry err: run the query unprepared, which fails
		// (or succeeds) on its own.
		if r.tx != nil {
			return r.tx.QueryRowxContext(ctx, query, args...)
		}
		return r.c.db.QueryRowxContext(ctx, query, args...)
	}
	return s.QueryRowxContext(ctx, args...)
}
