package analytics

import (
	"context"
	"sort"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Metric describes one of Polar's metrics (GET /v1/metrics/ "metrics").
type Metric struct {
	Slug        string `json:"slug"`
	DisplayName string `json:"display_name"`
	Type        string `json:"type"` // scalar, currency or percentage
}

// Metrics are the metrics paylink computes, in Polar's slugs. Money metrics are
// in one currency (MetricsQuery.Currency): Polar's shape has no currency.
var Metrics = []Metric{
	{"orders", "Orders", "scalar"},
	{"revenue", "Revenue", "currency"},
	{"net_revenue", "Net Revenue", "currency"},
	{"average_order_value", "Average Order Value", "currency"},
	{"net_average_order_value", "Net Average Order Value", "currency"},
	{"one_time_products", "One-Time Products", "scalar"},
	{"one_time_products_revenue", "One-Time Products Revenue", "currency"},
	{"one_time_products_net_revenue", "One-Time Products Net Revenue", "currency"},
	{"new_subscriptions", "New Subscriptions", "scalar"},
	{"new_subscriptions_revenue", "New Subscriptions Revenue", "currency"},
	{"new_subscriptions_net_revenue", "New Subscriptions Net Revenue", "currency"},
	{"renewed_subscriptions", "Renewed Subscriptions", "scalar"},
	{"renewed_subscriptions_revenue", "Renewed Subscriptions Revenue", "currency"},
	{"renewed_subscriptions_net_revenue", "Renewed Subscriptions Net Revenue", "currency"},
	{"active_subscriptions", "Active Subscriptions", "scalar"},
	{"monthly_recurring_revenue", "Monthly Recurring Revenue", "currency"},
	{"checkouts", "Checkouts", "scalar"},
	{"succeeded_checkouts", "Succeeded Checkouts", "scalar"},
	{"checkouts_conversion", "Checkouts Conversion Rate", "percentage"},
}

// MetricsQuery is a metrics request: the range and the rows' filters.
type MetricsQuery struct {
	Range    *paylink.AnalyticsRange
	Filter   store.MetricsFilter // From and To are set from Range
	Currency string              // the currency of the money metrics
}

// MetricsReport is Polar's MetricsResponse: each period's values, the totals and
// the metrics' descriptions, values keyed by slug.
type MetricsReport struct {
	Periods []map[string]any  `json:"periods"`
	Totals  map[string]any    `json:"totals"`
	Metrics map[string]Metric `json:"metrics"`
}

// Metrics computes the metrics of the organization over q.Range. Flows (orders,
// revenue, new subscriptions, checkouts) sum over the periods; stocks (active
// subscriptions, MRR) are taken at each period's end and their total is the
// last period's; averages and the conversion are ratios of the totals.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) (*MetricsReport, error) {
	r := q.Range
	f := q.Filter
	f.From, f.To = r.Starts[0].UTC(), r.End.UTC()
	var orders []store.MetricOrder
	var subs []store.MetricSubscription
	var checkouts []store.MetricCheckout
	err := s.Store.Read(ctx, func(tx *store.Tx) (err error) {
		orders, subs, checkouts, err = tx.Metrics(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	n := len(r.Starts)
	at := func(t time.Time) int {
		return sort.Search(n, func(i int) bool { return r.Starts[i].After(t) }) - 1
	}
	end := func(i int) time.Time {
		if i+1 < n {
			return r.Starts[i+1]
		}
		return r.End
	}
	v := make([]map[string]int64, n+1) // v[n]: totals
	for i := range v {
		v[i] = map[string]int64{}
	}
	add := func(i int, k string, x int64) {
		v[i][k] += x
		v[n][k] += x
	}
	for _, o := range orders {
		i := at(o.At)
		if o.Currency != q.Currency || i < 0 {
			continue
		}
		net := o.NetAmount - o.RefundedAmount
		add(i, "orders", o.N)
		add(i, "revenue", o.NetAmount)
		add(i, "net_revenue", net)
		prefix := map[string]string{paylink.BillingPurchase: "one_time_products",
			paylink.BillingSubscriptionCreate: "new_subscriptions", paylink.BillingSubscriptionCycle: "renewed_subscriptions"}[o.BillingReason]
		if prefix != "" {
			if prefix != "new_subscriptions" { // new subscriptions are counted from the subscriptions below
				add(i, prefix, o.N)
			}
			add(i, prefix+"_revenue", o.NetAmount)
			add(i, prefix+"_net_revenue", net)
		}
	}
	for _, sub := range subs {
		if i := at(sub.StartedAt); i >= 0 && !sub.StartedAt.Before(r.Starts[0]) {
			add(i, "new_subscriptions", 1)
		}
		for i := range n {
			e := end(i)
			if sub.StartedAt.Before(e) && (sub.EndedAt == nil || sub.EndedAt.After(e)) {
				v[i]["active_subscriptions"]++
				if sub.Currency == q.Currency {
					v[i]["monthly_recurring_revenue"] += monthly(sub)
				}
			}
		}
	}
	v[n]["active_subscriptions"] = v[n-1]["active_subscriptions"]
	v[n]["monthly_recurring_revenue"] = v[n-1]["monthly_recurring_revenue"]
	for _, c := range checkouts {
		if i := at(c.At); i >= 0 {
			add(i, "checkouts", c.N)
			add(i, "succeeded_checkouts", c.Succeeded)
		}
	}
	rep := &MetricsReport{Periods: make([]map[string]any, n), Metrics: map[string]Metric{}}
	shape := func(m map[string]int64) map[string]any {
		out := map[string]any{}
		for _, mt := range Metrics {
			out[mt.Slug] = m[mt.Slug]
		}
		out["average_order_value"] = div(m["revenue"], m["orders"])
		out["net_average_order_value"] = div(m["net_revenue"], m["orders"])
		out["checkouts_conversion"] = rate(m["succeeded_checkouts"], m["checkouts"])
		return out
	}
	for i := range n {
		rep.Periods[i] = shape(v[i])
		rep.Periods[i]["timestamp"] = r.Starts[i].Format(time.RFC3339)
	}
	rep.Totals = shape(v[n])
	for _, mt := range Metrics {
		rep.Metrics[mt.Slug] = mt
	}
	return rep, nil
}

// monthly is a subscription's amount per month, as Polar counts MRR: a year is
// 12 months, a week a quarter of one, a day a thirtieth.
func monthly(s store.MetricSubscription) int64 {
	count := int64(max(s.IntervalCount, 1))
	switch s.Interval {
	case paylink.IntervalYear:
		return s.Amount / (12 * count)
	case paylink.IntervalWeek:
		return s.Amount * 4 / count
	case paylink.IntervalDay:
		return s.Amount * 30 / count
	default:
		return s.Amount / count
	}
}

// div is a/b rounded to the nearest minor unit, 0 for b = 0.
func div(a, b int64) int64 {
	if b == 0 {
		return 0
	}
	return (a + b/2) / b
}
