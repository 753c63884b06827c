// Package store keeps paylink's state in SQL. One Store type serves both engines,
// SQLite (modernc.org/sqlite) and PostgreSQL (pgx through database/sql): the queries
// are written once in the SQL both understand, and the few differences live in the
// Engine (dialect helpers, error translation, migrations of its own at the same
// version numbers, the writers' tuning), in sqlite.go and postgres.go. Every
// method takes a context; writes that belong together run in one transaction
// through Store.InTx.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river/riverdriver"

	"github.com/paylink/paylink"
)

// Store is paylink's database. It is safe for concurrent use.
type Store struct {
	DB     *sql.DB // writes (and River); on SQLite a single connection
	Engine Engine

	// readDB serves Read: on SQLite a separate pool of read-only connections, so
	// reads run beside the single writer (WAL gives each a consistent snapshot);
	// on PostgreSQL the same pool as DB.
	readDB *sql.DB
	stop   func() // stops background work of the engine (SQLite's checkpointer)

	stmts sync.Map // query → *sql.Stmt on DB, for Tx.prepared

	shown shownCache // what the checkout page shows, by version (shown.go)

	countersPrepared atomic.Bool   // counterStatements are in stmts
	countersTried    atomic.Int64  // when prepareCounters last tried (unix nanoseconds)
	flushing         atomic.Int32  // transactions adding their counts now (Engine.counterShard)
	visitShards      atomic.Uint32 // bit i: a PostgreSQL visit statement holds visit shard i (takeVisitShard)

	// writeStmts and readStmts keep every statement of DB's and readDB's
	// transactions prepared, when the engine asks for it (Tuning.CacheStatements).
	writeStmts, readStmts *stmtCache
}

// prepareCounters prepares the counter upserts the first time a transaction
// starts after the tables exist (before Migrate they do not: it tries again,
// at most once a second, so that a database without them, such as the
// benchmark's scratch tables, does not pay a failed prepare per transaction).
func (s *Store) prepareCounters(ctx context.Context) {
	if s.countersPrepared.Load() {
		return
	}
	now := time.Now().UnixNano()
	if last := s.countersTried.Load(); now-last < int64(time.Second) || !s.countersTried.CompareAndSwap(last, now) {
		return
	}
	if s.prepare(ctx, counterStatements...) == nil {
		s.countersPrepared.Store(true)
	}
}

// Engine is what differs between SQLite and PostgreSQL. Its two implementations,
// sqliteEngine in sqlite.go and postgresEngine in postgres.go, are the only code
// that knows which engine it is: everything else asks the engine, and
// TestEngineNamesAreFenced fails on a comparison of engine names anywhere else.
type Engine interface {
	// Name is "sqlite" or "postgres", for logs; ask the engine instead of comparing it.
	Name() string
	// Migrations returns the engine's migrations, in version order.
	Migrations() ([]Migration, error)
	// TranslateError maps engine errors (unique violation, lock not available,
	// busy) to *paylink.Error; other errors pass through unchanged.
	TranslateError(err error) error
	// ForUpdate is the row-locking suffix for a SELECT inside a transaction:
	// " FOR UPDATE NOWAIT" on PostgreSQL, "" on SQLite, whose writers are serialized.
	ForUpdate(nowait bool) string
	// LockSkip is the suffix that locks the selected rows and skips those another
	// process holds, so several paylink processes can sweep at once:
	// " FOR UPDATE SKIP LOCKED" on PostgreSQL, "" on SQLite.
	LockSkip() string
	// Backup writes a consistent copy of the database to the file to, which must
	// not exist, while the database goes on serving.
	Backup(ctx context.Context, to string) error
	// Tuning is how much concurrent writing pays off on the engine.
	Tuning() Tuning
	// RiverDriver is River's driver for the engine over db (the store's DB).
	RiverDriver(db *sql.DB) riverdriver.Driver[*sql.Tx]

	// metadataText is table.metadata's key as text (NULL when absent), with its
	// argument added to args.
	metadataText(table, key string, args *Args) string
	// settle is Store.Settle.
	settle(ctx context.Context, db *sql.DB) error
	// counterShard is the shard of the counter rows a transaction adds to,
	// inFlight the number of other transactions of the process adding theirs
	// meanwhile: 0 on SQLite (one writer), one of a few on PostgreSQL.
	counterShard(inFlight int) int16
	// slotOf is the SlotSeconds slot of the timestamp column col, as an integer.
	// forShare locks the rows a SELECT reads against updates until commit (PostgreSQL: FOR SHARE;
	// SQLite: nothing, its writer is serialized).
	forShare() string
	slotOf(col string) string
	// unindexed is the column col as an expression no index answers: SQLite's
	// planner, given "organization_id = ? AND id IN (four or more ids)", walks
	// the organization's index instead of looking the ids up by primary key,
	// unless the column is written "+col"; PostgreSQL plans by statistics and
	// gets col.
	unindexed(col string) string
	// insertRows inserts rows (in ins's column order) in tx.
	insertRows(ctx context.Context, tx *Tx, ins insert, rows [][]any) error
	// insertBatches is insertRows for each batch, in order, as one statement
	// where the engine can.
	insertBatches(ctx context.Context, tx *Tx, batches []insertBatch) error
	// orderInsert takes the organization's next receipt number for o, sets it
	// and inserts o (Tx.OrderCreate).
	orderInsert(ctx context.Context, tx *Tx, o *paylink.Order) error
	// lockMigrations keeps other processes from migrating through conn until unlock.
	lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// visitsCreate is VisitsCreate for vs, encoded, and counts.
	visitsCreate(ctx context.Context, s *Store, vs []*Visit, counts []VisitCount) (VisitsResult, error)
}

