package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Default service levels of a unit, in working days.
const (
	DefaultFirstResponseDays = 1
	DefaultResolutionDays    = 5
)

// Unit is an office that answers tickets: disdukcapil, polres, samsat, inspektorat.
// A ticket's Unit is a unit's Slug, or "" in a deployment without units.
type Unit struct {
	// Slug identifies the unit, as FAQs name it: lowercase letters, digits and "-".
	Slug string `db:"slug"`
	Name string `db:"name"`
	// StaffChatID is the unit's own Telegram staff group; not valid: the configured
	// default staff group.
	StaffChatID sql.NullInt64 `db:"staff_chat_id"`
	// IsDefault marks the triage unit, which gets questions whose FAQ names no active
	// unit. At most one unit is the default.
	IsDefault bool `db:"is_default"`
	// IsIntegrity marks the integrity unit (e.g. the Inspektorat), which receives
	// confidential reports of misconduct: only its own members may act on its tickets
	// (see CanAct). At most one unit is the integrity unit; it has its own staff group
	// and is not the default unit.
	IsIntegrity bool `db:"is_integrity"`
	// Forum says the unit's staff group is a forum supergroup: each ticket gets a
	// topic of its own, where officers simply write (the bot must be an admin with
	// the right to manage topics).
	Forum bool `db:"forum"`
	// FirstResponseDays and ResolutionDays are the unit's service levels in working
	// days; 0 given to AddUnit means DefaultFirstResponseDays, DefaultResolutionDays.
	FirstResponseDays int `db:"first_response_days"`
	ResolutionDays    int `db:"resolution_days"`
	// Active is false for a unit disabled with SetUnitActive: questions for it go to
	// the default unit. AddUnit ignores it and leaves the unit active.
	Active bool `db:"active"`
	// StaffCount is how many active officers belong to the unit (read only).
	StaffCount int `db:"staff_count"`
}

// unitColumns selects a unit from "units u".
const unitColumns = `u.slug, u.name, u.staff_chat_id, u.is_default, u.is_integrity, u.forum,
	u.first_response_days, u.resolution_days, u.active,
	(SELECT count(*) FROM staff_units su JOIN staff s ON s.id = su.staff_id
		WHERE su.unit = u.slug AND s.active) AS staff_count`

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// maxSlug is the longest unit slug accepted.
const maxSlug = 40

// ValidUnitSlug reports whether slug can name a unit: lowercase letters, digits and
// "-", starting with a letter or digit, at most 40 characters.
func ValidUnitSlug(slug string) bool { return len(slug) <= maxSlug && slugRE.MatchString(slug) }

