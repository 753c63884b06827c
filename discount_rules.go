package paylink

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Discount limits (SPEC §3).
const (
	DiscountNameMaxLen     = 256
	DiscountMaxBasisPoints = 10000
	DiscountMaxMonths      = 999
	DiscountCodeMinLen     = 3
	DiscountCodeMaxLen     = 256
)

// DiscountInput is a create or update body of the discounts API, decoded but not
// validated. A nil field was absent (or null). Null names the fields sent as an
// explicit null: on update, "code", "starts_at", "ends_at" and "max_redemptions"
// are then cleared; null is the same as absent everywhere else.
type DiscountInput struct {
	Name             *string
	Type             *string
	Duration         *string
	DurationInMonths *int
	BasisPoints      *int
	Amount           *int64
	Currency         *string
	Amounts          map[string]int64 // Polar's {currency: amount}; paylink keeps one currency
	Code             *string
	StartsAt         *string // RFC 3339 with a time zone
	EndsAt           *string
	MaxRedemptions   *int
	Metadata         map[string]any
	ProductIDs       []string // nil: absent; on update, keeps the restriction
	Null             map[string]bool
}

// NewDiscount validates a create body and returns the discount it describes,
// without ID, organization or timestamps. Every problem comes back in one EInvalid
// error, located at its body field.
func NewDiscount(in DiscountInput) (*Discount, error) {
	var p Problems
	d := &Discount{Metadata: Metadata{}}
	if in.Name == nil {
		discountMissing(&p, "name")
	}
	if in.Type == nil {
		discountMissing(&p, "type")
	}
	if in.Duration == nil {
		discountMissing(&p, "duration")
	}
	if in.Type != nil {
		if *in.Type != DiscountPercentage && *in.Type != DiscountFixed {
			p.Add("type must be percentage or fixed", *in.Type, "body", "type")
		} else {
			d.Type = *in.Type
			if d.Type == DiscountFixed {
				d.Currency = DefaultCurrency
			}
		}
	}
	if in.Duration != nil {
		if !discountDurationOK(*in.Duration) {
			p.Add("duration must be once, forever or repeating", *in.Duration, "body", "duration")
		} else {
			d.Duration = *in.Duration
		}
	}
	in.apply(d, &p)
	if len(p) == 0 {
		d.crossCheck(&p)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// ApplyDiscountUpdate returns a copy of old with an update body applied, or an
// EInvalid error. Type and duration never change; once the discount has been
// redeemed, its amount, currency, basis points and months are fixed too.
// Sending a field's current value is always allowed.
func ApplyDiscountUpdate(old *Discount, in DiscountInput) (*Discount, error) {
	var p Problems
	d := *old
	d.Metadata = old.Metadata.Clone()
	d.ProductIDs = append([]string(nil), old.ProductIDs...)
	if in.Type != nil && *in.Type != old.Type {
		p.Add("the type of a discount cannot change", *in.Type, "body", "type")
	}
	if in.Duration != nil && *in.Duration != old.Duration {
		p.Add("the duration of a discount cannot change", *in.Duration, "body", "duration")
	}
	in.apply(&d, &p)
	if old.RedemptionsCount > 0 {
		const msg = "cannot change once the discount has been redeemed"
		if d.BasisPoints != old.BasisPoints {
			p.Add(msg, d.BasisPoints, "body", "basis_points")
		}
		if d.Amount != old.Amount || d.Currency != old.Currency {
			field := "amount"
			if in.Amounts != nil {
				field = "amounts"
			} else if in.Amount == nil {
				field = "currency"
			}
			p.Add(msg, d.Amount, "body", field)
		}
		if !discountSameInt(d.DurationInMonths, old.DurationInMonths) {
			p.Add(msg, in.DurationInMonths, "body", "duration_in_months")
		}
	}
	if len(p) == 0 {
		d.crossCheck(&p)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &d, nil
}

// apply copies the present fields of in onto d, checking each value on its own.
// d.Type and d.Duration must already be set (or be invalid, reported elsewhere).
func (in DiscountInput) apply(d *Discount, p *Problems) {
	if in.Name != nil {
		if n := utf8.RuneCountInString(*in.Name); strings.TrimSpace(*in.Name) == "" || n > DiscountNameMaxLen {
			p.Add(fmt.Sprintf("name must be 1 to %d characters", DiscountNameMaxLen), *in.Name, "body", "name")
		} else {
			d.Name = *in.Name
		}
	}
	in.applyValue(d, p)
	if in.DurationInMonths != nil {
		switch n := *in.DurationInMonths; {
		case d.Duration == "": // invalid, reported already
		case d.Duration != DurationRepeating:
			p.Add("duration_in_months is only for a repeating duration", n, "body", "duration_in_months")
		case n < 1 || n > DiscountMaxMonths:
			p.Add(fmt.Sprintf("duration_in_months must be from 1 to %d", DiscountMaxMonths), n, "body", "duration_in_months")
		default:
			d.DurationInMonths = &n
		}
	}
	if in.Code != nil {
		if !ValidDiscountCode(*in.Code) {
			p.Add(fmt.Sprintf("code must be %d to %d letters or digits", DiscountCodeMinLen, DiscountCodeMaxLen), *in.Code, "body", "code")
		} else {
			c := *in.Code
			d.Code = &c
		}
	} else if in.Null["code"] {
		d.Code = nil
	}
	d.StartsAt = discountTime(d.StartsAt, in.StartsAt, in.Null["starts_at"], "starts_at", p)
	d.EndsAt = discountTime(d.EndsAt, in.EndsAt, in.Null["ends_at"], "ends_at", p)
	if in.MaxRedemptions != nil {
		if n := *in.MaxRedemptions; n < 1 {
			p.Add("max_redemptions must be at least 1", n, "body", "max_redemptions")
		} else {
			d.MaxRedemptions = &n
		}
	} else if in.Null["max_redemptions"] {
		d.MaxRedemptions = nil
	}
	if in.Metadata != nil {
		m, err := ParseMetadata(in.Metadata, "body", "metadata")
		var e *Error
		if errors.As(err, &e) {
			*p = append(*p, e.Fields...)
		} else {
			d.Metadata = m
		}
	}
	if in.ProductIDs != nil {
		d.ProductIDs = discountProductIDs(in.ProductIDs, p)
	}
}

// applyValue applies the fields that carry the discount's value, which depend on
// its type: basis points for a percentage, amount and currency for a fixed amount
// (as amount + currency, or as Polar's amounts map holding one currency).
func (in DiscountInput) applyValue(d *Discount, p *Problems) {
	wrong := func(set bool, field string, v any) {
		if set {
			p.Add(field+" does not apply to a "+d.Type+" discount", v, "body", field)
		}
	}
	switch d.Type {
	case DiscountPercentage:
		wrong(in.Amount != nil, "amount", in.Amount)
		wrong(in.Currency != nil, "currency", in.Currency)
		wrong(in.Amounts != nil, "amounts", in.Amounts)
		if in.BasisPoints != nil {
			if n := *in.BasisPoints; n < 1 || n > DiscountMaxBasisPoints {
				p.Add(fmt.Sprintf("basis_points must be from 1 to %d", DiscountMaxBasisPoints), n, "body", "basis_points")
			} else {
				d.BasisPoints = n
			}
		}
	case DiscountFixed:
		wrong(in.BasisPoints != nil, "basis_points", in.BasisPoints)
		if in.Amounts != nil && (in.Amount != nil || in.Currency != nil || len(in.Amounts) != 1) {
			p.Add("give either amount and currency, or amounts with exactly one currency", in.Amounts, "body", "amounts")
			return
		}
		for cur, amt := range in.Amounts {
			in.Amount, in.Currency = &amt, &cur
		}
		loc := func(field string) []any {
			if in.Amounts != nil {
				return []any{"body", "amounts", *in.Currency}
			}
			return []any{"body", field}
		}
		if in.Currency != nil {
			if !IsPresentmentCurrency(*in.Currency) {
				p.Add("currency must be a supported lower-case ISO 4217 code, like usd", *in.Currency, loc("currency")...)
			} else {
				d.Currency = *in.Currency
			}
		}
		if in.Amount != nil {
			if n := *in.Amount; n < 1 || n > MaxAmount {
				p.Add(fmt.Sprintf("amount must be from 1 to %d", MaxAmount), n, loc("amount")...)
			} else {
				d.Amount = n
			}
		}
	}
}

// crossCheck enforces the rules that span fields, once each field is valid alone.
func (d *Discount) crossCheck(p *Problems) {
	if d.Type == DiscountPercentage && d.BasisPoints == 0 {
		discountMissing(p, "basis_points")
	}
	if d.Type == DiscountFixed && d.Amount == 0 {
		discountMissing(p, "amount")
	}
	if d.Duration == DurationRepeating && d.DurationInMonths == nil {
		discountMissing(p, "duration_in_months")
	}
	if d.StartsAt != nil && d.EndsAt != nil && !d.StartsAt.Before(*d.EndsAt) {
		p.Add("ends_at must be after starts_at", d.EndsAt.Format(time.RFC3339Nano), "body", "ends_at")
	}
}
