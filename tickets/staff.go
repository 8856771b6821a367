package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Staff roles.
const (
	// RoleOfficer acts on the tickets of their own units.
	RoleOfficer = "officer"
	// RoleEditor keeps the knowledge base in the console; they act on tickets like an
	// officer of their units.
	RoleEditor = "editor"
	// RoleSupervisor acts on every unit's tickets, the integrity unit's only when they
	// belong to it.
	RoleSupervisor = "supervisor"
	// RoleAdmin acts like a supervisor and also administers Loket.
	RoleAdmin = "admin"
)

// Roles returns the staff roles, from least to most powers.
func Roles() []string { return []string{RoleOfficer, RoleEditor, RoleSupervisor, RoleAdmin} }

// Staff is an officer registered to act on tickets.
type Staff struct {
	ID int64 `db:"id"`
	// TelegramUserID is 0 for a console account not linked to Telegram yet.
	TelegramUserID int64 `db:"telegram_user_id"`
	// Username is the console login ("" for an officer who only uses Telegram).
	Username string `db:"username"`
	Name     string `db:"name"`
	// Role is RoleOfficer, RoleSupervisor or RoleAdmin.
	Role      string    `db:"role"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
	// Units are the slugs of the units they belong to, sorted; filled by the functions
	// that return Staff here.
	Units []string `db:"-"`
}

// staffRow is a staff row as scanned with staffColumns.
type staffRow struct {
	Staff
	UnitList pq.StringArray `db:"units"`
}

func (r staffRow) staff() Staff {
	st := r.Staff
	st.Units = []string(r.UnitList)
	if st.Units == nil {
		st.Units = []string{}
	}
	return st
}

// staffColumns selects an officer from "staff s", with their units.
const staffColumns = `s.id, coalesce(s.telegram_user_id, 0) AS telegram_user_id, coalesce(s.username, '') AS username, s.name, s.role, s.active, s.created_at,
	coalesce((SELECT array_agg(su.unit ORDER BY su.unit) FROM staff_units su WHERE su.staff_id = s.id), '{}') AS units`

// OperatorActor is who acts from the loket command: an operator of the server.
func OperatorActor() Actor { return Actor{Kind: ActorAdmin, Name: "Operator"} }

// UnknownUnitError is returned when an officer is given a unit that does not exist.
type UnknownUnitError struct{ Slug string }

func (e *UnknownUnitError) Error() string {
	return fmt.Sprintf("tickets: unit %q does not exist", e.Slug)
}

// AddStaff registers an officer, or updates the name and re-activates one already
// registered with that Telegram id; the role and units of someone already registered
// are kept (a new officer is an officer of no unit). It writes no audit entry: it is
// for tests and setup code. Operators use SetStaff.
func (s *Store) AddStaff(ctx context.Context, telegramUserID int64, name string) (Staff, error) {
	name = strings.TrimSpace(name)
	if telegramUserID <= 0 {
		return Staff{}, fmt.Errorf("tickets: add staff: telegram id must be a positive number")
	}
	if name == "" {
		return Staff{}, fmt.Errorf("tickets: add staff: name is empty")
	}
	var id int64
	err := s.db.GetContext(ctx, &id, `INSERT INTO staff (telegram_user_id, name) VALUES ($1, $2)
		ON CONFLICT (telegram_user_id) DO UPDATE SET name = EXCLUDED.name, active = true
		RETURNING id`, telegramUserID, name)
	if err != nil {
		return Staff{}, fmt.Errorf("tickets: add staff: %w", err)
	}
	return s.staffWhere(ctx, s.db, "s.id = $1", id)
}

// SetStaff registers an officer or changes one already registered with that Telegram
// id: their name, their role (RoleOfficer, RoleSupervisor or RoleAdmin; "" keeps the
// current role, RoleOfficer for someone new) and their units, which replace the
// previous list (nil or empty: none). Every unit must exist (*UnknownUnitError
// otherwise). A new officer is active; someone disabled stays disabled (EnableStaff).
// The change is audited as ActionStaffAdded, by an operator on the command line.
func (s *Store) SetStaff(ctx context.Context, telegramUserID int64, name, role string, units []string) (Staff, error) {
	name = strings.TrimSpace(name)
	role = strings.TrimSpace(role)
	if telegramUserID <= 0 {
		return Staff{}, fmt.Errorf("tickets: set staff: telegram id must be a positive number")
	}
	if name == "" {
		return Staff{}, fmt.Errorf("tickets: set staff: name is empty")
	}
	if role != "" && !slices.Contains(Roles(), role) {
		return Staff{}, fmt.Errorf("tickets: set staff: role %q is not one of %s", role, strings.Join(Roles(), ", "))
	}
	slugs := make([]string, 0, len(units))
	for _, u := range units {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(slugs, u) {
			slugs = append(slugs, u)
		}
	}
	slices.Sort(slugs)

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var known []string
	if err := tx.SelectContext(ctx, &known, `SELECT slug FROM units WHERE slug = ANY($1) FOR SHARE`, pq.StringArray(slugs)); err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff: %w", err)
	}
	for _, u := range slugs {
		if !slices.Contains(known, u) {
			return Staff{}, &UnknownUnitError{Slug: u}
		}
	}
	var row struct {
		ID      int64 `db:"id"`
		Created bool  `db:"created"`
	}
	// xmax = 0 only for a row this statement inserted.
	if err := tx.GetContext(ctx, &row, `INSERT INTO staff (telegram_user_id, name, role)
		VALUES ($1, $2, coalesce(nullif($3, ''), 'officer'))
		ON CONFLICT (telegram_user_id) DO UPDATE
			SET name = EXCLUDED.name, role = coalesce(nullif($3, ''), staff.role)
		RETURNING id, xmax = 0 AS created`, telegramUserID, name, role); err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_units WHERE staff_id = $1 AND NOT unit = ANY($2)`,
		row.ID, pq.StringArray(slugs)); err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff units: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO staff_units (staff_id, unit)
		SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, row.ID, pq.StringArray(slugs)); err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff units: %w", err)
	}
	st, err := s.staffWhere(ctx, tx, "s.id = $1", row.ID)
	if err != nil {
		return Staff{}, err
	}
	if err := s.Audit(ctx, tx, 0, OperatorActor(), DoorCLI, ActionStaffAdded, map[string]any{
		"staff_id": st.ID, "telegram_user_id": st.TelegramUserID, "role": st.Role,
		"units": st.Units, "created": row.Created,
	}); err != nil {
		return Staff{}, err
	}
	if err := tx.Commit(); err != nil {
		return Staff{}, fmt.Errorf("tickets: set staff: %w", err)
	}
	return st, nil
}

