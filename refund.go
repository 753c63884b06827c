package paylink

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Order statuses (Polar's OrderStatus that paylink uses).
const (
	OrderPaid              = "paid"
	OrderPartiallyRefunded = "partially_refunded"
	OrderRefunded          = "refunded"
)

// Refund statuses, as Polar's RefundStatus.
const (
	RefundPending   = "pending"
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
	RefundCanceled  = "canceled"
)

// RefundReasons are the reasons a merchant may give (Polar's RefundCreate
// reason; "dispute_prevention" is Polar's own and not accepted from a client).
var RefundReasons = []string{"duplicate", "fraudulent", "customer_request", "service_disruption",
	"satisfaction_guarantee", "other"}

// RefundCommentMax bounds a refund's internal comment.
const RefundCommentMax = 1000

// Refund is money given back on an order: all of it or part.
type Refund struct {
	ID             string
	OrganizationID string
	OrderID        string
	SubscriptionID *string
	CustomerID     string
	Status         string
	Reason         string
	Amount         int64 // minor units, in the order's currency
	Currency       string
	Comment        *string
	RevokeBenefits bool
	Metadata       Metadata
	Processor      string
	ProcessorRef   *string // the processor's id of the refund, once it answered
	FailureReason  *string
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// RefundInput is a request to refund an order, as the API and the dashboard
// parse it; CheckRefundInput checks it.
type RefundInput struct {
	// ID, when the caller chose it (the dashboard's confirmation step mints one),
	// makes the request idempotent: a second request with the same ID (a double
	// click, a resent form) answers the refund made by the first. "" picks one.
	ID             string
	OrderID        string
	Reason         string
	Amount         int64
	Comment        *string
	RevokeBenefits bool
	Metadata       map[string]any
}

// CheckRefundInput checks what a refund request can be checked for without the
// order (Polar's RefundCreate schema): a reason from RefundReasons, an amount of
// at least 1, a comment of at most RefundCommentMax characters, valid metadata.
// Errors are located at ["body", field].
func CheckRefundInput(in RefundInput) (Metadata, error) {
	var p Problems
	if !ValidID(in.OrderID) {
		p.Add("must be a valid UUID", in.OrderID, "body", "order_id")
	}
	if in.ID != "" && !ValidID(in.ID) {
		p.Add("must be a valid UUID", in.ID, "body", "id")
	}
	if !slices.Contains(RefundReasons, in.Reason) {
		p.Add("must be one of duplicate, fraudulent, customer_request, service_disruption, satisfaction_guarantee, other",
			in.Reason, "body", "reason")
	}
	if in.Amount < 1 {
		p.Add("must be at least 1", in.Amount, "body", "amount")
	}
	if in.Comment != nil && utf8.RuneCountInString(*in.Comment) > RefundCommentMax {
		p.Add(fmt.Sprintf("must be at most %d characters", RefundCommentMax), nil, "body", "comment")
	}
	meta, err := ParseMetadata(in.Metadata, "body", "metadata")
	if fe, ok := err.(*Error); ok {
		p = append(p, fe.Fields...)
	} else if err != nil {
		return nil, err
	}
	return meta, p.Err()
}

// RefundableAmount is what is left to refund on an order: what was paid, less
// what was refunded and what refunds in flight hold.
func RefundableAmount(o *Order) int64 {
	return max(0, o.TotalAmount-o.RefundedAmount-o.RefundHeldAmount)
}

// OrderStatusAfterRefunds is the status of a paid order once its succeeded
// refunds have given back o.RefundedAmount (Polar's Order.update_refunds).
func OrderStatusAfterRefunds(o *Order) string {
	switch {
	case o.RefundedAmount <= 0:
		return OrderPaid
	case o.RefundedAmount >= o.TotalAmount:
		return OrderRefunded
	default:
		return OrderPartiallyRefunded
	}
}
