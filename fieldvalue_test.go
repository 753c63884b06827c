package paylink

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func unixDay(s string) int64 {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d.Unix()
}

func TestValidateFieldValue(t *testing.T) {
	text := &CustomField{Type: FieldText, Slug: "company", Properties: CustomFieldProperties{MinLength: new(2), MaxLength: new(5)}}
	plainText := &CustomField{Type: FieldText, Slug: "note"}
	number := &CustomField{Type: FieldNumber, Slug: "seats", Properties: CustomFieldProperties{GE: new(int64(1)), LE: new(int64(10))}}
	anyNumber := &CustomField{Type: FieldNumber, Slug: "n"}
	date := &CustomField{Type: FieldDate, Slug: "start", Properties: CustomFieldProperties{GE: new(unixDay("2026-01-01")), LE: new(unixDay("2026-12-31"))}}
	checkbox := &CustomField{Type: FieldCheckbox, Slug: "terms"}
	sel := &CustomField{Type: FieldSelect, Slug: "size", Properties: CustomFieldProperties{Options: []SelectOption{{Value: "s", Label: "Small"}, {Value: "m", Label: "Medium"}}}}
	tests := []struct {
		name    string
		f       *CustomField
		in      any
		want    any
		wantErr string
	}{
		{"text ok", text, "Acme", "Acme", ""},
		{"text counts runes", text, "ÄÖÜßé", "ÄÖÜßé", ""},
		{"text too short", text, "A", nil, "at least 2"},
		{"text too long", text, "Acme Inc", nil, "at most 5"},
		{"text keeps newlines", plainText, "a\nb\tc", "a\nb\tc", ""},
		{"text control char", plainText, "a\x00b", nil, "control"},
		{"text invalid utf-8", plainText, "a\xffb", nil, "control"},
		{"text default cap", plainText, strings.Repeat("x", MaxFieldTextLen+1), nil, "at most 5000"},
		{"text from JSON number", plainText, json.Number("5"), nil, "must be text"},
		{"absent empty", text, "", nil, ""},
		{"absent blank", number, "  ", nil, ""},
		{"absent nil", sel, nil, nil, ""},
		{"number from URL", number, "7", int64(7), ""},
		{"number trims", number, " 7 ", int64(7), ""},
		{"number from JSON", number, json.Number("10"), int64(10), ""},
		{"number from float", number, float64(3), int64(3), ""},
		{"number below ge", number, "0", nil, "at least 1"},
		{"number above le", number, "11", nil, "at most 10"},
		{"number fraction", number, "2.5", nil, "whole number"},
		{"number JSON fraction", number, json.Number("2.5"), nil, "whole number"},
		{"number float fraction", number, 2.5, nil, "whole number"},
		{"number words", number, "two", nil, "whole number"},
		{"number bool", number, true, nil, "whole number"},
		{"number int32 max", anyNumber, "2147483647", int64(2147483647), ""},
		{"number beyond int32", anyNumber, "2147483648", nil, "whole number"},
		{"number negative", anyNumber, "-3", int64(-3), ""},
		{"date ok", date, "2026-03-04", "2026-03-04", ""},
		{"date at ge", date, "2026-01-01", "2026-01-01", ""},
		{"date at le", date, "2026-12-31", "2026-12-31", ""},
		{"date before ge", date, "2025-12-31", nil, "on or after 2026-01-01"},
		{"date after le", date, "2027-01-01", nil, "on or before 2026-12-31"},
		{"date from SDK timestamp", date, "2026-03-04T00:00:00.000Z", "2026-03-04", ""},
		{"date bad format", date, "04/03/2026", nil, "YYYY-MM-DD"},
		{"date impossible", date, "2026-02-30", nil, "YYYY-MM-DD"},
		{"date single digits", date, "2026-3-4", nil, "YYYY-MM-DD"},
		{"date number", date, json.Number("1767225600"), nil, "YYYY-MM-DD"},
		{"checkbox true", checkbox, true, true, ""},
		{"checkbox false", checkbox, false, false, ""},
		{"checkbox on", checkbox, "on", true, ""},
		{"checkbox 1", checkbox, "1", true, ""},
		{"checkbox TRUE", checkbox, "TRUE", true, ""},
		{"checkbox 0", checkbox, "0", false, ""},
		{"checkbox other", checkbox, "maybe", nil, "true or false"},
		{"select ok", sel, "m", "m", ""},
		{"select label is not a value", sel, "Medium", nil, "one of"},
		{"select case matters", sel, "M", nil, "one of"},
		{"select number", sel, json.Number("1"), nil, "one of"},
		{"unknown type", &CustomField{Type: "color"}, "red", nil, "unsupported"},
		{"nil field", nil, "x", nil, "unknown"},
	}
	for _, tt := range tests {
		got, err := ValidateFieldValue(tt.f, tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want …%s…", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: = (%#v, %v), want %#v", tt.name, got, err, tt.want)
		}
	}
}

