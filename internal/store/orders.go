package store

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

const orderColumns = `id, organization_id, status, billing_reason, customer_id, product_id, price_id, discount_id,
	subscription_id, checkout_id, checkout_link_id, amount, discount_amount, net_amount, total_amount, currency,
	metadata, custom_field_data, created_at, modified_at, refunded_amount, refund_held_amount, receipt_number, receipt_token`

func scanOrder(row interface{ Scan(...any) error }) (*paylink.Order, error) {
	var o paylink.Order
	var meta, fields string
	if err := row.Scan(&o.ID, &o.OrganizationID, &o.Status, &o.BillingReason, &o.CustomerID, &o.ProductID,
		&o.PriceID, &o.DiscountID, &o.SubscriptionID, &o.CheckoutID, &o.CheckoutLinkID, &o.Amount,
		&o.DiscountAmount, &o.NetAmount, &o.TotalAmount, &o.Currency, &meta, &fields, &o.CreatedAt,
		&o.ModifiedAt, &o.RefundedAmount, &o.RefundHeldAmount, &o.ReceiptNumber, &o.ReceiptToken); err != nil {
		return nil, err
	}
	var err error
	if o.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	o.CustomFieldData, err = parseJSONMap(fields)
	return &o, err
}

// OrderCreate inserts an order with the organization's next receipt number and
// a new receipt token. The number comes from the organization's counter, bumped
// in this transaction (its row stays locked until commit), so numbers are
// sequential per organization without gaps or repeats across processes. A
// second order for the same checkout is EConflict: the unique checkout_id is the
// last line of defence against double orders.
func (tx *Tx) OrderCreate(ctx context.Context, o *paylink.Order) error {
	if o.ID == "" {
		o.ID = paylink.NewID()
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = paylink.Now()
	}
	o.ReceiptToken = paylink.NewSecret(paylink.PrefixReceipt)
	if err := tx.Engine().orderInsert(ctx, tx, o); err != nil {
		return err
	}
	if err := tx.indexMetadata(ctx, "orders", o.OrganizationID, o.ID, o.CreatedAt, o.Metadata, false); err != nil {
		return err
	}
	return tx.countOrder(ctx, o, o.CreatedAt, o.NetAmount, o.RefundedAmount, true)
}

// orderInsertSQL inserts an order (the engines' orderInsert), with number as
// the receipt number's expression and orderInsertArgs as $1 to $23.
func orderInsertSQL(number string) string {
	return `INSERT INTO orders (` + orderColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7,
		$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, ` + number + `, $23)`
}

func orderInsertArgs(o *paylink.Order) []any {
	return []any{o.ID, o.OrganizationID, o.Status, o.BillingReason, o.CustomerID, o.ProductID, o.PriceID, o.DiscountID,
		o.SubscriptionID, o.CheckoutID, o.CheckoutLinkID, o.Amount, o.DiscountAmount, o.NetAmount, o.TotalAmount,
		o.Currency, metadataText(o.Metadata), jsonText(orEmpty(o.CustomFieldData)), o.CreatedAt, o.ModifiedAt,
		o.RefundedAmount, o.RefundHeldAmount, o.ReceiptToken}
}

// countOrder adds an order's money (revenue, refunded) to the rollups of its
// session's link, and, for a new order, counts it.
func (tx *Tx) countOrder(ctx context.Context, o *paylink.Order, at time.Time, revenue, refunded int64, created bool) error {
	d := tx.deltas()
	tx.countOrderMoney(o, at, b2i(created), revenue, refunded)
	if created {
		d.rows[orgCounter(o.OrganizationID, "orders")]++
		if o.CheckoutLinkID != nil {
			d.rows[linkCounter(*o.CheckoutLinkID, "orders")]++
		}
	}
	tx.rememberRefunded(o.ID, o.RefundedAmount, at)
	if o.CheckoutID == nil || (revenue == 0 && refunded == 0) {
		return nil
	}
	a, err := tx.sessionAttribution(ctx, *o.CheckoutID)
	if err != nil || a == nil || a.link == "" {
		return err
	}
	tx.countMoney(a, o.Currency, revenue, refunded)
	return nil
}

// rememberRefunded keeps a locked order's refunded amount for OrderRefundsSave.
func (tx *Tx) rememberRefunded(id string, amount int64, created time.Time) {
	if tx.refunded == nil {
		tx.refunded = map[string]orderSeen{}
	}
	tx.refunded[id] = orderSeen{amount, created}
}

// orderSeen is what a transaction read of an order, for its rollups.
type orderSeen struct {
	refunded int64
	created  time.Time
}

// OrderByReceiptToken returns the order whose receipt page's URL holds token;
// ENotFound otherwise.
func (tx *Tx) OrderByReceiptToken(ctx context.Context, token string) (*paylink.Order, error) {
	o, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE receipt_token = $1`, token))
	return o, notFound(err, "receipt")
}

