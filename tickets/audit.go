package tickets

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Actor kinds.
const (
	// ActorStaff is an officer; Actor.ID is staff.id (0 for someone not registered,
	// see ActionRefused).
	ActorStaff = "staff"
	// ActorCitizen is a citizen; Actor.ID is their Telegram user id.
	ActorCitizen = "citizen"
	// ActorSystem is Loket itself (timers, automatic closing); Actor.ID is 0.
	ActorSystem = "system"
	// ActorAdmin is an operator or supervisor acting outside the staff group (command
	// line, console); Actor.ID is staff.id when they are registered, 0 otherwise.
	ActorAdmin = "admin"
)

// Actor is who did something.
type Actor struct {
	// Kind is ActorStaff, ActorCitizen, ActorSystem or ActorAdmin.
	Kind string
	// ID is staff.id for staff and admins, the Telegram user id for citizens, 0 when
	// there is none (always for the system); 0 is stored as NULL.
	ID int64
	// Name is shown to supervisors; leave it empty for citizens (see Store.Audit on
	// privacy).
	Name string
}

// StaffActor returns the actor for a registered officer.
func StaffActor(st Staff) Actor { return Actor{Kind: ActorStaff, ID: st.ID, Name: st.Name} }

// CitizenActor returns the actor for a citizen, by Telegram user id and without a name.
func CitizenActor(telegramUserID int64) Actor {
	return Actor{Kind: ActorCitizen, ID: telegramUserID}
}

// SystemActor returns the actor for Loket itself.
func SystemActor() Actor { return Actor{Kind: ActorSystem, Name: "Loket"} }

// Door is how something was done.
type Door string

// Doors.
const (
	DoorTelegram Door = "telegram" // the bot: a citizen's private chat or the staff group
	DoorConsole  Door = "console"  // the web console
	DoorCLI      Door = "cli"      // the loket command
	DoorSystem   Door = "system"   // Loket on its own (timers, background jobs)
)

// Audit actions. Codes are "subject.verb_phrase" in lowercase; a new action needs no
// migration, but belongs here, in KnownActions and in the supervisors' phrases
// (cmd/loket/audit.go). Suggested detail keys are in brackets: ids, lengths, statuses
// and counts, never a citizen's text (see Store.Audit).
const (
	ActionTicketOpened     = "ticket.opened"           // a citizen's question became a ticket [question_id, category, unit, faq_id, length]
	ActionTicketViewed     = "ticket.viewed"           // an officer opened the ticket in the console
	ActionTicketTaken      = "ticket.taken"            // an officer took the ticket
	ActionTicketAssigned   = "ticket.assigned"         // a supervisor assigned it [staff_id]
	ActionTicketHandedOver = "ticket.handed_over"      // passed to another officer [from_staff_id, to_staff_id]
	ActionTicketReleased   = "ticket.released"         // the officer gave it back to the queue
	ActionReplySent        = "ticket.reply_sent"       // an officer's reply went to the citizen [message_id, length]
	ActionCitizenReplied   = "ticket.citizen_replied"  // the citizen wrote again on the ticket [message_id, length]
	ActionNoteAdded        = "ticket.note_added"       // an internal note, not sent to the citizen [message_id, length]
	ActionStatusChanged    = "ticket.status_changed"   // [from, to]
	ActionTicketResolved   = "ticket.resolved"         // the officer resolved it [length of the note]
	ActionTicketClosed     = "ticket.closed"           // [reason: "rated", "no_response", …]
	ActionTicketReopened   = "ticket.reopened"         // the citizen reopened it after resolution
	ActionTicketCancelled  = "ticket.cancelled"        // the citizen withdrew the question
	ActionRated            = "ticket.rated"            // the citizen rated the answer [stars]
	ActionRatingCommented  = "ticket.rating_commented" // the citizen commented on their rating [length]

	ActionCitizenDataViewed   = "citizen.data_viewed"   // someone looked at a citizen's personal data [citizen_id]
	ActionCitizenDataExported = "citizen.data_exported" // a citizen's data was exported on request [citizen_id]
	ActionCitizenDataErased   = "citizen.data_erased"   // a citizen's data was erased on request [citizen_id, tickets]

	ActionStaffAdded    = "staff.added"          // [staff_id, telegram_user_id]
	ActionStaffEnabled  = "staff.enabled"        // a disabled officer was re-activated [staff_id]
	ActionStaffDisabled = "staff.disabled"       // [staff_id]
	ActionStaffLinked   = "staff.linked"         // a console account was linked to a Telegram account [staff_id, telegram_user_id]
	ActionStaffLogin    = "staff.login"          // a console login [staff_id]
	ActionPasswordReset = "staff.password_reset" // an admin set someone's console password [staff_id]
	ActionStaffChanged  = "staff.changed"        // an admin changed someone's role, units or name in the console [staff_id, role, units]
	ActionRefused       = "staff.refused"        // an unregistered person tried to act as staff [telegram_user_id, what]

	ActionUnitChanged = "unit.changed" // a unit was added, changed, enabled or disabled [unit, active, default, integrity, forum, group]
	ActionKBImported  = "kb.imported"  // the knowledge base was replaced or merged [added, changed, removed]

	ActionReportExported = "report.exported" // a supervisor downloaded figures or a ticket list [what, from, to, unit, rows]
)

