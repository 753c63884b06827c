package payment

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stripe/stripe-go/v82"
)

// resultOf reads a PaymentIntent after a confirmation: succeeded is paid,
// requires_action waits for the customer on the page, processing waits for
// Stripe, and requires_payment_method or canceled is a decline.
func resultOf(pi *stripe.PaymentIntent) (*Result, error) {
	r := &Result{Ref: pi.ID}
	switch pi.Status {
	case stripe.PaymentIntentStatusSucceeded:
		r.Succeeded = true
		if r.PaymentMethodRef = savedMethodRef(pi); r.PaymentMethodRef != "" {
			r.Card = cardOf(pi.PaymentMethod)
		}
	case stripe.PaymentIntentStatusRequiresAction:
		r.RequiresAction, r.ClientSecret = true, pi.ClientSecret
		r.Message = "Your bank asks you to confirm this payment."
	case stripe.PaymentIntentStatusProcessing, stripe.PaymentIntentStatusRequiresCapture:
		r.Pending = true
		r.Message = "Your payment is being processed."
	case stripe.PaymentIntentStatusRequiresPaymentMethod, stripe.PaymentIntentStatusCanceled:
		r.decline("payment_failed", "The payment was not completed. Try another payment method.", pi.LastPaymentError)
	default:
		return nil, fmt.Errorf("stripe: payment intent %s has the unexpected status %q after confirmation", pi.ID, pi.Status)
	}
	return r, nil
}

// savedMethodRef is "cus_…/pm_…" when the intent saved its payment method for
// off-session use (what ChargeSaved takes), else "".
func savedMethodRef(pi *stripe.PaymentIntent) string {
	if pi.SetupFutureUsage != stripe.PaymentIntentSetupFutureUsageOffSession || pi.PaymentMethod == nil ||
		pi.PaymentMethod.ID == "" {
		return ""
	}
	if pi.Customer == nil || pi.Customer.ID == "" {
		return pi.PaymentMethod.ID
	}
	return pi.Customer.ID + "/" + pi.PaymentMethod.ID
}

// expandMethod is what every call that reads an intent expands: its payment
// method, whose card (brand, last four digits, expiry) resultOf and
// setupResultOf keep with a saved method.
const expandMethod = "payment_method"

// cardOf is a payment method's card; zero when the method was not expanded
// (an event's intent names it by id only) or is no card.
func cardOf(pm *stripe.PaymentMethod) Card {
	if pm == nil || pm.Card == nil {
		return Card{}
	}
	return Card{Brand: string(pm.Card.Brand), Last4: pm.Card.Last4, ExpMonth: int(pm.Card.ExpMonth),
		ExpYear: int(pm.Card.ExpYear)}
}

// errorResult sorts a Stripe API error: a card error (or an unusable
// confirmation token, which the customer fixes by entering the card again) is a
// declined Result with Stripe's customer-facing message; anything else is an
// error without payment method details.
func errorResult(err error) (*Result, error) {
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.Type == stripe.ErrorTypeCard:
			r := &Result{DeclineCode: declineCode(se), Message: se.Msg}
			if r.DeclineCode == "" {
				r.DeclineCode = "card_declined"
			}
			if r.Message == "" {
				r.Message = "Your card was declined."
			}
			if se.PaymentIntent != nil {
				r.Ref = se.PaymentIntent.ID
			} else if se.SetupIntent != nil {
				r.Ref = se.SetupIntent.ID
			}
			return r, nil
		case se.Type == stripe.ErrorTypeInvalidRequest && se.Param == "confirmation_token":
			return &Result{DeclineCode: "invalid_confirmation_token",
				Message: "Your payment details could not be used. Enter them again."}, nil
		}
	}
	return nil, stripeError(err)
}

// stripeError shortens a stripe-go error to its type, code, status, message and
// request id: stripe.Error's own text is its whole JSON, which may embed the
// payment method (brand, last four digits, expiry) and must not reach a log.
func stripeError(err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripe: %w", err)
	}
	parts := []string{"stripe: " + string(se.Type)}
	if se.Code != "" {
		parts = append(parts, "code="+string(se.Code))
	}
	if se.HTTPStatusCode != 0 {
		parts = append(parts, fmt.Sprintf("status=%d", se.HTTPStatusCode))
	}
	if se.Param != "" {
		parts = append(parts, "param="+se.Param)
	}
	if se.RequestID != "" {
		parts = append(parts, "request_id="+se.RequestID)
	}
	msg := strings.Join(parts, " ")
	if se.Msg != "" {
		msg += ": " + se.Msg
	}
	return errors.New(msg)
}

// declineCode is the most specific code of a payment error: the issuer's
// decline code (insufficient_funds…) before Stripe's error code (card_declined…).
func declineCode(e *stripe.Error) string {
	if e.DeclineCode != "" {
		return string(e.DeclineCode)
	}
	return string(e.Code)
}

// decline makes r a decline with code and msg, or with Stripe's own code and
// message when the intent carries its last error e.
func (r *Result) decline(code, msg string, e *stripe.Error) {
	r.DeclineCode, r.Message = code, msg
	if e == nil {
		return
	}
	if c := declineCode(e); c != "" {
		r.DeclineCode = c
	}
	if e.Msg != "" {
		r.Message = e.Msg
	}
}
