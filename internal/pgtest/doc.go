// Package pgtest gives each test a brand-new, empty PostgreSQL database.
//
//	func TestSomething(t *testing.T) {
//		db := pgtest.New(t, pgtest.WithTemplate("migrations-"+migrationsHash, migrate))
//		...
//	}
//
// Every call to [New] creates a database with a random name, returns a
// connection to it, and drops it when the test ends. Tests may run in
// parallel.
//
// # Where the server comes from
//
// If the environment variable LOKET_TEST_DATABASE_URL is set, it must be a
// postgres:// URL of a superuser (or a role allowed to CREATE DATABASE) on
// a running server; the test databases are created there. scripts/test.sh
// starts one throwaway cluster for the whole run and sets it.
//
// Otherwise the first call to New starts one throwaway cluster for the test
// binary (with [pgcluster], fsync off, in a temporary directory), shared by
// all its tests. Packages using pgtest should stop it at the end with
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// (a package without such a TestMain still gets it stopped and its
// directory removed, by a small watchdog process, shortly after the test
// binary exits).
//
// If no PostgreSQL server can be found, New fails the test with
// instructions: it never skips silently.
//
// # Preparing databases
//
// [WithSetup] runs a function (typically the migrations) on each new
// database. [WithTemplate] runs it once per key instead, on a template
// database that later databases are copied from (CREATE DATABASE ...
// TEMPLATE), which is much faster than migrating every time. Templates are
// created under a PostgreSQL advisory lock, so test binaries of different
// packages running in parallel against the same server share them safely.
// Template databases are kept on the server: on a long-lived server
// (LOKET_TEST_DATABASE_URL), the key must change whenever the setup's
// result changes, e.g. by including a hash of the migration files.
//
// PostgreSQL 13 or later is required (DROP DATABASE ... WITH (FORCE)).
package pgtest
