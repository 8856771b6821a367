package console

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// uploadLifetime is how long an upload waits for its "Terapkan".
const uploadLifetime = time.Hour

// upload is a knowledge-base file waiting in kb_uploads to be applied.
type upload struct {
	ID        int64     `db:"id"`
	StaffID   int64     `db:"staff_id"`
	Filename  string    `db:"filename"`
	Format    string    `db:"format"`
	Replace   bool      `db:"replace"`
	Data      []byte    `db:"data"`
	SHA256    string    `db:"sha256"`
	CreatedAt time.Time `db:"created_at"`
}

// Size is the file's size for people: "12,5 KB".
func (u upload) Size() string {
	kb := float64(len(u.Data)) / 1024
	if kb >= 1024 {
		return kbDecimal(kb/1024, 1) + " MB"
	}
	return kbDecimal(kb, 1) + " KB"
}

// FormatName is the file's format as editors know it: "CSV", "YAML", "JSON".
func (u upload) FormatName() string { return strings.ToUpper(u.Format) }

// errUploadGone: no such upload of this staff member, or it expired.
var errUploadGone = errors.New("console: upload not found or expired")

// keptUploads is how many uploads of one staff member are kept (the newest).
const keptUploads = 5

// saveUpload keeps an upload and returns its id; expired uploads are deleted, and the
// uploader's oldest beyond keptUploads.
func saveUpload(ctx context.Context, db *sqlx.DB, u upload) (int64, error) {
	if _, err := db.ExecContext(ctx, `DELETE FROM kb_uploads WHERE created_at < now() - $1::interval
		OR id IN (SELECT id FROM kb_uploads WHERE staff_id = $2 ORDER BY id DESC OFFSET $3)`,
		uploadLifetime.String(), u.StaffID, keptUploads-1); err != nil {
		return 0, fmt.Errorf("console: expire uploads: %w", err)
	}
	sum := sha256.Sum256(u.Data)
	var id int64
	err := db.GetContext(ctx, &id, `INSERT INTO kb_uploads (staff_id, filename, format, replace, data, sha256)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		u.StaffID, u.Filename, u.Format, u.Replace, u.Data, hex.EncodeToString(sum[:]))
	if err != nil {
		return 0, fmt.Errorf("console: save upload: %w", err)
	}
	return id, nil
}

// loadUpload returns a staff member's own upload that has not expired, or
// errUploadGone.
func loadUpload(ctx context.Context, db *sqlx.DB, id, staffID int64) (upload, error) {
	var u upload
	err := db.GetContext(ctx, &u, `SELECT id, staff_id, filename, format, replace, data, sha256, created_at
		FROM kb_uploads WHERE id = $1 AND staff_id = $2 AND created_at >= now() - $3::interval`,
		id, staffID, uploadLifetime.String())
	if errors.Is(err, sql.ErrNoRows) {
		return u, errUploadGone
	}
	if err != nil {
		return u, fmt.Errorf("console: load upload %d: %w", id, err)
	}
	return u, nil
}

// claimUpload deletes an upload before it is applied; false when another request
// claimed it first.
func claimUpload(ctx context.Context, db *sqlx.DB, id, staffID int64) (bool, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM kb_uploads WHERE id = $1 AND staff_id = $2`, id, staffID)
	if err != nil {
		return false, fmt.Errorf("console: claim upload %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("console: claim upload %d: %w", id, err)
	}
	return n == 1, nil
}
