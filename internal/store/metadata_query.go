package store

import "sort"

// MetadataQuery is Polar's metadata filter of lists (?metadata[key]=value, a key
// repeated for several values): an item matches when, for every key, its metadata
// holds one of the key's values. Values compare as text: a string as it is, a
// number as written, a boolean as true or false.
type MetadataQuery map[string][]string

// where returns the condition on table.metadata, with its arguments added to
// args; "" when q is empty.
func (q MetadataQuery) where(tx *Tx, table string, args *Args) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for _, k := range keys {
		out += ` AND ` + tx.Engine().metadataMatch(table, k, q[k], args)
	}
	return out
}
