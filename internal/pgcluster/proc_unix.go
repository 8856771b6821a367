//go:build unix

package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// account is the unprivileged user the server runs as when we are root.
type account struct {
	name     string
	uid, gid int
	groups   []int
}

// serverAccount returns the account to run initdb, pg_ctl and postgres as:
// nil (the current user) unless the process is root.
func serverAccount(name string) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root, but PostgreSQL refuses to run as root and there is no %q system user to run it as "+
			"(installing the postgresql package creates it; or create one with: useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh %s): %w",
			name, name, err)
	}
	a := &account{name: name}
	if a.uid, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("pgcluster: user %s: bad uid %q", name, u.Uid)
	}
	if a.gid, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("pgcluster: user %s: bad gid %q", name, u.Gid)
	}
	if a.uid == 0 {
		return nil, fmt.Errorf("pgcluster: user %s is root; PostgreSQL needs an unprivileged user", name)
	}
	gids, _ := u.GroupIds()
	a.groups = []int{a.gid}
	for _, g := range gids {
		if n, err := strconv.Atoi(g); err == nil && !slices.Contains(a.groups, n) {
			a.groups = append(a.groups, n)
		}
	}
	return a, nil
}

// apply makes cmd run as a (no-op for nil).
func (a *account) apply(cmd *exec.Cmd) {
	if a == nil {
		return
	}
	groups := make([]uint32, len(a.groups))
	for i, g := range a.groups {
		groups[i] = uint32(g)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{
		Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: groups,
	}}
	cmd.Env = append(cmd.Environ(), "USER="+a.name, "LOGNAME="+a.name)
}

// own gives path (and, for a directory not yet owned by a, everything
// below it) to a. No-op for nil.
func (a *account) own(path string) error {
	if a == nil {
		return nil
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == a.uid && int(st.Gid) == a.gid {
		return nil
	}
	if !fi.IsDir() {
		return os.Lchown(path, a.uid, a.gid)
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, a.uid, a.gid)
	})
}

// checkReachable reports a clear error when a cannot reach dir because a
// parent directory lacks search (x) permission for it. No-op for nil.
func (a *account) checkReachable(dir string) error {
	if a == nil {
		return nil
	}
	for p := filepath.Dir(dir); p != filepath.Dir(p); p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue // Start creates it with mode 0755
		} else if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			perm := fi.Mode().Perm()
			var bit fs.FileMode = 0o001
			switch {
			case int(st.Uid) == a.uid:
				bit = 0o100
			case slices.Contains(a.groups, int(st.Gid)):
				bit = 0o010
			}
			if perm&bit == 0 {
				return fmt.Errorf("pgcluster: the server runs as user %q (PostgreSQL refuses root), which cannot enter %s (mode %04o, owner uid %d) on the way to %s; "+
					"put the data directory elsewhere (e.g. under /tmp or /var/tmp) or run: chmod o+x %s",
					a.name, p, perm, st.Uid, dir, p)
			}
		}
	}
	return nil
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostmasterOf reports whether process pid is a postgres server whose data
// directory is dir (dir must be absolute and symlink-free).
func isPostmasterOf(pid int, dir string) bool {
	if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err == nil {
		return cwd == dir // the postmaster chdirs into its data directory
	}
	if _, err := os.Stat("/proc/self"); err == nil {
		return false // Linux, but we may not inspect it: not ours
	}
	out, err := exec.Command("ps", "-o", "command=", "-p", strconv.Itoa(pid)).Output()
	return err == nil && strings.Contains(string(out), "postgres") && strings.Contains(string(out), dir)
}
