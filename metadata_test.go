package paylink

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMetadata(t *testing.T) {
	keys := func(n int) map[string]any {
		m := map[string]any{}
		for i := range n {
			m[fmt.Sprintf("k%d", i)] = "v"
		}
		return m
	}
	tests := []struct {
		name    string
		raw     map[string]any
		want    Metadata
		wantErr []string // the last loc element of each error, in order
	}{
		{"nil", nil, Metadata{}, nil},
		{"types", map[string]any{"s": "x", "i": json.Number("42"), "f": json.Number("1.5"), "b": true, "neg": json.Number("-7")},
			Metadata{"s": "x", "i": int64(42), "f": 1.5, "b": true, "neg": int64(-7)}, nil},
		{"json.Number 1.0 is the integer 1", map[string]any{"n": json.Number("1.0"), "e": json.Number("1e3")}, Metadata{"n": int64(1), "e": int64(1000)}, nil},
		{"huge integer becomes float", map[string]any{"n": json.Number("1e20")}, Metadata{"n": 1e20}, nil},
		{"plain float64", map[string]any{"a": float64(3), "b": 2.5}, Metadata{"a": int64(3), "b": 2.5}, nil},
		{"Go ints", map[string]any{"a": 3, "b": int64(4)}, Metadata{"a": int64(3), "b": int64(4)}, nil},
		{"50 keys", keys(50), nil, nil},
		{"51 keys", keys(51), nil, []string{}},
		{"key of 40 runes", map[string]any{strings.Repeat("é", 40): "v"}, Metadata{strings.Repeat("é", 40): "v"}, nil},
		{"key of 41", map[string]any{strings.Repeat("k", 41): "v"}, nil, []string{strings.Repeat("k", 41)}},
		{"empty key", map[string]any{"": "v"}, nil, []string{""}},
		{"invalid utf-8 key", map[string]any{"a\xff": "v"}, nil, []string{"a\xff"}},
		{"value of 500 runes", map[string]any{"k": strings.Repeat("é", 500)}, Metadata{"k": strings.Repeat("é", 500)}, nil},
		{"value of 501", map[string]any{"k": strings.Repeat("x", 501)}, nil, []string{"k"}},
		{"empty string value", map[string]any{"k": ""}, nil, []string{"k"}},
		{"invalid utf-8 value", map[string]any{"k": "\xff"}, nil, []string{"k"}},
		{"null", map[string]any{"k": nil}, nil, []string{"k"}},
		{"object", map[string]any{"k": map[string]any{}}, nil, []string{"k"}},
		{"array", map[string]any{"k": []any{"a"}}, nil, []string{"k"}},
		{"number too big", map[string]any{"k": json.Number("1e400")}, nil, []string{"k"}},
		{"NaN", map[string]any{"k": math.NaN()}, nil, []string{"k"}},
		{"Inf", map[string]any{"k": math.Inf(1)}, nil, []string{"k"}},
		{"errors sorted by key", map[string]any{"z": nil, "a": nil, "m": "ok", "c": ""}, nil, []string{"a", "c", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMetadata(tt.raw, "body", "metadata")
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				want := tt.want
				if want == nil {
					want = Metadata(tt.raw)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("= %#v, want %#v", got, want)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EInvalid || got != nil {
				t.Fatalf("= (%v, %v), want an EInvalid error", got, err)
			}
			if len(tt.wantErr) == 0 { // too many keys: one error at the map itself
				if len(e.Fields) != 1 || !reflect.DeepEqual(e.Fields[0].Loc, []any{"body", "metadata"}) {
					t.Fatalf("fields = %+v", e.Fields)
				}
				return
			}
			var locs []string
			for _, f := range e.Fields {
				if len(f.Loc) != 3 || f.Loc[0] != "body" || f.Loc[1] != "metadata" {
					t.Fatalf("loc = %v", f.Loc)
				}
				locs = append(locs, f.Loc[2].(string))
			}
			if !reflect.DeepEqual(locs, tt.wantErr) {
				t.Fatalf("error keys = %q, want %q", locs, tt.wantErr)
			}
		})
	}
}

func TestMetadataJSON(t *testing.T) {
	b, err := json.Marshal(Metadata(nil))
	if err != nil || string(b) != "{}" {
		t.Fatalf("nil metadata marshals to %s, %v", b, err)
	}
	var m Metadata
	if err := json.Unmarshal([]byte(`{"n": 9007199254740993, "f": 0.5, "s": "x", "b": false}`), &m); err != nil {
		t.Fatal(err)
	}
	want := Metadata{"n": int64(9007199254740993), "f": 0.5, "s": "x", "b": false}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("unmarshal = %#v, want %#v", m, want)
	}
}

