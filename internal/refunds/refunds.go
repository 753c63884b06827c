// Package refunds is the one home of refunds: the API's POST /v1/refunds/, the
// dashboard's Refund button and the processor's refund events all go through
// it. Money safety rests on one rule: an order's refunded amount plus what
// refunds in flight hold never exceeds what was paid. Create raises the hold
// under the order's row lock, in its own transaction, before it asks the
// processor; Settle moves the hold to the refunded amount (or gives it back)
// under the same lock. However many requests and processes refund one order at
// once, each waits its turn for the lock and sees the holds of the others.
package refunds

import (
	"context"
	"log/slog"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
)

// Service runs the refund use cases.
type Service struct {
	Store     *store.Store
	Processor payment.Processor
	Render    checkout.Renderer // event payloads; nil renders the objects as they are (tests)
	Log       *slog.Logger
	Now       func() time.Time // the clock; paylink.Now when nil
	Mail      Mailer           // the customer's refund email; nil sends none
	// Benefits revokes what an order granted, for a refund with revoke_benefits,
	// in the transaction that counts the refund (internal/benefits); nil revokes nothing.
	Benefits interface {
		RevokeOrder(ctx context.Context, tx *store.Tx, orgID, orderID string) error
	}
}

// Mailer queues the customer's email about a refund that succeeded, in tx, the
// transaction that counts it on the order. internal/mail implements it.
type Mailer interface {
	RefundNotice(ctx context.Context, tx *store.Tx, o *paylink.Order, r *paylink.Refund) error
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// RefundedAlready is Polar's 403 for a refund of an order that is fully refunded.
func RefundedAlready(orderID string) *paylink.Error {
	return &paylink.Error{Code: paylink.EForbidden, Name: "RefundedAlready",
		Message: "Order is already fully refunded: " + orderID}
}

// Create refunds in.Amount of an order (Polar's RefundCreate):
//
//  1. in one transaction it locks the order, checks the request against it and
//     records the refund as pending with its amount held on the order;
//  2. it asks the processor, with the refund's id as the idempotency key;
//  3. Settle records the answer.
//
// Errors: EInvalid at body.order_id (no such order of the organization), at
// body.amount (more than is left to refund, counting refunds in flight) and at
// the fields CheckRefundInput checks; RefundedAlready; EBadRequest
// (RevokeSubscriptionBenefitsProhibited) for revoke_benefits on a
// subscription's order; EPaymentFailed when the processor refused. A refused
// refund stays listed with status failed and holds nothing: the order is as it
// was. When the processor cannot be reached the outcome is unknown: the refund
// stays pending, holding its amount (so no second refund can take it too), and
// Retry asks the processor again with the same idempotency key until it answers.
func (s *Service) Create(ctx context.Context, orgID string, in paylink.RefundInput) (*paylink.Refund, error) {
	meta, err := paylink.CheckRefundInput(in)
	if err != nil {
		return nil, err
	}
	r, pay, err := s.reserve(ctx, orgID, in, meta)
	if err != nil {
		return nil, err
	}
	if pay == nil { // an earlier request with in.ID made this refund: its answer stands
		if r.Status == paylink.RefundFailed || r.Status == paylink.RefundCanceled {
			return nil, &paylink.Error{Code: paylink.EPaymentFailed, Name: "RefundFailed", Message: "This refund was refused."}
		}
		return r, nil
	}
	// Once the amount is held, the refund is seen through even if the caller
	// goes away: a canceled request must not leave it pending.
	ctx = context.WithoutCancel(ctx)
	res, perr := s.Processor.Refund(ctx, refundRequest(r, pay))
	if perr != nil {
		// The outcome is unknown: the refund stays pending and holds its amount;
		// Retry asks again with the same idempotency key, and a processor event
		// that comes first settles it (Settle).
		s.Log.ErrorContext(ctx, "refund: the processor did not answer; it is asked again later", "refund_id", r.ID,
			"order_id", r.OrderID, "err", perr)
		return r, nil
	}
	r, err = s.settle(ctx, orgID, r.ID, res, true)
	if err != nil {
		return nil, err
	}
	if r.Status == paylink.RefundFailed || r.Status == paylink.RefundCanceled {
		if res.FailureReason == "charge_already_refunded" {
			return nil, RefundedAlready(r.OrderID)
		}
		return nil, &paylink.Error{Code: paylink.EPaymentFailed, Name: "RefundFailed", Message: res.Message}
	}
	return r, nil
}

// Review answers whether Create would accept in now, without refunding: the
// same checks against the order as Create's, with the same errors. The
// dashboard asks before it shows its confirmation step; Create checks again
// under the order's lock, since another refund may come in between.
func (s *Service) Review(ctx context.Context, orgID string, in paylink.RefundInput) (*paylink.Order, error) {
	if _, err := paylink.CheckRefundInput(in); err != nil {
		return nil, err
	}
	var o *paylink.Order
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = tx.OrderGet(ctx, orgID, in.OrderID); err != nil {
			return orderNotFound(err, in.OrderID)
		}
		return checkOrder(o, in)
	})
	return o, err
}

