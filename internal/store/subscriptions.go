package store

import (
	"context"
	"time"

	"github.com/paylink/paylink"
)

const subscriptionColumns = `id, organization_id, status, customer_id, product_id, price_id, discount_id, checkout_id,
	checkout_link_id, amount, currency, recurring_interval, interval_count, current_period_start,
	current_period_end, started_at, past_due_at, canceled_at, payment_method_ref, renewal_attempts, next_attempt_at, metadata, custom_field_data, created_at, modified_at,
	cancel_at_period_end, ends_at, ended_at, customer_cancellation_reason, customer_cancellation_comment`

func scanSubscription(row interface{ Scan(...any) error }) (*paylink.Subscription, error) {
	var s paylink.Subscription
	var meta, fields string
	if err := row.Scan(&s.ID, &s.OrganizationID, &s.Status, &s.CustomerID, &s.ProductID, &s.PriceID,
		&s.DiscountID, &s.CheckoutID, &s.CheckoutLinkID, &s.Amount, &s.Currency, &s.RecurringInterval,
		&s.IntervalCount, &s.CurrentPeriodStart, &s.CurrentPeriodEnd, &s.StartedAt, &s.PastDueAt,
		&s.CanceledAt, &s.PaymentMethodRef, &s.RenewalAttempts, &s.NextAttemptAt, &meta, &fields, &s.CreatedAt, &s.ModifiedAt,
		&s.CancelAtPeriodEnd, &s.EndsAt, &s.EndedAt, &s.CustomerCancellationReason, &s.CustomerCancellationComment); err != nil {
		return nil, err
	}
	var err error
	if s.Metadata, err = parseMetadata(meta); err != nil {
		return nil, err
	}
	s.CustomFieldData, err = parseJSONMap(fields)
	return &s, err
}

// SubscriptionCreate inserts a subscription.
func (tx *Tx) SubscriptionCreate(ctx context.Context, s *paylink.Subscription) error {
	if s.ID == "" {
		s.ID = paylink.NewID()
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = paylink.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (`+subscriptionColumns+`) VALUES ($1, $2, $3, $4,
		$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
		$26, $27, $28, $29, $30)`,
		s.ID, s.OrganizationID, s.Status, s.CustomerID, s.ProductID, s.PriceID, s.DiscountID, s.CheckoutID,
		s.CheckoutLinkID, s.Amount, s.Currency, s.RecurringInterval, s.IntervalCount, s.CurrentPeriodStart,
		s.CurrentPeriodEnd, s.StartedAt, s.PastDueAt, s.CanceledAt, s.PaymentMethodRef, s.RenewalAttempts, s.NextAttemptAt,
		metadataText(s.Metadata),
		jsonText(orEmpty(s.CustomFieldData)), s.CreatedAt, s.ModifiedAt,
		s.CancelAtPeriodEnd, s.EndsAt, s.EndedAt, s.CustomerCancellationReason, s.CustomerCancellationComment)
	if err != nil {
		return err
	}
	tx.deltas().rows[orgCounter(s.OrganizationID, "subscriptions")]++
	return tx.indexMetadata(ctx, "subscriptions", s.OrganizationID, s.ID, s.CreatedAt, s.Metadata, false)
}

// SubscriptionGet returns one of an organization's subscriptions; ENotFound otherwise.
func (tx *Tx) SubscriptionGet(ctx context.Context, orgID, id string) (*paylink.Subscription, error) {
	return tx.subscriptionGet(ctx, orgID, id, "")
}

// SubscriptionGetForUpdate is SubscriptionGet that also locks the subscription
// until the transaction ends, so a cancel, a revoke and a renewal of it happen
// one after the other.
func (tx *Tx) SubscriptionGetForUpdate(ctx context.Context, orgID, id string) (*paylink.Subscription, error) {
	return tx.subscriptionGet(ctx, orgID, id, tx.Engine().ForUpdate(false))
}

func (tx *Tx) subscriptionGet(ctx context.Context, orgID, id, lock string) (*paylink.Subscription, error) {
	s, err := scanSubscription(tx.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE id = $1 AND organization_id = $2`+lock, id, orgID))
	return s, notFound(err, "subscription")
}

// SubscriptionUpdate writes the status, period, amount and cancellation fields of s.
func (tx *Tx) SubscriptionUpdate(ctx context.Context, s *paylink.Subscription) error {
	now := paylink.Now()
	s.ModifiedAt = &now
	res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = $1, current_period_start = $2,
		current_period_end = $3, past_due_at = $4, canceled_at = $5, amount = $6, discount_id = $7,
		modified_at = $8, renewal_attempts = $9, next_attempt_at = $10, cancel_at_period_end = $11, ends_at = $12,
		ended_at = $13, customer_cancellation_reason = $14, customer_cancellation_comment = $15
		WHERE id = $16 AND organization_id = $17`,
		s.Status, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.PastDueAt, s.CanceledAt, s.Amount, s.DiscountID,
		now, s.RenewalAttempts, s.NextAttemptAt, s.CancelAtPeriodEnd, s.EndsAt, s.EndedAt,
		s.CustomerCancellationReason, s.CustomerCancellationComment, s.ID, s.OrganizationID)
	return affectedOne(res, err, "subscription")
}

// SubscriptionsDue locks and returns up to limit active or past-due subscriptions
// whose period ended by now (the renewal sweep; other processes skip them): to
// renew, to try again once their next attempt is due, or to end when they are set
// to cancel at period end (without waiting for a next attempt).
func (tx *Tx) SubscriptionsDue(ctx context.Context, now time.Time, limit int) ([]*paylink.Subscription, error) {
	return queryAll(ctx, tx, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE status IN ('active', 'past_due') AND current_period_end <= $1
		AND (next_attempt_at IS NULL OR next_attempt_at <= $1 OR cancel_at_period_end)
		ORDER BY current_period_end LIMIT $2`+tx.Engine().LockSkip(), now, limit)
}

