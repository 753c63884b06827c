package paylink

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Catalog limits. Names follow Polar (3–64 characters once trimmed); amounts are
// minor units and never exceed MaxAmount, whatever the currency.
const (
	ProductNameMinLen = 3
	ProductNameMaxLen = 64
	IntervalCountMax  = 999
	MaxAmount         = 99_999_999
	DefaultCurrency   = "usd"
)

// Price kinds Polar has that paylink does not sell; asking for them is a clear 422.
var unsupportedPriceTypes = map[string]string{
	"metered_unit": "metered (usage-based) prices are not supported",
	"seat_based":   "seat-based prices are not supported",
}

// currencyMinimum is the smallest positive amount, in minor units, that can be
// charged in each presentment currency (Polar's list; zero-decimal currencies as
// Stripe counts them). A currency is supported exactly when it is a key here.
var currencyMinimum = map[string]int64{
	"usd": 50, "aed": 200, "all": 5000, "amd": 20000, "aoa": 50000, "ars": 75000, "aud": 70, "awg": 100,
	"azn": 100, "bam": 100, "bbd": 200, "bdt": 7000, "bif": 2000, "bmd": 100, "bnd": 100, "bob": 500,
	"brl": 250, "bsd": 100, "bwp": 1000, "bzd": 200, "cad": 70, "cdf": 200000, "chf": 50, "clp": 500,
	"cny": 500, "cop": 200000, "crc": 30000, "cve": 5000, "czk": 1500, "djf": 100, "dkk": 320,
	"dop": 4000, "dzd": 7000, "egp": 3000, "etb": 8000, "eur": 50, "fjd": 200, "fkp": 100, "gbp": 40,
	"gel": 200, "gnf": 5000, "gip": 100, "gmd": 4000, "gtq": 500, "gyd": 20000, "hkd": 400, "hnl": 2000,
	"htg": 7000, "huf": 17500, "idr": 900000, "ils": 150, "inr": 6000, "isk": 7000, "jmd": 8000,
	"jpy": 80, "kes": 7000, "kgs": 5000, "khr": 300000, "kmf": 500, "krw": 800, "kyd": 100,
	"kzt": 30000, "lak": 2000000, "lkr": 20000, "lrd": 10000, "lsl": 1000, "mad": 500, "mdl": 1000,
	"mga": 3000, "mkd": 5000, "mnt": 200000, "mop": 500, "mur": 5000, "mvr": 800, "mxn": 900,
	"mwk": 100000, "myr": 200, "mzn": 5000, "nad": 1000, "ngn": 70000, "nio": 2000, "nok": 500,
	"npr": 8000, "nzd": 90, "pab": 100, "pen": 200, "pgk": 300, "php": 3500, "pkr": 20000, "pln": 200,
	"pyg": 4000, "qar": 200, "ron": 250, "rsd": 6000, "rwf": 1000, "sar": 200, "sbd": 400, "scr": 800,
	"sek": 500, "sgd": 70, "shp": 100, "sos": 50000, "srd": 2000, "szl": 1000, "thb": 2000, "tjs": 500,
	"top": 200, "try": 3000, "ttd": 400, "twd": 2000, "tzs": 200000, "uah": 3000, "ugx": 2000,
	"uyu": 2000, "uzs": 700000, "vnd": 20000, "vuv": 100, "wst": 200, "xaf": 500, "xcd": 200,
	"xcg": 100, "xof": 500, "xpf": 100, "yer": 20000, "zar": 900, "zmw": 1000,
}

// IsPresentmentCurrency reports whether c is a lower-case ISO 4217 code paylink
// can price and charge in.
func IsPresentmentCurrency(c string) bool { _, ok := currencyMinimum[c]; return ok }

// CurrencyMinimumAmount is the smallest positive amount, in minor units, that can
// be charged in currency c (a payment processor's floor); 50 for unknown codes.
func CurrencyMinimumAmount(c string) int64 {
	if m, ok := currencyMinimum[c]; ok {
		return m
	}
	return 50
}

// PriceInput is one price of a product request before validation. ID set means
// "keep this existing price" (product updates only) and every other field is ignored.
type PriceInput struct {
	ID            string
	AmountType    string // fixed | custom | free
	Currency      string // "" means DefaultCurrency
	PriceAmount   *int64 // fixed
	MinimumAmount *int64 // custom; nil means the currency's minimum
	MaximumAmount *int64 // custom
	PresetAmount  *int64 // custom
}

