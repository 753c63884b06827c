package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// The settle sweep finishes sessions left confirmed whose payment never settled:
// a customer who left during 3-D Secure, or a process that stopped between the
// confirm and the charge's answer. Such a session holds its discount redemption
// and link completion; the sweep asks the processor what became of the payment
// and goes the way the processor's webhook would have: Succeed (exactly one
// order) or a release (holds given back, the session open again, or expired when
// it is past its expiry).

// SettleGrace is how long a confirmed session waits for its payment before the
// sweep asks the processor about it, and how long the sweep waits before asking
// again about a payment that is still pending. It is far longer than a charge
// takes (the Stripe client gives up after 30 s, with two retries).
const SettleGrace = 15 * time.Minute

// SettleBatch is how many sessions one sweep transaction takes at most.
const SettleBatch = 100

// paymentLookup is a processor that can say how a payment stands (Stripe).
type paymentLookup interface {
	Lookup(ctx context.Context, ref string) (orgID, checkoutID string, res *payment.Result, err error)
}

// paymentCanceler is a processor that can give up a payment still waiting for the
// customer, so that it cannot succeed after the session let go of it (Stripe).
// A payment that succeeded meanwhile comes back succeeded.
type paymentCanceler interface {
	Cancel(ctx context.Context, ref string) (*payment.Result, error)
}

// paymentFinder is a processor that can find a checkout's payments without their
// reference (Stripe), for a session whose charge's answer was never recorded.
type paymentFinder interface {
	FindCheckoutPayments(ctx context.Context, orgID, checkoutID, email string, since time.Time) ([]*payment.Result, error)
}

// SweepResult counts what a settle sweep did.
type SweepResult struct {
	Succeeded int // the payment had succeeded: the order was created
	Released  int // failed, abandoned or never made: the holds were given back
	Waiting   int // still pending, or the processor could not tell: asked again after another grace period
	Moved     int // settled meanwhile by someone else (the webhook, the page): left alone
}

func (r SweepResult) any() bool { return r.Succeeded+r.Released+r.Waiting+r.Moved > 0 }

// SweepUnsettled settles the sessions confirmed for longer than grace, batch by
// batch. Each session is taken with a lease (CheckoutClaimUnsettled), so
// concurrent sweeps never ask twice, and is settled through Succeed's and Fail's
// paths under a check that it did not move meanwhile; running it again changes
// nothing. A session the processor cannot tell about is counted as waiting and
// its error is returned (with the others), after every session was tried.
func (s *Service) SweepUnsettled(ctx context.Context, grace time.Duration) (SweepResult, error) {
	var out SweepResult
	var errs []error
	for {
		var batch []*paylink.Checkout
		now := s.now()
		err := s.Store.InTx(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = tx.CheckoutClaimUnsettled(ctx, now.Add(-grace), now, SettleBatch)
			return err
		})
		if err != nil {
			return out, errors.Join(append(errs, err)...)
		}
		for _, c := range batch {
			o, err := s.settle(ctx, c)
			switch o {
			case settledSucceeded:
				out.Succeeded++
			case settledReleased:
				out.Released++
			case settledMoved:
				out.Moved++
			default:
				out.Waiting++
			}
			if err != nil {
				s.Log.ErrorContext(ctx, "settle sweep: could not settle a confirmed checkout", "checkout_id", c.ID, "err", err)
				errs = append(errs, fmt.Errorf("checkout %s: %w", c.ID, err))
			}
			if ctx.Err() != nil {
				return out, errors.Join(append(errs, ctx.Err())...)
			}
		}
		if len(batch) < SettleBatch {
			return out, errors.Join(errs...)
		}
	}
}

type settled int

const (
	settledWaiting settled = iota
	settledSucceeded
	settledReleased
	settledMoved
)

// settle asks the processor about the claimed session c and acts on the answer.
func (s *Service) settle(ctx context.Context, c *paylink.Checkout) (settled, error) {
	var setup bool // a card is saved, not charged: the processor still decides
	if err := s.Store.Read(ctx, func(tx *store.Tx) (err error) {
		setup, err = s.setupOnly(ctx, tx, c)
		return err
	}); err != nil {
		return settledWaiting, err
	}
	if !PaymentRequired(c) && !setup {
		// A free session whose success was interrupted: nothing to pay, complete it.
		return s.settleSucceeded(ctx, c, nil)
	}
	res, known, err := s.paymentOf(ctx, c)
	switch {
	case err != nil || !known:
		return settledWaiting, err
	case res == nil:
		s.Log.InfoContext(ctx, "settle sweep: the payment was never made; releasing the checkout", "checkout_id", c.ID)
		return s.settleReleased(ctx, c, nil)
	case res.Succeeded:
		return s.settleSucceeded(ctx, c, res)
	case res.RequiresAction || res.Pending:
		s.Log.InfoContext(ctx, "settle sweep: the payment is still pending", "checkout_id", c.ID, "ref", res.Ref)
		return settledWaiting, nil
	default:
		s.Log.InfoContext(ctx, "settle sweep: the payment failed or was abandoned; releasing the checkout",
			"checkout_id", c.ID, "ref", res.Ref, "decline_code", res.DeclineCode)
		return s.settleReleased(ctx, c, res)
	}
}

