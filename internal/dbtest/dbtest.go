// Package dbtest gives tests a fresh PostgreSQL database with Loket's schema, copied
// from a template migrated once per server and migration set (see internal/pgtest).
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/loket-id/loket/internal/pgtest"
	"github.com/loket-id/loket/migrations"
)

// New returns a connection to a new, migrated database used by this test alone.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	return pgtest.New(t, pgtest.WithTemplate(templateKey(t), migrate))
}

// NewURL is like New but returns the database's URL.
func NewURL(t testing.TB) string {
	t.Helper()
	return pgtest.NewURL(t, pgtest.WithTemplate(templateKey(t), migrate))
}

func migrate(ctx context.Context, db *sqlx.DB) error {
	_, err := migrations.Up(ctx, db.DB)
	return err
}

// templateKey names the template after the migrations' content, so a changed
// migration gets a new template.
func templateKey(t testing.TB) string { return TemplateKey(t, "loket") }

// TemplateKey names a template database after the migrations' content and extra (the
// statements that fill it, for a benchmark's data set), so a change to either builds a
// new one: name-<hash>.
func TemplateKey(t testing.TB, name string, extra ...string) string {
	t.Helper()
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatalf("dbtest: read migrations: %v", err)
	}
	for _, x := range extra {
		h.Write([]byte(x))
	}
	return name + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}