// KnownActions returns every action defined above, in a fixed order.
func KnownActions() []string {
	return []string{
		ActionTicketOpened, ActionTicketViewed, ActionTicketTaken, ActionTicketAssigned,
		ActionTicketHandedOver, ActionTicketReleased, ActionReplySent, ActionCitizenReplied,
		ActionNoteAdded, ActionStatusChanged, ActionTicketResolved, ActionTicketClosed,
		ActionTicketReopened, ActionTicketCancelled, ActionRated, ActionRatingCommented,
		ActionCitizenDataViewed, ActionCitizenDataExported, ActionCitizenDataErased,
		ActionStaffAdded, ActionStaffEnabled, ActionStaffDisabled, ActionStaffLinked, ActionStaffLogin,
		ActionPasswordReset, ActionStaffChanged, ActionRefused,
		ActionUnitChanged, ActionKBImported, ActionReportExported,
	}
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID int64
	// At is when the entry's transaction started (PostgreSQL now()): entries written in
	// one transaction share it, and ID orders them.
	At time.Time
	// TicketID is the ticket the action was about; not valid for actions about no
	// ticket (staff changes, knowledge base).
	TicketID sql.NullInt64
	Actor    Actor
	Door     Door
	Action   string
	// Detail is never nil when read back; JSON numbers come back as json.Number so that
	// 64-bit ids stay exact.
	Detail map[string]any
}

// validActionCode reports whether action is dot-separated lowercase words such as
// "ticket.taken": each part starts with a letter and holds letters, digits and "_".
func validActionCode(action string) bool {
	parts := strings.Split(action, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || p[0] < 'a' || p[0] > 'z' {
			return false
		}
		for _, c := range p {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
				return false
			}
		}
	}
	return true
}

// validateAudit checks what Audit is given before anything is written.
func validateAudit(ticketID int64, actor Actor, door Door, action string) error {
	switch actor.Kind {
	case ActorStaff, ActorCitizen, ActorAdmin:
		if actor.ID < 0 {
			return fmt.Errorf("actor id %d is negative", actor.ID)
		}
	case ActorSystem:
		if actor.ID != 0 {
			return fmt.Errorf("the system actor has no id (got %d)", actor.ID)
		}
	default:
		return fmt.Errorf("unknown actor kind %q (want staff, citizen, system or admin)", actor.Kind)
	}
	if actor.Kind == ActorCitizen && actor.ID == 0 {
		return fmt.Errorf("a citizen actor needs their Telegram user id")
	}
	switch door {
	case DoorTelegram, DoorConsole, DoorCLI, DoorSystem:
	default:
		return fmt.Errorf("unknown door %q (want telegram, console, cli or system)", door)
	}
	if !validActionCode(action) {
		return fmt.Errorf("action %q is not a code such as %q", action, ActionTicketTaken)
	}
	if ticketID < 0 {
		return fmt.Errorf("ticket id %d is negative", ticketID)
	}
	return nil
}

