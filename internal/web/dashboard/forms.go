package dashboard

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/web"
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

// formField is one entry of a form's mapping from API locations to what the
// person sees: Loc is the location after "body" without list indexes
// ("prices.minimum_amount"), or a prefix ending in ".*" for everything below it;
// Name is the input that shows the message ("" for the summary above the form;
// a "*" in it stands for what ".*" matched); Label is the input's label.
type formField struct{ Loc, Name, Label string }

// formFields is one form's mapping; the first entry that matches a location wins.
type formFields []formField

// find returns the input name and label of a 422 location; ok is false when the
// form has no entry for it.
func (ff formFields) find(loc []any) (name, label string, ok bool) {
	p := locPath(loc)
	for _, f := range ff {
		if f.Loc == p {
			return f.Name, f.Label, true
		}
		if prefix, wild := strings.CutSuffix(f.Loc, "*"); wild {
			if rest, under := strings.CutPrefix(p, prefix); under && rest != "" {
				return strings.ReplaceAll(f.Name, "*", rest), f.Label, true
			}
		}
	}
	return "", "", false
}

// relabel rewrites the API field names a rule's message mentions
// ("must be greater than or equal to minimum_amount") as the form's labels,
// quoted; a snake_case name the form does not show is spelt as words.
func (ff formFields) relabel(msg string) string {
	return apiName.ReplaceAllStringFunc(msg, func(name string) string {
		for _, f := range ff {
			if last := f.Loc[strings.LastIndex(f.Loc, ".")+1:]; last == name {
				return "“" + f.Label + "”"
			}
		}
		return strings.ReplaceAll(name, "_", " ")
	})
}

// apiName matches a snake_case API field name inside a message.
var apiName = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)

// collect turns an EInvalid error into messages next to the form's inputs, in
// the form's words: the message of a location that has an input goes next to
// it; any other goes to the summary, led by its label when the form knows it.
// Any other error is returned for the caller to fail with.
func (e *formErrors) collect(err error, form formFields) error {
	var pe *paylink.Error
	if !errors.As(err, &pe) || pe.Code != paylink.EInvalid {
		return err
	}
	for _, f := range pe.Fields {
		msg := sentence(form.relabel(f.Msg))
		name, label, known := form.find(f.Loc)
		switch {
		case name != "":
			e.add(name, msg)
		case known:
			e.General = append(e.General, label+": "+msg)
		default:
			e.General = append(e.General, msg)
		}
	}
	if len(pe.Fields) == 0 {
		e.General = append(e.General, sentence(form.relabel(pe.Message)))
	}
	return nil
}

// sentence capitalizes a rule's message and ends it with a period.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// locPath joins a 422 location after "body" with dots, leaving out list
// indexes: ["body","prices",0,"price_amount"] → "prices.price_amount".
func locPath(loc []any) string {
	parts := make([]string, 0, len(loc))
	for i, p := range loc {
		if i == 0 && p == "body" {
			continue
		}
		if _, index := p.(int); index {
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
	n, err := web.ParseAmount(s, currency)
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
