package pgcluster

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dataDir returns an empty directory for a cluster. As root, the server
// runs as "postgres", so t.TempDir's private (0700) parent is opened up.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// start starts a cluster and stops it when the test ends.
func start(t *testing.T, opts Options) *Cluster {
	t.Helper()
	opts.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	began := time.Now()
	c, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster started in %v: %s", time.Since(began).Round(time.Millisecond), c.URL())
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return c
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range serverBinaries {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		sign int
	}{{"15", "9.6", 1}, {"9.6", "15", -1}, {"16", "16", 0}, {"10", "9", 1}} {
		got := compareVersions(tc.a, tc.b)
		if (got > 0) != (tc.sign > 0) || (got < 0) != (tc.sign < 0) {
			t.Errorf("compareVersions(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.sign)
		}
	}
}

func TestStartStopReusesData(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c := start(t, Options{Dir: dir})
	if !strings.HasSuffix(c.URL(), "/loket?sslmode=disable") {
		t.Errorf("URL() = %q, want database loket", c.URL())
	}
	db := open(t, c.URL())
	if n := queryInt(t, db, "SELECT 1"); n != 1 {
		t.Fatalf("SELECT 1 = %d", n)
	}
	if _, err := db.Exec("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after Stop: %v", err)
	}

	c2 := start(t, Options{Dir: dir})
	if n := queryInt(t, open(t, c2.URL()), "SELECT n FROM kept"); n != 42 {
		t.Fatalf("kept row = %d, want 42", n)
	}
}

func TestStartTakesOverRunningServer(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c1 := start(t, Options{Dir: dir, Database: "other"})
	if n := queryInt(t, open(t, c1.URL()), "SELECT 1"); n != 1 {
		t.Fatal(n)
	}
	// As if an earlier process had crashed without calling Stop.
	c2 := start(t, Options{Dir: dir, Database: "other"})
	db := open(t, c2.URL())
	var name string
	if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil || name != "other" {
		t.Fatalf("current_database() = %q, %v", name, err)
	}
}

func TestStartRemovesStalePidFile(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c := start(t, Options{Dir: dir})
	if err := c.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := strconv.Itoa(dead.Process.Pid) + "\n" + dir + "\n1700000000\n5432\n\n127.0.0.1\n 0 0\nready\n"
	if err := os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	c2 := start(t, Options{Dir: dir})
	if n := queryInt(t, open(t, c2.URL()), "SELECT 1"); n != 1 {
		t.Fatal(n)
	}
}

func TestStartFailureShowsServerLog(t *testing.T) {
	t.Parallel()
	_, err := Start(t.Context(), Options{Dir: dataDir(t), Settings: map[string]string{"shared_buffers": "bogus"}})
	if err == nil {
		t.Fatal("Start succeeded with a bogus setting")
	}
	if !strings.Contains(err.Error(), `"shared_buffers"`) {
		t.Errorf("error lacks the server log: %v", err)
	}
}

func TestUnreachableDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the data directory to another user")
	}
	_, err := Start(t.Context(), Options{Dir: filepath.Join(t.TempDir(), "data")}) // parent is 0700
	if err == nil || !strings.Contains(err.Error(), "cannot enter") {
		t.Fatalf("Start = %v, want a 'cannot enter' error", err)
	}
}