// paymentOf learns what became of c's payment. known is false when the processor
// cannot tell; res is nil (and known true) when no payment was made. A payment
// still waiting for the customer is canceled first, when the processor can: what
// comes back (canceled, or succeeded meanwhile) decides.
func (s *Service) paymentOf(ctx context.Context, c *paylink.Checkout) (res *payment.Result, known bool, err error) {
	lookup, canLookup := s.Processor.(paymentLookup)
	finder, canFind := s.Processor.(paymentFinder)
	switch {
	case c.PaymentProcessorRef != nil && canLookup:
		if res, err = lookUp(ctx, lookup, c); err != nil {
			return nil, false, err
		}
	case c.PaymentProcessorRef != nil:
		s.Log.WarnContext(ctx, "settle sweep: the processor cannot say how a pending payment stands",
			"checkout_id", c.ID, "processor", s.Processor.Name())
		return nil, false, nil
	case canFind:
		// The charge's answer was never recorded: look for the payment by checkout.
		if res, err = s.findPayment(ctx, finder, c); err != nil {
			return nil, false, err
		}
	case canLookup:
		s.Log.ErrorContext(ctx, "settle sweep: the charge's answer was lost and the processor cannot find the payment; complete or reopen the checkout by hand",
			"checkout_id", c.ID)
		return nil, false, nil
	default:
		// A processor that answers at once (the sandbox): the process that charged
		// stopped before recording the answer, and nothing was paid.
		return nil, true, nil
	}
	if res != nil && res.RequiresAction {
		if res, err = s.cancelPayment(ctx, res); err != nil {
			return nil, false, err
		}
	}
	return res, true, nil
}

// cancelPayment gives up a payment still waiting for the customer, when the
// processor can; the answer says whether it was canceled or had succeeded.
func (s *Service) cancelPayment(ctx context.Context, res *payment.Result) (*payment.Result, error) {
	cn, ok := s.Processor.(paymentCanceler)
	if !ok {
		return res, nil
	}
	out, err := cn.Cancel(ctx, res.Ref)
	if err != nil {
		return nil, fmt.Errorf("cancel payment %s: %w", res.Ref, err)
	}
	return out, nil
}

// findPayment finds the payment of c whose answer was lost: among the checkout's
// payments at the processor that no earlier attempt recorded, a success wins,
// then one still pending (each one waiting for the customer is canceled first),
// then a failure. nil when there is none: the charge never reached the processor.
func (s *Service) findPayment(ctx context.Context, f paymentFinder, c *paylink.Checkout) (*payment.Result, error) {
	found, err := f.FindCheckoutPayments(ctx, c.OrganizationID, c.ID, deref(c.CustomerEmail), c.CreatedAt.Add(-time.Hour))
	if err != nil {
		return nil, fmt.Errorf("find the payments of the checkout: %w", err)
	}
	var recorded []*store.Payment
	if err := s.Store.Read(ctx, func(tx *store.Tx) error {
		recorded, err = tx.PaymentsByCheckout(ctx, c.ID)
		return err
	}); err != nil {
		return nil, err
	}
	earlier := map[string]bool{}
	for _, p := range recorded {
		earlier[p.ProcessorRef] = true
	}
	rank := func(r *payment.Result) int {
		switch {
		case r.Succeeded:
			return 3
		case r.RequiresAction || r.Pending:
			return 2
		}
		return 1
	}
	var best *payment.Result
	for _, r := range found {
		if r == nil || earlier[r.Ref] {
			continue
		}
		if r.RequiresAction {
			if r, err = s.cancelPayment(ctx, r); err != nil {
				return nil, err
			}
		}
		if best == nil || rank(r) > rank(best) {
			best = r
		}
	}
	return best, nil
}

