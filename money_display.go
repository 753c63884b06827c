package paylink

import (
	"strconv"
	"strings"
)

// currencySymbols are the prefixes customers recognize; other currencies show
// their ISO code ("CHF 12.00").
var currencySymbols = map[string]string{
	"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "inr": "₹", "krw": "₩",
	"cad": "CA$", "aud": "A$", "nzd": "NZ$", "brl": "R$", "mxn": "MX$", "hkd": "HK$", "sgd": "S$",
}

// CurrencySymbol is the symbol customers recognize for currency ("$" for usd),
// and false for a currency shown by its ISO code.
func CurrencySymbol(currency string) (string, bool) {
	s, ok := currencySymbols[strings.ToLower(currency)]
	return s, ok
}

// DisplayMoney renders minor units for people, as the checkout page and the
// emails show them: "$1,234.50", "−$5.80", "¥500", "CHF 12.00".
func DisplayMoney(amount int64, currency string) string {
	c := strings.ToLower(currency)
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign, u = "−", uint64(-amount)
	}
	d := CurrencyDecimals(c)
	scale := uint64(1)
	for range d {
		scale *= 10
	}
	num := groupThousands(strconv.FormatUint(u/scale, 10))
	if d > 0 {
		frac := strconv.FormatUint(u%scale, 10)
		num += "." + strings.Repeat("0", d-len(frac)) + frac
	}
	if s, ok := currencySymbols[c]; ok {
		return sign + s + num
	}
	return sign + strings.ToUpper(c) + "\u00a0" + num
}

// groupThousands puts commas between groups of three digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
