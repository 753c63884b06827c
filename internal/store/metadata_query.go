package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/paylink/paylink"
)

// MetadataQuery is Polar's metadata filter of lists (?metadata[key]=value, a key
// repeated for several values): an item matches when, for every key, its metadata
// holds one of the key's values. Values compare as text: a string as it is, a
// number as written, a boolean as true or false.
//
// The filter reads metadata_index (migration 0034), which holds every key of
// the listed rows' metadata next to the row's created_at and id: the first key
// (in sorted order) drives the query through its range of the index, in the
// lists' sort order, and each further key is a probe of the index by the row.
type MetadataQuery map[string][]string

// join returns the list's FROM (" FROM "+table, with the index joined when q
// is not empty) and the conditions to add to its WHERE, with their arguments
// added to args. A list sorted by creation (p's order is "" or def, or its
// ascending twin) is then sorted by the index's own columns, so that a page
// reads only the index entries before it.
func (q MetadataQuery) join(table, orgID string, p *ListParams, def string, args *Args) (from, where string) {
	if len(q) == 0 {
		return ` FROM ` + table, ``
	}
	keys := slices.Sorted(maps.Keys(q))
	where = ` AND md.org_id = ` + args.Add(orgID) + ` AND md.kind = ` + args.Add(table) +
		` AND md.mkey = ` + args.Add(keys[0]) + ` AND md.mvalue IN ` + args.In(q[keys[0]]) + ` AND md.row_id = ` + table + `.id`
	for _, k := range keys[1:] {
		where += ` AND EXISTS (SELECT 1 FROM metadata_index mx WHERE mx.org_id = md.org_id AND mx.kind = md.kind
			AND mx.mkey = ` + args.Add(k) + ` AND mx.mvalue IN ` + args.In(q[k]) + `
			AND mx.row_created_at = md.row_created_at AND mx.row_id = md.row_id)`
	}
	switch p.OrderBy {
	case "", def, "created_at DESC, id":
		p.OrderBy = "md.row_created_at DESC, md.row_id"
	case "created_at, id":
		p.OrderBy = "md.row_created_at, md.row_id"
	}
	// CROSS JOIN: SQLite keeps the index as the outer loop (PostgreSQL plans
	// either way).
	return ` FROM metadata_index md CROSS JOIN ` + table, where
}

var metadataIndexInsert = newInsert("metadata_index", "org_id, kind, mkey, mvalue, row_created_at, row_id")

// indexMetadata writes the metadata_index rows of one row of table (orders,
// subscriptions or customers): with replace, in place of the row's earlier
// ones (a metadata update). Every write of a listed row's metadata calls it in
// its transaction.
func (tx *Tx) indexMetadata(ctx context.Context, table, orgID, rowID string, created time.Time, m paylink.Metadata, replace bool) error {
	if replace {
		if err := tx.unindexMetadata(ctx, table, rowID); err != nil {
			return err
		}
	}
	rows := make([][]any, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if v, ok := metadataValueText(m[k]); ok {
			rows = append(rows, []any{orgID, table, k, v, created, rowID})
		}
	}
	return tx.insertRows(ctx, metadataIndexInsert, rows)
}

// unindexMetadata removes a row's metadata_index rows (a deleted customer
// leaves the lists).
func (tx *Tx) unindexMetadata(ctx context.Context, table, rowID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM metadata_index WHERE row_id = $1 AND kind = $2`, rowID, table)
	return err
}

// metadataValueText is a metadata value as the filter compares it, the text
// PostgreSQL's ->> gives: a string as it is, a number in plain decimal, a
// boolean as true or false. ok is false for anything else (metadata holds
// nothing else).
func metadataValueText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}
