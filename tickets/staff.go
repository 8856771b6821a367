package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Staff is an officer registered to act on tickets.
type Staff struct {
	ID             int64     `db:"id"`
	TelegramUserID int64     `db:"telegram_user_id"`
	Name           string    `db:"name"`
	Active         bool      `db:"active"`
	CreatedAt      time.Time `db:"created_at"`
}

// AddStaff registers an officer, or updates the name and re-activates one already
// registered with that Telegram id.
func (s *Store) AddStaff(ctx context.Context, telegramUserID int64, name string) (Staff, error) {
	var st Staff
	name = strings.TrimSpace(name)
	if telegramUserID <= 0 {
		return st, fmt.Errorf("tickets: add staff: telegram id must be a positive number")
	}
	if name == "" {
		return st, fmt.Errorf("tickets: add staff: name is empty")
	}
	err := s.db.GetContext(ctx, &st, `INSERT INTO staff (telegram_user_id, name) VALUES ($1, $2)
		ON CONFLICT (telegram_user_id) DO UPDATE SET name = EXCLUDED.name, active = true
		RETURNING id, telegram_user_id, name, active, created_at`, telegramUserID, name)
	if err != nil {
		return st, fmt.Errorf("tickets: add staff: %w", err)
	}
	return st, nil
}

// StaffByTelegramID returns the active officer with that Telegram user id, or
// ErrNotFound.
func (s *Store) StaffByTelegramID(ctx context.Context, q sqlx.QueryerContext, telegramUserID int64) (Staff, error) {
	var st Staff
	err := sqlx.GetContext(ctx, q, &st, `SELECT id, telegram_user_id, name, active, created_at
		FROM staff WHERE telegram_user_id = $1 AND active`, telegramUserID)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("tickets: staff %d: %w", telegramUserID, err)
	}
	return st, nil
}

// ListStaff returns every registered officer.
func (s *Store) ListStaff(ctx context.Context) ([]Staff, error) {
	var out []Staff
	if err := s.db.SelectContext(ctx, &out, `SELECT id, telegram_user_id, name, active, created_at
		FROM staff ORDER BY id`); err != nil {
		return nil, fmt.Errorf("tickets: list staff: %w", err)
	}
	return out, nil
}
