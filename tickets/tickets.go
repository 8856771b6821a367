package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ErrNotFound: no such ticket or staff member.
var ErrNotFound = errors.New("tickets: not found")

// Author says who wrote a ticket message.
type Author string

// Message authors.
const (
	AuthorCitizen Author = "citizen"
	AuthorStaff   Author = "staff"
	AuthorSystem  Author = "system"
)

// Ticket is a citizen's question handed to officers.
type Ticket struct {
	ID              int64         `db:"id"`
	CitizenID       int64         `db:"citizen_id"`
	QuestionID      sql.NullInt64 `db:"question_id"`
	Question        string        `db:"question"`
	Category        string        `db:"category"`
	Unit            string        `db:"unit"`
	FAQID           string        `db:"faq_id"`
	StaffChatID     sql.NullInt64 `db:"staff_chat_id"`
	Confidential    bool          `db:"confidential"`
	Anonymous       bool          `db:"anonymous"`
	Status          Status        `db:"status"`
	AssigneeID      sql.NullInt64 `db:"assignee_id"`
	AssigneeName    string        `db:"assignee_name"`
	CreatedAt       time.Time     `db:"created_at"`
	DueAt           sql.NullTime  `db:"due_at"`
	ResolveDueAt    sql.NullTime  `db:"resolve_due_at"`
	UpdatedAt       time.Time     `db:"updated_at"`
	TakenAt         sql.NullTime  `db:"taken_at"`
	FirstResponseAt sql.NullTime  `db:"first_response_at"`
	ResolvedAt      sql.NullTime  `db:"resolved_at"`
	ResolvedBy      sql.NullInt64 `db:"resolved_by"`
	Resolution      string        `db:"resolution"`
	ClosedAt        sql.NullTime  `db:"closed_at"`
	CancelledAt     sql.NullTime  `db:"cancelled_at"`
	ReopenCount     int           `db:"reopen_count"`
	Rating          sql.NullInt16 `db:"rating"`
	RatingComment   string        `db:"rating_comment"`
}

// New describes a ticket to open.
type New struct {
	CitizenID int64
	// QuestionID links the ticket to the logged question it came from (0: none). One
	// question opens at most one ticket.
	QuestionID int64
	Question   string
	Category   string
	Unit       string
	FAQID      string
	// DueAt is the deadline for the first response (zero: none).
	DueAt time.Time
	// ResolveDueAt is the deadline for resolution (zero: none).
	ResolveDueAt time.Time
	// StaffChatID is the staff group that gets the card (0: the default group).
	StaffChatID int64
	// Confidential and Anonymous mark a report of misconduct (/lapor).
	Confidential, Anonymous bool
}

// ticketColumns selects a ticket from "tickets t".
const ticketColumns = `t.id, t.citizen_id, t.question_id, t.question, t.category, t.unit, t.faq_id,
	t.staff_chat_id, t.confidential, t.anonymous,
	t.status, t.assignee_id, coalesce((SELECT name FROM staff WHERE id = t.assignee_id), '') AS assignee_name,
	t.created_at, t.due_at, t.resolve_due_at, t.updated_at, t.taken_at, t.first_response_at, t.resolved_at, t.resolved_by,
	t.resolution, t.closed_at, t.cancelled_at, t.reopen_count, t.rating, t.rating_comment`

// Store keeps tickets, their messages and staff in PostgreSQL.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// Open opens a ticket. When the question already opened one, that ticket is returned
// with created false.
func (s *Store) Open(ctx context.Context, q sqlx.ExtContext, n New) (t Ticket, created bool, err error) {
	var qid sql.NullInt64
	if n.QuestionID != 0 {
		qid = sql.NullInt64{Int64: n.QuestionID, Valid: true}
		err := sqlx.GetContext(ctx, q, &t, `SELECT `+ticketColumns+` FROM tickets t WHERE t.question_id = $1`, qid)
		if err == nil {
			return t, false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return t, false, fmt.Errorf("tickets: open: %w", err)
		}
	}
	var id int64
	err = sqlx.GetContext(ctx, q, &id, `
		INSERT INTO tickets (citizen_id, question_id, question, category, unit, faq_id, due_at,
			staff_chat_id, confidential, anonymous, resolve_due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		n.CitizenID, qid, n.Question, n.Category, n.Unit, n.FAQID, sql.NullTime{Time: n.DueAt, Valid: !n.DueAt.IsZero()},
		sql.NullInt64{Int64: n.StaffChatID, Valid: n.StaffChatID != 0}, n.Confidential, n.Anonymous,
		sql.NullTime{Time: n.ResolveDueAt, Valid: !n.ResolveDueAt.IsZero()})
	if err != nil {
		return t, false, fmt.Errorf("tickets: open: %w", err)
	}
	if t, err = s.Get(ctx, q, id); err != nil {
		return t, false, err
	}
	if err := s.AddMessage(ctx, q, t.ID, AuthorCitizen, 0, n.Question); err != nil {
		return t, false, err
	}
	return t, true, nil
}

// Get returns a ticket, or ErrNotFound.
func (s *Store) Get(ctx context.Context, q sqlx.QueryerContext, id int64) (Ticket, error) {
	var t Ticket
	err := sqlx.GetContext(ctx, q, &t, `SELECT `+ticketColumns+` FROM tickets t WHERE t.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("tickets: get %d: %w", id, err)
	}
	return t, nil
}

