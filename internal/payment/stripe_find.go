package payment

import (
	"context"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// FindCheckoutPayments returns the PaymentIntents paylink made for a checkout
// (metadata checkout_id) since a time, read as Charge would have read them. The
// settle sweep (internal/checkout) uses it for a session whose charge's answer
// was never recorded (the process stopped between the charge and its answer), so
// no PaymentIntent id is known. Charge always puts the intent on the Stripe
// customer of the buyer's email in the organization; those customers' intents are
// listed (a strongly consistent read, unlike Stripe's search). An intent in
// requires_confirmation, which Charge never leaves behind, comes back as waiting
// for the customer, so the sweep cancels it. The customers' SetupIntents for the
// checkout (Setup's) are listed too.
func (s *Stripe) FindCheckoutPayments(ctx context.Context, orgID, checkoutID, email string, since time.Time) ([]*Result, error) {
	if email == "" {
		return nil, nil
	}
	lp := &stripe.CustomerListParams{Email: stripe.String(email)}
	lp.Limit = stripe.Int64(100)
	var customers []string
	for cus, err := range s.client.V1Customers.List(ctx, lp) {
		if err != nil {
			return nil, fmt.Errorf("find the Stripe customer: %w", stripeError(err))
		}
		if cus.Metadata["organization_id"] == orgID && !cus.Deleted {
			customers = append(customers, cus.ID)
		}
		if len(customers) >= 10 {
			break
		}
	}
	var out []*Result
	for _, cus := range customers {
		pp := &stripe.PaymentIntentListParams{Customer: stripe.String(cus),
			CreatedRange: &stripe.RangeQueryParams{GreaterThanOrEqual: since.Unix()}}
		pp.Limit = stripe.Int64(100)
		pp.AddExpand("data." + expandMethod)
		n := 0
		for pi, err := range s.client.V1PaymentIntents.List(ctx, pp) {
			if err != nil {
				return nil, fmt.Errorf("list the Stripe customer's payment intents: %w", stripeError(err))
			}
			if n++; n > 1000 {
				break
			}
			if pi.Metadata["checkout_id"] != checkoutID || pi.Metadata["organization_id"] != orgID {
				continue
			}
			if pi.Status == stripe.PaymentIntentStatusRequiresConfirmation {
				out = append(out, &Result{Ref: pi.ID, RequiresAction: true, ClientSecret: pi.ClientSecret})
				continue
			}
			res, err := resultOf(pi)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
		}
		setups, err := s.checkoutSetups(ctx, cus, orgID, checkoutID, since.Unix())
		if err != nil {
			return nil, err
		}
		out = append(out, setups...)
	}
	return out, nil
}
