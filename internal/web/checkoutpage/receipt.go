package checkoutpage

import (
	"context"
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
)

// receiptPage is what receipt.html renders: everything a printed receipt says.
type receiptPage struct {
	Title      string
	Shop       web.ShopHeader
	TestMode   bool
	Number     string // RCPT-0001
	OrderID    string
	PaidAt     string
	Customer   string // the customer's email
	Name       string
	Items      []receiptItem
	Subtotal   string
	Discount   string // "" without one
	DiscountOf string // the discount's name
	Tax        string
	Total      string
	Method     string // how it was paid
	Portal     string // the shop's customer portal
}

// receiptItem is one line of a receipt.
type receiptItem struct{ Label, Amount string }

// receipt shows the printable receipt of the order whose token is in the URL.
func (w *Page) receipt(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "private, no-store")
	p, err := w.loadReceipt(r.Context(), r.PathValue("token"))
	if err != nil {
		w.Fail(rw, r, err)
		return
	}
	w.Render(rw, r, http.StatusOK, "receipt", p)
}

// loadReceipt reads what the receipt of the order with the receipt token says.
func (w *Page) loadReceipt(ctx context.Context, token string) (*receiptPage, error) {
	var p *receiptPage
	err := w.Store.Read(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderByReceiptToken(ctx, token)
		if err != nil {
			return err
		}
		org, err := tx.OrganizationGet(ctx, o.OrganizationID)
		if err != nil {
			return err
		}
		cust, err := tx.CustomerGet(ctx, o.OrganizationID, o.CustomerID)
		if err != nil {
			return err
		}
		prod, err := tx.ProductGet(ctx, o.OrganizationID, o.ProductID)
		if err != nil {
			return err
		}
		pay, err := tx.PaymentOfOrder(ctx, o.OrganizationID, o.ID)
		if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
			return err
		}
		money := func(n int64) string { return web.DisplayMoney(n, o.Currency) }
		p = &receiptPage{Title: "Receipt " + o.ReceiptLabel() + " · " + org.Name, Shop: web.NewShopHeader(org),
			TestMode: w.TestMode(), Number: o.ReceiptLabel(), OrderID: o.ID, PaidAt: o.CreatedAt.Format("January 2, 2006"),
			Customer: cust.Email, Name: web.TextOf(cust.Name), Subtotal: money(o.Amount), Tax: money(0), Total: money(o.TotalAmount),
			Method: paymentMethodLabel(pay), Portal: portal.PortalPath(org.Slug),
			Items: []receiptItem{{Label: web.ItemLabel(o, prod), Amount: money(o.Amount)}}}
		if o.DiscountAmount > 0 {
			p.Discount = "−" + money(o.DiscountAmount)
			if o.DiscountID != nil {
				if d, err := tx.DiscountGet(ctx, o.OrganizationID, *o.DiscountID); err == nil {
					p.DiscountOf = d.Name
				}
			}
		}
		return nil
	})
	return p, err
}

// paymentMethodLabel says how an order was paid; paylink keeps no card details.
func paymentMethodLabel(p *store.Payment) string {
	switch {
	case p == nil:
		return "No payment needed"
	case p.Processor == "sandbox":
		return "Test card (sandbox, no real money)"
	}
	return "Card, through Stripe"
}
