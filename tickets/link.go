package tickets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// A console account is linked to a Telegram account with a one-time code: the console
// shows it, the officer sends "/tautkan CODE" to the bot in a private chat. Only the
// code's SHA-256 is stored.

// linkCodeAlphabet has no characters easily confused when typed from a screen.
const linkCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// LinkCodeTTL is how long a link code is valid.
const LinkCodeTTL = 15 * time.Minute

func linkHash(code string) []byte {
	h := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return h[:]
}

// NewLinkCode returns a new code for the account, replacing any earlier one.
func (s *Store) NewLinkCode(ctx context.Context, q sqlx.ExecerContext, staffID int64) (string, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
	for i := range b {
		b[i] = linkCodeAlphabet[int(b[i])%len(linkCodeAlphabet)]
	}
	code := string(b)
	if _, err := q.ExecContext(ctx, `DELETE FROM telegram_link_codes WHERE staff_id = $1 OR expires_at < now()`, staffID); err != nil {
		return "", fmt.Errorf("tickets: link code: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO telegram_link_codes (code_hash, staff_id, expires_at)
		VALUES ($1, $2, now() + $3 * interval '1 second')`, linkHash(code), staffID, int(LinkCodeTTL.Seconds())); err != nil {
		return "", fmt.Errorf("tickets: link code: %w", err)
	}
	return code, nil
}

// Errors of LinkTelegram.
var (
	// ErrLinkCode: the code is unknown, used or expired.
	ErrLinkCode = errors.New("tickets: unknown or expired link code")
	// ErrTelegramTaken: the Telegram account already belongs to another officer.
	ErrTelegramTaken = errors.New("tickets: telegram account belongs to another officer")
)

// LinkTelegram redeems a link code for the Telegram account telegramUserID and returns
// the account, now linked; audited as the officer's own action through Telegram.
func (s *Store) LinkTelegram(ctx context.Context, tx *sqlx.Tx, code string, telegramUserID int64) (Staff, error) {
	var staffID int64
	err := tx.GetContext(ctx, &staffID, `DELETE FROM telegram_link_codes WHERE code_hash = $1 AND expires_at > now()
		RETURNING staff_id`, linkHash(code))
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, ErrLinkCode
	}
	if err != nil {
		return Staff{}, fmt.Errorf("tickets: link telegram: %w", err)
	}
	var other sql.NullInt64
	if err := tx.GetContext(ctx, &other, `SELECT max(id) FROM staff WHERE telegram_user_id = $1 AND id <> $2`, telegramUserID, staffID); err != nil {
		return Staff{}, fmt.Errorf("tickets: link telegram: %w", err)
	}
	if other.Valid {
		return Staff{}, ErrTelegramTaken
	}
	if _, err := tx.ExecContext(ctx, `UPDATE staff SET telegram_user_id = $2 WHERE id = $1`, staffID, telegramUserID); err != nil {
		return Staff{}, fmt.Errorf("tickets: link telegram: %w", err)
	}
	st, err := s.staffWhere(ctx, tx, "s.id = $1", staffID)
	if err != nil {
		return Staff{}, err
	}
	if err := s.Audit(ctx, tx, 0, StaffActor(st), DoorTelegram, ActionStaffLinked, map[string]any{"staff_id": st.ID, "telegram_user_id": telegramUserID}); err != nil {
		return Staff{}, err
	}
	return st, nil
}
