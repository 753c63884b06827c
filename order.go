package paylink

import (
	"fmt"
	"time"
)

// Billing reasons of orders.
const (
	BillingPurchase           = "purchase"
	BillingSubscriptionCreate = "subscription_create"
	BillingSubscriptionCycle  = "subscription_cycle"
)

// Subscription statuses.
const (
	SubscriptionActive   = "active"
	SubscriptionPastDue  = "past_due"
	SubscriptionCanceled = "canceled"
)

// Customer is a buyer, unique by email within an organization.
type Customer struct {
	ID             string
	OrganizationID string
	Email          string
	Name           *string
	BillingCountry *string
	Metadata       Metadata
	ExternalID     *string    // the merchant's id of the customer (its own user id); unique among live customers
	DeletedAt      *time.Time // deleted customers stay for their orders, out of lists and lookups
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// Order is a paid purchase or renewal.
type Order struct {
	ID             string
	OrganizationID string
	Status         string // OrderPaid, OrderPartiallyRefunded or OrderRefunded
	BillingReason  string
	CustomerID     string
	ProductID      string
	PriceID        string
	DiscountID     *string
	SubscriptionID *string
	CheckoutID     *string
	CheckoutLinkID *string // ours: attribution
	Amount         int64   // subtotal before discount
	DiscountAmount int64
	NetAmount      int64
	TotalAmount    int64
	Currency       string
	// RefundedAmount is what succeeded refunds gave back; RefundHeldAmount what
	// refunds asked of the processor and not yet settled hold (internal/refunds).
	RefundedAmount   int64
	RefundHeldAmount int64
	Metadata         Metadata
	CustomFieldData  map[string]any
	CreatedAt        time.Time
	ModifiedAt       *time.Time
	// ReceiptNumber counts the organization's orders from 1; the store assigns
	// it, with ReceiptToken, the secret of the receipt page's URL.
	ReceiptNumber int64
	ReceiptToken  string
}

// ReceiptLabel is how receipts and the API name an order's receipt number:
// Polar's "RCPT-" prefix and at least four digits.
func (o *Order) ReceiptLabel() string { return fmt.Sprintf("RCPT-%04d", o.ReceiptNumber) }

// Subscription is a recurring purchase.
type Subscription struct {
	ID                 string
	OrganizationID     string
	Status             string
	CustomerID         string
	ProductID          string
	PriceID            string
	DiscountID         *string
	CheckoutID         *string
	CheckoutLinkID     *string // ours: attribution
	Amount             int64   // per period, after discount
	Currency           string
	RecurringInterval  string
	IntervalCount      int
	CurrentPeriodStart time.Time
	CurrentPeriodEnd   time.Time
	StartedAt          time.Time
	PastDueAt          *time.Time
	CanceledAt         *time.Time // when it was canceled (at period end or at once); nil once uncanceled
	CancelAtPeriodEnd  bool       // ends at EndsAt instead of renewing
	EndsAt             *time.Time // when a canceled subscription ends (or ended)
	EndedAt            *time.Time // when it ended; it never renews again
	// CustomerCancellationReason is one of CancellationReasons; the comment is the
	// customer's own words. Both are cleared by an uncancel, as Polar does.
	CustomerCancellationReason  *string
	CustomerCancellationComment *string
	PaymentMethodRef            *string    // the processor's saved payment method, charged at renewal
	RenewalAttempts             int        // failed renewal charges of the current period
	NextAttemptAt               *time.Time // when a past-due renewal is tried again
	Metadata                    Metadata
	CustomFieldData             map[string]any
	CreatedAt                   time.Time
	ModifiedAt                  *time.Time
}