// SubscriptionListParams filters SubscriptionList.
type SubscriptionListParams struct {
	ListParams
	OrganizationID string
	ProductIDs     []string
	CustomerIDs    []string
	DiscountIDs    []string
	Active         *bool // true: active or past_due; false: canceled
	Statuses       []string
	CanceledAfter  *time.Time // canceled at or after
	CanceledBefore *time.Time // canceled at or before
	// CancelAtPeriodEnd: true lists those set to end at period end; false the others.
	CancelAtPeriodEnd *bool
	Reasons           []string // customer_cancellation_reason is one of them
	Metadata          MetadataQuery
	ProductQuery      string // substring of the product's name, ignoring case (the portal's search)
}

// SubscriptionList returns one page of an organization's subscriptions and the total count.
func (tx *Tx) SubscriptionList(ctx context.Context, p SubscriptionListParams) ([]*paylink.Subscription, int, error) {
	var args Args
	where := ` WHERE organization_id = ` + args.Add(p.OrganizationID)
	for col, vals := range map[string][]string{"product_id": p.ProductIDs, "customer_id": p.CustomerIDs, "discount_id": p.DiscountIDs} {
		if len(vals) > 0 {
			where += ` AND ` + col + ` IN ` + args.In(vals)
		}
	}
	if p.Active != nil {
		if *p.Active {
			where += ` AND status IN ('active', 'past_due')`
		} else {
			where += ` AND status NOT IN ('active', 'past_due')`
		}
	}
	if len(p.Statuses) > 0 {
		where += ` AND status IN ` + args.In(p.Statuses)
	}
	if p.CanceledAfter != nil {
		where += ` AND canceled_at >= ` + args.Add(p.CanceledAfter.UTC())
	}
	if p.CanceledBefore != nil {
		where += ` AND canceled_at <= ` + args.Add(p.CanceledBefore.UTC())
	}
	if p.CancelAtPeriodEnd != nil {
		where += ` AND cancel_at_period_end = ` + args.Add(*p.CancelAtPeriodEnd)
	}
	if len(p.Reasons) > 0 {
		where += ` AND customer_cancellation_reason IN ` + args.In(p.Reasons)
	}
	lp, def := p.ListParams, "created_at DESC, id"
	from, meta, err := tx.metadataJoin(ctx, p.Metadata, "subscriptions", p.OrganizationID, &lp, def, &args)
	if err != nil {
		return nil, 0, err
	}
	where += meta + productNameLike(p.ProductQuery, &args)
	var total func() (int, error)
	if len(p.ProductIDs)+len(p.CustomerIDs)+len(p.DiscountIDs)+len(p.Statuses)+len(p.Reasons) == 0 &&
		p.Active == nil && p.CanceledAfter == nil && p.CanceledBefore == nil && p.CancelAtPeriodEnd == nil && p.ProductQuery == "" {
		switch len(p.Metadata) {
		case 0:
			total = func() (int, error) { return tx.rowCount(ctx, orgCounter(p.OrganizationID, "subscriptions")) }
		case 1:
			total = func() (int, error) { return tx.metadataCount(ctx, p.Metadata, "subscriptions", p.OrganizationID) }
		}
	}
	return listPageCounted(ctx, tx, lp, subscriptionColumns, from, where, def, args, scanSubscription, total)
}

// SubscriptionsOfCustomer returns a customer's subscriptions that have not
// ended, oldest first.
func (tx *Tx) SubscriptionsOfCustomer(ctx context.Context, orgID, customerID string) ([]*paylink.Subscription, error) {
	return tx.subscriptionsOfCustomer(ctx, orgID, customerID, "")
}

// SubscriptionsOfCustomerForUpdate is SubscriptionsOfCustomer with each row
// locked until the transaction ends.
func (tx *Tx) SubscriptionsOfCustomerForUpdate(ctx context.Context, orgID, customerID string) ([]*paylink.Subscription, error) {
	return tx.subscriptionsOfCustomer(ctx, orgID, customerID, tx.Engine().ForUpdate(false))
}

func (tx *Tx) subscriptionsOfCustomer(ctx context.Context, orgID, customerID, lock string) ([]*paylink.Subscription, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE organization_id = $1 AND customer_id = $2 AND ended_at IS NULL ORDER BY created_at, id`+lock,
		orgID, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*paylink.Subscription
	for rows.Next() {
		s, err := scanSubscription(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