// ValidatePrice checks one new price and returns it. A free price is stored as a
// fixed price of 0, the form Polar's API reports it in. Every field error is
// located under loc. Accepted prices satisfy: a supported currency; 0 ≤ every
// amount ≤ MaxAmount; every positive amount ≥ the currency's minimum; for custom
// prices minimum ≤ preset ≤ maximum where set.
func ValidatePrice(in PriceInput, loc ...any) (*Price, error) {
	at := func(field string) []any { return append(append([]any{}, loc...), field) }
	var p Problems
	cur := in.Currency
	if cur == "" {
		cur = DefaultCurrency
	}
	if !IsPresentmentCurrency(cur) {
		p.Add("must be a supported lower-case ISO 4217 currency code, e.g. usd", in.Currency, at("price_currency")...)
		cur = DefaultCurrency // keep checking amounts against a sane floor
	}
	pr := &Price{AmountType: in.AmountType, Currency: cur}
	amount := func(field string, v int64, allowZero bool) {
		floor := CurrencyMinimumAmount(cur)
		switch {
		case v < 0:
			p.Add("must be greater than or equal to 0", v, at(field)...)
		case v < floor && allowZero && v != 0:
			p.Add("must be 0 or at least "+FormatAmount(floor, cur)+", the smallest charge in this currency", v, at(field)...)
		case v < floor && !allowZero:
			p.Add("must be at least "+FormatAmount(floor, cur)+", the smallest charge in this currency", v, at(field)...)
		case v > MaxAmount:
			p.Add("must be at most "+FormatAmount(MaxAmount, cur), v, at(field)...)
		}
	}
	switch in.AmountType {
	case PriceFree:
		pr.AmountType = PriceFixed
	case PriceFixed:
		if in.PriceAmount == nil {
			p = append(p, FieldError{Loc: at("price_amount"), Msg: "Field required", Type: "missing"})
			break
		}
		pr.PriceAmount = *in.PriceAmount
		amount("price_amount", pr.PriceAmount, true)
	case PriceCustom:
		pr.MinimumAmount = CurrencyMinimumAmount(cur)
		if in.MinimumAmount != nil {
			pr.MinimumAmount = *in.MinimumAmount
		}
		amount("minimum_amount", pr.MinimumAmount, true)
		pr.MaximumAmount, pr.PresetAmount = copyInt64(in.MaximumAmount), copyInt64(in.PresetAmount)
		if m := pr.MaximumAmount; m != nil {
			amount("maximum_amount", *m, false)
			if *m < pr.MinimumAmount {
				p.Add("must be greater than or equal to minimum_amount", *m, at("maximum_amount")...)
			}
		}
		if s := pr.PresetAmount; s != nil {
			amount("preset_amount", *s, true)
			if *s < pr.MinimumAmount || (pr.MaximumAmount != nil && *s > *pr.MaximumAmount) {
				p.Add("must be between minimum_amount and maximum_amount", *s, at("preset_amount")...)
			}
		}
	default:
		msg := "must be one of fixed, custom or free"
		if m, ok := unsupportedPriceTypes[in.AmountType]; ok {
			msg = m
		}
		p.Add(msg, in.AmountType, at("amount_type")...)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return pr, nil
}

// ValidateInterval checks a recurring interval and count (count nil means 1).
func ValidateInterval(interval string, count *int, loc ...any) (int, error) {
	var p Problems
	switch interval {
	case IntervalDay, IntervalWeek, IntervalMonth, IntervalYear:
	default:
		p.Add("must be one of day, week, month or year", interval, append(append([]any{}, loc...), "recurring_interval")...)
	}
	n := 1
	if count != nil {
		n = *count
	}
	if n < 1 || n > IntervalCountMax {
		p.Add(fmt.Sprintf("must be from 1 to %d", IntervalCountMax), n, append(append([]any{}, loc...), "recurring_interval_count")...)
	}
	return n, p.Err()
}

// validateProductName trims a product name and checks its length.
func validateProductName(name string, p *Problems) string {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < ProductNameMinLen || n > ProductNameMaxLen {
		p.Add(fmt.Sprintf("must be %d to %d characters", ProductNameMinLen, ProductNameMaxLen), name, "body", "name")
	}
	return name
}

// cleanDescription turns a blank description into none, as Polar does.
func cleanDescription(d *string) *string {
	if d == nil || strings.TrimSpace(*d) == "" {
		return nil
	}
	s := *d
	return &s
}

func copyInt64(v *int64) *int64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
