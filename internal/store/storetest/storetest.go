// Package storetest gives tests real, isolated databases: a fresh SQLite file
// always, and a fresh PostgreSQL schema when PAYLINK_TEST_DATABASE_URL is set.
// With CI=true a missing PostgreSQL is a failure, never a skip.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Each runs fn as a subtest on every engine available: "sqlite" always, and
// "postgres" when PAYLINK_TEST_DATABASE_URL is set. Each run gets its own database.
func Each(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// EachStore is Each with the database opened and migrated.
func EachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	Each(t, func(t *testing.T, u string) { fn(t, Open(t, u)) })
}

// SQLiteURL returns the URL of a new SQLite file in the test's temp dir.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "paylink.db")
}

// PostgresURL returns the URL of a new, empty schema on PAYLINK_TEST_DATABASE_URL,
// dropped when the test ends. It skips without that variable, and fails under CI=true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("PAYLINK_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PAYLINK_TEST_DATABASE_URL is not set; CI must test PostgreSQL")
		}
		t.Skip("PAYLINK_TEST_DATABASE_URL is not set; skipping PostgreSQL")
	}
	schema := "t_" + strings.ReplaceAll(paylink.NewID(), "-", "")
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on PAYLINK_TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) //nolint:errcheck
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates the database at u, closed when the test ends.
func Open(t testing.TB, u string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Org creates an organization with a unique slug and returns it.
func Org(t testing.TB, s *store.Store, name string) *paylink.Organization {
	t.Helper()
	o := &paylink.Organization{Name: name, Slug: paylink.Slugify(name) + "-" + fmt.Sprint(len(name))}
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.OrganizationCreate(context.Background(), o) }); err != nil {
		t.Fatal(err)
	}
	return o
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" driver