// OrderGet returns one of an organization's orders; ENotFound otherwise.
func (tx *Tx) OrderGet(ctx context.Context, orgID, id string) (*paylink.Order, error) {
	o, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 AND organization_id = $2`, id, orgID))
	return o, notFound(err, "order")
}

// OrderGetForUpdate is OrderGet that also locks the order until the
// transaction ends, waiting for another transaction that holds it: refunds of
// one order take turns (on SQLite the single writer serializes them anyway).
func (tx *Tx) OrderGetForUpdate(ctx context.Context, orgID, id string) (*paylink.Order, error) {
	o, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 AND organization_id = $2`+
		tx.Engine().ForUpdate(false), id, orgID))
	if err == nil {
		tx.rememberRefunded(o.ID, o.RefundedAmount, o.CreatedAt)
	}
	return o, notFound(err, "order")
}

// OrderRefundsSave writes an order's status and refund amounts (the caller
// holds its lock from OrderGetForUpdate) and sets its modified_at.
func (tx *Tx) OrderRefundsSave(ctx context.Context, o *paylink.Order, now time.Time) error {
	o.ModifiedAt = &now
	before, ok := tx.refunded[o.ID]
	if !ok {
		if err := tx.QueryRowContext(ctx, `SELECT refunded_amount, created_at FROM orders WHERE id = $1`, o.ID).
			Scan(&before.refunded, &before.created); err != nil {
			return notFound(err, "order")
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE orders SET status = $1, refunded_amount = $2, refund_held_amount = $3,
		modified_at = $4 WHERE id = $5 AND organization_id = $6`,
		o.Status, o.RefundedAmount, o.RefundHeldAmount, now, o.ID, o.OrganizationID)
	if err := affectedOne(res, err, "order"); err != nil {
		return err
	}
	return tx.countOrder(ctx, o, before.created, 0, o.RefundedAmount-before.refunded, false)
}

// OrderByCheckout returns the order a checkout created; ENotFound when none.
func (tx *Tx) OrderByCheckout(ctx context.Context, checkoutID string) (*paylink.Order, error) {
	o, err := scanOrder(tx.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE checkout_id = $1`, checkoutID))
	return o, notFound(err, "order")
}

// OrderListParams filters OrderList.
type OrderListParams struct {
	ListParams
	OrganizationID  string
	ProductIDs      []string
	CustomerIDs     []string
	DiscountIDs     []string
	CheckoutIDs     []string
	SubscriptionIDs []string
	BillingReasons  []string
	CheckoutLinkID  string
	Metadata        MetadataQuery
	ProductQuery    string // substring of the product's name, ignoring case (the portal's search)
}

// OrderList returns one page of an organization's orders and the total count.
func (tx *Tx) OrderList(ctx context.Context, p OrderListParams) ([]*paylink.Order, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	for col, vals := range map[string][]string{"product_id": p.ProductIDs, "customer_id": p.CustomerIDs,
		"discount_id": p.DiscountIDs, "checkout_id": p.CheckoutIDs, "subscription_id": p.SubscriptionIDs,
		"billing_reason": p.BillingReasons} {
		if len(vals) > 0 {
			where += ` AND ` + col + ` IN ` + args.In(vals)
		}
	}
	if p.CheckoutLinkID != "" {
		where += ` AND checkout_link_id = ` + args.Add(p.CheckoutLinkID)
	}
	var total func() (int, error)
	if len(p.ProductIDs)+len(p.CustomerIDs)+len(p.DiscountIDs)+len(p.CheckoutIDs)+len(p.SubscriptionIDs)+len(p.BillingReasons) == 0 &&
		p.ProductQuery == "" {
		switch {
		case len(p.Metadata) == 0:
			total = func() (int, error) {
				return tx.orgOrLinkCount(ctx, p.OrganizationID, "orders", p.CheckoutLinkID, "orders")
			}
		case len(p.Metadata) == 1 && p.CheckoutLinkID == "":
			total = func() (int, error) { return tx.metadataCount(ctx, p.Metadata, "orders", p.OrganizationID) }
		}
	}
	lp, def := p.ListParams, "created_at DESC, id"
	from, meta, err := tx.metadataJoin(ctx, p.Metadata, "orders", p.OrganizationID, &lp, def, &args)
	if err != nil {
		return nil, 0, err
	}
	where += meta + productNameLike(p.ProductQuery, &args)
	return listPageCounted(ctx, tx, lp, orderColumns, from, where, def, args, scanOrder, total)
}

// productNameLike is the condition that a row's product_id names a product
// whose name holds q, ignoring case; "" for no q.
func productNameLike(q string, args *Args) string {
	if q == "" {
		return ""
	}
	return ` AND product_id IN (SELECT p.id FROM products p WHERE lower(p.name) LIKE ` +
		args.Add("%"+likeEscape(strings.ToLower(q))+"%") + ` ESCAPE '\')`
}
