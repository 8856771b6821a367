// Package pgconn prepares PostgreSQL connection strings for lib/pq the way Loket
// uses them, so that the service, its commands and its tests talk to PostgreSQL alike.
package pgconn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DSN returns the connection string dsn (a postgres:// URL or key=value pairs) with
// lib/pq's binary_parameters turned on, unless it already says otherwise. With it a
// statement with parameters costs one round trip to the server instead of two (lib/pq
// otherwise prepares every statement and waits for the description first), which
// halves the round trips of handling an update. It also lets PgBouncer in
// transaction mode sit in between. The price: a []byte parameter is sent as binary,
// so JSON for a jsonb column must be passed as a string.
//
// A connect_timeout of 5 seconds is added too, unless set: without one, a database
// host that stopped answering holds every update for as long as the operating system
// tries to connect, instead of letting Loket answer from memory (see bot.Outage).
func DSN(dsn string) (string, error) {
	add := map[string]string{"binary_parameters": "yes", "connect_timeout": "5"}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			// Do not quote the error: it holds the URL and with it the password.
			return "", fmt.Errorf("pgconn: DATABASE_URL is not a valid URL")
		}
		q := u.Query()
		for k, v := range add {
			if !q.Has(k) {
				q.Set(k, v)
			}
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	out := strings.TrimSpace(dsn)
	for _, k := range []string{"binary_parameters", "connect_timeout"} {
		if !strings.Contains(dsn, k+"=") {
			out = strings.TrimSpace(out + " " + k + "=" + add[k])
		}
	}
	return out, nil
}

// MaxConns is how many connections one process opens at most: the poller's workers,
// the webhook's connections, the sender and the console share them.
const MaxConns = 20

// Open returns a pool on url (see DSN) sized as `loket serve` uses it; it does not
// connect yet.
func Open(url string) (*sqlx.DB, error) {
	dsn, err := DSN(url)
	if err != nil {
		return nil, err
	}
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("pgconn: %w", err)
	}
	Size(db)
	return db, nil
}

// Size bounds a pool as `loket serve` does. Every connection may stay open: opening
// one costs PostgreSQL a process, and database/sql would otherwise keep only two idle
// and reopen the rest under load.
func Size(db *sqlx.DB) {
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// Unavailable reports whether err means the database cannot be reached right now (the
// server is down, restarting, refusing connections, or the connection broke), as
// opposed to a statement that failed on its own account. Work that failed so can be
// kept and done again once the database is back.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	// A deadline or cancellation says that we stopped waiting (for a connection of a
	// busy pool, say), not that the server is gone; a server that stops answering is
	// told by the connect timeout or the broken connection.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch code := string(pqErr.Code); {
		case strings.HasPrefix(code, "08"): // connection exception
			return true
		case code == "57P01", code == "57P02", code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case code == "53300": // too many connections
			return true
		}
		return false
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	// lib/pq reports a connection that broke mid-statement with these texts.
	msg := err.Error()
	return strings.Contains(msg, "driver: bad connection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "server closed the connection") || strings.Contains(msg, "connection reset")
}
