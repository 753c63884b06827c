package paylink

import "testing"

// FuzzPriceValidation feeds arbitrary price input to ValidatePrice: it must never
// panic, and every price it accepts must satisfy the catalog's invariants.
func FuzzPriceValidation(f *testing.F) {
	f.Add("fixed", "usd", int64(1000), int64(0), int64(0), int64(0), uint8(0))
	f.Add("free", "", int64(0), int64(0), int64(0), int64(0), uint8(0))
	f.Add("custom", "eur", int64(0), int64(0), int64(5000), int64(100), uint8(7))
	f.Add("custom", "jpy", int64(0), int64(80), int64(MaxAmount), int64(80), uint8(7))
	f.Add("custom", "usd", int64(0), int64(-1), int64(-1), int64(-1), uint8(7))
	f.Add("metered_unit", "usd", int64(1), int64(1), int64(1), int64(1), uint8(0))
	f.Add("fixed", "USD", int64(-1)<<63, int64(0), int64(0), int64(0), uint8(1))
	f.Fuzz(func(t *testing.T, typ, cur string, amount, min, max, preset int64, set uint8) {
		in := PriceInput{AmountType: typ, Currency: cur}
		if set&1 != 0 || typ == PriceFixed && set&8 == 0 {
			in.PriceAmount = &amount
		}
		if set&2 != 0 {
			in.MinimumAmount = &min
		}
		if set&4 != 0 {
			in.MaximumAmount = &max
		}
		if set&16 == 0 {
			in.PresetAmount = &preset
		}
		pr, err := ValidatePrice(in, "body", "prices", 0)
		if err != nil {
			if pr != nil || !IsCode(err, EInvalid) {
				t.Fatalf("rejection must be EInvalid with no price: %v %+v", err, pr)
			}
			return
		}
		checkPriceInvariants(t, pr)
	})
}

func checkPriceInvariants(t *testing.T, pr *Price) {
	t.Helper()
	floor := CurrencyMinimumAmount(pr.Currency)
	okAmount := func(name string, v int64, allowZero bool) {
		if v < 0 || v > MaxAmount || (v == 0 && !allowZero) || (v > 0 && v < floor) {
			t.Fatalf("accepted %s = %d (floor %d): %+v", name, v, floor, pr)
		}
	}
	if !IsPresentmentCurrency(pr.Currency) {
		t.Fatalf("accepted currency %q", pr.Currency)
	}
	switch pr.AmountType {
	case PriceFixed:
		okAmount("price_amount", pr.PriceAmount, true)
		if pr.MinimumAmount != 0 || pr.MaximumAmount != nil || pr.PresetAmount != nil {
			t.Fatalf("fixed price carries custom amounts: %+v", pr)
		}
	case PriceCustom:
		okAmount("minimum_amount", pr.MinimumAmount, true)
		if pr.PriceAmount != 0 {
			t.Fatalf("custom price carries price_amount: %+v", pr)
		}
		if m := pr.MaximumAmount; m != nil {
			okAmount("maximum_amount", *m, false)
			if *m < pr.MinimumAmount {
				t.Fatalf("maximum below minimum: %+v", pr)
			}
		}
		if s := pr.PresetAmount; s != nil {
			okAmount("preset_amount", *s, true)
			if *s < pr.MinimumAmount || (pr.MaximumAmount != nil && *s > *pr.MaximumAmount) {
				t.Fatalf("preset out of bounds: %+v", pr)
			}
		}
	default:
		t.Fatalf("accepted amount type %q", pr.AmountType)
	}
}
