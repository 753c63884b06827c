package checkout

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

// OutcomeWait bounds how long AwaitOutcome waits for a confirm in flight.
const OutcomeWait = 10 * time.Second

// outcomePoll is how often AwaitOutcome reads the session.
const outcomePoll = 50 * time.Millisecond

// AwaitOutcome waits for the outcome of a confirm that another request carries
// (the first of a double click: Confirm answered the second ErrCheckoutNotOpen).
// It returns the session once it is no longer confirmed (paid, or open again
// after a decline), once the processor's answer is recorded as pending (the
// customer's bank must act, or the payment settles later), or as it stands
// after OutcomeWait or when ctx ends. It only reads: the first request decides.
func (s *Service) AwaitOutcome(ctx context.Context, secret string) (*paylink.Checkout, error) {
	deadline := time.NewTimer(OutcomeWait)
	defer deadline.Stop()
	tick := time.NewTicker(outcomePoll)
	defer tick.Stop()
	for {
		c, err := s.Get(ctx, secret)
		if err != nil || c.Status != paylink.CheckoutConfirmed || c.PaymentProcessorRef != nil {
			return c, err
		}
		select {
		case <-ctx.Done():
			return c, nil
		case <-deadline.C:
			return c, nil
		case <-tick.C:
		}
	}
}
