package paylink

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// catPtr returns a pointer to v.
func catPtr[T any](v T) *T { return &v }

// locOf returns the locations of an EInvalid error as strings, for comparison.
func catLocs(t *testing.T, err error) []string {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EInvalid {
		t.Fatalf("want an EInvalid *Error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, fmt.Sprint(f.Loc))
	}
	return out
}

func TestValidatePrice(t *testing.T) {
	ok := []struct {
		name string
		in   PriceInput
		want Price
	}{
		{"fixed", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](1500)}, Price{AmountType: PriceFixed, Currency: "usd", PriceAmount: 1500}},
		{"fixed zero is free", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](0), Currency: "eur"}, Price{AmountType: PriceFixed, Currency: "eur"}},
		{"free becomes fixed 0", PriceInput{AmountType: "free"}, Price{AmountType: PriceFixed, Currency: "usd"}},
		{"fixed at the cap", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](MaxAmount)}, Price{AmountType: PriceFixed, Currency: "usd", PriceAmount: MaxAmount}},
		{"jpy floor", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](80), Currency: "jpy"}, Price{AmountType: PriceFixed, Currency: "jpy", PriceAmount: 80}},
		{"custom default minimum", PriceInput{AmountType: "custom"}, Price{AmountType: PriceCustom, Currency: "usd", MinimumAmount: 50}},
		{"custom default minimum follows currency", PriceInput{AmountType: "custom", Currency: "gbp"}, Price{AmountType: PriceCustom, Currency: "gbp", MinimumAmount: 40}},
		{"custom min 0", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](0), PresetAmount: catPtr[int64](0)}, Price{AmountType: PriceCustom, Currency: "usd", PresetAmount: catPtr[int64](0)}},
		{"custom full", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](100), MaximumAmount: catPtr[int64](10000), PresetAmount: catPtr[int64](2500)},
			Price{AmountType: PriceCustom, Currency: "usd", MinimumAmount: 100, MaximumAmount: catPtr[int64](10000), PresetAmount: catPtr[int64](2500)}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			got, err := ValidatePrice(c.in, "body", "prices", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, c.want) {
				t.Fatalf("got %+v, want %+v", *got, c.want)
			}
		})
	}
	bad := []struct {
		name string
		in   PriceInput
		loc  string
	}{
		{"fixed negative", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](-1)}, "[prices price_amount]"},
		{"fixed below floor", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](49)}, "[prices price_amount]"},
		{"fixed over cap", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](MaxAmount + 1)}, "[prices price_amount]"},
		{"fixed missing amount", PriceInput{AmountType: "fixed"}, "[prices price_amount]"},
		{"upper-case currency", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](100), Currency: "USD"}, "[prices price_currency]"},
		{"unknown currency", PriceInput{AmountType: "fixed", PriceAmount: catPtr[int64](100), Currency: "abc"}, "[prices price_currency]"},
		{"custom min below floor", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](10)}, "[prices minimum_amount]"},
		{"custom max below min", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](500), MaximumAmount: catPtr[int64](100)}, "[prices maximum_amount]"},
		{"custom max zero", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](0), MaximumAmount: catPtr[int64](0)}, "[prices maximum_amount]"},
		{"custom max over cap", PriceInput{AmountType: "custom", MaximumAmount: catPtr[int64](MaxAmount + 1)}, "[prices maximum_amount]"},
		{"custom preset above max", PriceInput{AmountType: "custom", MaximumAmount: catPtr[int64](1000), PresetAmount: catPtr[int64](2000)}, "[prices preset_amount]"},
		{"custom preset below min", PriceInput{AmountType: "custom", MinimumAmount: catPtr[int64](1000), PresetAmount: catPtr[int64](500)}, "[prices preset_amount]"},
		{"metered", PriceInput{AmountType: "metered_unit"}, "[prices amount_type]"},
		{"seats", PriceInput{AmountType: "seat_based"}, "[prices amount_type]"},
		{"unknown type", PriceInput{AmountType: "bogus"}, "[prices amount_type]"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ValidatePrice(c.in, "prices")
			if locs := catLocs(t, err); len(locs) != 1 || locs[0] != c.loc {
				t.Fatalf("locations %v, want [%s]", locs, c.loc)
			}
		})
	}
}

