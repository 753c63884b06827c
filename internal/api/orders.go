package api

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// orderJSON is Polar's Order. Tax, invoices, balances and platform fees are not
// paylink features: 0, null or false. refunded_amount counts the refunds that
// succeeded; refundable_amount is what is left, less refunds still pending.
type orderJSON struct {
	ID                   string           `json:"id"`
	CreatedAt            time.Time        `json:"created_at"`
	ModifiedAt           *time.Time       `json:"modified_at"`
	Status               string           `json:"status"`
	Paid                 bool             `json:"paid"`
	SubtotalAmount       int64            `json:"subtotal_amount"`
	DiscountAmount       int64            `json:"discount_amount"`
	NetAmount            int64            `json:"net_amount"`
	TaxAmount            int64            `json:"tax_amount"`
	TotalAmount          int64            `json:"total_amount"`
	AppliedBalanceAmount int64            `json:"applied_balance_amount"`
	DueAmount            int64            `json:"due_amount"`
	RefundedAmount       int64            `json:"refunded_amount"`
	RefundedTaxAmount    int64            `json:"refunded_tax_amount"`
	Currency             string           `json:"currency"`
	BillingReason        string           `json:"billing_reason"`
	BillingName          *string          `json:"billing_name"`
	BillingAddress       *addressJSON     `json:"billing_address"`
	InvoiceNumber        *string          `json:"invoice_number"`
	IsInvoiceGenerated   bool             `json:"is_invoice_generated"`
	ReceiptNumber        *string          `json:"receipt_number"`
	CustomerID           string           `json:"customer_id"`
	ProductID            string           `json:"product_id"`
	DiscountID           *string          `json:"discount_id"`
	SubscriptionID       *string          `json:"subscription_id"`
	CheckoutID           *string          `json:"checkout_id"`
	Metadata             paylink.Metadata `json:"metadata"`
	CustomFieldData      map[string]any   `json:"custom_field_data"`
	PlatformFeeAmount    int64            `json:"platform_fee_amount"`
	PlatformFeeCurrency  *string          `json:"platform_fee_currency"`
	Customer             customerJSON     `json:"customer"`
	Product              any              `json:"product"`
	Discount             any              `json:"discount"`
	Subscription         any              `json:"subscription"`
	Items                []orderItemJSON  `json:"items"`
	Description          string           `json:"description"`
	RefundableAmount     int64            `json:"refundable_amount"`
	RefundableTaxAmount  int64            `json:"refundable_tax_amount"`
	CheckoutLinkID       *string          `json:"checkout_link_id"` // ours: attribution
	// Older SDKs require the deprecated amount (the subtotal) and user_id (the
	// customer, as Polar's legacy user id is); SDK 1.x the units (no unit pricing).
	Amount int64  `json:"amount"`
	UserID string `json:"user_id"`
	Units  *int64 `json:"units"`
}

// orderItemJSON is Polar's OrderItemSchema: paylink orders have one line, the product.
type orderItemJSON struct {
	CreatedAt      time.Time  `json:"created_at"`
	ModifiedAt     *time.Time `json:"modified_at"`
	ID             string     `json:"id"`
	Label          string     `json:"label"`
	Amount         int64      `json:"amount"`
	TaxAmount      int64      `json:"tax_amount"`
	Proration      bool       `json:"proration"`
	ProductPriceID string     `json:"product_price_id"`
	// The period a subscription's item pays for (SDK 1.x): paylink's items are the
	// whole order, whose period is the subscription's own: null.
	StartTimestamp *time.Time `json:"start_timestamp"`
	EndTimestamp   *time.Time `json:"end_timestamp"`
}

