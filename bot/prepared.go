package bot

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// stmtCache keeps the statements run for every update prepared: PostgreSQL then
// parses and plans each once per connection instead of at every execution, which
// is most of its work for statements this small. database/sql prepares a statement
// again on each connection that needs it (in a transaction, on the transaction's own
// connection), and after a connection is lost.
//
// A statement is prepared in the background the first time it is asked for, and run
// unprepared until then: preparing takes a connection of its own, and a caller that
// holds one in a transaction must never wait for another (with every connection so
// held, nobody could go on).
type stmtCache struct {
	db *sqlx.DB
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
	// trying holds the statements being prepared, and when a failed one may be tried
	// again.
	trying map[string]time.Time
}

func newStmtCache(db *sqlx.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sqlx.Stmt{}, trying: map[string]time.Time{}}
}

// prepareTimeout bounds preparing one statement; retryPrepare is the wait before a
// failed one is tried again.
const (
	prepareTimeout = 10 * time.Second
	retryPrepare   = 5 * time.Second
)

// stmt returns query prepared, or nil while it is not (yet).
func (c *stmtCache) stmt(query string) *sqlx.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s
	}
	if next, busy := c.trying[query]; !busy || (!next.IsZero() && time.Now().After(next)) {
		c.trying[query] = time.Time{}
		go c.prepare(query)
	}
	return nil
}

func (c *stmtCache) prepare(query string) {
	ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
	defer cancel()
	s, err := c.db.PreparexContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.trying[query] = time.Now().Add(retryPrepare)
		return
	}
	c.m[query] = s
	delete(c.trying, query)
}

// on returns a runner of prepared statements in tx (nil: on the pool). It is a
// sqlx.QueryerContext and sqlx.ExecerContext, for the functions that take one.
func (c *stmtCache) on(tx *sqlx.Tx) preparedRunner { return preparedRunner{c: c, tx: tx} }

// preparedRunner runs statements prepared when they are, in a transaction or on the
// pool.
type preparedRunner struct {
	c  *stmtCache
	tx *sqlx.Tx
}

// get returns the prepared statement for query (bound to the transaction), or nil.
func (r preparedRunner) get(ctx context.Context, query string) *sqlx.Stmt {
	s := r.c.stmt(query)
	if s == nil || r.tx == nil {
		return s
	}
	return r.tx.StmtxContext(ctx, s)
}

// plain is where a statement not prepared yet runs.
func (r preparedRunner) plain() interface {
	sqlx.ExecerContext
	sqlx.QueryerContext
} {
	if r.tx != nil {
		return r.tx
	}
	return r.c.db
}

func (r preparedRunner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := r.get(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return r.plain().ExecContext(ctx, query, args...)
}

func (r preparedRunner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := r.get(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return r.plain().QueryContext(ctx, query, args...)
}

func (r preparedRunner) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	if s := r.get(ctx, query); s != nil {
		return s.QueryxContext(ctx, args...)
	}
	return r.plain().QueryxContext(ctx, query, args...)
}

func (r preparedRunner) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	if s := r.get(ctx, query); s != nil {
		return s.QueryRowxContext(ctx, args...)
	}
	return r.plain().QueryRowxContext(ctx, query, args...)
}