// AddUnit creates a unit or, when its slug exists, replaces everything about it with
// u (and re-activates it). Making it the default or the integrity unit takes that
// flag from the unit that had it, in the same transaction. It returns the unit as
// stored.
func (s *Store) AddUnit(ctx context.Context, u Unit) (Unit, error) {
	u.Slug = strings.TrimSpace(u.Slug)
	u.Name = strings.TrimSpace(u.Name)
	if u.FirstResponseDays == 0 {
		u.FirstResponseDays = DefaultFirstResponseDays
	}
	if u.ResolutionDays == 0 {
		u.ResolutionDays = DefaultResolutionDays
	}
	if err := validateUnit(u); err != nil {
		return Unit{}, fmt.Errorf("tickets: unit %q: %w", u.Slug, err)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// One writer at a time: the flags move between rows.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
	}
	if u.StaffChatID.Valid {
		var other string
		err := tx.GetContext(ctx, &other, `SELECT slug FROM units WHERE staff_chat_id = $1 AND slug <> $2`,
			u.StaffChatID.Int64, u.Slug)
		if err == nil {
			return Unit{}, fmt.Errorf("tickets: unit %q: Telegram group %d already belongs to unit %q",
				u.Slug, u.StaffChatID.Int64, other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
		}
	}
	if u.IsDefault {
		if _, err := tx.ExecContext(ctx, `UPDATE units SET is_default = false WHERE is_default AND slug <> $1`, u.Slug); err != nil {
			return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
		}
	}
	if u.IsIntegrity {
		if _, err := tx.ExecContext(ctx, `UPDATE units SET is_integrity = false WHERE is_integrity AND slug <> $1`, u.Slug); err != nil {
			return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO units
		(slug, name, staff_chat_id, is_default, is_integrity, first_response_days, resolution_days, forum)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, staff_chat_id = EXCLUDED.staff_chat_id,
			is_default = EXCLUDED.is_default, is_integrity = EXCLUDED.is_integrity, forum = EXCLUDED.forum,
			first_response_days = EXCLUDED.first_response_days,
			resolution_days = EXCLUDED.resolution_days, active = true`,
		u.Slug, u.Name, u.StaffChatID, u.IsDefault, u.IsIntegrity, u.FirstResponseDays, u.ResolutionDays, u.Forum); err != nil {
		return Unit{}, fmt.Errorf("tickets: add unit %q: %w", u.Slug, err)
	}
	out, err := s.Unit(ctx, tx, u.Slug)
	if err != nil {
		return Unit{}, err
	}
	if err := s.Audit(ctx, tx, 0, OperatorActor(), DoorCLI, ActionUnitChanged, map[string]any{
		"unit": out.Slug, "active": out.Active, "default": out.IsDefault, "integrity": out.IsIntegrity,
		"forum": out.Forum, "group": out.StaffChatID.Int64,
	}); err != nil {
		return Unit{}, err
	}
	if err := tx.Commit(); err != nil {
		return Unit{}, fmt.Errorf("tickets: add unit: %w", err)
	}
	return out, nil
}

// validateUnit checks a unit before AddUnit stores it.
func validateUnit(u Unit) error {
	switch {
	case !ValidUnitSlug(u.Slug):
		return fmt.Errorf(`slug must be lowercase letters, digits and "-" (at most %d), such as "disdukcapil"`, maxSlug)
	case u.Name == "":
		return errors.New("name is empty")
	case u.StaffChatID.Valid && u.StaffChatID.Int64 == 0:
		return errors.New("group id 0 is not a Telegram chat")
	case u.FirstResponseDays < 1 || u.ResolutionDays < 1:
		return errors.New("service levels must be at least 1 working day")
	case u.IsDefault && u.IsIntegrity:
		return errors.New("the integrity unit cannot also be the default unit: ordinary questions would reach it")
	case u.IsIntegrity && !u.StaffChatID.Valid:
		return errors.New("the integrity unit needs its own Telegram staff group: its reports must not reach the shared group")
	}
	return nil
}

// SetUnitActive disables or re-enables a unit. Questions for a disabled unit go to the
// default unit; its open tickets stay with it. The default and the integrity unit
// cannot be disabled (give the flag to another unit first). ErrNotFound for an unknown
// slug.
func (s *Store) SetUnitActive(ctx context.Context, slug string, active bool) error {
	u, err := s.Unit(ctx, s.db, slug)
	if err != nil {
		return err
	}
	if !active && (u.IsDefault || u.IsIntegrity) {
		return fmt.Errorf("tickets: unit %q is the default or the integrity unit and cannot be disabled; give that role to another unit first", slug)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE units SET active = $2 WHERE slug = $1`, slug, active); err != nil {
		return fmt.Errorf("tickets: unit %q: %w", slug, err)
	}
	return s.Audit(ctx, s.db, 0, OperatorActor(), DoorCLI, ActionUnitChanged, map[string]any{"unit": slug, "active": active})
}

// Units returns every unit, active or not, by slug.
func (s *Store) Units(ctx context.Context, q sqlx.QueryerContext) ([]Unit, error) {
	us := []Unit{}
	if err := sqlx.SelectContext(ctx, q, &us, `SELECT `+unitColumns+` FROM units u ORDER BY u.slug`); err != nil {
		return nil, fmt.Errorf("tickets: units: %w", err)
	}
	return us, nil
}

// Unit returns the unit with that slug, active or not, or ErrNotFound.
func (s *Store) Unit(ctx context.Context, q sqlx.QueryerContext, slug string) (Unit, error) {
	return unitWhere(ctx, q, "u.slug = $1", slug)
}

// UnitByChat returns the unit whose staff group is chatID, active or not, or
// ErrNotFound (the default staff group belongs to no unit).
func (s *Store) UnitByChat(ctx context.Context, q sqlx.QueryerContext, chatID int64) (Unit, error) {
	return unitWhere(ctx, q, "u.staff_chat_id = $1", chatID)
}

// RouteUnit returns the unit an escalated question goes to: the active unit named by
// the matched FAQ (faqUnit, "" for none) if there is one, else the default unit. It
// returns ErrNotFound when neither exists, as in a deployment without units: the
// caller then uses the configured staff group and a ticket unit of "".
func (s *Store) RouteUnit(ctx context.Context, q sqlx.QueryerContext, faqUnit string) (Unit, error) {
	faqUnit = strings.ToLower(strings.TrimSpace(faqUnit))
	return unitWhere(ctx, q, `u.active AND (u.slug = $1 OR u.is_default)
		ORDER BY u.slug = $1 DESC LIMIT 1`, faqUnit)
}

// IntegrityUnit returns the integrity unit, or ErrNotFound when there is none.
func (s *Store) IntegrityUnit(ctx context.Context, q sqlx.QueryerContext) (Unit, error) {
	return unitWhere(ctx, q, "u.is_integrity")
}

// unitWhere returns the first unit matching cond, or ErrNotFound.
func unitWhere(ctx context.Context, q sqlx.QueryerContext, cond string, args ...any) (Unit, error) {
	var u Unit
	err := sqlx.GetContext(ctx, q, &u, `SELECT `+unitColumns+` FROM units u WHERE `+cond, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("tickets: unit: %w", err)
	}
	return u, nil
}

// StaffUnits returns the slugs of the units an officer belongs to, sorted; none for an
// unknown officer.
func (s *Store) StaffUnits(ctx context.Context, q sqlx.QueryerContext, staffID int64) ([]string, error) {
	units := []string{}
	if err := sqlx.SelectContext(ctx, q, &units, `SELECT unit FROM staff_units WHERE staff_id = $1 ORDER BY unit`, staffID); err != nil {
		return nil, fmt.Errorf("tickets: units of staff %d: %w", staffID, err)
	}
	return units, nil
}

// CanAct reports whether an officer may act on a ticket of unit (a ticket's Unit). It
// reads the officer's role, state and units from q, not from st, of which only ID
// counts, so a stale Staff grants nothing. The rules:
//
//   - nobody disabled or unregistered acts;
//   - on the integrity unit's tickets, only its members act, whatever their role;
//   - on other units' tickets, admins and supervisors act, officers when they belong
//     to the unit;
//   - on tickets of unit "", or of a unit not defined while no unit is (tickets routed
//     by FAQ units in a deployment without units), any active officer acts;
//   - on tickets of a unit not defined while others are, admins and supervisors act.
//
// Any error reading the database refuses.
func (s *Store) CanAct(ctx context.Context, q sqlx.QueryerContext, st Staff, unit string) bool {
	var who struct {
		Role     string `db:"role"`
		Member   bool   `db:"member"`
		Integ    bool   `db:"integrity"`
		Exists   bool   `db:"unit_exists"`
		AnyUnits bool   `db:"any_units"`
	}
	err := sqlx.GetContext(ctx, q, &who, `SELECT s.role,
		EXISTS (SELECT 1 FROM staff_units WHERE staff_id = s.id AND unit = $2) AS member,
		EXISTS (SELECT 1 FROM units WHERE slug = $2 AND is_integrity) AS integrity,
		EXISTS (SELECT 1 FROM units WHERE slug = $2) AS unit_exists,
		EXISTS (SELECT 1 FROM units) AS any_units
		FROM staff s WHERE s.id = $1 AND s.active`, st.ID, unit)
	if err != nil {
		return false
	}
	privileged := slices.Contains([]string{RoleSupervisor, RoleAdmin}, who.Role)
	switch {
	case who.Integ:
		return who.Member
	case unit == "" || (!who.Exists && !who.AnyUnits):
		return true
	case !who.Exists:
		return privileged
	}
	return privileged || who.Member
}