// unmoved reports whether cur is still the confirmed session the sweep claimed:
// any change since (a webhook, a new attempt) moves modified_at.
func unmoved(claimed, cur *paylink.Checkout) bool {
	sameTime := claimed.ModifiedAt != nil && cur.ModifiedAt != nil && claimed.ModifiedAt.Equal(*cur.ModifiedAt)
	sameRef := (claimed.PaymentProcessorRef == nil) == (cur.PaymentProcessorRef == nil) &&
		(claimed.PaymentProcessorRef == nil || *claimed.PaymentProcessorRef == *cur.PaymentProcessorRef)
	return cur.Status == paylink.CheckoutConfirmed && sameTime && sameRef
}

// settleSucceeded completes the claimed session c through Succeed, unless it
// moved meanwhile (completed by the webhook, reopened, confirmed again).
func (s *Service) settleSucceeded(ctx context.Context, c *paylink.Checkout, res *payment.Result) (settled, error) {
	ours := false
	var cur *paylink.Checkout
	v, err := s.succeed(ctx, c.OrganizationID, c.ID, res, func(cur *paylink.Checkout) bool {
		ours = unmoved(c, cur)
		return ours
	}, nil)
	if v != nil {
		cur = v.Checkout
	}
	switch {
	case paylink.IsCode(err, paylink.EConflict):
		return settledWaiting, nil // someone holds the session right now: the next sweep sees
	case err != nil && err != paylink.ErrCheckoutNotOpen:
		return settledWaiting, err
	case ours:
		s.Log.InfoContext(ctx, "settle sweep: completed a checkout whose payment had succeeded", "checkout_id", c.ID)
		return settledSucceeded, nil
	}
	if res != nil && (cur == nil || cur.Status != paylink.CheckoutSucceeded ||
		cur.PaymentProcessorRef != nil && *cur.PaymentProcessorRef != res.Ref) {
		s.Log.ErrorContext(ctx, "settle sweep: a payment succeeded for a checkout that moved on; refund or complete it by hand",
			"checkout_id", c.ID, "ref", res.Ref)
	}
	return settledMoved, nil
}

// settleReleased gives back what the claimed session c holds and records the
// failed payment res (none when nil), unless it moved. The session is open again,
// or expired (with checkout.expired) when it is past its expiry.
func (s *Service) settleReleased(ctx context.Context, c *paylink.Checkout, res *payment.Result) (settled, error) {
	moved := false
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.CheckoutLockWait(ctx, c.OrganizationID, c.ID)
		if err != nil {
			return err
		}
		if !unmoved(c, cur) {
			moved = true
			return nil
		}
		if err := s.giveBack(ctx, tx, cur, res); err != nil {
			return err
		}
		typ := "checkout.updated"
		cur.Status = paylink.CheckoutOpen
		if !s.now().Before(cur.ExpiresAt) {
			cur.Status, typ = paylink.CheckoutExpired, "checkout.expired"
		}
		if err := tx.CheckoutSave(ctx, cur, paylink.CheckoutConfirmed); err != nil {
			return err
		}
		return s.recordCheckout(ctx, tx, typ, cur)
	})
	switch {
	case paylink.IsCode(err, paylink.EConflict):
		return settledWaiting, nil
	case err != nil:
		return settledWaiting, err
	case moved:
		return settledMoved, nil
	}
	return settledReleased, nil
}

// SettleArgs is the periodic settle sweep's job.
type SettleArgs struct{}

// Kind implements river.JobArgs.
func (SettleArgs) Kind() string { return "checkout_settle" }

type settleWorker struct {
	river.WorkerDefaults[SettleArgs]
	s     *Service
	grace time.Duration
}

// Timeout gives a sweep time for many processor calls (River's default is a minute).
func (w *settleWorker) Timeout(*river.Job[SettleArgs]) time.Duration { return 10 * time.Minute }

func (w *settleWorker) Work(ctx context.Context, j *river.Job[SettleArgs]) error {
	r, err := w.s.SweepUnsettled(ctx, w.grace)
	if r.any() {
		w.s.Log.InfoContext(ctx, "settle sweep", "succeeded", r.Succeeded, "released", r.Released,
			"waiting", r.Waiting, "moved", r.Moved)
	}
	return err
}

// SettleJobs registers the settle sweep, run every interval (a minute in
// production) for sessions confirmed longer than grace (SettleGrace). A failed
// run is not retried: the next one is the retry.
func (s *Service) SettleJobs(interval, grace time.Duration) jobs.Register {
	return func(setup *jobs.Setup) {
		river.AddWorker(setup.Workers, &settleWorker{s: s, grace: grace})
		setup.Periodic = append(setup.Periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) { return SettleArgs{}, &river.InsertOpts{MaxAttempts: 1} },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
}
