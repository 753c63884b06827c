package paylink

import (
	"errors"
	"strings"
	"time"
)

// The rules of a session, one copy for the flows, the API and the page; each
// takes the time from its caller's clock.

// ErrCheckoutNotOpen is the answer to a change of a session that is no longer
// open: confirmed, succeeded or failed (SPEC §5, Polar's NotOpenCheckout: 403).
var ErrCheckoutNotOpen = &Error{Code: EForbidden, Name: "NotOpenCheckout", Message: "This checkout is not open any more."}

// ErrCheckoutExpired is the answer for a session past its expiry (410).
var ErrCheckoutExpired = &Error{Code: EGone, Name: "ExpiredCheckoutError", Message: "This checkout has expired. Start again from the link."}

// CheckoutSecretFormat reports whether s can be a session's client secret
// (NewCheckoutSecret): a malformed one is answered exactly like an unknown one,
// without a database read.
func CheckoutSecretFormat(s string) bool {
	return strings.HasPrefix(s, PrefixCheckoutSecret) && len(s) <= 100
}

// Expired reports whether the session can no longer be paid because of time:
// it expired, or it is still open past its expiry (before the sweep marked it).
// A session being paid or paid is not expired: its outcome stands.
func (c *Checkout) Expired(now time.Time) bool {
	return c.Status == CheckoutExpired || c.Status == CheckoutOpen && !now.Before(c.ExpiresAt)
}

// CanChange says whether the session may still change (an update or a confirm):
// nil while open, ErrCheckoutExpired once expired, ErrCheckoutNotOpen once it is
// being paid, paid or failed.
func (c *Checkout) CanChange(now time.Time) error {
	switch {
	case c.Expired(now):
		return ErrCheckoutExpired
	case c.Status != CheckoutOpen:
		return ErrCheckoutNotOpen
	}
	return nil
}

// Price returns the price the session was opened with (or last moved to), which
// may since have been archived by a change of the product's prices; nil when the
// product is gone.
func (v *CheckoutView) Price() *Price {
	if p := v.Product(); p != nil {
		for _, pr := range p.Prices {
			if pr.ID == v.Checkout.PriceID {
				return pr
			}
		}
	}
	return nil
}

// PriceCurrent reports whether the session's price is still its product's live
// price. When it is not, the merchant changed the price after the customer saw
// the total: confirm refuses to charge until the customer has seen the new one.
func (v *CheckoutView) PriceCurrent() bool {
	p := v.Product()
	return p != nil && p.Price() != nil && p.Price().ID == v.Checkout.PriceID
}

// Missing lists what a confirm needs and the session does not have yet (SPEC
// §5), each at its body field as the API reports it: an email, the selected
// product's required custom fields and, when paymentForm (a payment method is
// taken), the billing address. The payment method itself is the caller's input,
// not the session's, and is checked by the caller.
func (v *CheckoutView) Missing(paymentForm bool) Problems {
	c := v.Checkout
	var probs Problems
	if c.CustomerEmail == nil {
		probs = append(probs, FieldError{Loc: []any{"body", "customer_email"}, Msg: "enter your email address", Type: "missing"})
	}
	if p := v.Product(); p != nil {
		if _, err := ValidateCustomFieldData(p.CustomFields, c.CustomFieldData, true); err != nil {
			var e *Error
			if errors.As(err, &e) {
				probs = append(probs, e.Fields...)
			}
		}
	}
	if paymentForm && c.BillingCountry == nil {
		// paylink's billing address is its country: without one the whole address
		// is missing, and Polar reports the object and its required field both.
		probs = append(probs,
			FieldError{Loc: []any{"body", "customer_billing_address", "country"}, Msg: "choose your billing country", Type: "missing"},
			FieldError{Loc: []any{"body", "customer_billing_address"}, Msg: "Field is required.", Type: "missing"})
	}
	return probs
}
