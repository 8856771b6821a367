// Package pgconn prepares PostgreSQL connection strings for lib/pq the way Loket
// uses them, so that the service, its commands and its tests talk to PostgreSQL alike.
package pgconn

import (
	"fmt"
	"net/url"
	"strings"
)

// DSN returns the connection string dsn (a postgres:// URL or key=value pairs) with
// lib/pq's binary_parameters turned on, unless it already says otherwise. With it a
// statement with parameters costs one round trip to the server instead of two (lib/pq
// otherwise prepares every statement and waits for the description first), which
// halves the round trips of handling an update. It also lets PgBouncer in
// transaction mode sit in between. The price: a []byte parameter is sent as binary,
// so JSON for a jsonb column must be passed as a string.
func DSN(dsn string) (string, error) {
	if strings.Contains(dsn, "binary_parameters") {
		return dsn, nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			// Do not quote the error: it holds the URL and with it the password.
			return "", fmt.Errorf("pgconn: DATABASE_URL is not a valid URL")
		}
		q := u.Query()
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	if strings.TrimSpace(dsn) == "" {
		return "binary_parameters=yes", nil
	}
	return dsn + " binary_parameters=yes", nil
}
