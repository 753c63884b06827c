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
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// Order is a paid purchase or renewal.
type Order struct {
	ID              string
	OrganizationID  string
	Status          string // "paid"
	BillingReason   string
	CustomerID      string
	ProductID       string
	PriceID         string
	DiscountID      *string
	SubscriptionID  *string
	CheckoutID      *string
	CheckoutLinkID  *string // ours: attribution
	Amount          int64   // subtotal before discount
	DiscountAmount  int64
	NetAmount       int64
	TotalAmount     int64
	Currency        string
	Metadata        Metadata
	CustomFieldData map[string]any
	CreatedAt       time.Time
	ModifiedAt      *time.Time
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
	CanceledAt         *time.Time
	PaymentMethodRef   *string    // the processor's saved payment method, charged at renewal
	RenewalAttempts    int        // failed renewal charges of the current period
	NextAttemptAt      *time.Time // when a past-due renewal is tried again
	Metadata           Metadata
	CustomFieldData    map[string]any
	CreatedAt          time.Time
	ModifiedAt         *time.Time
}
