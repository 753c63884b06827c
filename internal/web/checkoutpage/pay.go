package checkoutpage

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/web"
)

// pay confirms the session with the form's changes, through the same Confirm
// as the API: every problem is shown at once (the card's too), a total the
// customer has not seen is shown first (another product chosen with Pay, a
// price the merchant changed), and a decline lets them retry.
func (w *Page) pay(rw http.ResponseWriter, r *http.Request, st *checkoutState, ch checkout.Changes, probs fieldProblems) {
	secret := st.C.ClientSecret
	if ch.ProductID != nil || len(probs) > 0 {
		// The total shown was another product's, or the form cannot be sent
		// as it is: save what is valid and show the page again first.
		if err := w.applyChanges(r, secret, ch, probs); err != nil {
			w.failPost(rw, r, secret, err)
			return
		}
		var err error
		if st, err = w.loadCheckout(r.Context(), secret, false); err != nil {
			w.failPost(rw, r, secret, err)
			return
		}
		if shown, err := strconv.ParseInt(r.PostForm.Get("shown_total"), 10, 64); len(probs) == 0 && (err != nil || shown != st.C.TotalAmount) {
			w.renderForm(rw, r, http.StatusOK, st, nil, "You chose "+st.product().Name+": the total is now "+
				web.DisplayMoney(st.C.TotalAmount, st.C.Currency)+". Check your order, then pay.")
			return
		}
		ch = checkout.Changes{}
	}
	token := ""
	if checkout.PaymentFormRequired(st.C, st.product(), st.Discount) {
		if w.StripeMode() {
			token = stripeToken(r.PostForm, probs)
		} else {
			token = w.cardToken(r.PostForm, probs)
		}
		if len(probs) > 0 || token == "" {
			missingForPay(st, probs) // so the customer sees everything at once
		}
		if token == "" && len(probs) == 0 {
			probs[paymentProblem] = "enter your payment details"
		}
	}
	if len(probs) > 0 {
		if err := w.applyChanges(r, secret, ch, probs); err != nil {
			w.failPost(rw, r, secret, err)
			return
		}
		w.reloadAndRender(rw, r, secret, http.StatusUnprocessableEntity, probs, "")
		return
	}
	c, err := w.confirm(r.Context(), secret, ch, token)
	if err == nil {
		// Pay was accepted: checkout.js tells the merchant's page in embed mode
		// ("confirmed"), whatever the payment does next.
		rw.Header().Set(confirmedHeader, "1")
	}
	var pe *paylink.Error
	switch {
	case err == nil && c.PaymentPending && c.Status == paylink.CheckoutConfirmed:
		w.renderPending(rw, r, c)
	case err == nil:
		w.redirect(rw, r, w.doneTarget(r, st.Org, c))
	case errors.As(err, &pe) && pe.Code == paylink.EPaymentFailed:
		w.Log.InfoContext(r.Context(), "checkout page: payment declined", "checkout_id", st.C.ID)
		probs[paymentProblem] = strings.TrimSpace(pe.Message) + declinedNote
		w.reloadAndRender(rw, r, secret, http.StatusPaymentRequired, probs, "")
	case errors.As(err, &pe) && pe.Code == paylink.EInvalid:
		w.confirmRefused(rw, r, st, ch, pe)
	default:
		w.failPost(rw, r, secret, err)
	}
}

// confirm is checkout.Service.Confirm, asked again for a moment when it meets a
// conflict. Confirm waits for another post's lock on the session itself, so a
// conflict now comes only from the engine (a deadlock, SQLite's busy writer):
// the retry finds that post's outcome (ErrCheckoutNotOpen, and showOutcome), or
// the session open again when that post changed nothing.
func (w *Page) confirm(ctx context.Context, secret string, ch checkout.Changes, token string) (*paylink.Checkout, error) {
	for try := 0; ; try++ {
		c, err := w.Checkouts.Confirm(ctx, secret, ch, token)
		if !paylink.IsCode(err, paylink.EConflict) || try == confirmRetries {
			return c, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// confirmRetries bounds confirm's retries: a confirm holds the session's lock
// for one short transaction, never while the payment is charged.
const confirmRetries = 40

// confirmRefused shows what stopped a confirm, keeping the customer's valid
// changes. A price the merchant changed since the page was shown is not a
// mistake of theirs: the session moves to it and the page shows the new total
// for them to accept with Pay.
func (w *Page) confirmRefused(rw http.ResponseWriter, r *http.Request, before *checkoutState, ch checkout.Changes, pe *paylink.Error) {
	secret := before.C.ClientSecret
	probs, priceMoved := fieldProblems{}, false
	for _, f := range pe.Fields {
		if len(f.Loc) == 2 && f.Loc[1] == "product_price_id" {
			priceMoved = true
			continue
		}
		probs.add(f)
		dropChange(&ch, f.Loc)
	}
	err := w.applyChanges(r, secret, ch, probs)
	if err == nil && priceMoved && changesEmpty(ch) {
		_, err = w.Checkouts.UpdateBySecret(r.Context(), secret, checkout.Changes{}) // any update moves to the new price
	}
	if err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	st, err := w.loadCheckout(r.Context(), secret, false)
	if err != nil {
		w.failPost(rw, r, secret, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if len(probs) == 0 {
		status = http.StatusOK // nothing was wrong: the customer now sees the new total
	}
	w.renderForm(rw, r, status, st, probs, repriced(before, st))
}

// missingForPay adds what confirm would find missing (paylink.CheckoutView.Missing)
// when the card's problems stop the page from asking the flow; the flow stays
// the judge when the card is fine.
func missingForPay(st *checkoutState, probs fieldProblems) {
	for _, f := range st.view().Missing(checkout.PaymentFormRequired(st.C, st.product(), st.Discount)) {
		probs.add(f)
	}
}

// declinedNote ends the card number's error after a decline; the page then
// heads its error summary "Your payment did not go through".
const declinedNote = " No money was taken. Check the card details or use another card."