// orderNotFound is Polar's 422 at body.order_id for an order the organization
// does not have; other errors pass.
func orderNotFound(err error, id string) error {
	if paylink.IsCode(err, paylink.ENotFound) {
		return paylink.Invalid(paylink.FieldInvalid("Order not found", id, "body", "order_id"))
	}
	return err
}

// checkOrder is what a refund request must satisfy against its order (Polar's
// RefundService.create): not refunded already, revoke_benefits only on a
// one-time purchase, and no more than is left to refund.
func checkOrder(o *paylink.Order, in paylink.RefundInput) error {
	if o.Status == paylink.OrderRefunded {
		return RefundedAlready(o.ID)
	}
	if in.RevokeBenefits && o.SubscriptionID != nil {
		return &paylink.Error{Code: paylink.EBadRequest, Name: "RevokeSubscriptionBenefitsProhibited",
			Message: "Subscription benefits can only be revoked upon cancellation"}
	}
	if left := paylink.RefundableAmount(o); in.Amount > left {
		return paylink.Invalid(paylink.FieldInvalid("Refund amount exceeds refundable amount: at most "+
			paylink.FormatAmount(left, o.Currency)+" is left to refund", in.Amount, "body", "amount"))
	}
	return nil
}

// reserve is step 1 of Create: the checks against the locked order, the hold
// and the pending refund, in one transaction. It returns the refund and the
// payment it gives back.
func (s *Service) reserve(ctx context.Context, orgID string, in paylink.RefundInput, meta paylink.Metadata) (*paylink.Refund, *store.Payment, error) {
	var r *paylink.Refund
	var pay *store.Payment
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderGetForUpdate(ctx, orgID, in.OrderID)
		if err != nil {
			return orderNotFound(err, in.OrderID)
		}
		if in.ID != "" {
			// Under the order's lock, so that two requests with one ID see each other.
			switch prev, err := tx.RefundGet(ctx, orgID, in.ID); {
			case err == nil && prev.OrderID == o.ID:
				r = prev
				return nil
			case err == nil:
				return paylink.Invalid(paylink.FieldInvalid("this refund id belongs to another order", in.ID, "body", "id"))
			case !paylink.IsCode(err, paylink.ENotFound):
				return err
			}
		}
		if err := checkOrder(o, in); err != nil {
			return err
		}
		if pay, err = tx.PaymentOfOrder(ctx, orgID, o.ID); err != nil {
			return err // a paid order above zero always has its payment
		}
		now := s.now()
		r = &paylink.Refund{ID: in.ID, OrganizationID: orgID, OrderID: o.ID, SubscriptionID: o.SubscriptionID,
			CustomerID: o.CustomerID, Status: paylink.RefundPending, Reason: in.Reason, Amount: in.Amount,
			Currency: o.Currency, Comment: in.Comment, RevokeBenefits: in.RevokeBenefits, Metadata: meta,
			Processor: pay.Processor, CreatedAt: now}
		if err := tx.RefundCreate(ctx, r); err != nil {
			return err
		}
		o.RefundHeldAmount += r.Amount
		return tx.OrderRefundsSave(ctx, o, now)
	})
	return r, pay, err
}