// DisableStaff stops an officer from acting on tickets, keeping their record, role
// and units; the change is audited as ActionStaffDisabled. It returns ErrNotFound for
// an unknown Telegram id and does nothing (nil) for someone already disabled.
func (s *Store) DisableStaff(ctx context.Context, telegramUserID int64) error {
	return s.setStaffActive(ctx, telegramUserID, false)
}

// EnableStaff lets a disabled officer act again; the change is audited as
// ActionStaffEnabled. It returns ErrNotFound for an unknown Telegram id and does
// nothing (nil) for someone already active.
func (s *Store) EnableStaff(ctx context.Context, telegramUserID int64) error {
	return s.setStaffActive(ctx, telegramUserID, true)
}

func (s *Store) setStaffActive(ctx context.Context, telegramUserID int64, active bool) error {
	what, action := "disable", ActionStaffDisabled
	if active {
		what, action = "enable", ActionStaffEnabled
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("tickets: %s staff: %w", what, err)
	}
	defer func() { _ = tx.Rollback() }()
	var cur struct {
		ID     int64 `db:"id"`
		Active bool  `db:"active"`
	}
	err = tx.GetContext(ctx, &cur, `SELECT id, active FROM staff WHERE telegram_user_id = $1 FOR UPDATE`, telegramUserID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("tickets: %s staff %d: %w", what, telegramUserID, err)
	}
	if cur.Active == active {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE staff SET active = $2 WHERE id = $1`, cur.ID, active); err != nil {
		return fmt.Errorf("tickets: %s staff %d: %w", what, telegramUserID, err)
	}
	if err := s.Audit(ctx, tx, 0, OperatorActor(), DoorCLI, action, map[string]any{
		"staff_id": cur.ID, "telegram_user_id": telegramUserID,
	}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("tickets: %s staff %d: %w", what, telegramUserID, err)
	}
	return nil
}

// StaffByTelegramID returns the active officer with that Telegram user id, or
// ErrNotFound.
func (s *Store) StaffByTelegramID(ctx context.Context, q sqlx.QueryerContext, telegramUserID int64) (Staff, error) {
	return s.staffWhere(ctx, q, "s.telegram_user_id = $1 AND s.active", telegramUserID)
}

// staffWhere returns the one officer matching cond, or ErrNotFound.
func (s *Store) staffWhere(ctx context.Context, q sqlx.QueryerContext, cond string, arg any) (Staff, error) {
	var r staffRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+staffColumns+` FROM staff s WHERE `+cond, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, ErrNotFound
	}
	if err != nil {
		return Staff{}, fmt.Errorf("tickets: staff %v: %w", arg, err)
	}
	return r.staff(), nil
}

// StaffByID returns an active officer by their id, or ErrNotFound.
func (s *Store) StaffByID(ctx context.Context, q sqlx.QueryerContext, id int64) (Staff, error) {
	return s.staffWhere(ctx, q, "s.id = $1 AND s.active", id)
}

// ListStaff returns every registered officer, active or not.
func (s *Store) ListStaff(ctx context.Context) ([]Staff, error) {
	var rows []staffRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+staffColumns+` FROM staff s ORDER BY s.id`); err != nil {
		return nil, fmt.Errorf("tickets: list staff: %w", err)
	}
	out := make([]Staff, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.staff())
	}
	return out, nil
}
