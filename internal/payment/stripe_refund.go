package payment

import (
	"context"
	"errors"
	"strconv"

	"github.com/stripe/stripe-go/v82"

	"github.com/paylink/paylink"
)

// Refund implements Processor: a Stripe Refund of the PaymentIntent, under an
// idempotency key, carrying paylink's ids in its metadata so that the
// charge.refunded and refund.updated events find the refund again. Stripe may
// answer pending (some payment methods refund later); its event settles it.
func (s *Stripe) Refund(ctx context.Context, r Refund) (*RefundResult, error) {
	p := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(r.PaymentRef),
		Amount:        stripe.Int64(r.Amount),
		Reason:        stripe.String(string(stripeRefundReason(r.Reason))),
		Metadata: map[string]string{"organization_id": r.OrganizationID, "order_id": r.OrderID,
			"refund_id": r.RefundID, "amount": strconv.FormatInt(r.Amount, 10)},
	}
	if r.IdempotencyKey != "" {
		p.SetIdempotencyKey("paylink:re:" + r.IdempotencyKey)
	}
	re, err := s.client.V1Refunds.Create(ctx, p)
	if err != nil {
		return refundErrorResult(err)
	}
	return RefundResultOf(re), nil
}

// RefundResultOf reads a Stripe Refund: requires_action (the customer must give
// bank details) waits like pending.
func RefundResultOf(re *stripe.Refund) *RefundResult {
	res := &RefundResult{Ref: re.ID, Status: paylink.RefundPending}
	switch re.Status {
	case stripe.RefundStatusSucceeded:
		res.Status = paylink.RefundSucceeded
	case stripe.RefundStatusFailed, stripe.RefundStatusCanceled:
		res.Status = paylink.RefundFailed
		if re.Status == stripe.RefundStatusCanceled {
			res.Status = paylink.RefundCanceled
		}
		res.FailureReason = string(re.FailureReason)
		res.Message = "Stripe could not refund this payment."
	}
	return res
}

// stripeRefundReason maps a paylink reason to one of Stripe's. Like Polar, it
// never sends "fraudulent", which makes Stripe block the customer.
func stripeRefundReason(reason string) stripe.RefundReason {
	if reason == "duplicate" {
		return stripe.RefundReasonDuplicate
	}
	return stripe.RefundReasonRequestedByCustomer
}

// refundErrorResult sorts a Stripe error: a refusal of the request (already
// refunded, disputed, more than the charge) is a failed RefundResult with
// Stripe's message; anything else is an error.
func refundErrorResult(err error) (*RefundResult, error) {
	var se *stripe.Error
	if errors.As(err, &se) && se.Type == stripe.ErrorTypeInvalidRequest && se.HTTPStatusCode == 400 {
		msg := se.Msg
		if msg == "" {
			msg = "Stripe refused the refund."
		}
		return &RefundResult{Status: paylink.RefundFailed, FailureReason: string(se.Code), Message: msg}, nil
	}
	return nil, stripeError(err)
}
