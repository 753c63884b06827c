package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// StripeConfig configures the Stripe processor (PAYLINK_STRIPE_* settings).
type StripeConfig struct {
	SecretKey      string // sk_test_… or sk_live_… (PAYLINK_STRIPE_SECRET_KEY)
	PublishableKey string // pk_…, handed to Stripe.js on the page (PAYLINK_STRIPE_PUBLISHABLE_KEY)
	WebhookSecret  string // whsec_…, verifies inbound events (PAYLINK_STRIPE_WEBHOOK_SECRET)
	// APIBase replaces https://api.stripe.com (PAYLINK_STRIPE_API_BASE), for
	// stripe-mock in tests; "" is Stripe itself.
	APIBase string
	// HTTPClient makes the API calls; nil is a client with a 30 s timeout.
	HTTPClient *http.Client
}

// Stripe charges through Stripe PaymentIntents confirmed with a confirmation
// token that Stripe.js made on the checkout page (SPEC §7). It never sees a card
// number; it logs nothing itself (stripe-go's own logger is silenced because its
// error lines may carry payment method details).
type Stripe struct {
	cfg    StripeConfig
	client *stripe.Client
}

// NewStripe returns the Stripe processor, or an error naming the setting that
// is missing or malformed.
func NewStripe(cfg StripeConfig) (*Stripe, error) {
	switch {
	case cfg.SecretKey == "":
		return nil, errors.New("PAYLINK_STRIPE_SECRET_KEY is empty")
	case !strings.HasPrefix(cfg.SecretKey, "sk_") && !strings.HasPrefix(cfg.SecretKey, "rk_"):
		return nil, errors.New("PAYLINK_STRIPE_SECRET_KEY: want a secret key (sk_test_… or sk_live_…) or a restricted key (rk_…)")
	case cfg.PublishableKey == "":
		return nil, errors.New("PAYLINK_STRIPE_PUBLISHABLE_KEY is required with PAYLINK_STRIPE_SECRET_KEY (the checkout page needs it for Stripe.js)")
	case !strings.HasPrefix(cfg.PublishableKey, "pk_"):
		return nil, errors.New("PAYLINK_STRIPE_PUBLISHABLE_KEY: want a publishable key (pk_test_… or pk_live_…)")
	case cfg.WebhookSecret == "":
		return nil, errors.New("PAYLINK_STRIPE_WEBHOOK_SECRET is required with PAYLINK_STRIPE_SECRET_KEY (the whsec_… signing secret of the endpoint /v1/integrations/stripe/webhook)")
	}
	bc := &stripe.BackendConfig{
		HTTPClient:        cfg.HTTPClient,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		MaxNetworkRetries: stripe.Int64(2), // retries reuse the idempotency key: never a double charge
	}
	if bc.HTTPClient == nil {
		bc.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.APIBase != "" {
		u, err := url.Parse(cfg.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("PAYLINK_STRIPE_API_BASE=%q: want an http(s) URL like http://127.0.0.1:12111", cfg.APIBase)
		}
		bc.URL = stripe.String(strings.TrimRight(cfg.APIBase, "/"))
	}
	return &Stripe{cfg: cfg, client: stripe.NewClient(cfg.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))}, nil
}

// Name implements Processor.
func (*Stripe) Name() string { return "stripe" }

// PublishableKey is the key the checkout page gives Stripe.js.
func (s *Stripe) PublishableKey() string { return s.cfg.PublishableKey }

// Charge implements Processor: it finds or creates the Stripe customer of the
// email in this organization, then creates and confirms a PaymentIntent with the
// page's confirmation token, saving the card for renewals when c.SaveForFuture.
func (s *Stripe) Charge(ctx context.Context, c Charge) (*Result, error) {
	cus, err := s.customer(ctx, c)
	if err != nil {
		return nil, err
	}
	p := &stripe.PaymentIntentCreateParams{
		Amount:             stripe.Int64(c.Amount),
		Currency:           stripe.String(strings.ToLower(c.Currency)),
		Customer:           stripe.String(cus),
		Confirm:            stripe.Bool(true),
		ConfirmationToken:  stripe.String(c.Token),
		PaymentMethodTypes: stripe.StringSlice([]string{"card"}),
		UseStripeSDK:       stripe.Bool(true), // a 3-D Secure next action the page finishes with handleNextAction
		Metadata:           chargeMetadata(c),
	}
	if c.SaveForFuture {
		p.SetupFutureUsage = stripe.String(string(stripe.PaymentIntentSetupFutureUsageOffSession))
		p.AddExpand(expandMethod)
	}
	if c.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:pi:" + c.IdempotencyKey)
	}
	pi, err := s.client.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		return errorResult(err)
	}
	return resultOf(pi)
}

