package store

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/paylink/paylink"
)

// jsonText marshals v for a JSON column (TEXT on SQLite, jsonb on PostgreSQL).
// The shapes every link visit writes (an empty map, a list of ids) skip the
// reflection of encoding/json.
func jsonText(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			return "{}"
		}
		if s, ok := plainObject(v); ok {
			return s
		}
	case []string:
		if s, ok := plainStrings(v); ok {
			return s
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types reach here; all of them marshal
	}
	return string(b)
}

// plain reports whether s is written as is inside a JSON string by encoding/json:
// printable ASCII without the quote, the backslash and the HTML characters it
// escapes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendPlain appends s quoted; plain(s) must hold.
func appendPlain(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainObject is encoding/json's output for m when every value is a string and
// no key or value needs escaping: the metadata of a link visit (the link's keys,
// utm_* and reference_id), written on every visit.
func plainObject(m map[string]any) (string, bool) {
	n := 1
	keys := make([]string, 0, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if !ok || !plain(k) || !plain(s) {
			return "", false
		}
		n += len(k) + len(s) + 6
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendPlain(b, k), ':')
		b = appendPlain(b, m[k].(string))
	}
	return string(append(b, '}')), true
}

// plainStrings is the JSON array of ss when no string needs escaping (ids).
func plainStrings(ss []string) (string, bool) {
	if ss == nil {
		return "", false // encoding/json's null
	}
	n := 2
	for _, s := range ss {
		if !plain(s) {
			return "", false
		}
		n += len(s) + 3
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPlain(b, s)
	}
	return string(append(b, ']')), true
}

// metadataText marshals metadata, {} for nil (as Metadata.MarshalJSON, without
// its second pass over the output).
func metadataText(m paylink.Metadata) string { return jsonText(map[string]any(m)) }

// parseMetadata reads a metadata column back.
func parseMetadata(s string) (paylink.Metadata, error) {
	var m paylink.Metadata
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// parseJSONMap reads a JSON object column keeping numbers exact.
func parseJSONMap(s string) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// parseStrings reads a JSON array of strings.
func parseStrings(s string) ([]string, error) {
	var out []string
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}
