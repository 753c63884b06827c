package paylink

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"unicode/utf8"
)

// Metadata limits (SPEC §3), shared by every entity and by values from a URL.
const (
	MetadataMaxKeys     = 50
	MetadataMaxKeyLen   = 40
	MetadataMaxValueLen = 500
)

// Metadata is a merchant's key–value store. Values are string, int64, float64 or bool
// once validated by ParseMetadata or checked by Validate.
type Metadata map[string]any

// ParseMetadata turns decoded JSON (from a decoder with UseNumber, or plain float64s)
// into Metadata, enforcing SPEC §3. loc prefixes every field error's location.
func ParseMetadata(raw map[string]any, loc ...any) (Metadata, error) {
	var p Problems
	if len(raw) > MetadataMaxKeys {
		p.Add(fmt.Sprintf("at most %d keys are allowed", MetadataMaxKeys), len(raw), loc...)
		return nil, p.Err()
	}
	m := make(Metadata, len(raw))
	// Sorted keys keep the order of field errors stable from one request to the next.
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := raw[k]
		kloc := append(append([]any{}, loc...), k)
		if n := utf8.RuneCountInString(k); n < 1 || n > MetadataMaxKeyLen || !ValidText(k) {
			p.Add(fmt.Sprintf("key must be 1 to %d characters", MetadataMaxKeyLen), k, kloc...)
			continue
		}
		val, msg := metadataValue(v)
		if msg != "" {
			p.Add(msg, v, kloc...)
			continue
		}
		m[k] = val
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// MetadataString checks one string value as it arrives from a URL.
func MetadataString(s string) bool {
	_, msg := metadataValue(s)
	return msg == ""
}

func metadataValue(v any) (any, string) {
	switch x := v.(type) {
	case string:
		if !ValidText(x) {
			return nil, "string values must be UTF-8 text without NUL characters"
		}
		if n := utf8.RuneCountInString(x); n < 1 || n > MetadataMaxValueLen {
			return nil, fmt.Sprintf("string values must be 1 to %d characters", MetadataMaxValueLen)
		}
		return x, ""
	case bool:
		return x, ""
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, ""
		}
		f, err := x.Float64()
		if err != nil {
			return nil, "numbers must be finite"
		}
		return metadataValue(f) // "1.0" then reads back as the same value as 1.0 does
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, "numbers must be finite"
		}
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), ""
		}
		return x, ""
	case int64:
		return x, ""
	case int:
		return int64(x), ""
	default:
		return nil, "values must be a string, an integer, a number or a boolean"
	}
}

// Merge returns a copy of m with the keys of extra that m does not already have.
// m's own keys win (SPEC §4.9: the link's metadata wins over URL attribution).
func (m Metadata) Merge(extra Metadata) Metadata {
	out := make(Metadata, len(m)+len(extra))
	for k, v := range extra {
		out[k] = v
	}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Clone returns a shallow copy; never nil.
func (m Metadata) Clone() Metadata { return Metadata{}.Merge(m) }

// MarshalJSON writes {} for a nil map so the wire never carries null metadata.
func (m Metadata) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	return MarshalJSON(map[string]any(m))
}

// UnmarshalJSON reads stored metadata back, keeping integers as int64.
func (m *Metadata) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if err := decodeNumbers(b, &raw); err != nil {
		return err
	}
	out := make(Metadata, len(raw))
	for k, v := range raw {
		if val, msg := metadataValue(v); msg == "" {
			out[k] = val
		} else {
			out[k] = v
		}
	}
	*m = out
	return nil
}
