package zz

import (
	"fmt"
	"testing"

	"github.com/loket-id/loket/internal/pgtest"
)

func TestCrash(t *testing.T) {
	db := pgtest.New(t)
	var dir string
	db.Get(&dir, "SHOW data_directory")
	fmt.Println("DATADIR", dir)
	panic("crash")
}
