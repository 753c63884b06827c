package payment

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stripe/stripe-go/v82"
)

// A subscription whose first period is free saves its card through a
// SetupIntent (usage off_session) instead of a PaymentIntent; the renewals then
// charge it with ChargeSaved like any saved card. Its id (seti_…) stands where a
// PaymentIntent's would: in the session's payment reference, in Lookup and
// Cancel, and in the setup_intent.* webhook events.

// isSetupRef reports whether a processor reference names a SetupIntent.
func isSetupRef(ref string) bool { return strings.HasPrefix(ref, "seti_") }

// Setup implements Processor: it finds or creates the Stripe customer of the
// email in this organization, as Charge does, then creates and confirms an
// off-session SetupIntent with the page's confirmation token. Nothing is charged.
func (s *Stripe) Setup(ctx context.Context, st Setup) (*Result, error) {
	c := Charge{OrganizationID: st.OrganizationID, CheckoutID: st.CheckoutID, CustomerEmail: st.CustomerEmail,
		IdempotencyKey: st.IdempotencyKey}
	cus, err := s.customer(ctx, c)
	if err != nil {
		return nil, err
	}
	p := &stripe.SetupIntentCreateParams{
		Customer:           stripe.String(cus),
		Confirm:            stripe.Bool(true),
		ConfirmationToken:  stripe.String(st.Token),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}),
		Usage:              stripe.String(string(stripe.SetupIntentUsageOffSession)),
		UseStripeSDK:       stripe.Bool(true), // 3-D Secure is finished on the page with handleNextAction
		Metadata:           chargeMetadata(c),
	}
	p.AddExpand(expandMethod)
	if st.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:seti:" + st.IdempotencyKey)
	}
	si, err := s.client.V1SetupIntents.Create(ctx, p)
	if err != nil {
		return errorResult(err)
	}
	return setupResultOf(si)
}

// setupResultOf reads a SetupIntent after a confirmation as resultOf reads a
// PaymentIntent: succeeded carries the saved method ("cus_…/pm_…").
func setupResultOf(si *stripe.SetupIntent) (*Result, error) {
	r := &Result{Ref: si.ID}
	switch si.Status {
	case stripe.SetupIntentStatusSucceeded:
		r.Succeeded = true
		if r.PaymentMethodRef = setupMethodRef(si); r.PaymentMethodRef != "" {
			r.Card = cardOf(si.PaymentMethod)
		}
	case stripe.SetupIntentStatusRequiresAction:
		r.RequiresAction, r.ClientSecret = true, si.ClientSecret
		r.Message = "Your bank asks you to confirm your card."
	case stripe.SetupIntentStatusProcessing:
		r.Pending = true
		r.Message = "Your card is being checked."
	case stripe.SetupIntentStatusRequiresPaymentMethod, stripe.SetupIntentStatusCanceled:
		r.decline("setup_failed", "The card could not be saved. Try another payment method.", si.LastSetupError)
	default:
		return nil, fmt.Errorf("stripe: setup intent %s has the unexpected status %q after confirmation", si.ID, si.Status)
	}
	return r, nil
}

// setupMethodRef is "cus_…/pm_…" of a SetupIntent's payment method (what
// ChargeSaved takes), "" when it has none.
func setupMethodRef(si *stripe.SetupIntent) string {
	if si.PaymentMethod == nil || si.PaymentMethod.ID == "" {
		return ""
	}
	if si.Customer == nil || si.Customer.ID == "" {
		return si.PaymentMethod.ID
	}
	return si.Customer.ID + "/" + si.PaymentMethod.ID
}

// expandSetup is the parameters of a SetupIntent read with its payment method.
func expandSetup() *stripe.SetupIntentRetrieveParams {
	p := &stripe.SetupIntentRetrieveParams{}
	p.AddExpand(expandMethod)
	return p
}

// lookupSetup is Lookup of a SetupIntent.
func (s *Stripe) lookupSetup(ctx context.Context, ref string) (orgID, checkoutID string, res *Result, err error) {
	si, err := s.client.V1SetupIntents.Retrieve(ctx, ref, expandSetup())
	if err != nil {
		return "", "", nil, stripeError(err)
	}
	res, err = setupResultOf(si)
	return si.Metadata["organization_id"], si.Metadata["checkout_id"], res, err
}

// cancelSetup is Cancel of a SetupIntent: one that succeeded meanwhile comes
// back succeeded.
func (s *Stripe) cancelSetup(ctx context.Context, ref string) (*Result, error) {
	cp := &stripe.SetupIntentCancelParams{
		CancellationReason: stripe.String(string(stripe.SetupIntentCancellationReasonAbandoned))}
	cp.AddExpand(expandMethod)
	si, err := s.client.V1SetupIntents.Cancel(ctx, ref, cp)
	var se *stripe.Error
	if errors.As(err, &se) && se.Code == stripe.ErrorCodeSetupIntentUnexpectedState {
		si, err = s.client.V1SetupIntents.Retrieve(ctx, ref, expandSetup())
	}
	if err != nil {
		return nil, stripeError(err)
	}
	return setupResultOf(si)
}

// checkoutSetups lists the SetupIntents paylink made for a checkout on a Stripe
// customer since a Unix time, as FindCheckoutPayments lists PaymentIntents.
func (s *Stripe) checkoutSetups(ctx context.Context, cus, orgID, checkoutID string, since int64) ([]*Result, error) {
	lp := &stripe.SetupIntentListParams{Customer: stripe.String(cus),
		CreatedRange: &stripe.RangeQueryParams{GreaterThanOrEqual: since}}
	lp.Limit = stripe.Int64(100)
	lp.AddExpand("data." + expandMethod)
	var out []*Result
	n := 0
	for si, err := range s.client.V1SetupIntents.List(ctx, lp) {
		if err != nil {
			return nil, fmt.Errorf("list the Stripe customer's setup intents: %w", stripeError(err))
		}
		if n++; n > 1000 {
			break
		}
		if si.Metadata["checkout_id"] != checkoutID || si.Metadata["organization_id"] != orgID {
			continue
		}
		if si.Status == stripe.SetupIntentStatusRequiresConfirmation {
			out = append(out, &Result{Ref: si.ID, RequiresAction: true, ClientSecret: si.ClientSecret})
			continue
		}
		res, err := setupResultOf(si)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}
