package refunds

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// RetryAfter is how long a refund the processor never answered about waits
// before it is asked again: long enough for Create's own call to be over.
const RetryAfter = time.Minute

// refundRequest is the processor request of a refund: the same every time it is
// sent, with the refund's id as the idempotency key, so asking again never
// refunds twice.
func refundRequest(r *paylink.Refund, pay *store.Payment) payment.Refund {
	return payment.Refund{OrganizationID: r.OrganizationID, OrderID: r.OrderID, RefundID: r.ID,
		PaymentRef: pay.ProcessorRef, Amount: r.Amount, Currency: r.Currency, Reason: r.Reason, IdempotencyKey: r.ID}
}

// Retry asks the processor again about the refunds it never answered about
// (Create could not reach it) that are older than RetryAfter, and settles each
// by the answer. It returns how many were settled.
func (s *Service) Retry(ctx context.Context) (settled int, err error) {
	var todo []*paylink.Refund
	payments := map[string]*store.Payment{}
	err = s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if todo, err = tx.RefundsUnanswered(ctx, s.now().Add(-RetryAfter), 100); err != nil {
			return err
		}
		for _, r := range todo {
			if payments[r.ID], err = tx.PaymentOfOrder(ctx, r.OrganizationID, r.OrderID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, r := range todo {
		res, perr := s.Processor.Refund(ctx, refundRequest(r, payments[r.ID]))
		if perr != nil {
			s.Log.WarnContext(ctx, "refund: the processor still does not answer", "refund_id", r.ID, "err", perr)
			continue
		}
		if _, err := s.settle(ctx, r.OrganizationID, r.ID, res, true); err != nil {
			return settled, err
		}
		settled++
	}
	return settled, nil
}

// RetryArgs is the periodic job that runs Retry.
type RetryArgs struct{}

// Kind implements river.JobArgs.
func (RetryArgs) Kind() string { return "refund_retry" }

// Jobs registers Retry, run every interval.
func (s *Service) Jobs(interval time.Duration) jobs.Register {
	return jobs.Every[RetryArgs](interval, func(ctx context.Context) error {
		n, err := s.Retry(ctx)
		if n > 0 {
			s.Log.InfoContext(ctx, "settled refunds the processor had not answered about", "refunds", n)
		}
		return err
	})
}
