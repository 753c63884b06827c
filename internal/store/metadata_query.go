package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/paylink/paylink"
)

// MetadataQuery is Polar's metadata filter of lists (?metadata[key]=value, a key
// repeated for several values): an item matches when, for every key, its metadata
// holds one of the key's values. Values compare as text: a string as it is, a
// number as written, a boolean as true or false.
//
// The filter reads metadata_index (migration 0034), which holds every key of
// the listed rows' metadata next to the row's created_at and id: one key (the
// one the fewest rows match, by the counters of migration 0039) drives the
// query through its range of the index, in the lists' sort order, and each
// further key is a probe of the index by the row.
type MetadataQuery map[string][]string

// metadataJoin returns the list's FROM (" FROM "+table, with the index joined
// when q is not empty) and the conditions to add to its WHERE, with their
// arguments added to args. A list sorted by creation (p's order is "" or def,
// or its ascending twin) is then sorted by the index's own columns, so that a
// page reads only the index entries before it. Of several keys, the one the
// fewest rows hold (rarestKey) is read by its range; the others are probed.
func (tx *Tx) metadataJoin(ctx context.Context, q MetadataQuery, table, orgID string, p *ListParams, def string,
	args *Args) (from, where string, _ error) {
	if len(q) == 0 {
		return ` FROM ` + table, ``, nil
	}
	first, err := tx.rarestKey(ctx, q, table, orgID)
	if err != nil {
		return "", "", err
	}
	keys := slices.Sorted(maps.Keys(q))
	if i := slices.Index(keys, first); i > 0 {
		keys[0], keys[i] = keys[i], keys[0]
	}
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
	return ` FROM metadata_index md CROSS JOIN ` + table, where, nil
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
	d := tx.deltas()
	for _, r := range rows {
		d.rows[metadataCounter(orgID, table, r[2].(string), r[3].(string))]++
	}
	return tx.insertRows(ctx, metadataIndexInsert, rows)
}

// unindexMetadata removes a row's metadata_index rows (a deleted customer
// leaves the lists), and takes them off their counters.
func (tx *Tx) unindexMetadata(ctx context.Context, table, rowID string) error {
	gone, err := queryAll(ctx, tx, func(row scanner) ([3]string, error) {
		var r [3]string
		err := row.Scan(&r[0], &r[1], &r[2])
		return r, err
	}, `DELETE FROM metadata_index WHERE row_id = $1 AND kind = $2 RETURNING org_id, mkey, mvalue`, rowID, table)
	if err != nil {
		return err
	}
	d := tx.deltas()
	for _, r := range gone {
		d.rows[metadataCounter(r[0], table, r[1], r[2])]--
	}
	return nil
}

// metadataCounter names the row counter of the rows of table (orders,
// subscriptions or customers) of the organization whose metadata holds value
// under key: md:{org}:{table}:{key's length in characters}:{key}={value}
// (migration 0039 spells it the same in SQL), so that a list filtered by one
// key has an exact count without counting rows. The length keeps a key that
// holds "=" apart from a value that does.
func metadataCounter(orgID, table, key, value string) string {
	return "md:" + orgID + ":" + table + ":" + itoa(utf8.RuneCountInString(key)) + ":" + key + "=" + value
}

// metadataCount is the count of the organization's rows of table whose
// metadata matches q, a filter of one key (a row holds one value of a key), from
// the counters, each value once. A filter of several keys has no counter.
func (tx *Tx) metadataCount(ctx context.Context, q MetadataQuery, table, orgID string) (int, error) {
	var names []string
	for k, vs := range q {
		for _, v := range vs {
			if name := metadataCounter(orgID, table, k, v); !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return tx.orgOrLinkSum(ctx, orgID, "", names, nil)
}

// rarestKey is, for a filter of several keys, the key whose values the fewest
// of the organization's rows of table hold (the first in sorted order among
// equals), from the counters: the key a page reads the range of. "" for a
// filter of one key or none.
func (tx *Tx) rarestKey(ctx context.Context, q MetadataQuery, table, orgID string) (string, error) {
	if len(q) < 2 {
		return "", nil
	}
	best, fewest := "", -1
	for _, k := range slices.Sorted(maps.Keys(q)) {
		n, err := tx.metadataCount(ctx, MetadataQuery{k: q[k]}, table, orgID)
		if err != nil {
			return "", err
		}
		if fewest < 0 || n < fewest {
			best, fewest = k, n
		}
	}
	return best, nil
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
