package checkout

import (
	"context"
	"fmt"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Settlement is what SettleNow learned of a confirmed session's payment.
type Settlement struct {
	Asked        bool   // the processor was asked: the session may have moved, read it again
	ActionSecret string // the payment waits for the customer's bank: the page finishes it with this
	Declined     string // the payment did not go through: the processor's message
}

// SettleNow asks the processor how the recorded payment of the confirmed session
// c stands and completes the session as the processor's webhook would: Succeed
// when paid, Fail when declined (both idempotent, so the webhook arriving too
// changes nothing); a payment still waiting is left to wait. The checkout page
// calls it so that a customer never waits on a late webhook; the settle sweep
// decides the same way for the sessions nobody looks at. Nothing is asked for a
// session not waiting on a recorded payment, for a payment that is an earlier
// attempt already failed (the current one is still being charged), or with a
// processor that answers at once (the sandbox).
func (s *Service) SettleNow(ctx context.Context, c *paylink.Checkout) (Settlement, error) {
	lookup, ok := s.Processor.(paymentLookup)
	if !ok || c.Status != paylink.CheckoutConfirmed || c.PaymentProcessorRef == nil {
		return Settlement{}, nil
	}
	ref := *c.PaymentProcessorRef
	if stale, err := s.failedBefore(ctx, c, ref); err != nil || stale {
		return Settlement{}, err
	}
	res, err := lookUp(ctx, lookup, c)
	if err != nil {
		return Settlement{}, err
	}
	out := Settlement{Asked: true}
	switch {
	case res.Succeeded:
		_, err = s.Succeed(ctx, c.OrganizationID, c.ID, res)
	case res.RequiresAction:
		out.ActionSecret = res.ClientSecret
	case res.Pending:
	default:
		out.Declined = res.Message
		_, err = s.Fail(ctx, c.OrganizationID, c.ID, res)
	}
	return out, err
}

// lookUp asks the processor about the session's recorded payment, and makes
// sure the payment is this session's (its metadata names the organization and
// the checkout).
func lookUp(ctx context.Context, lookup paymentLookup, c *paylink.Checkout) (*payment.Result, error) {
	orgID, checkoutID, res, err := lookup.Lookup(ctx, *c.PaymentProcessorRef)
	if err != nil {
		return nil, fmt.Errorf("look up payment %s: %w", *c.PaymentProcessorRef, err)
	}
	if (orgID != "" && orgID != c.OrganizationID) || (checkoutID != "" && checkoutID != c.ID) {
		return nil, fmt.Errorf("payment %s belongs to checkout %s of organization %s", res.Ref, checkoutID, orgID)
	}
	return res, nil
}

// failedBefore reports whether the payment ref was already recorded as failed.
func (s *Service) failedBefore(ctx context.Context, c *paylink.Checkout, ref string) (bool, error) {
	var failed bool
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		ps, err := tx.PaymentsByCheckout(ctx, c.ID)
		for _, p := range ps {
			failed = failed || p.ProcessorRef == ref && p.Status == "failed"
		}
		return err
	})
	return failed, err
}
