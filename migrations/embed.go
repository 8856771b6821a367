// Package migrations holds Loket's numbered SQL migrations, embedded in the binary,
// and applies them with goose.
package migrations

import "embed"

// FS holds the numbered SQL migration files.
//
//go:embed *.sql
var FS embed.FS
