package store

import (
	"context"
	"database/sql"
	"time"
)

// MetricsFilter selects the rows of Polar's metrics: an organization's, within
// [From, To), narrowed by every non-empty filter (any of its values matches).
type MetricsFilter struct {
	OrgID       string
	From, To    time.Time
	ProductIDs  []string
	CustomerIDs []string
	LinkIDs     []string
	BillingType string // "one_time", "recurring" or "" for both
}

// MetricOrder is an order as the metrics count it.
type MetricOrder struct {
	At                        time.Time
	BillingReason, Currency   string
	NetAmount, RefundedAmount int64
}

// MetricSubscription is a subscription as the metrics count it.
type MetricSubscription struct {
	StartedAt     time.Time
	EndedAt       *time.Time
	Amount        int64
	Currency      string
	Interval      string
	IntervalCount int
}

// MetricCheckout is a session as the metrics count it.
type MetricCheckout struct {
	At        time.Time
	Succeeded bool
}

// Metrics returns the filter's orders and sessions created in the range and
// the subscriptions that started before its end and had not ended at its start.
func (tx *Tx) Metrics(ctx context.Context, f MetricsFilter) ([]MetricOrder, []MetricSubscription, []MetricCheckout, error) {
	where := func(table string, args *Args, recurring string) string {
		w := table + `.organization_id = ` + args.Add(f.OrgID)
		if len(f.ProductIDs) > 0 {
			w += ` AND ` + table + `.product_id IN ` + args.In(f.ProductIDs)
		}
		if len(f.CustomerIDs) > 0 {
			w += ` AND ` + table + `.customer_id IN ` + args.In(f.CustomerIDs)
		}
		if len(f.LinkIDs) > 0 {
			w += ` AND ` + table + `.checkout_link_id IN ` + args.In(f.LinkIDs)
		}
		switch f.BillingType {
		case "one_time":
			w += ` AND NOT (` + recurring + `)`
		case "recurring":
			w += ` AND (` + recurring + `)`
		}
		return w
	}
	args := Args{f.From, f.To}
	orders, err := queryAll(ctx, tx, func(r scanner) (MetricOrder, error) {
		var o MetricOrder
		err := r.Scan(&o.At, &o.BillingReason, &o.Currency, &o.NetAmount, &o.RefundedAmount)
		return o, err
	}, `SELECT o.created_at, o.billing_reason, o.currency, o.net_amount, o.refunded_amount FROM orders o
		WHERE o.created_at >= $1 AND o.created_at < $2 AND `+where("o", &args, `o.billing_reason <> 'purchase'`)+
		` ORDER BY o.created_at`, args...)
	if err != nil {
		return nil, nil, nil, err
	}
	args = Args{f.From, f.To}
	subs, err := queryAll(ctx, tx, func(r scanner) (MetricSubscription, error) {
		var s MetricSubscription
		var ended sql.NullTime
		err := r.Scan(&s.StartedAt, &ended, &s.Amount, &s.Currency, &s.Interval, &s.IntervalCount)
		if ended.Valid {
			s.EndedAt = &ended.Time
		}
		return s, err
	}, `SELECT s.started_at, s.ended_at, s.amount, s.currency, s.recurring_interval, s.interval_count FROM subscriptions s
		WHERE (s.ended_at IS NULL OR s.ended_at > $1) AND s.started_at < $2 AND `+where("s", &args, `true`), args...)
	if err != nil {
		return nil, nil, nil, err
	}
	args = Args{f.From, f.To}
	checkouts, err := queryAll(ctx, tx, func(r scanner) (MetricCheckout, error) {
		var c MetricCheckout
		var status string
		err := r.Scan(&c.At, &status)
		c.Succeeded = status == "succeeded"
		return c, err
	}, `SELECT c.created_at, c.status FROM checkouts c WHERE c.created_at >= $1 AND c.created_at < $2 AND `+
		where("c", &args, `EXISTS (SELECT 1 FROM products p WHERE p.id = c.product_id AND p.recurring_interval IS NOT NULL)`), args...)
	return orders, subs, checkouts, err
}
