package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/paylink/paylink"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned schema change of one engine.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

func readMigrations(engine string) ([]Migration, error) {
	dir := path.Join("migrations", engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a version number", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// ---- SQLite ----

type sqliteEngine struct{}

func (sqliteEngine) Name() string                     { return "sqlite" }
func (sqliteEngine) Migrations() ([]Migration, error) { return readMigrations("sqlite") }
func (sqliteEngine) ForUpdate(nowait bool) string     { return "" }

func (sqliteEngine) TranslateError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &paylink.Error{Code: paylink.EConflict, Message: "already exists"}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &paylink.Error{Code: paylink.EConflict, Message: "the resource is being modified; try again"}
		}
	}
	return err
}

// openSQLite opens one connection in WAL mode with foreign keys and a busy timeout.
// One connection is what River's SQLite driver needs, and SQLite serializes writers
// anyway; it also makes every transaction a critical section, which the caps rely on.
func openSQLite(ctx context.Context, file string) (*Store, error) {
	if file == "" {
		return nil, errors.New("sqlite: empty path")
	}
	// The writer checkpoints only as a last resort (wal_autocheckpoint of 40 MB):
	// a background checkpointer does it beside it, so commits never wait for fsync.
	dsn := "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(10000)" +
		"&_txlock=immediate&_time_format=sqlite"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", file, err)
	}
	read, err := sql.Open("sqlite", "file:"+file+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"+
		"&_pragma=query_only(1)&_txlock=deferred&_time_format=sqlite")
	if err != nil {
		db.Close()
		return nil, err
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	s := &Store{DB: db, readDB: read, Engine: sqliteEngine{}}
	if s.stop, err = checkpointer(file); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ---- PostgreSQL ----

type postgresEngine struct{}

func (postgresEngine) Name() string                     { return "postgres" }
func (postgresEngine) Migrations() ([]Migration, error) { return readMigrations("postgres") }
func (postgresEngine) ForUpdate(nowait bool) string {
	if nowait {
		return " FOR UPDATE NOWAIT"
	}
	return " FOR UPDATE"
}

func (postgresEngine) TranslateError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &paylink.Error{Code: paylink.EConflict, Message: "already exists"}
		case "55P03", "40001", "40P01": // lock_not_available, serialization_failure, deadlock
			return &paylink.Error{Code: paylink.EConflict, Message: "the resource is being modified; try again"}
		case "22P02": // invalid_text_representation (a malformed uuid)
			return paylink.NotFound("resource")
		}
	}
	return err
}

func openPostgres(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &Store{DB: db, Engine: postgresEngine{}}, nil
}

// checkpointer copies the WAL into the database file every 50 ms with PASSIVE
// checkpoints on a connection of its own: they take no lock a writer waits for, so
// the fsyncs they cost happen beside the commits instead of inside one of them.
func checkpointer(file string) (stop func(), err error) {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		// Small and often: at 250 ms each checkpoint had more WAL to copy and
		// the link-visit p99 was 31 ms instead of 16 (paylink-bench, SQLite).
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`) //nolint:errcheck // best effort; the writer checkpoints as a fallback
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		db.Close()
	}, nil
}
