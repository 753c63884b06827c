package store

import (
	"bytes"
	"encoding/json"

	"github.com/paylink/paylink"
)

// jsonText marshals v for a JSON column (TEXT on SQLite, jsonb on PostgreSQL).
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types reach here; all of them marshal
	}
	return string(b)
}

// metadataText marshals metadata, {} for nil.
func metadataText(m paylink.Metadata) string { return jsonText(m) }

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
