package checkoutpage

import (
	"context"
	"net/url"
	"strings"

	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/web"
)

// In Stripe mode the card is typed into Stripe's Payment Element, an iframe of
// js.stripe.com: static/checkout.js turns it into a confirmation token
// (ctoken_…) and posts only that token with the form. No card data reaches
// paylink. Without JavaScript the card cannot be taken, and the page says so.

// stripeForm is what checkout.js gives Stripe.js, as data attributes of the form.
// Elements must be made with the amount, currency and future usage the
// PaymentIntent will have, or Stripe refuses the confirmation token.
type stripeForm struct {
	Key, Script, Currency string
	Total                 int64
	Recurring             bool // the card is kept for renewals (setup_future_usage off_session)
	Setup                 bool // nothing is charged now: Elements in setup mode, a SetupIntent takes the token
	TestCards             bool // Stripe test keys: the page lists Stripe's test cards
}

// pendingPayment is a payment that waits: for the customer's bank (3-D Secure,
// Status "requires_action", finished with ClientSecret by Stripe.js
// handleNextAction) or for Stripe ("processing"). Poll is where checkout.js
// asks how it stands.
type pendingPayment struct {
	Status, ClientSecret, Poll string
	Text, Next                 string // what the page says now, and once the bank's step is done (pendingCopy)
}

// paymentProblem is the problems key of the payment method, whichever form
// takes the card: the sandbox's card number field, or the Payment Element.
const paymentProblem = "card_number"

// needsJavaScript is the problem of a pay without the Payment Element.
const needsJavaScript = "This checkout needs JavaScript to take card payments: turn JavaScript on, or open this page in another browser"

// stripeForm returns the Payment Element's settings of the session.
func (w *Page) stripeForm(st *checkoutState) *stripeForm {
	f := &stripeForm{Key: w.StripePublishableKey, Script: web.StripeJS, Currency: strings.ToLower(st.C.Currency),
		Total: st.C.TotalAmount, TestCards: strings.HasPrefix(w.StripePublishableKey, "pk_test_")}
	if p := st.product(); p != nil {
		f.Recurring = p.IsRecurring()
		f.Setup = checkout.PaymentSetupOnly(st.C, p, st.Discount)
	}
	return f
}

// paymentField is the Payment Element's place on the page, so that its
// problems show like any field's (next to it, and in the error summary).
func paymentField() *checkoutField {
	return &checkoutField{ID: "payment-element", Name: paymentProblem, Label: "Card", Required: true}
}

// stripeToken reads the confirmation token checkout.js posted. Without one,
// payment_element says why: "incomplete" (the card's own problems show in the
// Payment Element), "complete" (the token waits for the other fields), or
// absent (no JavaScript).
func stripeToken(v url.Values, probs fieldProblems) string {
	token := strings.TrimSpace(v.Get("confirmation_token"))
	switch {
	case token != "" && (!strings.HasPrefix(token, "ctoken_") || len(token) > 255):
		probs[paymentProblem] = "your card details could not be read: enter them again"
		return ""
	case token != "":
		return token
	case v.Get("payment_element") == "incomplete":
		probs[paymentProblem] = "check your card details"
	case v.Get("payment_element") != "complete":
		probs[paymentProblem] = needsJavaScript
	}
	return ""
}

// settle settles the payment in flight of a confirmed session at the processor
// (checkout.Service.SettleNow) and returns the session as it now is, with what
// was learned. When the processor cannot be reached, nothing changes.
func (w *Page) settle(ctx context.Context, st *checkoutState) (*checkoutState, checkout.Settlement) {
	s, err := w.Checkouts.SettleNow(ctx, st.C)
	if err != nil {
		w.Log.WarnContext(ctx, "checkout page: settle the payment", "checkout_id", st.C.ID, "err", err)
	}
	if !s.Asked {
		return st, s
	}
	now, err := w.loadCheckout(ctx, st.C.ClientSecret, true)
	if err != nil {
		return st, checkout.Settlement{}
	}
	return now, s
}

// declinedProblems is what the page shows after a payment that did not go
// through: the processor's message, or a general one.
func declinedProblems(msg string) fieldProblems {
	if strings.TrimSpace(msg) == "" {
		msg = "Your payment was not completed."
	}
	return fieldProblems{paymentProblem: strings.TrimSpace(msg) + declinedNote}
}
