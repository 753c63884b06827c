package refunds

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Settle records the processor's answer about a refund: Create's own answer,
// or later a processor event (Stripe's charge.refunded and refund.updated). In
// one transaction holding the order's row it moves the refund to res.Status and
// the order's money with it: a pending refund holds its amount, a succeeded one
// counts in refunded_amount, a failed or canceled one in neither, and the
// order's status follows (paid, partially_refunded, refunded). The events are
// recorded in the same transaction: refund.created when the processor first
// names the refund, refund.updated on a later change, order.refunded and
// order.updated when the refunded amount grows, order.updated when it shrinks
// (a refund that failed after it had succeeded). The same answer twice changes
// nothing, and neither does a pending answer about a refund that is settled
// already: Stripe's events may come out of order, and pending never follows
// succeeded, failed or canceled. ENotFound when the organization has no such
// refund.
func (s *Service) Settle(ctx context.Context, orgID, refundID string, res *payment.RefundResult) (*paylink.Refund, error) {
	return s.settle(ctx, orgID, refundID, res, false)
}

// settle is Settle; first is Create's own answer, which only applies to the
// refund as Create left it (pending, unknown to the processor): an event of the
// processor that came in between knows better.
func (s *Service) settle(ctx context.Context, orgID, refundID string, res *payment.RefundResult, first bool) (*paylink.Refund, error) {
	var r *paylink.Refund
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.RefundGet(ctx, orgID, refundID); err != nil {
			return err
		}
		// The order's lock first, then the refund as it is under that lock:
		// Create's answer and the processor's event may arrive together.
		o, err := tx.OrderGetForUpdate(ctx, orgID, r.OrderID)
		if err != nil {
			return err
		}
		if r, err = tx.RefundGet(ctx, orgID, refundID); err != nil {
			return err
		}
		announced := r.ProcessorRef != nil
		if first && (announced || r.Status != paylink.RefundPending) ||
			res.Status == paylink.RefundPending && r.Status != paylink.RefundPending {
			return nil
		}
		if res.Ref != "" && !announced {
			r.ProcessorRef = &res.Ref
		}
		was := r.Status
		if was == res.Status && announced == (r.ProcessorRef != nil) {
			return nil
		}
		r.Status = res.Status
		r.FailureReason = nil
		if res.FailureReason != "" && (res.Status == paylink.RefundFailed || res.Status == paylink.RefundCanceled) {
			r.FailureReason = &res.FailureReason
		}
		now := s.now()
		if err := tx.RefundSave(ctx, r, now); err != nil {
			return err
		}
		o.RefundHeldAmount += held(r.Status, r.Amount) - held(was, r.Amount)
		delta := counted(r.Status, r.Amount) - counted(was, r.Amount)
		o.RefundedAmount += delta
		o.Status = paylink.OrderStatusAfterRefunds(o)
		if err := tx.OrderRefundsSave(ctx, o, now); err != nil {
			return err
		}
		var events []event
		switch {
		case !announced && r.ProcessorRef != nil:
			events = append(events, event{"refund.created", r})
		case announced:
			events = append(events, event{"refund.updated", r})
		}
		if delta > 0 {
			events = append(events, event{"order.refunded", o})
		}
		if delta != 0 {
			events = append(events, event{"order.updated", o})
		}
		for _, e := range events {
			if err := checkout.RecordEvent(ctx, tx, s.Render, orgID, e.typ, e.obj, now); err != nil {
				return err
			}
		}
		if delta > 0 && r.RevokeBenefits && s.Benefits != nil {
			if err := s.Benefits.RevokeOrder(ctx, tx, orgID, o.ID); err != nil {
				return err
			}
		}
		if delta > 0 && s.Mail != nil {
			return s.Mail.RefundNotice(ctx, tx, o, r)
		}
		return nil
	})
	return r, err
}

// held is what a refund in status holds on its order: its amount while pending.
func held(status string, amount int64) int64 {
	if status == paylink.RefundPending {
		return amount
	}
	return 0
}

// counted is what a refund in status adds to its order's refunded amount.
func counted(status string, amount int64) int64 {
	if status == paylink.RefundSucceeded {
		return amount
	}
	return 0
}

// event is one event to record: its type and the object it is about.
type event struct {
	typ string
	obj any
}
