package paylink

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxFieldTextLen caps a text field's value when the field sets no max_length, so a
// URL or a form can't store megabytes in custom_field_data.
const MaxFieldTextLen = 5000

// ValidateFieldValue checks one value for custom field f and returns it normalized:
// text → string (length in runes within min/max_length), number → int64 (an int32,
// as Polar's, within ge/le), date → "YYYY-MM-DD" string (ge/le compared with the
// unix seconds of its midnight UTC), checkbox → bool, select → the option's value.
// v is a string from a URL or a form, or a decoded JSON value (json.Number, float64,
// bool, string). An absent value (nil, or a string that is empty once trimmed)
// returns (nil, nil): callers drop it. The error's message is safe to show.
func ValidateFieldValue(f *CustomField, v any) (any, error) {
	if f == nil {
		return nil, errors.New("unknown field")
	}
	if s, ok := v.(string); v == nil || ok && strings.TrimSpace(s) == "" {
		return nil, nil
	}
	switch f.Type {
	case FieldText:
		return fieldText(f.Properties, v)
	case FieldNumber:
		return fieldNumber(f.Properties, v)
	case FieldDate:
		return fieldDate(f.Properties, v)
	case FieldCheckbox:
		return fieldCheckbox(v)
	case FieldSelect:
		return fieldSelect(f.Properties, v)
	}
	return nil, fmt.Errorf("unsupported field type %q", f.Type)
}

func fieldText(p CustomFieldProperties, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errors.New("must be text")
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, badTextRune) {
		return nil, errors.New("must not contain control characters")
	}
	n := utf8.RuneCountInString(s)
	if p.MinLength != nil && n < *p.MinLength {
		return nil, fmt.Errorf("must be at least %d characters", *p.MinLength)
	}
	limit := MaxFieldTextLen
	if p.MaxLength != nil {
		limit = *p.MaxLength
	}
	if n > limit {
		return nil, fmt.Errorf("must be at most %d characters", limit)
	}
	return s, nil
}

// badTextRune rejects control characters except the white space a textarea holds.
func badTextRune(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

func fieldNumber(p CustomFieldProperties, v any) (any, error) {
	var n int64
	var err error
	switch x := v.(type) {
	case string:
		n, err = strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	case json.Number:
		n, err = strconv.ParseInt(x.String(), 10, 64)
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32+1 {
			err = errors.New("not an integer")
		} else {
			n = int64(x)
		}
	case int64:
		n = x
	case int:
		n = int64(x)
	default:
		err = errors.New("not a number")
	}
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return nil, errors.New("must be a whole number")
	}
	if p.GE != nil && n < *p.GE {
		return nil, fmt.Errorf("must be at least %d", *p.GE)
	}
	if p.LE != nil && n > *p.LE {
		return nil, fmt.Errorf("must be at most %d", *p.LE)
	}
	return n, nil
}

func fieldDate(p CustomFieldProperties, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, errors.New("must be a date (YYYY-MM-DD)")
	}
	s = strings.TrimSpace(s)
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		// SDKs send a JavaScript Date as an ISO timestamp; its UTC day is the date.
		t, err2 := time.Parse(time.RFC3339Nano, s)
		if err2 != nil {
			return nil, errors.New("must be a date (YYYY-MM-DD)")
		}
		t = t.UTC()
		d = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	if p.GE != nil && d.Unix() < *p.GE {
		return nil, fmt.Errorf("must be on or after %s", time.Unix(*p.GE, 0).UTC().Format(time.DateOnly))
	}
	if p.LE != nil && d.Unix() > *p.LE {
		return nil, fmt.Errorf("must be on or before %s", time.Unix(*p.LE, 0).UTC().Format(time.DateOnly))
	}
	return d.Format(time.DateOnly), nil
}

func fieldCheckbox(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "on", "1", "yes":
			return true, nil
		case "false", "off", "0", "no":
			return false, nil
		}
	}
	return nil, errors.New("must be true or false")
}

func fieldSelect(p CustomFieldProperties, v any) (any, error) {
	s, ok := v.(string)
	if ok && slices.ContainsFunc(p.Options, func(o SelectOption) bool { return o.Value == s }) {
		return s, nil
	}
	return nil, errors.New("must be one of the field's options")
}

// ValidateCustomFieldData validates custom_field_data against the fields attached to
// a product. Keys that are not attached are dropped; absent values are left out.
// When enforceRequired is set (confirm), every required field must have a value and
// a required checkbox must be true. It returns a new map, never nil, or an EInvalid
// error with one entry per bad field, located at {"body","custom_field_data",slug}.
func ValidateCustomFieldData(attached []ProductCustomField, data map[string]any, enforceRequired bool) (map[string]any, error) {
	out := make(map[string]any, len(attached))
	var p Problems
	for _, a := range attached {
		f := a.CustomField
		if f == nil {
			continue
		}
		raw := data[f.Slug]
		val, err := ValidateFieldValue(f, raw)
		if err != nil {
			p.Add(err.Error(), raw, "body", "custom_field_data", f.Slug)
			continue
		}
		if enforceRequired && a.Required {
			if val == nil {
				p = append(p, FieldError{Loc: []any{"body", "custom_field_data", f.Slug}, Msg: "this field is required", Type: "missing"})
				continue
			}
			if val == false {
				p.Add("this box must be checked", raw, "body", "custom_field_data", f.Slug)
				continue
			}
		}
		if val != nil {
			out[f.Slug] = val
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
