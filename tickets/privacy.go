package tickets

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ErasedText replaces a citizen's words when their data is erased.
const ErasedText = "[dihapus atas permintaan warga]"

// CitizenData is what Loket keeps about a citizen, as shown to them on request.
type CitizenData struct {
	TelegramUserID int64     `db:"telegram_user_id"`
	DisplayName    string    `db:"display_name"`
	LanguageCode   string    `db:"language_code"`
	FirstSeenAt    time.Time `db:"first_seen_at"`
	LastSeenAt     time.Time `db:"last_seen_at"`
	// Questions are the questions they asked, as logged (masked), newest first.
	Questions []string
	// Tickets are their tickets with their conversations.
	Tickets []TicketData
}

// TicketData is one of a citizen's tickets with its conversation.
type TicketData struct {
	Ticket
	Messages []Message
}

// CitizenData collects what is stored about a citizen.
func (s *Store) CitizenData(ctx context.Context, q sqlx.QueryerContext, citizenID int64) (CitizenData, error) {
	var d CitizenData
	if err := sqlx.GetContext(ctx, q, &d, `SELECT telegram_user_id, display_name, language_code, first_seen_at, last_seen_at
		FROM citizens WHERE telegram_user_id = $1`, citizenID); err != nil {
		return d, fmt.Errorf("tickets: citizen data %d: %w", citizenID, err)
	}
	if err := sqlx.SelectContext(ctx, q, &d.Questions, `SELECT text FROM questions WHERE citizen_id = $1
		ORDER BY id DESC LIMIT 50`, citizenID); err != nil {
		return d, fmt.Errorf("tickets: citizen questions %d: %w", citizenID, err)
	}
	ts, err := s.ByCitizen(ctx, q, citizenID, 50)
	if err != nil {
		return d, err
	}
	for _, t := range ts {
		ms, err := s.Messages(ctx, q, t.ID)
		if err != nil {
			return d, err
		}
		// Officers' internal notes are the office's working papers, not shown here.
		visible := ms[:0]
		for _, m := range ms {
			if !m.Internal {
				visible = append(visible, m)
			}
		}
		d.Tickets = append(d.Tickets, TicketData{Ticket: t, Messages: visible})
	}
	return d, nil
}

// EraseCitizen removes a citizen's personal data (UU 27/2022): their name, what they
// wrote in questions and tickets, and the link between them and their tickets, which
// are kept for statistics (state, times, rating) under an anonymous citizen. Open
// tickets are cancelled first. It returns how many tickets were anonymised. The audit
// log is kept: it records actions, not what the citizen wrote.
func (s *Store) EraseCitizen(ctx context.Context, q sqlx.ExtContext, citizenID int64) (int, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO citizens (telegram_user_id, display_name)
		VALUES (0, 'Anonim') ON CONFLICT DO NOTHING`); err != nil {
		return 0, fmt.Errorf("tickets: erase citizen: %w", err)
	}
	steps := []string{
		`UPDATE tickets SET status = 'dibatalkan', cancelled_at = now(), updated_at = now()
			WHERE citizen_id = $1 AND status IN ('baru', 'diproses', 'menunggu_warga')`,
		`UPDATE ticket_messages SET body = '` + ErasedText + `', file_id = '', file_name = ''
			WHERE author = 'citizen' AND ticket_id IN (SELECT id FROM tickets WHERE citizen_id = $1)`,
		`UPDATE questions SET text = '` + ErasedText + `', citizen_id = 0 WHERE citizen_id = $1`,
		`DELETE FROM conversations WHERE chat_id = $1`,
		`DELETE FROM message_links WHERE chat_id = $1`,
		`UPDATE outbox SET params = '{}', failed_at = coalesce(failed_at, CASE WHEN sent_at IS NULL THEN now() END)
			WHERE chat_id = $1`,
	}
	for _, st := range steps {
		if _, err := q.ExecContext(ctx, st, citizenID); err != nil {
			return 0, fmt.Errorf("tickets: erase citizen: %w", err)
		}
	}
	res, err := q.ExecContext(ctx, `UPDATE tickets SET question = '`+ErasedText+`', citizen_id = 0, updated_at = now()
		WHERE citizen_id = $1`, citizenID)
	if err != nil {
		return 0, fmt.Errorf("tickets: erase citizen tickets: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := q.ExecContext(ctx, `DELETE FROM citizens WHERE telegram_user_id = $1`, citizenID); err != nil {
		return 0, fmt.Errorf("tickets: erase citizen: %w", err)
	}
	return int(n), nil
}

// AnonymizedText replaces a citizen's words when the retention period ends.
const AnonymizedText = "[dianonimkan: masa simpan berakhir]"

// Anonymize removes the personal data of tickets closed or cancelled before `before`
// (retention): what the citizen wrote and who they were. The tickets stay, for
// statistics. Questions logged before then lose their link to the citizen. It returns
// the number of tickets anonymised.
func (s *Store) Anonymize(ctx context.Context, q sqlx.ExtContext, before time.Time) (int, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO citizens (telegram_user_id, display_name)
		VALUES (0, 'Anonim') ON CONFLICT DO NOTHING`); err != nil {
		return 0, fmt.Errorf("tickets: anonymize: %w", err)
	}
	var ids []int64
	if err := sqlx.SelectContext(ctx, q, &ids, `SELECT id FROM tickets
		WHERE citizen_id <> 0 AND status IN ('ditutup', 'dibatalkan')
			AND coalesce(closed_at, cancelled_at, updated_at) < $1
		ORDER BY id LIMIT 1000`, before); err != nil {
		return 0, fmt.Errorf("tickets: anonymize: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	steps := []string{
		`UPDATE ticket_messages SET body = '` + AnonymizedText + `', file_id = '', file_name = '' WHERE author = 'citizen' AND ticket_id = ANY($1)`,
		`UPDATE tickets SET question = '` + AnonymizedText + `', citizen_id = 0, rating_comment = '' WHERE id = ANY($1)`,
		`DELETE FROM message_links WHERE ticket_id = ANY($1)`,
	}
	for _, st := range steps {
		if _, err := q.ExecContext(ctx, st, pq.Int64Array(ids)); err != nil {
			return 0, fmt.Errorf("tickets: anonymize: %w", err)
		}
	}
	if _, err := q.ExecContext(ctx, `UPDATE questions SET citizen_id = 0 WHERE citizen_id <> 0 AND created_at < $1`, before); err != nil {
		return 0, fmt.Errorf("tickets: anonymize questions: %w", err)
	}
	return len(ids), nil
}