// Audit appends an entry to the audit log: who did what to which ticket (0: none),
// through which door. Pass as q the transaction that makes the change, so that the
// change and its entry commit or roll back together. The log is append-only, enforced
// by PostgreSQL (migrations/00004_audit.sql): an entry is never changed afterwards, and
// a mistake is corrected by appending another.
//
// Privacy (UU 27/2022 on personal data protection): entries cannot be erased, so they
// must not hold what citizens wrote. detail (nil for none; it must marshal to a JSON
// object) carries ids, lengths, statuses, counts — {"message_id": 812, "length": 214},
// {"from": "baru", "to": "diproses"} — never message text, resolution notes, names,
// phone numbers or NIKs. Audit stores detail exactly as given and cannot tell a
// citizen's text from anything else: keeping it out is the caller's duty. For the same
// reason record a citizen with CitizenActor (Telegram id, no name): their name stays in
// the citizens table, where it can be erased.
func (s *Store) Audit(ctx context.Context, q sqlx.ExecerContext, ticketID int64, actor Actor, door Door, action string, detail map[string]any) error {
	if err := validateAudit(ticketID, actor, door, action); err != nil {
		return fmt.Errorf("tickets: audit %s: %w", action, err)
	}
	d := []byte("{}")
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("tickets: audit %s: detail: %w", action, err)
		}
		d = b
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO audit_log
		(ticket_id, actor_kind, actor_id, actor_name, door, action, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		nullID(ticketID), actor.Kind, nullID(actor.ID), actor.Name, string(door), action, string(d)); err != nil {
		return fmt.Errorf("tickets: audit %s: %w", action, err)
	}
	return nil
}

// AuditTrail returns a ticket's audit entries, oldest first; none (not an error) for a
// ticket with no entries or no such ticket.
func (s *Store) AuditTrail(ctx context.Context, q sqlx.QueryerContext, ticketID int64) ([]AuditEntry, error) {
	es, err := selectAudit(ctx, q, `SELECT `+auditColumns+` FROM audit_log
		WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("tickets: audit trail of %d: %w", ticketID, err)
	}
	return es, nil
}

// AuditSince returns the latest limit entries written at or after since, about any
// ticket or none, oldest first (like tail: when there are more, the oldest are left out).
func (s *Store) AuditSince(ctx context.Context, q sqlx.QueryerContext, since time.Time, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("tickets: audit since: limit %d is not positive", limit)
	}
	es, err := selectAudit(ctx, q, `SELECT * FROM (SELECT `+auditColumns+` FROM audit_log
		WHERE at >= $1 ORDER BY id DESC LIMIT $2) latest ORDER BY id`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("tickets: audit since %s: %w", since.Format(time.RFC3339), err)
	}
	return es, nil
}

// AuditByActor returns the latest limit entries by one actor (kind and id; id 0 for an
// actor without one) written at or after since, oldest first, as AuditSince.
func (s *Store) AuditByActor(ctx context.Context, q sqlx.QueryerContext, kind string, actorID int64, since time.Time, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("tickets: audit by actor: limit %d is not positive", limit)
	}
	es, err := selectAudit(ctx, q, `SELECT * FROM (SELECT `+auditColumns+` FROM audit_log
		WHERE actor_kind = $1 AND actor_id IS NOT DISTINCT FROM $2 AND at >= $3
		ORDER BY id DESC LIMIT $4) latest ORDER BY id`, kind, nullID(actorID), since, limit)
	if err != nil {
		return nil, fmt.Errorf("tickets: audit by %s %d: %w", kind, actorID, err)
	}
	return es, nil
}

const auditColumns = `id, at, ticket_id, actor_kind, actor_id, actor_name, door, action, detail`

// auditRow is an audit_log row as scanned.
type auditRow struct {
	ID        int64         `db:"id"`
	At        time.Time     `db:"at"`
	TicketID  sql.NullInt64 `db:"ticket_id"`
	ActorKind string        `db:"actor_kind"`
	ActorID   sql.NullInt64 `db:"actor_id"`
	ActorName string        `db:"actor_name"`
	Door      string        `db:"door"`
	Action    string        `db:"action"`
	Detail    []byte        `db:"detail"`
}

func selectAudit(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) ([]AuditEntry, error) {
	var rows []auditRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(rows))
	for _, r := range rows {
		e := AuditEntry{
			ID: r.ID, At: r.At, TicketID: r.TicketID,
			Actor:  Actor{Kind: r.ActorKind, ID: r.ActorID.Int64, Name: r.ActorName},
			Door:   Door(r.Door),
			Action: r.Action,
			Detail: map[string]any{},
		}
		dec := json.NewDecoder(bytes.NewReader(r.Detail))
		dec.UseNumber()
		if err := dec.Decode(&e.Detail); err != nil {
			return nil, fmt.Errorf("entry %d: detail: %w", r.ID, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// nullID stores 0 as NULL.
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
