package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
)

// The client endpoints serve the customer's checkout page. The client secret in
// the path is the only authorization: an unknown one is 404, a session past its
// expiry 410, and one that is no longer open refuses changes with 403.

// clientSecret returns the {secret} path value; a malformed one answers exactly
// like an unknown one.
func clientSecret(r *http.Request) (string, error) {
	s := r.PathValue("secret")
	if !paylink.CheckoutSecretFormat(s) {
		return "", paylink.NotFound("checkout")
	}
	return s, nil
}

func (a *API) checkoutClientGet(w http.ResponseWriter, r *http.Request) error {
	secret, err := clientSecret(r)
	if err != nil {
		return err
	}
	// The session and what its representation embeds, in one read.
	var (
		v   *paylink.CheckoutView
		org *paylink.Organization
	)
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		c, err := tx.CheckoutBySecret(r.Context(), secret, false)
		if err != nil {
			return err
		}
		if a.Checkouts.Expired(c) {
			return paylink.ErrCheckoutExpired
		}
		v, org, err = a.publicView(r.Context(), tx, c)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, a.renderer().checkoutPublic(v, org))
	return nil
}

// publicView reads in tx what c's public representation embeds.
// The organization and products come, unless changed, as this process loaded
// them before; a missing one is reported by the loader, as for any checkout.
func (a *API) publicView(ctx context.Context, tx *store.Tx, c *paylink.Checkout) (*paylink.CheckoutView, *paylink.Organization, error) {
	org, products, err := tx.ShownCatalog(ctx, c.OrganizationID, c.ProductIDs)
	if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
		return nil, nil, err
	}
	l := newLoader(ctx, tx, a.PublicURL)
	for _, p := range products {
		l.products[p.ID] = p
	}
	v, err := l.checkoutView(c)
	if err != nil {
		return nil, nil, err
	}
	if org == nil {
		org, err = tx.OrganizationGet(ctx, c.OrganizationID)
	}
	return v, org, err
}

func (a *API) checkoutClientUpdate(w http.ResponseWriter, r *http.Request) error {
	secret, ch, _, err := a.clientChanges(r)
	if err != nil {
		return err
	}
	c, err := a.Checkouts.UpdateBySecret(r.Context(), secret, ch)
	if err != nil {
		return sdkForbidden(err)
	}
	return a.writePublic(r.Context(), w, c)
}

func (a *API) checkoutClientConfirm(w http.ResponseWriter, r *http.Request) error {
	secret, ch, b, err := a.clientChanges(r)
	if err != nil {
		return err
	}
	v, org, err := a.Checkouts.ConfirmView(r.Context(), secret, ch, b.ConfirmationTokenID.Value)
	if err != nil {
		return sdkForbidden(err)
	}
	a.writeConfirmed(w, v, org)
	return nil
}

// clientChanges reads a CheckoutUpdatePublic or CheckoutConfirmStripe body into
// the changes a customer may make. Merchant-only fields are not read.
func (a *API) clientChanges(r *http.Request) (string, checkout.Changes, *checkoutBody, error) {
	secret, err := clientSecret(r)
	if err != nil {
		return "", checkout.Changes{}, nil, err
	}
	var b checkoutBody
	if err := Decode(r, &b); err != nil {
		return "", checkout.Changes{}, nil, err
	}
	var probs paylink.Problems
	ch := b.customerChanges(&probs)
	ch.DiscountCode = clearable(b.DiscountCode)
	return secret, ch, &b, probs.Err()
}

// writePublic answers with c as Polar's CheckoutPublic.
func (a *API) writePublic(ctx context.Context, w http.ResponseWriter, c *paylink.Checkout) error {
	var (
		v   *paylink.CheckoutView
		org *paylink.Organization
	)
	if err := a.read(ctx, func(tx *store.Tx) error {
		var err error
		v, org, err = a.publicView(ctx, tx, c)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, a.renderer().checkoutPublic(v, org))
	return nil
}

// writeConfirmed answers a confirm with v and org, the session, what it
// embeds and its organization as the confirm left them, as Polar's
// CheckoutPublicConfirmed. Confirm answers "confirmed" even when the payment
// already went through (the SDK accepts nothing else there); GET shows
// "succeeded" right after.
func (a *API) writeConfirmed(w http.ResponseWriter, v *paylink.CheckoutView, org *paylink.Organization) {
	c, out := v.Checkout, a.renderer().checkoutPublic(v, org)
	out.Status = paylink.CheckoutConfirmed
	if c.PaymentPending { // Polar's keys: the page finishes 3-D Secure with the intent's client secret
		out.PaymentProcessorMetadata["intent_status"] = "processing"
		if c.PaymentActionSecret != "" {
			out.PaymentProcessorMetadata["intent_status"] = "requires_action"
			out.PaymentProcessorMetadata["intent_client_secret"] = c.PaymentActionSecret
		}
	}
	WriteJSON(w, http.StatusOK, checkoutConfirmedJSON{checkoutPublicJSON: out})
}

// sdkForbidden names a 403 about a checkout the way the SDK's CheckoutForbiddenError
// reads it: a session that cannot go on (product gone, link sold out) is, for the
// client, a checkout that is not open; the message says why.
func sdkForbidden(err error) error {
	var e *paylink.Error
	if !errors.As(err, &e) || e.Code != paylink.EForbidden {
		return err
	}
	switch e.Name {
	case "NotOpenCheckout", "AlreadyActiveSubscriptionError", "PaymentNotReady", "TrialAlreadyRedeemed":
		return err
	}
	return &paylink.Error{Code: e.Code, Name: "NotOpenCheckout", Message: e.Message}
}