// orderJSON renders an order with its customer, product, discount and subscription.
func (l *loader) orderJSON(o *paylink.Order) (any, error) {
	cust, err := l.customer(o.OrganizationID, o.CustomerID)
	if err != nil {
		return nil, err
	}
	prod, err := l.product(o.OrganizationID, o.ProductID)
	if err != nil {
		return nil, err
	}
	d, err := l.discount(o.OrganizationID, o.DiscountID)
	if err != nil {
		return nil, err
	}
	sub, err := l.subscription(o.OrganizationID, o.SubscriptionID)
	if err != nil {
		return nil, err
	}
	out := orderJSON{ID: o.ID, CreatedAt: o.CreatedAt, ModifiedAt: o.ModifiedAt, Status: o.Status,
		Paid: true, RefundedAmount: o.RefundedAmount, SubtotalAmount: o.Amount, DiscountAmount: o.DiscountAmount, NetAmount: o.NetAmount,
		TotalAmount: o.TotalAmount, Currency: o.Currency, BillingReason: o.BillingReason,
		BillingAddress: addressOf(cust.BillingCountry), CustomerID: o.CustomerID, ProductID: o.ProductID,
		DiscountID: o.DiscountID, SubscriptionID: o.SubscriptionID, CheckoutID: o.CheckoutID, Metadata: o.Metadata,
		CustomFieldData: o.CustomFieldData, Customer: customerOf(cust), Product: ProductJSON(l.base, prod),
		Items: []orderItemJSON{{CreatedAt: o.CreatedAt, ModifiedAt: o.ModifiedAt, ID: o.ID, Label: prod.Name,
			Amount: o.Amount, ProductPriceID: o.PriceID}},
		Description: prod.Name, RefundableAmount: paylink.RefundableAmount(o), CheckoutLinkID: o.CheckoutLinkID,
		ReceiptNumber: receiptNumber(o), Amount: o.Amount, UserID: o.CustomerID, InvoiceNumber: receiptNumber(o)}
	if out.Metadata == nil {
		out.Metadata = paylink.Metadata{}
	}
	if out.CustomFieldData == nil {
		out.CustomFieldData = map[string]any{}
	}
	if d != nil {
		out.Discount = DiscountBaseJSON(d)
	}
	if sub != nil {
		out.Subscription = subscriptionBase(sub)
	}
	return out, nil
}

// receiptNumber is the order's receipt number on the wire (every paylink order
// has one: it is paid when it is created).
func receiptNumber(o *paylink.Order) *string {
	n := o.ReceiptLabel()
	return &n
}

// orderSortColumns maps Polar's OrderSortProperty to columns of orders; related
// objects sort by their name (customers by email).
var orderSortColumns = map[string]string{
	"created_at": "created_at", "status": "status", "invoice_number": "created_at", "amount": "total_amount",
	"net_amount":   "net_amount",
	"customer":     "(SELECT c.email_lower FROM customers c WHERE c.id = orders.customer_id)",
	"product":      "(SELECT p.name FROM products p WHERE p.id = orders.product_id)",
	"discount":     "(SELECT d.name FROM discounts d WHERE d.id = orders.discount_id)",
	"subscription": "subscription_id",
}

func (a *API) orderList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	page, list := parseList(r, &probs, orderSortColumns, "")
	params := store.OrderListParams{OrganizationID: p.OrgID,
		ListParams: list}
	ids := map[string]*[]string{"product_id": &params.ProductIDs, "customer_id": &params.CustomerIDs,
		"discount_id": &params.DiscountIDs, "checkout_id": &params.CheckoutIDs, "subscription_id": &params.SubscriptionIDs}
	for name, dst := range ids {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		*dst = lowerAll(v)
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	for _, t := range queryList(q, "product_billing_type") {
		switch t {
		case "one_time":
			params.BillingReasons = append(params.BillingReasons, paylink.BillingPurchase)
		case "recurring":
			params.BillingReasons = append(params.BillingReasons, paylink.BillingSubscriptionCreate, paylink.BillingSubscriptionCycle)
		default:
			probs.Add("must be one_time or recurring", t, "query", "product_billing_type")
		}
	}
	params.Metadata = metadataQuery(q, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	// Another organization's orders are never listed.
	return writeList(a, w, r, page, otherOrgsOnly(orgIDs, p),
		func(tx *store.Tx) ([]*paylink.Order, int, error) {
			var none bool
			var err error
			if params.CustomerIDs, none, err = byExternalCustomer(r, tx, p.OrgID, params.CustomerIDs); none || err != nil {
				return nil, 0, err
			}
			return tx.OrderList(r.Context(), params)
		},
		(*loader).orderJSON)
}

func (a *API) orderGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "order")
	if err != nil {
		return err
	}
	return writeOne(a, w, r,
		func(tx *store.Tx) (*paylink.Order, error) { return tx.OrderGet(r.Context(), p.OrgID, id) },
		(*loader).orderJSON)
}
