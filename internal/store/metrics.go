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
	RawRows     bool   // count the raw rows even where the rollups would do (tests compare both)
}

// MetricOrder is an order as the metrics count it, or N orders of one slot,
// currency and billing reason (from the rollups), their amounts summed.
type MetricOrder struct {
	At                        time.Time
	BillingReason, Currency   string
	N                         int64
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

// MetricCheckout is the sessions created in one slot (from the rollups), or
// one session (N 1), and how many of them succeeded.
type MetricCheckout struct {
	At           time.Time
	N, Succeeded int64
}

// Metrics returns the filter's orders and sessions created in the range and
// the subscriptions that started before its end and had not ended at its start.
// The orders and sessions come from the organization's rollups (one entry per
// slot) unless a product, customer or link filter (or, for sessions, a billing
// type, which is the product's) asks for raw rows; From and To must fall on
// slot boundaries (SlotSeconds), as every AnalyticsRange's do.
func (tx *Tx) Metrics(ctx context.Context, f MetricsFilter) ([]MetricOrder, []MetricSubscription, []MetricCheckout, error) {
	rollups := !f.RawRows && len(f.ProductIDs) == 0 && len(f.CustomerIDs) == 0 && len(f.LinkIDs) == 0
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
	orderQuery := `SELECT o.created_at, o.billing_reason, o.currency, 1, o.net_amount, o.refunded_amount FROM orders o
		WHERE o.created_at >= $1 AND o.created_at < $2 AND ` + where("o", &args, `o.billing_reason <> 'purchase'`) +
		` ORDER BY o.created_at`
	if rollups {
		args = Args{SlotOf(f.From), SlotOf(f.To)}
		orderQuery = `SELECT o.slot, o.billing_reason, o.currency, sum(o.orders), sum(o.revenue), sum(o.refunded) FROM org_order_rollups o
			WHERE o.slot >= $1 AND o.slot < $2 AND ` + where("o", &args, `o.billing_reason <> 'purchase'`) +
			` GROUP BY o.slot, o.billing_reason, o.currency HAVING sum(o.orders) <> 0`
	}
	orders, err := queryAll(ctx, tx, func(r scanner) (MetricOrder, error) {
		var o MetricOrder
		if rollups {
			var slot int64
			err := r.Scan(&slot, &o.BillingReason, &o.Currency, &o.N, &o.NetAmount, &o.RefundedAmount)
			o.At = time.Unix(slot*SlotSeconds, 0).UTC()
			return o, err
		}
		err := r.Scan(&o.At, &o.BillingReason, &o.Currency, &o.N, &o.NetAmount, &o.RefundedAmount)
		return o, err
	}, orderQuery, args...)
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
	checkoutQuery := `SELECT c.created_at, 1, CASE WHEN c.status = 'succeeded' THEN 1 ELSE 0 END FROM checkouts c
		WHERE c.created_at >= $1 AND c.created_at < $2 AND ` +
		where("c", &args, `EXISTS (SELECT 1 FROM products p WHERE p.id = c.product_id AND p.recurring_interval IS NOT NULL)`)
	sessionRollups := rollups && f.BillingType == ""
	if sessionRollups {
		args = Args{SlotOf(f.From), SlotOf(f.To), f.OrgID}
		checkoutQuery = `SELECT slot, sum(sessions), sum(succeeded) FROM org_rollups
			WHERE slot >= $1 AND slot < $2 AND organization_id = $3 GROUP BY slot`
	}
	checkouts, err := queryAll(ctx, tx, func(r scanner) (MetricCheckout, error) {
		var c MetricCheckout
		if sessionRollups {
			var slot int64
			err := r.Scan(&slot, &c.N, &c.Succeeded)
			c.At = time.Unix(slot*SlotSeconds, 0).UTC()
			return c, err
		}
		err := r.Scan(&c.At, &c.N, &c.Succeeded)
		return c, err
	}, checkoutQuery, args...)
	return orders, subs, checkouts, err
}
