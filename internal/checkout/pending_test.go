package checkout_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// pendingProcessor stands in for Stripe: every charge waits for 3-D Secure.
type pendingProcessor struct{ n int }

func (p *pendingProcessor) Name() string { return "stripe" }
func (p *pendingProcessor) Charge(ctx context.Context, c payment.Charge) (*payment.Result, error) {
	p.n++
	return &payment.Result{Ref: "pi_" + string(rune('0'+p.n)), RequiresAction: true, ClientSecret: "pi_secret"}, nil
}
func (p *pendingProcessor) ChargeSaved(ctx context.Context, ref string, c payment.Charge) (*payment.Result, error) {
	return p.Charge(ctx, c)
}
func (p *pendingProcessor) Setup(ctx context.Context, st payment.Setup) (*payment.Result, error) {
	return p.Charge(ctx, payment.Charge{})
}
func (p *pendingProcessor) Refund(ctx context.Context, r payment.Refund) (*payment.RefundResult, error) {
	return &payment.RefundResult{Ref: "re_" + r.RefundID, Status: paylink.RefundPending}, nil
}

// A late failure of an earlier attempt must not reopen a session whose retry is
// being charged; the failure of the current attempt does.
func TestLateFailureOfAnEarlierAttemptIsIgnored(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		f.svc.Processor = &pendingProcessor{}
		c := f.open(t, "")
		c, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "ctoken_1")
		if err != nil || c.Status != paylink.CheckoutConfirmed || !c.PaymentPending || c.PaymentActionSecret != "pi_secret" {
			t.Fatalf("first attempt: %+v %v", c, err)
		}
		// 3-D Secure fails: the webhook reopens the session.
		if c, _ = f.svc.Fail(ctx, f.org.ID, c.ID, &payment.Result{Ref: "pi_1", DeclineCode: "authentication_required"}); c.Status != paylink.CheckoutOpen {
			t.Fatalf("after the failure of pi_1: %s", c.Status)
		}
		if c, err = f.svc.Confirm(ctx, c.ClientSecret, buyer, "ctoken_2"); err != nil || c.Status != paylink.CheckoutConfirmed {
			t.Fatalf("retry: %v %v", c, err)
		}
		// Stripe repeats pi_1's failure while pi_2 is pending: nothing changes.
		if c, _ = f.svc.Fail(ctx, f.org.ID, c.ID, &payment.Result{Ref: "pi_1"}); c.Status != paylink.CheckoutConfirmed {
			t.Fatalf("a late failure of pi_1 reopened the session: %s", c.Status)
		}
		if c, _ = f.svc.Succeed(ctx, f.org.ID, c.ID, &payment.Result{Ref: "pi_2", Succeeded: true}); c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("pi_2 succeeded: %s", c.Status)
		}
		if orders, paid, failed := f.counts(t, c.ID); orders != 1 || paid != 1 || failed != 1 {
			t.Fatalf("orders %d paid %d failed %d", orders, paid, failed)
		}
	})
}
