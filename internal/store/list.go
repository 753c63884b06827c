package store

import (
	"context"
	"strings"
)

// ListParams is one page of a list query. OrderBy must come from a whitelist
// (api.ParseSorting builds it); it is spliced into SQL as is.
type ListParams struct {
	Limit   int
	Offset  int
	OrderBy string // e.g. "created_at DESC, id"; "" means the method's default
}

// orderBy returns " ORDER BY " + p.OrderBy, or the default.
func (p ListParams) orderBy(def string) string {
	if strings.TrimSpace(p.OrderBy) == "" {
		return " ORDER BY " + def
	}
	return " ORDER BY " + p.OrderBy
}

// limit returns the LIMIT/OFFSET clause (LIMIT -1 means all on SQLite; use a big number).
func (p ListParams) limit() string {
	l := p.Limit
	if l <= 0 {
		l = 1000000
	}
	return " LIMIT " + itoa(l) + " OFFSET " + itoa(p.Offset)
}

func itoa(n int) string {
	if n < 0 {
		n = 0
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// Args builds a positional argument list for dynamic WHERE clauses: Add appends a
// value and returns its placeholder ($1, $2, …), valid on both engines.
type Args []any

// Add appends v and returns its placeholder.
func (a *Args) Add(v any) string {
	*a = append(*a, v)
	return "$" + itoa(len(*a))
}

// In appends every value and returns "($1, $2, …)"; "(NULL)" for none, which matches nothing.
func (a *Args) In(vs []string) string {
	if len(vs) == 0 {
		return "(NULL)"
	}
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.Add(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// insert is an INSERT into one table's columns, its SQL built once: into
// ("INSERT INTO t (a, b, …)") for multi-row statements, and row, into with one
// row of placeholders, for SQLite's prepared single-row statement.
type insert struct{ into, row, suffix string }

func newInsert(table, columns string) insert {
	into := "INSERT INTO " + table + " (" + columns + ")"
	// Anonymous placeholders: modernc.org/sqlite looks up the name of every
	// named or numbered parameter on every execution (sqlite3_bind_parameter_name,
	// a linear scan, and a Go string); "?" has none. That was a third of binding.
	values := "(?" + strings.Repeat(", ?", strings.Count(columns, ",")) + ")"
	return insert{into: into, row: into + " VALUES " + values}
}

// newUpsert is newInsert with a suffix after the values (ON CONFLICT …).
func newUpsert(table, columns, suffix string) insert {
	ins := newInsert(table, columns)
	ins.row += " " + suffix
	ins.suffix = " " + suffix
	return ins
}

// insertRows inserts rows (in ins's column order) the engine's way: on
// PostgreSQL in multi-row statements, on SQLite row by row (sqlite.go says why).
func (tx *Tx) insertRows(ctx context.Context, ins insert, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Engine().insertRows(ctx, tx, ins, rows)
}

// insertBatch is rows to insert with ins (Engine.insertBatches).
type insertBatch struct {
	ins  insert
	rows [][]any
}

// insertEach is insertBatches with one insertRows per batch, in order.
func insertEach(ctx context.Context, tx *Tx, batches []insertBatch) error {
	for _, b := range batches {
		if err := tx.Engine().insertRows(ctx, tx, b.ins, b.rows); err != nil {
			return err
		}
	}
	return nil
}

// valuesListFrom builds the VALUES list of a multi-row statement and its
// arguments, numbering placeholders (mark "?" or "$") after the first n.
func valuesListFrom(n int, rows [][]any, mark string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, row := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j, v := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			b.WriteString(mark)
			b.WriteString(itoa(n + len(args)))
		}
		b.WriteByte(')')
	}
	return b.String(), args
}
