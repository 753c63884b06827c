package mail

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
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
	// Benefits is what the order delivers, as the success page shows it: the
	// notes, the license keys and links to the files (never the files).
	Benefits []ReceiptBenefit
}

// ReceiptBenefit is one benefit in a receipt.
type ReceiptBenefit struct {
	Description string
	Note        string // a custom benefit's note, as its Markdown source
	Key         string // a license key
	Files       []ReceiptFile
}

// ReceiptFile is a file to download: its name and size, and a signed link
// valid for a week (files.MailDownloadURLTTL); the portal has fresh ones after.
type ReceiptFile struct {
	Name, Size, URL string
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
	// A purchase's grants, and a new subscription's, are its product's
	// benefits, granted in tx (benefits.GrantForOrder with the product read
	// above): with none, there is nothing to read. A renewal lists its
	// subscription's, granted by any earlier order.
	first := o.BillingReason == paylink.BillingPurchase || o.BillingReason == paylink.BillingSubscriptionCreate
	if len(product.Benefits) > 0 || !first {
		if d.Benefits, err = s.receiptBenefits(ctx, tx, o); err != nil {
			return err
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

// receiptBenefits lists what o delivers, read in tx (the order's transaction,
// where its grants are already made).
func (s *Service) receiptBenefits(ctx context.Context, tx *store.Tx, o *paylink.Order) ([]ReceiptBenefit, error) {
	ds, err := benefits.OfOrderIn(ctx, tx, o)
	if err != nil {
		return nil, err
	}
	var out []ReceiptBenefit
	for _, d := range ds {
		b := ReceiptBenefit{Description: d.Benefit.Description}
		switch {
		case d.Key != nil:
			b.Key = d.Key.Key
		case d.Benefit.Type == paylink.BenefitCustom:
			b.Note, _ = d.Benefit.Properties["note"].(string)
		}
		for _, f := range d.Files {
			rf := ReceiptFile{Name: f.File.Name, Size: paylink.ReadableSize(f.File.Size)}
			if s.links != nil {
				rf.URL, _ = s.links(f.File.ID, f.Downloadable.ID)
			}
			b.Files = append(b.Files, rf)
		}
		out = append(out, b)
	}
	return out, nil
}
