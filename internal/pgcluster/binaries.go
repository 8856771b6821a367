package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNotFound is returned (wrapped) by [FindBinaries] and [Start] when no
// PostgreSQL server binaries can be found. Its full message says how to
// install them.
var ErrNotFound = errors.New("pgcluster: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found")

// installHint is appended to ErrNotFound.
const installHint = "install them with: sudo apt-get install postgresql (Debian/Ubuntu; " +
	"the binaries land in /usr/lib/postgresql/VERSION/bin, which is searched automatically), " +
	"sudo dnf install postgresql-server (Fedora), brew install postgresql@15 (macOS) " +
	"— or use an existing PostgreSQL server instead"

// serverBinaries must all be present in the directory FindBinaries returns.
var serverBinaries = []string{"initdb", "pg_ctl", "postgres"}

// debianGlob is where Debian and Ubuntu install the server binaries.
const debianGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding the PostgreSQL server binaries
// initdb, pg_ctl and postgres. It looks, in order, at pg_ctl and initdb on
// PATH (following symlinks), at the output of "pg_config --bindir", and at
// /usr/lib/postgresql/*/bin, preferring the highest version. When none is
// found the error wraps [ErrNotFound] and explains how to install them.
func FindBinaries() (dir string, err error) {
	var candidates []string
	for _, name := range []string{"pg_ctl", "initdb"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	candidates = append(candidates, debianDirs()...)
	for _, d := range candidates {
		if d != "" && hasServerBinaries(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w; %s", ErrNotFound, installHint)
}

// debianDirs lists /usr/lib/postgresql/*/bin, highest version first.
func debianDirs() []string {
	dirs, _ := filepath.Glob(debianGlob)
	slices.SortFunc(dirs, func(a, b string) int {
		return compareVersions(filepath.Base(filepath.Dir(b)), filepath.Base(filepath.Dir(a)))
	})
	return dirs
}

// compareVersions compares dotted numeric versions such as "9.6" and "15".
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

func hasServerBinaries(dir string) bool {
	for _, name := range serverBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}