func TestMetadataMerge(t *testing.T) {
	link := Metadata{"utm_source": "link", "owner": "ann"}
	got := link.Merge(Metadata{"utm_source": "url", "reference_id": "r"})
	want := Metadata{"utm_source": "link", "owner": "ann", "reference_id": "r"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Merge = %v, want %v", got, want)
	}
	got["owner"] = "bob"
	if link["owner"] != "ann" {
		t.Fatal("Merge returned the receiver, not a copy")
	}
	if c := Metadata(nil).Clone(); c == nil || len(c) != 0 {
		t.Fatalf("Clone of nil = %#v", c)
	}
	if !MetadataString("x") || MetadataString("") || MetadataString(strings.Repeat("x", 501)) || MetadataString("\xff") {
		t.Fatal("MetadataString limits")
	}
}

// FuzzParseMetadata decodes arbitrary JSON as a request body would and checks that
// whatever ParseMetadata accepts obeys SPEC §3 and survives a round trip.
func FuzzParseMetadata(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"a":"b","n":1,"f":1.5,"t":true}`, `{"":"x"}`, `{"k":null}`, `{"k":1e400}`,
		`{"k":"` + strings.Repeat("x", 501) + `"}`, `{"k":{"x":1}}`, `{"k":[1]}`, `{"k":-0.0}`,
		`{"é":"\u0000"}`, `{"k":"\ud800"}`, `{"k":123456789012345678901234567890}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var raw map[string]any
		if decodeNumbers(b, &raw) != nil {
			return
		}
		m, err := ParseMetadata(raw, "body", "metadata")
		if err != nil {
			if !IsCode(err, EInvalid) || m != nil {
				t.Fatalf("error %v with %v", err, m)
			}
			return
		}
		if len(m) > MetadataMaxKeys || len(m) != len(raw) {
			t.Fatalf("%d keys accepted from %d", len(m), len(raw))
		}
		for k, v := range m {
			if n := utf8.RuneCountInString(k); n < 1 || n > MetadataMaxKeyLen || !utf8.ValidString(k) {
				t.Fatalf("key %q accepted", k)
			}
			switch x := v.(type) {
			case string:
				if n := utf8.RuneCountInString(x); n < 1 || n > MetadataMaxValueLen || !utf8.ValidString(x) {
					t.Fatalf("value %q accepted", x)
				}
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("value %v accepted", x)
				}
			case int64, bool:
			default:
				t.Fatalf("value %#v of type %T accepted", v, v)
			}
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Metadata
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("unmarshal %s: %v", out, err)
		}
		again, err := ParseMetadata(back, "body", "metadata")
		if err != nil || len(again) != len(m) {
			t.Fatalf("round trip %s: %v", out, err)
		}
		for k, v := range m {
			if !metadataSame(v, again[k]) {
				t.Fatalf("round trip changed %q: %#v → %#v", k, v, again[k])
			}
		}
	})
}

// metadataSame compares values numerically across int64 and float64.
func metadataSame(a, b any) bool {
	num := func(v any) (float64, bool) {
		switch x := v.(type) {
		case int64:
			return float64(x), true
		case float64:
			return x, true
		}
		return 0, false
	}
	if x, ok := num(a); ok {
		y, ok := num(b)
		return ok && x == y
	}
	return a == b
}
