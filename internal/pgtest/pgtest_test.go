package pgtest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"
)

func TestMain(m *testing.M) { Main(m) }

func currentDB(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var name string
	if err := db.Get(&name, "SELECT current_database()"); err != nil {
		t.Fatal(err)
	}
	return name
}

func dbExists(t *testing.T, name string) bool {
	t.Helper()
	s, err := getServer()
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := s.db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestNewGivesDistinctEmptyDatabases(t *testing.T) {
	t.Parallel()
	a, b := New(t), New(t)
	if currentDB(t, a) == currentDB(t, b) {
		t.Fatalf("both connections use database %s", currentDB(t, a))
	}
	var tables int
	if err := a.Get(&tables, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); err != nil || tables != 0 {
		t.Fatalf("fresh database has %d tables (%v)", tables, err)
	}
	a.MustExec("CREATE TABLE only_in_a (id int)")
	if err := b.Get(&tables, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"); err != nil || tables != 0 {
		t.Fatalf("table leaked into the other database: %d (%v)", tables, err)
	}
}

func TestWithSetup(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	setup := func(ctx context.Context, db *sqlx.DB) error {
		calls.Add(1)
		_, err := db.ExecContext(ctx, "CREATE TABLE things (name text); INSERT INTO things VALUES ('set up')")
		return err
	}
	for range 2 {
		db := New(t, WithSetup(setup))
		var name string
		if err := db.Get(&name, "SELECT name FROM things"); err != nil || name != "set up" {
			t.Fatalf("setup did not run: %q, %v", name, err)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("setup ran %d times, want 2", n)
	}
}

func TestCleanupDropsDatabase(t *testing.T) {
	t.Parallel()
	var name, urlName string
	t.Run("inner", func(t *testing.T) {
		name = currentDB(t, New(t))
		url := NewURL(t)
		db := sqlx.MustConnect("postgres", url) // left open on purpose: the drop must force it closed
		urlName = currentDB(t, db)
		if !dbExists(t, name) || !dbExists(t, urlName) {
			t.Fatal("database missing during the test")
		}
	})
	if dbExists(t, name) || dbExists(t, urlName) {
		t.Errorf("databases %s, %s still exist after the test", name, urlName)
	}
}

func TestWithTemplate(t *testing.T) {
	key := "pgtest self-test " + randomHex(4) // fresh key: a long-lived server keeps templates
	t.Cleanup(func() {
		s, _ := getServer()
		if err := s.dropTemplate(context.Background(), templateName(key)); err != nil {
			t.Error(err)
		}
	})
	var calls atomic.Int32
	setup := func(ctx context.Context, db *sqlx.DB) error {
		calls.Add(1)
		_, err := db.ExecContext(ctx, "CREATE TABLE things (n int); INSERT INTO things VALUES (1)")
		return err
	}
	var perCopy atomic.Int32
	perCopySetup := func(ctx context.Context, db *sqlx.DB) error {
		perCopy.Add(1)
		return nil
	}
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"a", "b", "c"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				db := New(t, WithTemplate(key, setup), WithSetup(perCopySetup))
				var n int
				if err := db.Get(&n, "SELECT sum(n) FROM things"); err != nil || n != 1 {
					t.Fatalf("copy of template: sum = %d, %v", n, err)
				}
				db.MustExec("INSERT INTO things VALUES (10)") // must not reach the other copies
			})
		}
	})
	if n := calls.Load(); n != 1 {
		t.Errorf("template setup ran %d times, want 1", n)
	}
	if n := perCopy.Load(); n != 3 {
		t.Errorf("WithSetup ran %d times, want 3", n)
	}
}

// TestTemplateLock bypasses the in-process cache, as separate test
// binaries would, to check that the advisory lock lets one build win.
func TestTemplateLock(t *testing.T) {
	t.Parallel()
	s, err := getServer()
	if err != nil {
		t.Fatal(err)
	}
	name := templateName("pgtest lock test " + randomHex(4))
	t.Cleanup(func() {
		if err := s.dropTemplate(context.Background(), name); err != nil {
			t.Error(err)
		}
	})
	var calls atomic.Int32
	setup := func(ctx context.Context, db *sqlx.DB) error {
		calls.Add(1)
		_, err := db.ExecContext(ctx, "CREATE TABLE things (n int)")
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = s.ensureTemplate(t.Context(), name, setup) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("setup ran %d times, want 1", n)
	}
}

func TestDBName(t *testing.T) {
	got := dbName("test_TestX/sub case-1", "abc")
	if want := "test_testx_sub_case_1_abc"; got != want {
		t.Errorf("dbName = %q, want %q", got, want)
	}
	if long := dbName(string(make([]byte, 200)), "0123456789ab"); len(long) > 63 {
		t.Errorf("name too long: %d bytes", len(long))
	}
}