// Tuning is what an engine's writes favour, for the writers outside the store:
// River's workers and internal/checkout's visit writer.
type Tuning struct {
	JobWorkers   int // River workers of the default queue
	VisitWriters int // goroutines committing batches of link visits
	VisitBatch   int // most visits one commit writes
	// A visit writer waits VisitGather for concurrent visits to join a batch
	// before writing it, unless VisitGatherUnless visits are waiting already. A
	// commit costs about the same for one session as for dozens (the pages at the
	// right edge of every index, the WAL frames, the round trip), so under load a
	// short wait makes each visit cheaper; a lone visit waits that much more.
	VisitGather       time.Duration
	VisitGatherUnless int
	// CacheStatements keeps the statements of transactions prepared on their
	// pool (stmtcache.go), for a driver that parses each statement on every call.
	CacheStatements bool
	// SingleWriter says that write transactions take turns (SQLite): what a
	// flow can read before its write transaction, beside the writer, shortens
	// every other flow's wait.
	SingleWriter bool
	// ReadsOutsideTx runs Read's statements on the pool, each on its own
	// (PostgreSQL): at READ COMMITTED every statement sees its own snapshot
	// even inside a transaction, so BEGIN and ROLLBACK would only add two
	// round trips to every read.
	ReadsOutsideTx bool
}

// visitBatch bounds how many sessions one visit commit writes, on both engines.
const visitBatch = 256

// Open connects to the database named by url: "sqlite:PATH" (or a path ending in
// .db) or "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s, err = openPostgres(ctx, url)
	case strings.HasPrefix(url, "sqlite:"):
		s, err = openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	default:
		return nil, fmt.Errorf("database URL %q: use sqlite:PATH or postgres://…", url)
	}
	if err != nil {
		return nil, err
	}
	if s.Engine.Tuning().CacheStatements {
		s.writeStmts = &stmtCache{db: s.DB}
		s.readStmts = s.writeStmts
		if s.readDB != nil && s.readDB != s.DB {
			s.readStmts = &stmtCache{db: s.readDB}
		}
	}
	return s, nil
}

// Close closes the connection pools.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	s.writeStmts.close()
	if s.readStmts != s.writeStmts {
		s.readStmts.close()
	}
	if s.readDB != nil && s.readDB != s.DB {
		s.readDB.Close()
	}
	return s.DB.Close()
}

