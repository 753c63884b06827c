package checkout_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// lostAnswers is the sandbox behind a network that loses the processor's first
// answers: the charge is made (once per idempotency key, as a processor does),
// but the caller gets an error instead of the result.
type lostAnswers struct {
	*payment.Sandbox
	mu    sync.Mutex
	lose  int                        // how many answers are still lost
	made  map[string]*payment.Result // idempotency key → the charge made
	calls int
}

func (p *lostAnswers) Charge(ctx context.Context, c payment.Charge) (*payment.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	res, ok := p.made[c.IdempotencyKey]
	if !ok {
		var err error
		if res, err = p.Sandbox.Charge(ctx, c); err != nil {
			return nil, err
		}
		p.made[c.IdempotencyKey] = res
	}
	if p.lose > 0 {
		p.lose--
		return nil, errors.New("connection reset by peer")
	}
	return res, nil
}

// An error from the processor is not a decline: the charge may have been made.
// Confirm asks again with the same idempotency key; while no answer comes, the
// session stays confirmed, so no second attempt with a new key can charge the
// customer twice (it used to reopen the session as declined).
func TestLostProcessorAnswerNeverChargesTwice(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		proc := &lostAnswers{Sandbox: payment.NewSandbox(), lose: 1, made: map[string]*payment.Result{}}
		f.svc.Processor = proc

		c := f.open(t, "")
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil {
			t.Fatalf("confirm whose first answer was lost: %v", err)
		}
		if orders, paid, failed := f.counts(t, c.ID); orders != 1 || paid != 1 || failed != 0 || len(proc.made) != 1 {
			t.Fatalf("orders %d, payments %d, failed %d, charges made %d; want 1, 1, 0, 1", orders, paid, failed, len(proc.made))
		}

		proc.lose = 100 // the processor is unreachable for good
		c = f.open(t, "")
		got, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil || got.Status != paylink.CheckoutConfirmed || !got.PaymentPending {
			t.Fatalf("confirm with no answer at all: %+v %v, want it confirmed and pending", got, err)
		}
		if _, _, failed := f.counts(t, c.ID); failed != 0 {
			t.Fatalf("%d failed payments recorded for a charge whose outcome is unknown", failed)
		}
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != paylink.ErrCheckoutNotOpen {
			t.Fatalf("a second Pay while the outcome is unknown: %v, want ErrCheckoutNotOpen", err)
		}
		if len(proc.made) != 2 {
			t.Fatalf("%d charges made for two sessions", len(proc.made))
		}
	})
}