// ChargeSaved implements Processor: an off-session PaymentIntent on the saved
// payment method. paymentMethodRef is "cus_…/pm_…" as Charge returned it (a bare
// "pm_…" is accepted too).
func (s *Stripe) ChargeSaved(ctx context.Context, paymentMethodRef string, c Charge) (*Result, error) {
	cus, pm, ok := strings.Cut(paymentMethodRef, "/")
	if !ok {
		cus, pm = "", paymentMethodRef
	}
	if !strings.HasPrefix(pm, "pm_") && !strings.HasPrefix(pm, "card_") && !strings.HasPrefix(pm, "src_") {
		return &Result{DeclineCode: "no_payment_method", Message: "The saved payment method is not a Stripe payment method."}, nil
	}
	p := &stripe.PaymentIntentCreateParams{
		Amount:        stripe.Int64(c.Amount),
		Currency:      stripe.String(strings.ToLower(c.Currency)),
		PaymentMethod: stripe.String(pm),
		Confirm:       stripe.Bool(true),
		OffSession:    stripe.Bool(true),
		Metadata:      chargeMetadata(c),
	}
	if cus != "" {
		p.Customer = stripe.String(cus)
	}
	if c.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:pi:" + c.IdempotencyKey)
	}
	pi, err := s.client.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		return errorResult(err)
	}
	res, err := resultOf(pi)
	if err == nil && res.Succeeded {
		res.PaymentMethodRef = paymentMethodRef // the same card keeps renewing
	}
	return res, err
}

// Lookup fetches a PaymentIntent by id and reads it as Charge would have: the
// page may call it after handleNextAction to finish a session without waiting
// for the webhook. orgID and checkoutID come from the intent's metadata ("" when
// paylink did not make it for a checkout). A SetupIntent (seti_…) is read alike.
func (s *Stripe) Lookup(ctx context.Context, ref string) (orgID, checkoutID string, res *Result, err error) {
	if isSetupRef(ref) {
		return s.lookupSetup(ctx, ref)
	}
	pi, err := s.client.V1PaymentIntents.Retrieve(ctx, ref, expandPayment())
	if err != nil {
		return "", "", nil, stripeError(err)
	}
	res, err = resultOf(pi)
	return pi.Metadata["organization_id"], pi.Metadata["checkout_id"], res, err
}

// Cancel gives up a PaymentIntent that is still waiting (a customer who left
// during 3-D Secure), so a session held confirmed can be failed and released. An
// intent that succeeded meanwhile cannot be canceled: its succeeded Result comes
// back instead, and the caller completes the session. A SetupIntent is canceled alike.
func (s *Stripe) Cancel(ctx context.Context, ref string) (*Result, error) {
	if isSetupRef(ref) {
		return s.cancelSetup(ctx, ref)
	}
	cp := &stripe.PaymentIntentCancelParams{
		CancellationReason: stripe.String(string(stripe.PaymentIntentCancellationReasonAbandoned))}
	cp.AddExpand(expandMethod)
	pi, err := s.client.V1PaymentIntents.Cancel(ctx, ref, cp)
	var se *stripe.Error
	if errors.As(err, &se) && se.Code == stripe.ErrorCodePaymentIntentUnexpectedState {
		pi, err = s.client.V1PaymentIntents.Retrieve(ctx, ref, expandPayment())
	}
	if err != nil {
		return nil, stripeError(err)
	}
	return resultOf(pi)
}

// expandPayment is the parameters of a PaymentIntent read with its payment method.
func expandPayment() *stripe.PaymentIntentRetrieveParams {
	p := &stripe.PaymentIntentRetrieveParams{}
	p.AddExpand(expandMethod)
	return p
}

// customer returns the id of the Stripe customer with the charge's email in
// its organization (metadata organization_id), creating it when there is none.
func (s *Stripe) customer(ctx context.Context, c Charge) (string, error) {
	if c.CustomerEmail != "" {
		lp := &stripe.CustomerListParams{Email: stripe.String(c.CustomerEmail)}
		lp.Limit = stripe.Int64(100)
		n := 0
		for cus, err := range s.client.V1Customers.List(ctx, lp) {
			if err != nil {
				return "", fmt.Errorf("find the Stripe customer: %w", stripeError(err))
			}
			if cus.Metadata["organization_id"] == c.OrganizationID && !cus.Deleted {
				return cus.ID, nil
			}
			if n++; n >= 100 {
				break
			}
		}
	}
	p := &stripe.CustomerCreateParams{Metadata: map[string]string{"organization_id": c.OrganizationID}}
	if c.CustomerEmail != "" {
		p.Email = stripe.String(c.CustomerEmail)
	}
	if c.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:cus:" + c.IdempotencyKey)
	}
	cus, err := s.client.V1Customers.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("create the Stripe customer: %w", stripeError(err))
	}
	return cus.ID, nil
}

// chargeMetadata is what the webhook needs to find the session again.
func chargeMetadata(c Charge) map[string]string {
	m := map[string]string{"organization_id": c.OrganizationID}
	if c.CheckoutID != "" {
		m["checkout_id"] = c.CheckoutID
	}
	return m
}
