package checkoutpage

import (
	"net/http"

	"github.com/paylink/paylink"
)

// A Stripe payment may wait after the customer pressed Pay: for their bank
// (3-D Secure) or for Stripe. The session then stays confirmed; the page shows
// the payment as pending, checkout.js finishes the bank's step with Stripe.js
// and asks GET /checkout/{secret}/payment how it stands until it is decided.
// Stripe's webhook decides it; the page also looks the payment up at Stripe
// (settle), so a customer is never left waiting on a late webhook.

// newPending is the pending payment of a confirmed session; actionSecret is
// the PaymentIntent's client secret when the bank asks the customer to act.
func newPending(r *http.Request, secret, actionSecret string) *pendingPayment {
	p := &pendingPayment{Status: "processing", Poll: embedPath(r, secret, "/payment")}
	if actionSecret != "" {
		p.Status, p.ClientSecret = "requires_action", actionSecret
	}
	return p
}

// renderPending answers a pay whose payment waits: the form, showing the
// pending payment for checkout.js to finish or wait for.
func (w *Page) renderPending(rw http.ResponseWriter, r *http.Request, c *paylink.Checkout) {
	st, err := w.loadCheckout(r.Context(), c.ClientSecret, false)
	if err != nil {
		w.failPost(rw, r, c.ClientSecret, err)
		return
	}
	st.Pending = newPending(r, c.ClientSecret, c.PaymentActionSecret)
	w.renderForm(rw, r, http.StatusOK, st, nil, "")
}

// doneTarget is where a post to a paid or confirmed session goes: the success
// target, except for a Stripe payment that may still wait, which the checkout
// page settles first.
func (w *Page) doneTarget(r *http.Request, org *paylink.Organization, c *paylink.Checkout) string {
	if c.Status == paylink.CheckoutConfirmed && w.StripeMode() {
		return embedPath(r, c.ClientSecret, "")
	}
	return w.paidTarget(r, org, c)
}

// paidTarget is where a paid session's page goes: successTarget, but in embed
// mode always our success page in the frame, whose "success" message hands the
// session's success_url to the merchant's page (the frame never opens it).
func (w *Page) paidTarget(r *http.Request, org *paylink.Organization, c *paylink.Checkout) string {
	if em := embedOf(r, org, c); em != nil {
		return w.PublicURL + pagePath(c.ClientSecret, "/success") + em.query()
	}
	return w.successTarget(c)
}

// showOutcome answers a post that found the session confirmed or paid by an
// earlier post of this page (the form post racing a double click): it waits
// briefly for that post's outcome (checkout.Service.AwaitOutcome) and shows it,
// the success page or the decline, never charging again. A payment still
// waiting goes where a confirmed session goes (doneTarget).
func (w *Page) showOutcome(rw http.ResponseWriter, r *http.Request, secret string) {
	c, err := w.Checkouts.AwaitOutcome(r.Context(), secret)
	var org *paylink.Organization
	if err == nil && embedQuery(r) != "" {
		var st *checkoutState
		if st, err = w.loadCheckout(r.Context(), secret, false); err == nil {
			org = st.Org
		}
	}
	switch {
	case err != nil:
		w.Fail(rw, r, err)
	case c.Status == paylink.CheckoutSucceeded:
		w.redirect(rw, r, w.paidTarget(r, org, c))
	case c.Status == paylink.CheckoutConfirmed:
		w.redirect(rw, r, w.doneTarget(r, org, c))
	case c.Status == paylink.CheckoutOpen && !w.Checkouts.Expired(c): // the earlier payment was declined
		w.reloadAndRender(rw, r, secret, http.StatusPaymentRequired, declinedProblems(""), "")
	default:
		w.redirect(rw, r, embedPath(r, secret, ""))
	}
}

// checkoutPayment tells checkout.js how the payment in flight stands (with
// partialHeader): 202 while it still waits, a redirect once paid, the form
// with the decline (402) when it did not go through. A person opening the
// address goes to the checkout page.
func (w *Page) checkoutPayment(rw http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	rw.Header().Set("Cache-Control", "no-store")
	if r.Header.Get(partialHeader) == "" {
		http.Redirect(rw, r, embedPath(r, secret, ""), http.StatusSeeOther)
		return
	}
	st, err := w.loadCheckout(r.Context(), secret, false)
	if err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	st, s := w.settle(r.Context(), st)
	switch {
	case st.C.Status == paylink.CheckoutSucceeded:
		w.redirect(rw, r, w.paidTarget(r, st.Org, st.C))
	case st.C.Status == paylink.CheckoutConfirmed:
		rw.WriteHeader(http.StatusAccepted)
	case w.Checkouts.Expired(st.C):
		w.redirect(rw, r, embedPath(r, secret, ""))
	default: // open again: the payment did not go through
		w.renderForm(rw, r, http.StatusPaymentRequired, st, declinedProblems(s.Declined), "")
	}
}

// showPayment is the page of a confirmed session in Stripe mode, settled at
// Stripe first: a payment still waiting for the bank shows the page again for
// checkout.js to finish it (the customer reloaded during 3-D Secure); a
// decline shows the page with it; paid or processing goes to the success page.
func (w *Page) showPayment(rw http.ResponseWriter, r *http.Request, st *checkoutState) {
	st, s := w.settle(r.Context(), st)
	secret := st.C.ClientSecret
	var probs fieldProblems
	switch {
	case st.C.Status == paylink.CheckoutOpen:
		probs = declinedProblems(s.Declined)
	case st.C.Status == paylink.CheckoutConfirmed && s.ActionSecret != "":
		st.Pending = newPending(r, secret, s.ActionSecret)
	default:
		http.Redirect(rw, r, embedPath(r, secret, "/success"), http.StatusSeeOther)
		return
	}
	em := embedOf(r, st.Org, st.C)
	page := w.buildCheckoutPage(st, em, w.formToken(rw, r, secret, em), nil, probs, "")
	w.Render(rw, r, http.StatusOK, "checkout", page)
}