func TestNewProduct(t *testing.T) {
	fixed := []PriceInput{{AmountType: "fixed", PriceAmount: catPtr[int64](900)}}
	fid := NewID()
	p, err := NewProduct("org", ProductParams{
		Name: "  Pro plan ", Description: catPtr(" "), RecurringInterval: catPtr("month"), Prices: fixed,
		Metadata:     map[string]any{"tier": "pro"},
		CustomFields: []FieldAttachment{{CustomFieldID: fid, Required: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Pro plan" || p.Description != nil || *p.RecurringIntervalCount != 1 || !p.IsRecurring() ||
		p.Price().PriceAmount != 900 || p.Metadata["tier"] != "pro" ||
		len(p.CustomFields) != 1 || p.CustomFields[0].CustomFieldID != fid || !p.CustomFields[0].Required {
		t.Fatalf("product: %+v", p)
	}
	bad := []struct {
		name string
		in   ProductParams
		locs []string
	}{
		{"short name", ProductParams{Name: "ab", Prices: fixed}, []string{"[body name]"}},
		{"long name", ProductParams{Name: string(make([]byte, 65)), Prices: fixed}, []string{"[body name]"}},
		{"no price", ProductParams{Name: "Thing"}, []string{"[body prices]"}},
		{"two prices", ProductParams{Name: "Thing", Prices: append(fixed, fixed...)}, []string{"[body prices]"}},
		{"bad price", ProductParams{Name: "Thing", Prices: []PriceInput{{AmountType: "fixed", PriceAmount: catPtr[int64](-5)}}}, []string{"[body prices 0 price_amount]"}},
		{"keep price on create", ProductParams{Name: "Thing", Prices: []PriceInput{{ID: NewID()}}}, []string{"[body prices 0 id]"}},
		{"bad interval", ProductParams{Name: "Thing", Prices: fixed, RecurringInterval: catPtr("fortnight")}, []string{"[body recurring_interval]"}},
		{"count too big", ProductParams{Name: "Thing", Prices: fixed, RecurringInterval: catPtr("week"), RecurringIntervalCount: catPtr(1000)}, []string{"[body recurring_interval_count]"}},
		{"count without interval", ProductParams{Name: "Thing", Prices: fixed, RecurringIntervalCount: catPtr(2)}, []string{"[body recurring_interval_count]"}},
		{"bad metadata", ProductParams{Name: "Thing", Prices: fixed, Metadata: map[string]any{"k": ""}}, []string{"[body metadata k]"}},
		{"duplicate field", ProductParams{Name: "Thing", Prices: fixed, CustomFields: []FieldAttachment{{CustomFieldID: fid}, {CustomFieldID: fid}}}, []string{"[body attached_custom_fields 1 custom_field_id]"}},
		{"field not a uuid", ProductParams{Name: "Thing", Prices: fixed, CustomFields: []FieldAttachment{{CustomFieldID: "x"}}}, []string{"[body attached_custom_fields 0 custom_field_id]"}},
		{"several at once", ProductParams{Name: "", Prices: nil}, []string{"[body name]", "[body prices]"}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewProduct("org", c.in)
			if locs := catLocs(t, err); !reflect.DeepEqual(locs, c.locs) {
				t.Fatalf("locations %v, want %v", locs, c.locs)
			}
		})
	}
}

func TestProductPatch(t *testing.T) {
	live := &Price{ID: NewID(), AmountType: PriceFixed, Currency: "usd", PriceAmount: 1000}
	old := &Price{ID: NewID(), AmountType: PriceFixed, Currency: "usd", PriceAmount: 500, IsArchived: true}
	p := &Product{ID: NewID(), Name: "Monthly", Description: catPtr("d"), RecurringInterval: catPtr("month"), RecurringIntervalCount: catPtr(1),
		Prices: []*Price{live, old}, Metadata: Metadata{"a": int64(1)}}

	got, err := ProductPatch{Name: catPtr("Monthly v2"), SetDescription: true, IsArchived: catPtr(true),
		SetRecurringInterval: true, RecurringInterval: catPtr("month"), RecurringIntervalCount: catPtr(1),
		Prices: []PriceInput{{ID: live.ID}}, CustomFields: []FieldAttachment{}}.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Monthly v2" || got.Description != nil || !got.IsArchived || len(got.Prices) != 1 || got.Prices[0] != live ||
		got.CustomFields == nil || len(got.CustomFields) != 0 || got.Metadata["a"] != int64(1) {
		t.Fatalf("patched: %+v", got)
	}
	if p.Name != "Monthly" || p.Description == nil || p.IsArchived || len(p.Prices) != 2 {
		t.Fatalf("Apply modified its input: %+v", p)
	}
	got, err = ProductPatch{Prices: []PriceInput{{AmountType: "custom"}}}.Apply(p)
	if err != nil || got.Prices[0].ID != "" || got.Prices[0].AmountType != PriceCustom || got.Description == nil {
		t.Fatalf("new price: %+v %v", got, err)
	}
	bad := []struct {
		name string
		pt   ProductPatch
		loc  string
	}{
		{"archived price kept", ProductPatch{Prices: []PriceInput{{ID: old.ID}}}, "[body prices 0 id]"},
		{"unknown price kept", ProductPatch{Prices: []PriceInput{{ID: NewID()}}}, "[body prices 0 id]"},
		{"empty prices", ProductPatch{Prices: []PriceInput{}}, "[body prices]"},
		{"interval change", ProductPatch{SetRecurringInterval: true, RecurringInterval: catPtr("year")}, "[body recurring_interval]"},
		{"to one-time", ProductPatch{SetRecurringInterval: true}, "[body recurring_interval]"},
		{"count change", ProductPatch{RecurringIntervalCount: catPtr(3)}, "[body recurring_interval_count]"},
		{"bad name", ProductPatch{Name: catPtr("  x ")}, "[body name]"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.pt.Apply(p)
			if locs := catLocs(t, err); len(locs) != 1 || locs[0] != c.loc {
				t.Fatalf("locations %v, want [%s]", locs, c.loc)
			}
		})
	}
}

func TestCurrencies(t *testing.T) {
	if !IsPresentmentCurrency("usd") || IsPresentmentCurrency("USD") || IsPresentmentCurrency("xxx") {
		t.Fatal("IsPresentmentCurrency")
	}
	for c, want := range map[string]int64{"usd": 50, "jpy": 80, "idr": 900000, "gbp": 40, "nope": 50} {
		if got := CurrencyMinimumAmount(c); got != want {
			t.Errorf("CurrencyMinimumAmount(%s) = %d, want %d", c, got, want)
		}
	}
	if len(currencyMinimum) != 126 {
		t.Errorf("%d presentment currencies, want Polar's 126", len(currencyMinimum))
	}
}
