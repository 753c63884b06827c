package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
)

// stmtCache keeps the statements of one pool prepared, for an engine whose
// driver parses every statement again on each call (Tuning.CacheStatements:
// modernc.org/sqlite has no cache of its own; pgx keeps one per connection). A
// confirm runs about fifty statements, and SQLite spent more time parsing them
// than running them. A query seen in a transaction for the first time runs
// unprepared there and is prepared on the pool once that transaction ended
// (on SQLite the transaction holds the only write connection, so it cannot
// be prepared on the pool meanwhile); database/sql then prepares it once on
// each connection it runs on.
type stmtCache struct {
	db    *sql.DB
	stmts sync.Map // query → *sql.Stmt on db
	n     atomic.Int64
}

// stmtCacheMax bounds the statements kept per pool: queries are written in the
// code, but a few lists build theirs from the filters asked for.
const stmtCacheMax = 2000

// stmt returns query prepared for tx, or nil after noting it in tx's misses.
func (c *stmtCache) stmt(ctx context.Context, tx *Tx, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st, ok := c.stmts.Load(query); ok {
		if tx.Tx == nil {
			return st.(*sql.Stmt) // a read outside a transaction, on c's pool
		}
		return tx.Tx.StmtContext(ctx, st.(*sql.Stmt))
	}
	// Several statements in one string are not worth a prepared statement.
	if c.n.Load() < stmtCacheMax && !strings.Contains(strings.TrimRight(strings.TrimSpace(query), ";"), ";") {
		tx.misses = append(tx.misses, query)
	}
	return nil
}

// add prepares the queries a transaction missed, outside any transaction.
func (c *stmtCache) add(ctx context.Context, queries []string) {
	for _, q := range queries {
		if _, ok := c.stmts.Load(q); ok || c.n.Load() >= stmtCacheMax {
			continue
		}
		st, err := c.db.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue // it ran unprepared; it will again
		}
		if _, loaded := c.stmts.LoadOrStore(q, st); loaded {
			st.Close()
			continue
		}
		c.n.Add(1)
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
}

// ExecContext is sql.Tx's, through the pool's prepared statement when the engine caches them.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.cache.stmt(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if tx.Tx == nil {
		return tx.db.ExecContext(ctx, query, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext is sql.Tx's, through the pool's prepared statement when the engine caches them.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.cache.stmt(ctx, tx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if tx.Tx == nil {
		return tx.db.QueryContext(ctx, query, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext is sql.Tx's, through the pool's prepared statement when the engine caches them.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.cache.stmt(ctx, tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if tx.Tx == nil {
		return tx.db.QueryRowContext(ctx, query, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}
