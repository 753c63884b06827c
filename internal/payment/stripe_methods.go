package payment

import (
	"context"
	"errors"
	"strings"

	"github.com/stripe/stripe-go/v82"
)

// SaveMethod implements Methods: an off-session SetupIntent on the customer's
// Stripe customer, as Setup makes for a free first period, with paylink's
// customer in its metadata (ConfirmMethod checks it); a succeeded one is read
// back with its card.
func (s *Stripe) SaveMethod(ctx context.Context, sm SaveMethod) (*SavedMethod, error) {
	c := Charge{OrganizationID: sm.OrganizationID, CustomerEmail: sm.CustomerEmail, IdempotencyKey: sm.IdempotencyKey}
	cus, err := s.customer(ctx, c)
	if err != nil {
		return nil, err
	}
	md := chargeMetadata(c)
	md["customer_id"] = sm.CustomerID
	p := &stripe.SetupIntentCreateParams{
		Customer:           stripe.String(cus),
		Confirm:            stripe.Bool(true),
		ConfirmationToken:  stripe.String(sm.Token),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}),
		Usage:              stripe.String(string(stripe.SetupIntentUsageOffSession)),
		UseStripeSDK:       stripe.Bool(true),
		Metadata:           md,
	}
	p.AddExpand(expandMethod)
	if sm.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:seti-pm:" + sm.IdempotencyKey)
	}
	si, err := s.client.V1SetupIntents.Create(ctx, p)
	if err != nil {
		res, err := errorResult(err)
		if err != nil {
			return nil, err
		}
		return &SavedMethod{Result: *res}, nil
	}
	return savedMethod(si)
}

// ConfirmMethod implements Methods: the SetupIntent must be one SaveMethod made
// for this organization's customer.
func (s *Stripe) ConfirmMethod(ctx context.Context, orgID, customerID, setupRef string) (*SavedMethod, bool, error) {
	if !isSetupRef(setupRef) {
		return nil, false, nil
	}
	si, err := s.client.V1SetupIntents.Retrieve(ctx, setupRef, expandSetup())
	var se *stripe.Error
	if errors.As(err, &se) && se.HTTPStatusCode == 404 {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, stripeError(err)
	}
	if si.Metadata["organization_id"] != orgID || si.Metadata["customer_id"] != customerID || customerID == "" {
		return nil, false, nil
	}
	res, err := savedMethod(si)
	return res, err == nil, err
}

// savedMethod reads a confirmed SetupIntent (its payment method expanded),
// with the card of a succeeded one.
func savedMethod(si *stripe.SetupIntent) (*SavedMethod, error) {
	res, err := setupResultOf(si)
	if err != nil {
		return nil, err
	}
	return &SavedMethod{Result: *res}, nil
}

// methodID is the payment method ("pm_…") of a saved method's reference
// ("cus_…/pm_…", or a bare "pm_…").
func methodID(ref string) string {
	if _, pm, ok := strings.Cut(ref, "/"); ok {
		return pm
	}
	return ref
}

// ForgetMethod implements Methods: the payment method is detached from its
// Stripe customer.
func (s *Stripe) ForgetMethod(ctx context.Context, ref string) error {
	_, err := s.client.V1PaymentMethods.Detach(ctx, methodID(ref), nil)
	var se *stripe.Error
	if errors.As(err, &se) && (se.HTTPStatusCode == 404 || se.Code == stripe.ErrorCodeResourceMissing ||
		se.Code == stripe.ErrorCodePaymentMethodUnexpectedState) {
		return nil
	}
	if err != nil {
		return stripeError(err)
	}
	return nil
}
