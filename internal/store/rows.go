package store

import (
	"context"
	"database/sql"
)

// scanner is a row to scan: *sql.Row or *sql.Rows. An alias, so the scan
// functions of each table (func(interface{ Scan(...any) error })) fit queryAll.
type scanner = interface{ Scan(dest ...any) error }

// querier runs queries: a *Tx, the *sql.DB or a *sql.Conn.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs query on q and reads every row with scan, the rows closed
// before it returns (the caller may write in the same transaction); nil for no
// rows.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// countAhead is how many rows past a page's offset a list counts at most when
// no counter holds its count (listPageCounted).
const countAhead = 1_000

// listPage is the page p of the rows of from+where (sorted by p.OrderBy, or
// def), selected as columns and read by scan, and the count of all of them.
// from starts with " FROM", where with " WHERE"; args are where's.
func listPage[T any](ctx context.Context, tx *Tx, p ListParams, columns, from, where, def string, args Args,
	scan func(scanner) (T, error)) ([]T, int, error) {
	return listPageCounted(ctx, tx, p, columns, from, where, def, args, scan, nil)
}

// listPageCounted is listPage whose count comes from total, when not nil: a
// row counter (rollups.go) in place of counting every matching row.
//
// Without total the count is bounded (countAhead): it counts the matching
// rows through the index that serves the filter, but at most p.Offset +
// countAhead of them. Up to that the count is exact; past it, total_count is a
// lower bound that stays at least countAhead rows past the page asked for, so
// max_page always shows the pages that follow (and grows as a client pages on).
// Polar counts every matching row on each request; here no request's cost grows
// with the organization's history.
func listPageCounted[T any](ctx context.Context, tx *Tx, p ListParams, columns, from, where, def string, args Args,
	scan func(scanner) (T, error), total func() (int, error)) ([]T, int, error) {
	bounded := total == nil
	if bounded {
		total = func() (n int, err error) {
			// In the page's order: the planner then reads the index that
			// serves the filter and the sort, as the page does, rather than
			// a scan whose cost depends on how rare the matches are.
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1`+from+where+p.orderBy(def)+
				` LIMIT `+itoa(p.Offset+countAhead)+`) counted`, args...).Scan(&n)
			return n, err
		}
	}
	n, err := total()
	if err != nil {
		return nil, 0, err
	}
	if bounded && n <= p.Offset {
		// The count read the rows the page would (and found none past the
		// offset): a filter that matches nothing reads its rows once.
		return nil, n, nil
	}
	out, err := queryAll(ctx, tx, scan, `SELECT `+columns+from+where+p.orderBy(def)+p.limit(), args...)
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// orNone is s, or an empty slice for nil: the lists that have always answered
// an empty page with [] rather than nil.
func orNone[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// scanString reads a row of one text column.
func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// scanPair reads a row of two text columns.
func scanPair(row scanner) ([2]string, error) {
	var p [2]string
	err := row.Scan(&p[0], &p[1])
	return p, err
}
