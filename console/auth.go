package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/argon2"
)

// Password hashing: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, one
// thread), stored in the PHC string format so the parameters can be raised later.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	// MinPasswordLen is the shortest password accepted.
	MinPasswordLen = 10
)

// HashPassword returns the argon2id hash of a password in PHC format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("console: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// dummyHash is checked when a username does not exist, so that a login takes as long
// whether or not the account exists.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Vb1mHnJ3mmhJ8aYjmxBkGx5Um3t0KxfJf3s2ot0tB8"

// CheckPassword reports whether password matches a PHC argon2id hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 20 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckNewPassword says what is wrong with a new password, in Indonesian ("" if
// nothing).
func CheckNewPassword(password string) string {
	switch {
	case len([]rune(password)) < MinPasswordLen:
		return fmt.Sprintf("Kata sandi minimal %d karakter.", MinPasswordLen)
	case len(password) > 200:
		return "Kata sandi terlalu panjang (maksimal 200 karakter)."
	}
	return ""
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Sessions last sessionIdle after the last request, and at most sessionMax.
const (
	sessionIdle = 12 * time.Hour
	sessionMax  = 7 * 24 * time.Hour
)

// session is a logged-in browser.
type session struct {
	StaffID   int64     `db:"staff_id"`
	CSRF      string    `db:"csrf_token"`
	CreatedAt time.Time `db:"created_at"`
	LastSeen  time.Time `db:"last_seen_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// newSession stores a session for staffID and returns its token (for the cookie).
func newSession(ctx context.Context, db sqlx.ExecerContext, staffID int64, userAgent string) (string, error) {
	token := randomToken(32)
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	_, err := db.ExecContext(ctx, `INSERT INTO console_sessions (token_hash, staff_id, csrf_token, expires_at, user_agent)
		VALUES ($1, $2, $3, now() + $4 * interval '1 second', $5)`,
		tokenHash(token), staffID, randomToken(32), int(sessionIdle.Seconds()), userAgent)
	if err != nil {
		return "", fmt.Errorf("console: new session: %w", err)
	}
	return token, nil
}

// errNoSession is returned for a missing, unknown or expired session.
var errNoSession = errors.New("console: no session")

// lookupSession returns the live session of a token and extends it (at most once a
// minute, to spare the database).
func lookupSession(ctx context.Context, db *sqlx.DB, token string) (session, error) {
	var s session
	if token == "" || len(token) > 100 {
		return s, errNoSession
	}
	err := db.GetContext(ctx, &s, `SELECT staff_id, csrf_token, created_at, last_seen_at, expires_at
		FROM console_sessions WHERE token_hash = $1 AND expires_at > now()`, tokenHash(token))
	if errors.Is(err, sql.ErrNoRows) {
		return s, errNoSession
	}
	if err != nil {
		return s, fmt.Errorf("console: session: %w", err)
	}
	if time.Since(s.LastSeen) > time.Minute {
		if _, err := db.ExecContext(ctx, `UPDATE console_sessions SET last_seen_at = now(),
			expires_at = least(created_at + $2 * interval '1 second', now() + $3 * interval '1 second')
			WHERE token_hash = $1`, tokenHash(token), int(sessionMax.Seconds()), int(sessionIdle.Seconds())); err != nil {
			return s, fmt.Errorf("console: extend session: %w", err)
		}
	}
	return s, nil
}

// endSession deletes a session (logout).
func endSession(ctx context.Context, db sqlx.ExecerContext, token string) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM console_sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
		return fmt.Errorf("console: end session: %w", err)
	}
	return nil
}

// Login throttling: at most maxFailuresUser failed logins per username and
// maxFailuresClient per client address in throttleWindow.
const (
	throttleWindow    = 15 * time.Minute
	maxFailuresUser   = 5
	maxFailuresClient = 30
)

// throttled reports whether logins for username from client are refused for now, and
// for how long.
func throttled(ctx context.Context, db sqlx.QueryerContext, username, client string) (time.Duration, error) {
	var r struct {
		User     int        `db:"user_failures"`
		Client   int        `db:"client_failures"`
		OldestAt *time.Time `db:"oldest"`
	}
	err := sqlx.GetContext(ctx, db, &r, `SELECT
		(SELECT count(*) FROM login_failures WHERE username = $1 AND failed_at > now() - $3 * interval '1 second') AS user_failures,
		(SELECT count(*) FROM login_failures WHERE client = $2 AND failed_at > now() - $3 * interval '1 second') AS client_failures,
		(SELECT min(failed_at) FROM login_failures WHERE (username = $1 OR client = $2) AND failed_at > now() - $3 * interval '1 second') AS oldest`,
		username, client, int(throttleWindow.Seconds()))
	if err != nil {
		return 0, fmt.Errorf("console: throttle: %w", err)
	}
	if r.User < maxFailuresUser && r.Client < maxFailuresClient {
		return 0, nil
	}
	wait := throttleWindow
	if r.OldestAt != nil {
		wait = time.Until(r.OldestAt.Add(throttleWindow))
	}
	return max(wait, time.Minute), nil
}

// recordFailure remembers a failed login and forgets those older than the window.
func recordFailure(ctx context.Context, db sqlx.ExecerContext, username, client string) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO login_failures (username, client) VALUES ($1, $2)`, username, client); err != nil {
		return fmt.Errorf("console: record failure: %w", err)
	}
	_, err := db.ExecContext(ctx, `DELETE FROM login_failures WHERE failed_at < now() - $1 * interval '1 second'`, int(throttleWindow.Seconds()))
	return err
}

// minutes writes a wait as whole minutes, rounded up.
func minutes(d time.Duration) string {
	return strconv.Itoa(int((d + time.Minute - 1) / time.Minute))
}
