package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/paylink/paylink"
)

// postgresEngine is PostgreSQL (pgx through database/sql): a pool of
// connections, several paylink processes possibly on one database, row locks.
type postgresEngine struct{}

func (postgresEngine) Name() string                     { return "postgres" }
func (postgresEngine) Migrations() ([]Migration, error) { return readMigrations("postgres") }
func (postgresEngine) ForUpdate(nowait bool) string {
	if nowait {
		return " FOR UPDATE NOWAIT"
	}
	return " FOR UPDATE"
}
func (postgresEngine) forShare() string { return " FOR SHARE" }

func (postgresEngine) LockSkip() string { return " FOR UPDATE SKIP LOCKED" }

// Tuning: two visit writers, so one batch executes while the other waits for its
// commit to reach the disk. More make smaller batches, whose cost is mostly per
// statement (CPU per visit with 1, 2, 3 writers: 26–30, 33, 40–44 µs; visits/s:
// 13,700–15,500, 16,400, 13,600–15,300; paylink-bench, paired runs).
//
// A commit waits for the disk, milliseconds under load, and the visits that
// arrive meanwhile make the next batch without any wait: a writer that finds 8
// or more waiting starts at once (visits / raw INSERT in three paired runs: 1.34
// 1.34 1.20 against 1.22 1.15 1.15). 600 µs raised the p99 (41–47 → 65–70 ms on
// a slow day) for no gain.
func (postgresEngine) Tuning() Tuning {
	return Tuning{JobWorkers: 10, VisitWriters: 2, VisitBatch: visitBatch,
		VisitGather: 250 * time.Microsecond, VisitGatherUnless: 8, ReadsOutsideTx: true}
}

// RiverDriver is River's database/sql driver over the store's pool.
func (postgresEngine) RiverDriver(db *sql.DB) riverdriver.Driver[*sql.Tx] {
	return riverdatabasesql.New(db)
}

func (postgresEngine) TranslateError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &paylink.Error{Code: paylink.EConflict, Message: "already exists"}
		case "55P03", "40001", "40P01": // lock_not_available, serialization_failure, deadlock
			return &paylink.Error{Code: paylink.EConflict, Message: "the resource is being modified; try again"}
		case "22021", "22P05": // a NUL or invalid UTF-8 in text, a \u0000 in JSON
			return paylink.Invalid(paylink.FieldError{Loc: []any{"body"}, Type: "string_type",
				Msg: "text must be UTF-8 without NUL characters"})
		case "22P02": // invalid_text_representation (a malformed uuid)
			return paylink.NotFound("resource")
		}
	}
	return err
}

// insertRows sends multi-row VALUES statements of up to 500 rows: a round trip
// to the server costs more than the statement.
func (postgresEngine) insertRows(ctx context.Context, tx *Tx, ins insert, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 500) // under PostgreSQL's bound-parameter limit
		values, args := valuesListFrom(0, rows[:n], "$")
		if _, err := tx.ExecContext(ctx, ins.into+" VALUES "+values+ins.suffix, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertBatches sends small batches as one statement, each but the last in
// a data-modifying WITH: the counters a transaction adds to are flushed just
// before its commit, while it holds its hottest rows (an organization's
// receipt counter, a link's completions), so each round trip saved there is
// saved for every transaction waiting on them. Large batches (a visit
// writer's) go one by one, under the bound-parameter limit.
func (postgresEngine) insertBatches(ctx context.Context, tx *Tx, batches []insertBatch) error {
	n := 0
	for _, b := range batches {
		if len(b.rows) > 100 {
			n = -1
			break
		}
		n += len(b.rows) * len(b.rows[0])
	}
	if n < 0 || n > 10000 || len(batches) < 2 {
		return insertEach(ctx, tx, batches)
	}
	var (
		q    strings.Builder
		args []any
	)
	for i, b := range batches {
		switch {
		case i == 0:
			q.WriteString("WITH ")
		case i < len(batches)-1:
			q.WriteString(", ")
		}
		if i < len(batches)-1 {
			fmt.Fprintf(&q, "u%d AS (", i)
		} else {
			q.WriteString(" ")
		}
		values, more := valuesListFrom(len(args), b.rows, "$")
		args = append(args, more...)
		q.WriteString(b.ins.into + " VALUES " + values + b.ins.suffix)
		if i < len(batches)-1 {
			q.WriteString(")")
		}
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

// orderInsert takes the number and inserts in one statement: one round trip
// fewer while the organization's counter row is held (until commit, by every
// order of the organization). An unknown organization fails the order's
// foreign key (SQLite's: ENotFound before the insert).
func (postgresEngine) orderInsert(ctx context.Context, tx *Tx, o *paylink.Order) error {
	return tx.QueryRowContext(ctx, `WITH n AS (UPDATE organizations SET receipt_count = receipt_count + 1
		WHERE id = $2 RETURNING receipt_count) `+orderInsertSQL("(SELECT receipt_count FROM n)")+`
		RETURNING receipt_number`, orderInsertArgs(o)...).Scan(&o.ReceiptNumber)
}

// lockMigrations takes an advisory lock on conn, so several processes can start
// at once and only one migrates.
func (postgresEngine) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7283019)`); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7283019)`) //nolint:errcheck
	}, nil
}

// visitsCreate writes the batch as one statement (visits_postgres.go).
func (postgresEngine) visitsCreate(ctx context.Context, s *Store, vs []*Visit, counts []VisitCount) (VisitsResult, error) {
	return s.visitsCreatePostgres(ctx, vs, counts)
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

// Backup: PostgreSQL is backed up with pg_dump (ErrUsePgDump says how).
func (postgresEngine) Backup(context.Context, string) error { return ErrUsePgDump }

// unindexed: PostgreSQL's planner needs no help.
func (postgresEngine) unindexed(col string) string { return col }

// slotOf is the quarter-hour slot (SlotSeconds) of the timestamp column col.
func (postgresEngine) slotOf(col string) string {
	return `floor(extract(epoch FROM ` + col + `) / 900)::int8`
}

// metadataText is table.metadata's key as text, NULL when absent.
func (postgresEngine) metadataText(table, key string, args *Args) string {
	return table + `.metadata ->> ` + args.Add(key) + `::text`
}

// counterShard spreads concurrent transactions of one link over a few rows:
// the i-th of those adding counts at once in this process takes shard i mod
// counterShards, so a lone writer (a bulk load) keeps to one row per counter.
func (postgresEngine) counterShard(inFlight int) int16 { return int16(inFlight % counterShards) }

// counterShards is how many rows a counter is spread over on PostgreSQL.
const counterShards = 4

// settle vacuums and gathers the planner's statistics.
func (postgresEngine) settle(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `VACUUM (ANALYZE)`)
	return err
}
