package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

// Payment is one charge attempt and its outcome.
type Payment struct {
	ID             string
	OrganizationID string
	CheckoutID     *string
	SubscriptionID *string
	OrderID        *string
	Processor      string
	ProcessorRef   string
	Amount         int64
	Currency       string
	Status         string // "succeeded" or "failed"
	DeclineCode    *string
	CreatedAt      time.Time
}

// PaymentRecord inserts a payment attempt.
func (tx *Tx) PaymentRecord(ctx context.Context, p *Payment) error {
	if p.ID == "" {
		p.ID = paylink.NewID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO payments (id, organization_id, checkout_id, subscription_id, order_id,
		processor, processor_ref, amount, currency, status, decline_code, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.ID, p.OrganizationID, p.CheckoutID, p.SubscriptionID, p.OrderID, p.Processor, p.ProcessorRef,
		p.Amount, p.Currency, p.Status, p.DeclineCode, p.CreatedAt)
	return err
}

// PaymentsByCheckout returns a checkout's payment attempts, oldest first.
func (tx *Tx) PaymentsByCheckout(ctx context.Context, checkoutID string) ([]*Payment, error) {
	return queryAll(ctx, tx, func(row scanner) (*Payment, error) {
		var p Payment
		if err := row.Scan(&p.ID, &p.OrganizationID, &p.CheckoutID, &p.SubscriptionID, &p.OrderID, &p.Processor,
			&p.ProcessorRef, &p.Amount, &p.Currency, &p.Status, &p.DeclineCode, &p.CreatedAt); err != nil {
			return nil, err
		}
		return &p, nil
	}, `SELECT id, organization_id, checkout_id, subscription_id, order_id, processor,
		processor_ref, amount, currency, status, decline_code, created_at FROM payments
		WHERE checkout_id = $1 ORDER BY created_at, id`, checkoutID)
}

// PaymentOfOrder returns the succeeded payment that paid an order; ENotFound for
// an order nothing was charged for (a free one).
func (tx *Tx) PaymentOfOrder(ctx context.Context, orderID string) (*Payment, error) {
	var p Payment
	err := tx.QueryRowContext(ctx, `SELECT id, organization_id, checkout_id, subscription_id, order_id, processor,
		processor_ref, amount, currency, status, decline_code, created_at FROM payments
		WHERE order_id = $1 AND status = 'succeeded' ORDER BY created_at, id LIMIT 1`, orderID).Scan(&p.ID,
		&p.OrganizationID, &p.CheckoutID, &p.SubscriptionID, &p.OrderID, &p.Processor, &p.ProcessorRef, &p.Amount,
		&p.Currency, &p.Status, &p.DeclineCode, &p.CreatedAt)
	if err != nil {
		return nil, notFound(err, "payment")
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return &p, nil
}
