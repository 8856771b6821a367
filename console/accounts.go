package console

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/loket-id/loket/tickets"
)

// usernamePattern is what a console username may be (as the database checks).
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// NewUser is a console account to create.
type NewUser struct {
	Username string
	// Name is shown to colleagues and in the audit log (default: the username).
	Name     string
	Role     string
	Password string
	// Units are the units' slugs (officers and editors act on these units' tickets).
	Units []string
	// TelegramUserID, when not 0, gives the login to the officer already registered
	// with this Telegram id (or registers them), so both doors are one person.
	TelegramUserID int64
}

// ErrUsernameTaken is returned when the username belongs to someone else.
var ErrUsernameTaken = errors.New("console: username already taken")

// CreateUser creates a console account (or gives a login to an officer registered by
// Telegram id), audited as done by actor through door.
func CreateUser(ctx context.Context, db *sqlx.DB, ts *tickets.Store, u NewUser, actor tickets.Actor, door tickets.Door) (tickets.Staff, error) {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		u.Name = u.Username
	}
	switch {
	case !usernamePattern.MatchString(u.Username):
		return tickets.Staff{}, fmt.Errorf("console: username %q: 3–32 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit", u.Username)
	case !slices.Contains(tickets.Roles(), u.Role):
		return tickets.Staff{}, fmt.Errorf("console: role %q is not one of %s", u.Role, strings.Join(tickets.Roles(), ", "))
	case CheckNewPassword(u.Password) != "":
		return tickets.Staff{}, fmt.Errorf("console: password: at least %d characters, at most 200 bytes", MinPasswordLen)
	case u.TelegramUserID < 0:
		return tickets.Staff{}, fmt.Errorf("console: telegram id must be a positive number")
	}
	hash, err := HashPassword(u.Password)
	if err != nil {
		return tickets.Staff{}, err
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return tickets.Staff{}, fmt.Errorf("console: create user: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var taken bool
	if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT 1 FROM staff WHERE username = $1
		AND ($2 = 0 OR telegram_user_id IS DISTINCT FROM $2))`, u.Username, u.TelegramUserID); err != nil {
		return tickets.Staff{}, fmt.Errorf("console: create user: %w", err)
	}
	if taken {
		return tickets.Staff{}, ErrUsernameTaken
	}
	var id int64
	if u.TelegramUserID != 0 {
		err = tx.GetContext(ctx, &id, `INSERT INTO staff (telegram_user_id, username, name, role, password_hash, password_changed_at)
			VALUES ($1, $2, $3, $4, $5, now())
			ON CONFLICT (telegram_user_id) DO UPDATE SET username = EXCLUDED.username, name = EXCLUDED.name,
				role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, password_changed_at = now(), active = true
			RETURNING id`, u.TelegramUserID, u.Username, u.Name, u.Role, hash)
	} else {
		err = tx.GetContext(ctx, &id, `INSERT INTO staff (username, name, role, password_hash, password_changed_at)
			VALUES ($1, $2, $3, $4, now()) RETURNING id`, u.Username, u.Name, u.Role, hash)
	}
	if err != nil {
		return tickets.Staff{}, fmt.Errorf("console: create user: %w", err)
	}
	if err := setUnits(ctx, tx, id, u.Units); err != nil {
		return tickets.Staff{}, err
	}
	if err := ts.Audit(ctx, tx, 0, actor, door, tickets.ActionStaffAdded, map[string]any{
		"staff_id": id, "username": u.Username, "role": u.Role, "units": u.Units, "telegram_user_id": u.TelegramUserID,
	}); err != nil {
		return tickets.Staff{}, err
	}
	if err := tx.Commit(); err != nil {
		return tickets.Staff{}, fmt.Errorf("console: create user: %w", err)
	}
	return ts.StaffByID(ctx, db, id)
}

// setUnits replaces an account's units; every unit must exist.
func setUnits(ctx context.Context, tx *sqlx.Tx, staffID int64, units []string) error {
	var slugs []string
	for _, u := range units {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(slugs, u) {
			slugs = append(slugs, u)
		}
	}
	var known []string
	if err := tx.SelectContext(ctx, &known, `SELECT slug FROM units WHERE slug = ANY($1)`, pq.StringArray(slugs)); err != nil {
		return fmt.Errorf("console: units: %w", err)
	}
	for _, s := range slugs {
		if !slices.Contains(known, s) {
			return &tickets.UnknownUnitError{Slug: s}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_units WHERE staff_id = $1`, staffID); err != nil {
		return fmt.Errorf("console: units: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO staff_units (staff_id, unit) SELECT $1, unnest($2::text[])`, staffID, pq.StringArray(slugs)); err != nil {
		return fmt.Errorf("console: units: %w", err)
	}
	return nil
}

// SetPassword changes an account's password and ends its other sessions.
func SetPassword(ctx context.Context, db *sqlx.DB, staffID int64, password string) error {
	if msg := CheckNewPassword(password); msg != "" {
		return fmt.Errorf("console: password: %s", msg)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `UPDATE staff SET password_hash = $2, password_changed_at = now() WHERE id = $1 AND username IS NOT NULL`, staffID, hash)
	if err != nil {
		return fmt.Errorf("console: set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tickets.ErrNotFound
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM console_sessions WHERE staff_id = $1`, staffID); err != nil {
		return fmt.Errorf("console: set password: %w", err)
	}
	return nil
}

// StaffByUsername returns the account with this username (active or not).
func StaffByUsername(ctx context.Context, db *sqlx.DB, ts *tickets.Store, username string) (tickets.Staff, error) {
	var id int64
	err := db.GetContext(ctx, &id, `SELECT id FROM staff WHERE username = $1`, strings.ToLower(strings.TrimSpace(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return tickets.Staff{}, tickets.ErrNotFound
	}
	if err != nil {
		return tickets.Staff{}, fmt.Errorf("console: user %q: %w", username, err)
	}
	return ts.StaffByID(ctx, db, id)
}

// adminExists reports whether some active admin can log in to the console.
func adminExists(ctx context.Context, db sqlx.QueryerContext) (bool, error) {
	var ok bool
	err := sqlx.GetContext(ctx, db, &ok, `SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin' AND active AND password_hash IS NOT NULL)`)
	if err != nil {
		return false, fmt.Errorf("console: admin exists: %w", err)
	}
	return ok, nil
}

// UpdateUser changes an account's name, role, units and whether it is active, audited
// as done by actor through the console. Disabling ends its sessions.
func UpdateUser(ctx context.Context, db *sqlx.DB, ts *tickets.Store, staffID int64, name, role string, units []string, active bool, actor tickets.Actor) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("console: update user: name is empty")
	}
	if !slices.Contains(tickets.Roles(), role) {
		return fmt.Errorf("console: update user: role %q is not one of %s", role, strings.Join(tickets.Roles(), ", "))
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("console: update user: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `UPDATE staff SET name = $2, role = $3, active = $4 WHERE id = $1`, staffID, name, role, active)
	if err != nil {
		return fmt.Errorf("console: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tickets.ErrNotFound
	}
	if err := setUnits(ctx, tx, staffID, units); err != nil {
		return err
	}
	if !active {
		if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE staff_id = $1`, staffID); err != nil {
			return fmt.Errorf("console: update user: %w", err)
		}
	}
	if err := ts.Audit(ctx, tx, 0, actor, tickets.DoorConsole, tickets.ActionStaffChanged, map[string]any{
		"staff_id": staffID, "role": role, "units": units, "active": active,
	}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("console: update user: %w", err)
	}
	return nil
}
