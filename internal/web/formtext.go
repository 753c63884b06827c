package web

import (
	"maps"
	"net/url"
	"slices"

	"github.com/paylink/paylink"
)

// FormText refuses a form with a value that no store keeps alike (a NUL or
// invalid UTF-8: PostgreSQL refuses both, SQLite would keep them), naming the
// field, before anything reads the form.
func FormText(form url.Values) error {
	for _, k := range slices.Sorted(maps.Keys(form)) {
		for _, v := range form[k] {
			if !paylink.ValidText(k) || !paylink.ValidText(v) {
				const msg = "The form has characters that cannot be saved (a NUL character or invalid UTF-8). Remove them and try again."
				e := paylink.Invalid(paylink.FieldError{Loc: []any{"body", paylink.CleanText(k)}, Type: "string_type", Msg: msg})
				e.Message = msg
				return e
			}
		}
	}
	return nil
}
