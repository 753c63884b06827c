package paylink

import (
	"testing"
	"unicode/utf8"
)

// FuzzNewDiscount feeds arbitrary strings and numbers to the rules: they never
// panic, and whatever they accept keeps every invariant the store relies on.
func FuzzNewDiscount(f *testing.F) {
	f.Add("Ten", "percentage", "once", 1000, int64(0), "", "SAVE10", "2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", 0)
	f.Add("Five", "fixed", "repeating", 0, int64(500), "eur", "", "", "2030-01-01T00:00:00+02:00", 3)
	f.Add("", "fixed", "forever", 5, int64(-1), "USD", "a b", "x", "y", -1)
	f.Fuzz(func(t *testing.T, name, typ, duration string, bp int, amount int64, currency, code, starts, ends string, months int) {
		in := DiscountInput{Name: &name, Type: &typ, Duration: &duration}
		for _, o := range []struct {
			v   string
			dst **string
		}{{code, &in.Code}, {starts, &in.StartsAt}, {ends, &in.EndsAt}} {
			if o.v != "" {
				v := o.v
				*o.dst = &v
			}
		}
		if bp != 0 {
			in.BasisPoints = &bp
		}
		if amount != 0 {
			in.Amount = &amount
		}
		if currency != "" {
			in.Currency = &currency
		}
		if months != 0 {
			in.DurationInMonths = &months
		}
		d, err := NewDiscount(in)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != EInvalid || len(e.Fields) == 0 {
				t.Fatalf("want EInvalid with fields, got %v", err)
			}
			return
		}
		if n := utf8.RuneCountInString(d.Name); n < 1 || n > DiscountNameMaxLen || d.Code != nil && !ValidDiscountCode(*d.Code) {
			t.Fatalf("accepted name %q code %v", d.Name, d.Code)
		}
		switch d.Type {
		case DiscountPercentage:
			if d.BasisPoints < 1 || d.BasisPoints > DiscountMaxBasisPoints || d.Amount != 0 {
				t.Fatalf("accepted percentage %+v", d)
			}
		case DiscountFixed:
			if d.Amount < 1 || d.Amount > MaxAmount || !IsPresentmentCurrency(d.Currency) || d.BasisPoints != 0 {
				t.Fatalf("accepted fixed %+v", d)
			}
		default:
			t.Fatalf("accepted type %q", d.Type)
		}
		if (d.Duration == DurationRepeating) != (d.DurationInMonths != nil) ||
			d.StartsAt != nil && d.EndsAt != nil && !d.StartsAt.Before(*d.EndsAt) {
			t.Fatalf("accepted duration or dates %+v", d)
		}
	})
}
