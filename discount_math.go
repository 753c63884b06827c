package paylink

import (
	"slices"
	"strings"
	"time"
)

// AmountFor returns how much the discount takes off subtotal (minor units of
// currency) and whether it applies to that currency at all. A fixed discount gives
// min(Amount, subtotal) and applies only in its own currency; a percentage discount
// gives BasisPoints/10000 of subtotal, rounded half away from zero, in integer maths.
// The result is never negative and never exceeds subtotal.
func (d *Discount) AmountFor(subtotal int64, currency string) (int64, bool) {
	if d == nil {
		return 0, false
	}
	switch d.Type {
	case DiscountFixed:
		if !strings.EqualFold(d.Currency, currency) {
			return 0, false
		}
		return max(0, min(d.Amount, subtotal)), true
	case DiscountPercentage:
		return basisPointsOf(subtotal, d.BasisPoints), true
	}
	return 0, false
}

// basisPointsOf returns round(v·bp/10000) for v ≥ 0, bp clamped to 0–10000, halves
// rounded up (away from zero). v is split so that no product can overflow int64.
func basisPointsOf(v int64, bp int) int64 {
	if v <= 0 || bp <= 0 {
		return 0
	}
	b := int64(min(bp, 10_000))
	whole, rest := v/10_000, v%10_000
	return whole*b + (2*rest*b+10_000)/20_000
}

// Applies reports whether the discount can be used for product p at time now, and
// when it cannot, a short human reason (for logs and for the customer):
// not started, ended, redemption limit reached, not valid for the product, the
// product is free, or a fixed discount in another currency than the product's price.
// It does not look at codes or at the link's allow_discount_codes.
func (d *Discount) Applies(p *Product, now time.Time) (bool, string) {
	switch {
	case d == nil:
		return false, "no discount"
	case p == nil:
		return false, "no product"
	case d.StartsAt != nil && now.Before(*d.StartsAt):
		return false, "the discount has not started yet"
	case d.EndsAt != nil && !now.Before(*d.EndsAt):
		return false, "the discount has ended"
	case d.MaxRedemptions != nil && d.RedemptionsCount >= *d.MaxRedemptions:
		return false, "the discount has reached its redemption limit"
	case len(d.ProductIDs) > 0 && !slices.Contains(d.ProductIDs, p.ID):
		return false, "the discount is not valid for this product"
	}
	pr := p.Price()
	if pr == nil || pr.AmountType == PriceFree || (pr.AmountType == PriceFixed && pr.PriceAmount == 0) {
		return false, "the product is free"
	}
	if d.Type == DiscountFixed && !strings.EqualFold(d.Currency, pr.Currency) {
		return false, "the discount is not available in " + strings.ToUpper(pr.Currency)
	}
	return true, ""
}

// NormalizeCode returns the form in which a typed or linked discount code is
// looked up: surrounding white space removed, then DiscountCodeKey (codes are
// case-insensitive, SPEC §3).
func NormalizeCode(code string) string {
	return DiscountCodeKey(strings.TrimSpace(code))
}

// SavesLess reports whether d takes less off the amount than cur, the discount
// already applied: a code the customer enters never raises their total, so such
// a code leaves cur in place (the customer is told why). Equal savings replace.
func SavesLess(d, cur *Discount, amount int64, currency string) bool {
	if cur == nil {
		return false
	}
	off, _, _ := Totals(amount, currency, d)
	curOff, _, _ := Totals(amount, currency, cur)
	return off < curOff
}