// Settle brings the database to the state a long-running one is in after a
// bulk load (benchmarks call it between seeding and measuring): SQLite's WAL
// copied into the file and truncated, so no commit checkpoints a load's pages;
// PostgreSQL vacuumed and its planner statistics gathered, as autovacuum would
// (a bulk load's pages then have their hint bits and visibility map set).
func (s *Store) Settle(ctx context.Context) error { return s.Engine.settle(ctx, s.DB) }

// Ping checks that the database answers (used by /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// Tx is a transaction. Store methods that write take a *Tx so that callers can
// group them, together with the jobs and events they cause.
type Tx struct {
	*sql.Tx         // nil for a Read outside a transaction (Tuning.ReadsOutsideTx)
	db      *sql.DB // the pool such a Read's statements run on; nil otherwise
	store   *Store
	cache   *stmtCache // the pool's prepared statements, nil when the engine keeps its own
	misses  []string   // queries of this transaction to prepare on the pool once it ended

	memo map[string]any // what was read, after MemoReads (memo.go)

	counts   *counts                 // rollup and row-count deltas, added before commit (rollups.go)
	seen     map[string]*attribution // sessions this transaction locked, for their rollups
	refunded map[string]orderSeen    // the orders this transaction locked or wrote
}

// Engine returns the engine the transaction runs on.
func (tx *Tx) Engine() Engine { return tx.store.Engine }

// InTx runs fn in a transaction and commits when fn returns nil. Errors are
// translated by the engine, so a unique violation arrives as a *paylink.Error.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	s.prepareCounters(ctx)
	sqlTx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return s.Engine.TranslateError(err)
	}
	tx := &Tx{Tx: sqlTx, store: s, cache: s.writeStmts}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return s.Engine.TranslateError(err)
	}
	if err := tx.flushCounts(ctx); err != nil {
		_ = sqlTx.Rollback()
		return s.Engine.TranslateError(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.Engine.TranslateError(err)
	}
	if len(tx.misses) > 0 {
		tx.cache.add(ctx, tx.misses)
	}
	return nil
}

// prepare prepares queries on the write pool once and keeps them for
// Tx.prepared. Call it outside a transaction: on SQLite the transaction holds
// the only write connection.
func (s *Store) prepare(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, ok := s.stmts.Load(q); ok {
			continue
		}
		p, err := s.DB.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		if _, loaded := s.stmts.LoadOrStore(q, p); loaded {
			p.Close()
		}
	}
	return nil
}

// prepared returns query as a statement of the transaction: the one Store.prepare
// kept, or else one prepared for this transaction only. SQLite's driver parses a
// statement on every call otherwise, and a 31-column INSERT costs more to parse
// than to run.
func (tx *Tx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.store.stmts.Load(query); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	return tx.PrepareContext(ctx, query)
}

// Read runs fn in a read-only transaction that is always rolled back: on SQLite
// a consistent view for reads made of several queries. On PostgreSQL, at READ
// COMMITTED, each statement sees its own snapshot in a transaction as well, so
// fn's statements run on the pool without one (Tuning.ReadsOutsideTx): fn may
// only run queries, never write nor lock rows.
func (s *Store) Read(ctx context.Context, fn func(tx *Tx) error) error {
	if s.Engine.Tuning().ReadsOutsideTx {
		tx := &Tx{db: s.reader(), store: s, cache: s.readStmts}
		err := fn(tx)
		if len(tx.misses) > 0 {
			tx.cache.add(ctx, tx.misses)
		}
		return s.Engine.TranslateError(err)
	}
	sqlTx, err := s.reader().BeginTx(ctx, nil)
	if err != nil {
		return s.Engine.TranslateError(err)
	}
	tx := &Tx{Tx: sqlTx, store: s, cache: s.readStmts}
	err = fn(tx)
	_ = sqlTx.Rollback() // read-only
	if len(tx.misses) > 0 {
		tx.cache.add(ctx, tx.misses)
	}
	return s.Engine.TranslateError(err)
}

// notFound turns sql.ErrNoRows into the domain's not-found error for what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return paylink.NotFound(what)
	}
	return err
}

// reader is the pool reads use: SQLite's read-only pool, or the one pool.
func (s *Store) reader() *sql.DB {
	if s.readDB != nil {
		return s.readDB
	}
	return s.DB
}
