package mail

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// ReceiptData is a receipt's content: what was bought, for how much, when.
type ReceiptData struct {
	CustomerName   string
	ProductName    string
	Interval       string // "month", "3 months"; "" for a one-time purchase
	Renewal        bool   // a subscription's renewal, not its first payment
	OrderID        string
	Date           string // "3 December 2026"
	Currency       string
	Subtotal       int64 // before the discount
	DiscountAmount int64
	DiscountName   string
	Total          int64
	// ReceiptURL is where the customer sees the order: the shop's customer
	// portal until paylink has a receipt page of its own.
	ReceiptURL string
}

// Receipt queues the receipt of a paid order to its customer, in tx: the
// transaction that creates the order (a first purchase or a renewal).
func (s *Service) Receipt(ctx context.Context, tx *store.Tx, o *paylink.Order) error {
	customer, err := tx.CustomerGet(ctx, o.OrganizationID, o.CustomerID)
	if err != nil {
		return err
	}
	product, err := tx.ProductGet(ctx, o.OrganizationID, o.ProductID)
	if err != nil {
		return err
	}
	org, err := tx.OrganizationGet(ctx, o.OrganizationID)
	if err != nil {
		return err
	}
	d := ReceiptData{CustomerName: deref(customer.Name), ProductName: product.Name, OrderID: o.ID,
		Renewal: o.BillingReason == paylink.BillingSubscriptionCycle, Date: day(o.CreatedAt),
		Currency: o.Currency, Subtotal: o.Amount, DiscountAmount: o.DiscountAmount, Total: o.TotalAmount,
		ReceiptURL: s.PortalURL(org)}
	if o.SubscriptionID != nil {
		sub, err := tx.SubscriptionGet(ctx, o.OrganizationID, *o.SubscriptionID)
		if err != nil {
			return err
		}
		d.Interval = paylink.IntervalText(sub.RecurringInterval, sub.IntervalCount)
	}
	if o.DiscountID != nil && o.DiscountAmount > 0 {
		discount, err := tx.DiscountGet(ctx, o.OrganizationID, *o.DiscountID)
		if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
			return err
		}
		if discount != nil {
			d.DiscountName = discount.Name
		}
	}
	_, err = s.Queue(ctx, tx, Message{Kind: KindReceipt, OrganizationID: o.OrganizationID, To: customer.Email, Data: d,
		OrderID: &o.ID, SubscriptionID: o.SubscriptionID, CustomerID: &customer.ID})
	return err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