func TestValidateCustomFieldData(t *testing.T) {
	company := &CustomField{Type: FieldText, Slug: "company", Properties: CustomFieldProperties{MaxLength: new(5)}}
	seats := &CustomField{Type: FieldNumber, Slug: "seats"}
	terms := &CustomField{Type: FieldCheckbox, Slug: "terms"}
	attached := []ProductCustomField{
		{CustomFieldID: "f1", Required: true, CustomField: company},
		{CustomFieldID: "f2", CustomField: seats},
		{CustomFieldID: "f3", Required: true, CustomField: terms},
		{CustomFieldID: "f4"}, // not loaded: ignored
	}
	tests := []struct {
		name     string
		data     map[string]any
		enforce  bool
		want     map[string]any
		wantLocs []string // slugs with an error, in attachment order
		wantType string   // type of the first error, when set
	}{
		{"all valid", map[string]any{"company": "Acme", "seats": json.Number("3"), "terms": true}, true,
			map[string]any{"company": "Acme", "seats": int64(3), "terms": true}, nil, ""},
		{"unknown keys dropped", map[string]any{"company": "Acme", "terms": "on", "other": "x"}, true,
			map[string]any{"company": "Acme", "terms": true}, nil, ""},
		{"missing required", map[string]any{"terms": true}, true, nil, []string{"company"}, "missing"},
		{"blank is missing", map[string]any{"company": " ", "terms": true}, true, nil, []string{"company"}, "missing"},
		{"required checkbox false", map[string]any{"company": "Acme", "terms": false}, true, nil, []string{"terms"}, "value_error"},
		{"not enforced: missing ok", map[string]any{"seats": "2"}, false, map[string]any{"seats": int64(2)}, nil, ""},
		{"not enforced: false kept", map[string]any{"terms": false}, false, map[string]any{"terms": false}, nil, ""},
		{"bad values all reported", map[string]any{"company": "Too long", "seats": "x", "terms": true}, false, nil, []string{"company", "seats"}, "value_error"},
		{"nil data", nil, false, map[string]any{}, nil, ""},
	}
	for _, tt := range tests {
		got, err := ValidateCustomFieldData(attached, tt.data, tt.enforce)
		if tt.wantLocs == nil {
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: = (%#v, %v), want %#v", tt.name, got, err, tt.want)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid {
			t.Fatalf("%s: err = %v, want EInvalid", tt.name, err)
		}
		var slugs []string
		for _, f := range e.Fields {
			if len(f.Loc) != 3 || f.Loc[0] != "body" || f.Loc[1] != "custom_field_data" {
				t.Errorf("%s: loc = %v", tt.name, f.Loc)
				continue
			}
			slugs = append(slugs, f.Loc[2].(string))
		}
		if !reflect.DeepEqual(slugs, tt.wantLocs) {
			t.Errorf("%s: error slugs = %v, want %v", tt.name, slugs, tt.wantLocs)
		}
		if tt.wantType != "" && e.Fields[0].Type != tt.wantType {
			t.Errorf("%s: type = %q, want %q", tt.name, e.Fields[0].Type, tt.wantType)
		}
		if got != nil {
			t.Errorf("%s: data returned with an error", tt.name)
		}
	}
}

// FuzzValidateFieldValue checks every field type against arbitrary text from a URL
// or a form: no panic, and an accepted value is normalized (validating it again
// gives it back unchanged).
func FuzzValidateFieldValue(f *testing.F) {
	for _, s := range []string{"", "Acme", "7", "-2147483649", "2026-02-28", "2026-03-04T23:59:59+02:00", "on", "m", "\x00", "é"} {
		f.Add(s)
	}
	fields := []*CustomField{
		{Type: FieldText, Properties: CustomFieldProperties{MinLength: new(1), MaxLength: new(20)}},
		{Type: FieldNumber, Properties: CustomFieldProperties{GE: new(int64(-5)), LE: new(int64(1000))}},
		{Type: FieldDate, Properties: CustomFieldProperties{GE: new(int64(0))}},
		{Type: FieldCheckbox},
		{Type: FieldSelect, Properties: CustomFieldProperties{Options: []SelectOption{{Value: "m", Label: "M"}}}},
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range fields {
			v, err := ValidateFieldValue(fd, s)
			if err != nil || v == nil {
				continue
			}
			again, err := ValidateFieldValue(fd, v)
			if err != nil || again != v {
				t.Fatalf("%s: %q → %#v → (%#v, %v)", fd.Type, s, v, again, err)
			}
			if fd.Type == FieldNumber {
				if n := v.(int64); n < -5 || n > 1000 {
					t.Fatalf("number %d out of bounds", n)
				}
			}
		}
	})
}
