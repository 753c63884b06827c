package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to the file to, which must
// not exist, while the database goes on serving (see Engine.Backup).
func (s *Store) Backup(ctx context.Context, to string) error {
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", to)
	}
	return s.Engine.Backup(ctx, to)
}

// ErrUsePgDump says how PostgreSQL is backed up: by its own tools.
var ErrUsePgDump = errors.New("PostgreSQL is backed up with its own tools: " +
	"pg_dump --format=custom --file=paylink.dump \"$PAYLINK_DATABASE_URL\" (online and consistent), " +
	"and restored with pg_restore --clean --if-exists --no-owner --dbname=\"$PAYLINK_DATABASE_URL\" paylink.dump")

// RestoreSQLite makes the SQLite database file to a copy of the backup from,
// after checking that from is a whole paylink database. to must not exist
// unless force (then it, and its WAL, are replaced). The copy is written beside
// to and renamed into place, so a crash leaves either the old file or the new.
// No paylink may be serving to while it is replaced.
func RestoreSQLite(ctx context.Context, from, to string, force bool) error {
	if _, err := os.Stat(to); err == nil && !force {
		return fmt.Errorf("%s already exists; restore into a new file, or pass --force to replace it", to)
	}
	db, err := sql.Open("sqlite", "file:"+from+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		return fmt.Errorf("%s is not a sound SQLite database (%v%s)", from, err, check)
	}
	var versions int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&versions); err != nil || versions == 0 {
		return fmt.Errorf("%s is not a paylink database (no migrations recorded)", from)
	}
	partial := to + ".partial"
	os.Remove(partial)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, partial); err != nil {
		os.Remove(partial)
		return fmt.Errorf("copy %s: %w", from, err)
	}
	for _, side := range []string{to + "-wal", to + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(partial, to)
}
