package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

// PaymentMethod is one of a customer's saved payment methods (a card): what
// the customer portal lists, and what their subscriptions renew with.
type PaymentMethod struct {
	ID             string
	OrganizationID string
	CustomerID     string
	Processor      string // "sandbox" or "stripe"
	ProcessorRef   string // what a renewal charges: subscriptions.payment_method_ref
	Type           string // "card"
	Brand          string // "visa", "mastercard", …
	Last4          string
	ExpMonth       int
	ExpYear        int
	IsDefault      bool
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

const paymentMethodColumns = `id, organization_id, customer_id, processor, processor_ref, type, brand, last4,
	exp_month, exp_year, is_default, created_at, modified_at`

func scanPaymentMethod(row scanner) (*PaymentMethod, error) {
	var m PaymentMethod
	if err := row.Scan(&m.ID, &m.OrganizationID, &m.CustomerID, &m.Processor, &m.ProcessorRef, &m.Type, &m.Brand,
		&m.Last4, &m.ExpMonth, &m.ExpYear, &m.IsDefault, &m.CreatedAt, &m.ModifiedAt); err != nil {
		return nil, err
	}
	m.CreatedAt, m.ModifiedAt = m.CreatedAt.UTC(), utcPtr(m.ModifiedAt)
	return &m, nil
}

// PaymentMethodSave inserts m, or, when the customer already has the method of
// that processor reference (the same card saved again), refreshes its card
// details when m has them (an answer without the card keeps the stored ones),
// makes it the default when m.IsDefault (it stays one when it was), and
// returns the stored one (m.ID and m.CreatedAt become its).
func (tx *Tx) PaymentMethodSave(ctx context.Context, m *PaymentMethod) error {
	if m.ID == "" {
		m.ID = paylink.NewID()
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = paylink.Now()
	}
	row := tx.QueryRowContext(ctx, `INSERT INTO payment_methods (`+paymentMethodColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (customer_id, processor, processor_ref) DO UPDATE SET type = excluded.type,
		brand = CASE WHEN excluded.last4 = '' THEN payment_methods.brand ELSE excluded.brand END,
		last4 = CASE WHEN excluded.last4 = '' THEN payment_methods.last4 ELSE excluded.last4 END,
		exp_month = CASE WHEN excluded.last4 = '' THEN payment_methods.exp_month ELSE excluded.exp_month END,
		exp_year = CASE WHEN excluded.last4 = '' THEN payment_methods.exp_year ELSE excluded.exp_year END, is_default = (payment_methods.is_default OR excluded.is_default),
		modified_at = excluded.created_at
		RETURNING `+paymentMethodColumns,
		m.ID, m.OrganizationID, m.CustomerID, m.Processor, m.ProcessorRef, m.Type, m.Brand, m.Last4,
		m.ExpMonth, m.ExpYear, m.IsDefault, m.CreatedAt, m.ModifiedAt)
	saved, err := scanPaymentMethod(row)
	if err != nil {
		return err
	}
	*m = *saved
	return nil
}

// PaymentMethodKeep saves m as PaymentMethodSave does, as the customer's
// default when they have none yet (a card saved at checkout).
func (tx *Tx) PaymentMethodKeep(ctx context.Context, m *PaymentMethod) error {
	var hasDefault bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payment_methods
		WHERE organization_id = $1 AND customer_id = $2 AND is_default)`, m.OrganizationID, m.CustomerID).
		Scan(&hasDefault); err != nil {
		return err
	}
	m.IsDefault = !hasDefault
	return tx.PaymentMethodSave(ctx, m)
}

// PaymentMethodSetDefault makes id the customer's one default method.
func (tx *Tx) PaymentMethodSetDefault(ctx context.Context, orgID, customerID, id string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE payment_methods SET is_default = (id = $1)
		WHERE organization_id = $2 AND customer_id = $3`, id, orgID, customerID); err != nil {
		return err
	}
	return nil
}

// PaymentMethodList returns one page of a customer's methods, newest first, and
// their count.
func (tx *Tx) PaymentMethodList(ctx context.Context, orgID, customerID string, p ListParams) ([]*PaymentMethod, int, error) {
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payment_methods WHERE organization_id = $1 AND customer_id = $2`,
		orgID, customerID).Scan(&total); err != nil {
		return nil, 0, err
	}
	items, err := queryAll(ctx, tx, scanPaymentMethod, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE organization_id = $1 AND customer_id = $2`+p.orderBy("created_at DESC, id DESC")+p.limit(), orgID, customerID)
	return items, total, err
}

// PaymentMethodGet returns one of a customer's methods; ENotFound for any other
// (another customer's included).
func (tx *Tx) PaymentMethodGet(ctx context.Context, orgID, customerID, id string) (*PaymentMethod, error) {
	m, err := scanPaymentMethod(tx.QueryRowContext(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE id = $1 AND organization_id = $2 AND customer_id = $3`, id, orgID, customerID))
	return m, notFound(err, "payment method")
}

// PaymentMethodDelete removes one of a customer's methods.
func (tx *Tx) PaymentMethodDelete(ctx context.Context, orgID, customerID, id string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM payment_methods WHERE id = $1 AND organization_id = $2 AND customer_id = $3`,
		id, orgID, customerID)
	return affectedOne(res, err, "payment method")
}

// SubscriptionSetPaymentMethod sets what a subscription renews with and when
// its next renewal attempt is (nil: at its period end).
func (tx *Tx) SubscriptionSetPaymentMethod(ctx context.Context, s *paylink.Subscription) error {
	now := paylink.Now()
	s.ModifiedAt = &now
	res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET payment_method_ref = $1, next_attempt_at = $2,
		modified_at = $3 WHERE id = $4 AND organization_id = $5`,
		s.PaymentMethodRef, s.NextAttemptAt, now, s.ID, s.OrganizationID)
	return affectedOne(res, err, "subscription")
}
