package dashboard

import (
	"testing"

	"github.com/paylink/paylink"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in, currency string
		want         int64
		ok, err      bool
	}{
		{"29", "usd", 2900, true, false}, {"29.5", "usd", 2950, true, false}, {"1,299.00", "usd", 129900, true, false},
		{"$5", "usd", 500, true, false}, {"", "usd", 0, false, false}, {"1.234", "usd", 0, false, true},
		{"500", "jpy", 500, true, false}, {"5.5", "jpy", 0, false, true}, {"1e3", "usd", 0, false, true},
		{"abc", "usd", 0, false, true}, {"99999999999999999999", "usd", 0, false, true},
	} {
		got, ok, err := parseMoney(tc.in, tc.currency)
		if got != tc.want || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("parseMoney(%q, %s) = %d %v %v", tc.in, tc.currency, got, ok, err)
		}
	}
}

// TestCollectUsesLabels: every form's mapping puts a rule's message at the input
// of its location and writes the API names it mentions as the form's labels;
// a message without an input goes to the summary, led by its label.
func TestCollectUsesLabels(t *testing.T) {
	for _, tc := range []struct {
		form        string
		fields      formFields
		loc         []any
		msg         string
		input, want string // input "" is the summary
	}{
		{"product", productField, []any{"body", "prices", 0, "preset_amount"}, "must be between minimum_amount and maximum_amount",
			"preset", "Must be between “Minimum” and “Maximum”."},
		{"product", productField, []any{"body", "recurring_interval_count"}, "one-time products have no recurring_interval_count; set recurring_interval too",
			"interval_count", "One-time products have no “Interval count”; set “Charge” too."},
		{"product", productField, []any{"body", "prices"}, "a product has exactly one price", "", "Price: A product has exactly one price."},
		{"discount", discountField, []any{"body", "duration_in_months"}, "duration_in_months is only for a repeating duration",
			"months", "“Months” is only for a repeating duration."},
		{"discount", discountField, []any{"body", "ends_at"}, "ends_at must be after starts_at", "", "Ends: “Ends” must be after “Starts”."},
		{"link", linkField, []any{"body", "discount_id"}, "discount_id must be a UUID", "discount_id", "“Preset discount” must be a UUID."},
		{"link", linkField, []any{"body", "metadata", "order_ref"}, "too long", "meta:order_ref", "Too long."},
		{"link", linkField, []any{"body", "products", 1}, "product not found", "products", "Product not found."},
		{"webhook", webhookField, []any{"body", "events", 2}, "not a webhook event type", "events", "Not a webhook event type."},
		{"webhook", webhookField, []any{"body", "secret_key"}, "secret_key is read-only", "", "Secret key is read-only."}, // no such input: spelt as words,
	} {
		var errs formErrors
		err := errs.collect(paylink.Problems{{Loc: tc.loc, Msg: tc.msg}}.Err(), tc.fields)
		if err != nil {
			t.Fatal(err)
		}
		got := errs.Field[tc.input]
		if tc.input == "" && len(errs.General) == 1 {
			got = errs.General[0]
		}
		if got != tc.want {
			t.Errorf("%s form, %v %q: %q at %q (all: %+v), want %q", tc.form, tc.loc, tc.msg, got, tc.input, errs, tc.want)
		}
	}
}