// ByCitizen returns a citizen's most recent tickets, newest first.
func (s *Store) ByCitizen(ctx context.Context, q sqlx.QueryerContext, citizenID int64, limit int) ([]Ticket, error) {
	var ts []Ticket
	err := sqlx.SelectContext(ctx, q, &ts, `SELECT `+ticketColumns+` FROM tickets t
		WHERE t.citizen_id = $1 ORDER BY t.id DESC LIMIT $2`, citizenID, limit)
	if err != nil {
		return nil, fmt.Errorf("tickets: by citizen: %w", err)
	}
	return ts, nil
}

// AddMessage appends a message to a ticket's conversation. A staff message is the
// ticket's first response if none came before.
func (s *Store) AddMessage(ctx context.Context, q sqlx.ExecerContext, ticketID int64, author Author, staffID int64, body string) error {
	var sid sql.NullInt64
	if staffID != 0 {
		sid = sql.NullInt64{Int64: staffID, Valid: true}
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO ticket_messages (ticket_id, author, staff_id, body)
		VALUES ($1, $2, $3, $4)`, ticketID, author, sid, body); err != nil {
		return fmt.Errorf("tickets: add message to %d: %w", ticketID, err)
	}
	if author == AuthorStaff {
		if _, err := q.ExecContext(ctx, `UPDATE tickets SET first_response_at = now()
			WHERE id = $1 AND first_response_at IS NULL`, ticketID); err != nil {
			return fmt.Errorf("tickets: first response %d: %w", ticketID, err)
		}
	}
	return nil
}

// Message is one entry of a ticket's conversation.
type Message struct {
	ID       int64         `db:"id"`
	TicketID int64         `db:"ticket_id"`
	Author   Author        `db:"author"`
	StaffID  sql.NullInt64 `db:"staff_id"`
	// Internal marks an officers' note, never shown to the citizen.
	Internal  bool      `db:"internal"`
	Body      string    `db:"body"`
	CreatedAt time.Time `db:"created_at"`
	// Attachment is the photo or document the message carried (zero: none).
	Attachment
}

// Attachment is a photo or document in a ticket's conversation, kept as its Telegram
// file id (the file stays with Telegram).
type Attachment struct {
	FileID string `db:"file_id"`
	// Kind is "photo" or "document" ("" for no file).
	Kind string `db:"file_kind"`
	Name string `db:"file_name"`
	MIME string `db:"file_mime"`
}

// AddAttachment stores a photo or document someone sent on a ticket, with its caption,
// and returns the message id. An officer's (staffID ≠ 0) counts as a first response.
func (s *Store) AddAttachment(ctx context.Context, q sqlx.ExtContext, ticketID int64, author Author, staffID int64, caption string, f Attachment) (int64, error) {
	var sid sql.NullInt64
	if staffID != 0 {
		sid = sql.NullInt64{Int64: staffID, Valid: true}
	}
	var id int64
	if err := sqlx.GetContext(ctx, q, &id, `INSERT INTO ticket_messages (ticket_id, author, staff_id, body, file_id, file_kind, file_name, file_mime)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, ticketID, author, sid, caption, f.FileID, f.Kind, f.Name, f.MIME); err != nil {
		return 0, fmt.Errorf("tickets: add attachment to %d: %w", ticketID, err)
	}
	if author == AuthorStaff {
		if _, err := q.ExecContext(ctx, `UPDATE tickets SET first_response_at = now()
			WHERE id = $1 AND first_response_at IS NULL`, ticketID); err != nil {
			return 0, fmt.Errorf("tickets: first response %d: %w", ticketID, err)
		}
	}
	return id, nil
}

// AddNote stores an officers' internal note on a ticket.
func (s *Store) AddNote(ctx context.Context, q sqlx.ExecerContext, ticketID, staffID int64, body string) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO ticket_messages (ticket_id, author, staff_id, body, internal)
		VALUES ($1, 'staff', $2, $3, true)`, ticketID, staffID, body); err != nil {
		return fmt.Errorf("tickets: add note to %d: %w", ticketID, err)
	}
	return nil
}

// AddCitizenMessage appends what a citizen wrote to a ticket and returns its id.
func (s *Store) AddCitizenMessage(ctx context.Context, q sqlx.QueryerContext, ticketID int64, body string) (int64, error) {
	var id int64
	if err := sqlx.GetContext(ctx, q, &id, `INSERT INTO ticket_messages (ticket_id, author, body)
		VALUES ($1, 'citizen', $2) RETURNING id`, ticketID, body); err != nil {
		return 0, fmt.Errorf("tickets: add citizen message to %d: %w", ticketID, err)
	}
	return id, nil
}

// messageColumns selects a Message.
const messageColumns = `id, ticket_id, author, staff_id, internal, body, created_at, file_id, file_kind, file_name, file_mime`

// MessageByID returns one ticket message, or ErrNotFound.
func (s *Store) MessageByID(ctx context.Context, q sqlx.QueryerContext, id int64) (Message, error) {
	var m Message
	err := sqlx.GetContext(ctx, q, &m, `SELECT `+messageColumns+` FROM ticket_messages WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("tickets: message %d: %w", id, err)
	}
	return m, nil
}

// Messages returns a ticket's conversation, oldest first.
func (s *Store) Messages(ctx context.Context, q sqlx.QueryerContext, ticketID int64) ([]Message, error) {
	var ms []Message
	err := sqlx.SelectContext(ctx, q, &ms, `SELECT `+messageColumns+` FROM ticket_messages WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("tickets: messages of %d: %w", ticketID, err)
	}
	return ms, nil
}
