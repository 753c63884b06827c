package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/paylink/paylink/internal/store"
)

// backup writes a consistent copy of a SQLite database while paylink serves it;
// for PostgreSQL it says how to use pg_dump.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	db := databaseFlag(fs, getenv)
	to := fs.String("to", "", "file to write the backup to (required; must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return fmt.Errorf("backup: --to FILE is required")
	}
	if !strings.HasPrefix(*db, "sqlite:") {
		return fmt.Errorf("backup: %w", store.ErrUsePgDump)
	}
	s, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	fmt.Fprintf(stderr, "backing up %s to %s…\n", s.Engine.Name(), *to)
	if err := s.Backup(ctx, *to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %.1f MB to %s in %s\n", float64(st.Size())/1e6, *to, time.Since(start).Round(time.Millisecond))
	return nil
}

// restore makes a SQLite database from a backup and migrates it to this
// version; for PostgreSQL it says how to use pg_restore.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	db := databaseFlag(fs, getenv)
	from := fs.String("from", "", "backup file written by paylink backup (required)")
	force := fs.Bool("force", false, "replace an existing database file (stop paylink first)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("restore: --from FILE is required")
	}
	file, ok := strings.CutPrefix(*db, "sqlite:")
	if !ok {
		return fmt.Errorf("restore: %w", store.ErrUsePgDump)
	}
	if err := store.RestoreSQLite(ctx, *from, file, *force); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	s, err := openStore(ctx, *db) // a backup of an older paylink is brought up to date
	if err != nil {
		return err
	}
	s.Close()
	fmt.Fprintf(stdout, "restored %s into %s\n", *from, *db)
	return nil
}
