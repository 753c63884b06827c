package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/paylink/paylink"
)

// DisplayMoney renders minor units for people: paylink.DisplayMoney, which the
// emails share.
func DisplayMoney(amount int64, currency string) string {
	return paylink.DisplayMoney(amount, currency)
}

// DecimalAmount renders minor units as the plain number a customer types back
// into the Amount field: "5.00", "1250.00", "500" (zero-decimal currencies).
func DecimalAmount(amount int64, currency string) string {
	d := paylink.CurrencyDecimals(currency)
	s := strconv.FormatInt(amount, 10)
	if d == 0 {
		return s
	}
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	return s[:len(s)-d] + "." + s[len(s)-d:]
}

// errAmountFormat is parseAmount's error for anything that is not a plain amount.
var errAmountFormat = errors.New("enter an amount in numbers")

// ParseAmount reads what a customer typed in the Amount field ("5", "5.5",
// "$1,250.00") as minor units of currency. It accepts at most the currency's
// decimals and at most 12 integer digits; anything else is errAmountFormat.
func ParseAmount(s, currency string) (int64, error) {
	s = strings.TrimSpace(s)
	if sym, ok := paylink.CurrencySymbol(currency); ok {
		s = strings.TrimPrefix(s, sym)
	}
	s = strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(s), strings.ToUpper(currency)))
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, hasDot := strings.Cut(s, ".")
	d := paylink.CurrencyDecimals(currency)
	if whole == "" && frac == "" || len(whole) > 12 || len(frac) > d || hasDot && d == 0 || !AllDigits(whole) || !AllDigits(frac) {
		return 0, errAmountFormat
	}
	frac += strings.Repeat("0", d-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, errAmountFormat
	}
	return n, nil
}

// AllDigits reports whether s holds only ASCII digits ("" does).
func AllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// IntervalLabel says how often a recurring product bills: "month", "3 months";
// "" for one-time products.
func IntervalLabel(p *paylink.Product) string {
	if p == nil || p.RecurringInterval == nil {
		return ""
	}
	n := 1
	if p.RecurringIntervalCount != nil {
		n = *p.RecurringIntervalCount
	}
	return paylink.IntervalText(*p.RecurringInterval, n)
}

// PriceLabel describes a product's price in the product list: "$29.00",
// "$9.00 / month", "Pay what you want (from $2.00)", "Free".
func PriceLabel(p *paylink.Product) string {
	pr := p.Price()
	if pr == nil {
		return "Unavailable"
	}
	var s string
	switch {
	case pr.AmountType == paylink.PriceCustom && pr.MinimumAmount > 0:
		s = "Pay what you want, from " + DisplayMoney(pr.MinimumAmount, pr.Currency)
	case pr.AmountType == paylink.PriceCustom:
		s = "Pay what you want"
	case pr.AmountType == paylink.PriceFree || pr.PriceAmount == 0:
		s = "Free"
	default:
		s = DisplayMoney(pr.PriceAmount, pr.Currency)
	}
	if iv := IntervalLabel(p); iv != "" {
		s += " / " + iv
	}
	return s
}
