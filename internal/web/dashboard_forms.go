package web

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/paylink/paylink"
)

// formErrors are the messages of a rejected form: by form field name, plus those
// that belong to no single field.
type formErrors struct {
	Field   map[string]string
	General []string
}

// Any reports whether there is at least one error.
func (e formErrors) Any() bool { return len(e.Field) > 0 || len(e.General) > 0 }

func (e *formErrors) add(field, msg string) {
	if e.Field == nil {
		e.Field = map[string]string{}
	}
	if _, dup := e.Field[field]; !dup {
		e.Field[field] = msg
	}
}

// collect turns an EInvalid error into messages next to the fields: name(loc)
// names the form field of a 422 location ("" when there is none). Any other
// error is returned for the caller to fail with.
func (e *formErrors) collect(err error, name func(loc []any) string) error {
	var pe *paylink.Error
	if !errors.As(err, &pe) || pe.Code != paylink.EInvalid {
		return err
	}
	for _, f := range pe.Fields {
		msg := sentence(f.Msg)
		if field := name(f.Loc); field != "" {
			e.add(field, msg)
		} else {
			e.General = append(e.General, msg)
		}
	}
	if len(pe.Fields) == 0 {
		e.General = append(e.General, sentence(pe.Message))
	}
	return nil
}

// sentence capitalizes a rule's message and ends it with a period.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// locPath joins a 422 location after "body" with dots: ["body","prices",0,"price_amount"]
// → "prices.0.price_amount".
func locPath(loc []any) string {
	parts := make([]string, 0, len(loc))
	for i, p := range loc {
		if i == 0 && p == "body" {
			continue
		}
		parts = append(parts, fmt.Sprint(p))
	}
	return strings.Join(parts, ".")
}

// parseMoney reads a decimal amount typed by a person ("29", "29.5", "$1,299.00")
// as minor units of the currency, with the checkout page's parseAmount. Empty is
// (0, false, nil).
func parseMoney(s, currency string) (amount int64, ok bool, err error) {
	if strings.TrimSpace(s) == "" {
		return 0, false, nil
	}
	n, err := parseAmount(s, currency)
	if err != nil {
		d := paylink.CurrencyDecimals(currency)
		if d == 0 {
			return 0, false, fmt.Errorf("enter a whole amount like 500, without decimals for %s", strings.ToUpper(currency))
		}
		return 0, false, fmt.Errorf("enter an amount like 29.00, with at most %d decimals", d)
	}
	return n, true, nil
}

// optString is nil for an empty (trimmed) form value, else a pointer to it.
func optString(v url.Values, name string) *string {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil
	}
	return &s
}

// checked reports whether a checkbox was sent.
func checked(v url.Values, name string) bool { return v.Get(name) != "" }
