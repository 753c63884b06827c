package paylink

import (
	"fmt"
	"strings"
)

// Currencies whose minor unit is not a hundredth (Stripe's lists at
// https://docs.stripe.com/currencies#zero-decimal and #three-decimal).
var (
	zeroDecimal = map[string]bool{
		"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true, "kmf": true,
		"krw": true, "mga": true, "pyg": true, "rwf": true, "ugx": true, "vnd": true,
		"vuv": true, "xaf": true, "xof": true, "xpf": true,
	}
	threeDecimal = map[string]bool{"bhd": true, "jod": true, "kwd": true, "omr": true, "tnd": true}
)

// CurrencyDecimals returns how many decimal digits the currency's minor unit has:
// 0 for zero-decimal currencies such as JPY, 3 for BHD, JOD, KWD, OMR and TND, else 2.
func CurrencyDecimals(currency string) int {
	c := strings.ToLower(currency)
	switch {
	case zeroDecimal[c]:
		return 0
	case threeDecimal[c]:
		return 3
	}
	return 2
}

// FormatAmount renders minor units as a plain decimal with the upper-case currency
// code, e.g. "12.50 USD" or "500 JPY". It is for messages, not for locale display.
func FormatAmount(amount int64, currency string) string {
	code := strings.ToUpper(currency)
	d := CurrencyDecimals(currency)
	if d == 0 {
		return fmt.Sprintf("%d %s", amount, code)
	}
	sign, u := "", uint64(amount)
	if amount < 0 {
		sign, u = "-", uint64(-amount) // two's complement keeps MinInt64 exact
	}
	scale := uint64(1)
	for range d {
		scale *= 10
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, u/scale, d, u%scale, code)
}

// AmountChoosable reports whether the customer chooses the amount of a price:
// only a custom (pay-what-you-want) price takes one. For a fixed or free price an
// amount sent by anyone (checkout create, update, confirm, a link's prefill) is
// ignored, as Polar ignores it ("only useful for custom prices").
func AmountChoosable(pr *Price) bool { return pr != nil && pr.AmountType == PriceCustom }

// ValidateCustomAmount checks an amount a customer chose for a price. For a custom
// (pay-what-you-want) price the amount must be ≥ the price minimum, ≥ the currency's
// minimum charge (CurrencyMinimumAmount) when positive, ≤ the price maximum and
// ≤ MaxAmount (both in catalog_rules.go, shared with price validation); 0 is accepted
// only when the minimum is 0. For a fixed or free price the only valid amount is
// DefaultAmount. The error is an EInvalid *Error located at {"body","amount"}.
func ValidateCustomAmount(pr *Price, amount int64) error {
	msg := customAmountProblem(pr, amount)
	if msg == "" {
		return nil
	}
	return Invalid(FieldInvalid(msg, amount, "body", "amount"))
}

func customAmountProblem(pr *Price, amount int64) string {
	if pr == nil {
		return "no price is selected"
	}
	if !AmountChoosable(pr) {
		if amount != DefaultAmount(pr) {
			return "the amount can only be chosen for a pay-what-you-want price"
		}
		return ""
	}
	switch {
	case amount < 0:
		return "the amount must not be negative"
	case amount < pr.MinimumAmount:
		return "the amount must be at least " + FormatAmount(pr.MinimumAmount, pr.Currency)
	case amount > 0 && amount < CurrencyMinimumAmount(pr.Currency):
		floor := FormatAmount(CurrencyMinimumAmount(pr.Currency), pr.Currency)
		if pr.MinimumAmount == 0 {
			return "the amount must be 0 or at least " + floor
		}
		return "the amount must be at least " + floor
	case pr.MaximumAmount != nil && amount > *pr.MaximumAmount:
		return "the amount must be at most " + FormatAmount(*pr.MaximumAmount, pr.Currency)
	case amount > MaxAmount:
		return "the amount must be at most " + FormatAmount(MaxAmount, pr.Currency)
	}
	return ""
}

// DefaultAmount is the amount a checkout starts with for a price: the fixed amount,
// the custom price's preset (else its minimum), or 0 for a free price or nil.
func DefaultAmount(pr *Price) int64 {
	if pr == nil {
		return 0
	}
	switch pr.AmountType {
	case PriceFixed:
		return pr.PriceAmount
	case PriceCustom:
		if pr.PresetAmount != nil {
			return *pr.PresetAmount
		}
		return pr.MinimumAmount
	}
	return 0
}

// Totals computes a checkout's money from its amount before discount. There is no
// tax, so total equals net. A nil discount, or one that does not apply to the
// currency, gives no reduction; the discount never exceeds the amount.
func Totals(amount int64, currency string, d *Discount) (discountAmount, net, total int64) {
	if d != nil {
		if a, ok := d.AmountFor(amount, currency); ok {
			discountAmount = a
		}
	}
	net = amount - discountAmount
	return discountAmount, net, net
}
