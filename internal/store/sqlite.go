package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/paylink/paylink"
)

// sqliteEngine is SQLite (modernc.org/sqlite): one in-process writer, so what a
// transaction reads stays true until it commits, and no row locks are needed.
type sqliteEngine struct {
	file string // the database file, for what needs a connection of its own (Backup)
}

func (sqliteEngine) Name() string                     { return "sqlite" }
func (sqliteEngine) Migrations() ([]Migration, error) { return readMigrations("sqlite") }
func (sqliteEngine) ForUpdate(nowait bool) string     { return "" }
func (sqliteEngine) forShare() string                 { return "" }
func (sqliteEngine) LockSkip() string                 { return "" }

// Tuning: one writer of everything, since more would only queue behind the
// single write connection.
//
// The visit writer always waits VisitGather for a batch to fill: 250 µs took the
// CPU per visit from about 105 to 90 µs (p99 15 → 11 ms), and 600 µs beat 250 µs
// in four of four paired runs of paylink-bench (visits / bare 303: 0.50 0.51
// 0.53 0.47 against 0.44 0.50 0.45 0.46); 1 ms was no better.
func (sqliteEngine) Tuning() Tuning {
	return Tuning{JobWorkers: 2, VisitWriters: 1, VisitBatch: visitBatch,
		VisitGather: 600 * time.Microsecond, VisitGatherUnless: visitBatch, CacheStatements: true, SingleWriter: true}
}

// RiverDriver is River's SQLite driver, over the store's one write connection.
func (sqliteEngine) RiverDriver(db *sql.DB) riverdriver.Driver[*sql.Tx] { return riversqlite.New(db) }

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

// insertRows runs one prepared single-row statement per row: SQLite's writer is
// in-process, so a round trip costs nothing, while a multi-row statement costs a
// parse per batch and a linear name lookup per bound parameter (quadratic in
// the batch).
func (sqliteEngine) insertRows(ctx context.Context, tx *Tx, ins insert, rows [][]any) error {
	stmt, err := tx.prepared(ctx, ins.row)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			return err
		}
	}
	return nil
}

// insertBatches runs each batch's prepared statements: a statement for
// several tables would be parsed on every call, and there is no round trip
// to save.
func (sqliteEngine) insertBatches(ctx context.Context, tx *Tx, batches []insertBatch) error {
	return insertEach(ctx, tx, batches)
}

// orderInsert takes the number, then inserts: SQLite has no UPDATE in a WITH,
// and its writer is in-process, so the second statement costs no round trip.
func (sqliteEngine) orderInsert(ctx context.Context, tx *Tx, o *paylink.Order) error {
	if err := tx.QueryRowContext(ctx, `UPDATE organizations SET receipt_count = receipt_count + 1 WHERE id = $1
		RETURNING receipt_count`, o.OrganizationID).Scan(&o.ReceiptNumber); err != nil {
		return notFound(err, "organization")
	}
	args := append(orderInsertArgs(o), o.ReceiptNumber)
	_, err := tx.ExecContext(ctx, orderInsertSQL("$24"), args...)
	return err
}

// lockMigrations needs no lock: the single connection serializes migrations
// (and a second process waits on the busy timeout).
func (sqliteEngine) lockMigrations(context.Context, *sql.Conn) (func(), error) { return func() {}, nil }

// visitsCreate writes the batch in one transaction of the single writer, with
// its statements prepared once outside it (the transaction holds the only write
// connection).
func (sqliteEngine) visitsCreate(ctx context.Context, s *Store, vs []*Visit, counts []VisitCount) (VisitsResult, error) {
	if err := s.prepare(ctx, checkoutInsert.row, eventInsert.row, linkCheckSQLite, subscribersSQLite, visitCountUpsert); err != nil {
		return VisitsResult{}, s.Engine.TranslateError(err)
	}
	var res VisitsResult
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.visitsCreateSQLite(ctx, vs, counts)
		return err
	})
	return res, err
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
	s := &Store{DB: db, readDB: read, Engine: sqliteEngine{file: file}}
	if s.stop, err = checkpointer(file); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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

// Backup is VACUUM INTO on a connection of its own: a read transaction, so in WAL
// mode writers go on committing while it copies the snapshot it started with.
// The copy is written beside to and renamed when complete, so a file named to
// is always a whole backup.
func (e sqliteEngine) Backup(ctx context.Context, to string) error {
	db, err := sql.Open("sqlite", "file:"+e.file+"?_pragma=busy_timeout(10000)&_txlock=deferred")
	if err != nil {
		return err
	}
	defer db.Close()
	partial := to + ".partial"
	os.Remove(partial)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, partial); err != nil {
		os.Remove(partial)
		return fmt.Errorf("back up %s: %w", e.file, err)
	}
	return os.Rename(partial, to)
}

// slotOf is the quarter-hour slot (SlotSeconds) of the timestamp column col.
func (sqliteEngine) slotOf(col string) string { return `(unixepoch(` + col + `) / 900)` }

// metadataText is table.metadata's key as text, NULL when absent (true and
// false as words, as PostgreSQL's ->> and the rollups give them).
func (sqliteEngine) metadataText(table, key string, args *Args) string {
	path := args.Add(`$."` + key + `"`)
	return `CASE json_type(` + table + `.metadata, ` + path + `) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_extract(` +
		table + `.metadata, ` + path + `) END`
}

// unindexed: a unary plus keeps SQLite's planner from using an index on col.
func (sqliteEngine) unindexed(col string) string { return "+" + col }

// counterShard: the single writer never waits on a counter row.
func (sqliteEngine) counterShard(int) int16 { return 0 }

// settle checkpoints the whole WAL and truncates it.
func (sqliteEngine) settle(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
