// Package analytics reads what a checkout link earned (README "Analytics"):
// every number is a sum of the rollups and visit counts the store keeps with
// the raw rows (sessions, orders), over the periods of a
// paylink.AnalyticsRange, and equals the sum of those raw rows
// (LinkFromRawRows).
package analytics

import (
	"cmp"
	"context"
	"slices"
	"sort"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Service answers the analytics reads.
type Service struct{ Store *store.Store }

// Amount is money in one currency.
type Amount struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// Counts are the numbers of a period, of the totals or of a breakdown row.
type Counts struct {
	Visits         int64    `json:"visits"`
	BotVisits      int64    `json:"bot_visits"`
	BlockedVisits  int64    `json:"blocked_visits"`
	Sessions       int64    `json:"sessions"`
	Confirmed      int64    `json:"confirmed"`
	Succeeded      int64    `json:"succeeded"`
	ConversionRate float64  `json:"conversion_rate"`
	Revenue        []Amount `json:"revenue"`
	Refunded       []Amount `json:"refunded"`
	NetRevenue     []Amount `json:"net_revenue"`
}

// Period is the counts of one period, at its start.
type Period struct {
	Timestamp string `json:"timestamp"` // RFC 3339 in the range's zone
	Counts
}

// BreakdownRow is the sessions of one value of an attribution key.
type BreakdownRow struct {
	Value          *string  `json:"value"` // nil: sessions without the key
	Sessions       int64    `json:"sessions"`
	Succeeded      int64    `json:"succeeded"`
	ConversionRate float64  `json:"conversion_rate"`
	Revenue        []Amount `json:"revenue"`
}

// LinkReport is the answer of GET /v1/checkout-links/{id}/analytics.
type LinkReport struct {
	Totals    Counts                    `json:"totals"`
	Periods   []Period                  `json:"periods"`
	Breakdown map[string][]BreakdownRow `json:"breakdown"`
}

// BreakdownKeys are the attribution keys a report breaks sessions down by.
var BreakdownKeys = store.BreakdownKeys

// BreakdownTop is how many values a breakdown lists before its "(other)" row.
const BreakdownTop = 50

// Other is the value of the row that sums the values past BreakdownTop.
const Other = "(other)"

// Link reports the organization's link over r. Errors: ENotFound for a link
// that is not the organization's.
func (s *Service) Link(ctx context.Context, orgID, linkID string, r *paylink.AnalyticsRange) (*LinkReport, error) {
	return s.link(ctx, orgID, linkID, r, false)
}

// LinkFromRawRows is Link counted from the raw rows (sessions, orders) instead
// of the rollups: the same report, at a cost that grows with the sessions of
// the range. Tests compare the two.
func (s *Service) LinkFromRawRows(ctx context.Context, orgID, linkID string, r *paylink.AnalyticsRange) (*LinkReport, error) {
	return s.link(ctx, orgID, linkID, r, true)
}

func (s *Service) link(ctx context.Context, orgID, linkID string, r *paylink.AnalyticsRange, raw bool) (*LinkReport, error) {
	rep := &LinkReport{Breakdown: map[string][]BreakdownRow{}}
	breakdownOf := (*store.Tx).LinkBreakdown
	if raw {
		breakdownOf = (*store.Tx).LinkBreakdownRaw
	}
	from, to := r.Starts[0], r.End
	err := s.Store.Read(ctx, func(tx *store.Tx) error {
		if _, err := tx.CheckoutLinkGet(ctx, orgID, linkID); err != nil {
			return err
		}
		var slots []store.LinkSlot
		var money []store.LinkSlotMoney
		var err error
		if raw {
			slots, money, err = tx.LinkAnalyticsRaw(ctx, linkID, from.UTC(), to.UTC())
		} else {
			slots, money, err = tx.LinkAnalytics(ctx, linkID, r)
		}
		if err != nil {
			return err
		}
		rep.Periods, rep.Totals = periods(r, slots, money)
		for _, key := range BreakdownKeys {
			rows, err := breakdownOf(tx, ctx, linkID, key, from.UTC(), to.UTC())
			if err != nil {
				return err
			}
			rep.Breakdown[key] = breakdown(rows)
		}
		return nil
	})
	return rep, err
}

// periods puts each slot in the period it falls in and sums them.
func periods(r *paylink.AnalyticsRange, slots []store.LinkSlot, money []store.LinkSlotMoney) ([]Period, Counts) {
	type sums struct{ revenue, refunded map[string]int64 }
	ps := make([]Period, len(r.Starts))
	ms := make([]sums, len(r.Starts))
	at := func(slot int64) int {
		t := slot * store.SlotSeconds
		return sort.Search(len(r.Starts), func(i int) bool { return r.Starts[i].Unix() > t }) - 1
	}
	var total Counts
	totalMoney := sums{map[string]int64{}, map[string]int64{}}
	for _, s := range slots {
		i := at(s.Slot)
		if i < 0 {
			continue
		}
		for _, c := range []*Counts{&ps[i].Counts, &total} {
			c.Visits += s.Visits
			c.BotVisits += s.BotVisits
			c.BlockedVisits += s.BlockedVisits
			c.Sessions += s.Sessions
			c.Confirmed += s.Confirmed
			c.Succeeded += s.Succeeded
		}
	}
	for i := range ms {
		ms[i] = sums{map[string]int64{}, map[string]int64{}}
	}
	for _, m := range money {
		i := at(m.Slot)
		if i < 0 {
			continue
		}
		for _, x := range []sums{ms[i], totalMoney} {
			x.revenue[m.Currency] += m.Revenue
			x.refunded[m.Currency] += m.Refunded
		}
	}
	finish := func(c *Counts, m sums) {
		c.ConversionRate = rate(c.Succeeded, c.Sessions)
		c.Revenue, c.Refunded = amounts(m.revenue), amounts(m.refunded)
		net := map[string]int64{}
		for cur, v := range m.revenue {
			net[cur] = v - m.refunded[cur]
		}
		c.NetRevenue = amounts(net)
	}
	for i := range ps {
		ps[i].Timestamp = r.Starts[i].Format("2006-01-02T15:04:05-07:00")
		finish(&ps[i].Counts, ms[i])
	}
	finish(&total, totalMoney)
	return ps, total
}

// breakdown merges the rows of each value, sorts them by sessions (then value)
// and folds those past BreakdownTop into one "(other)" row.
func breakdown(rows []store.LinkBreakdownRow) []BreakdownRow {
	type acc struct {
		row     BreakdownRow
		revenue map[string]int64
	}
	byValue := map[string]*acc{}
	var order []*acc
	for _, r := range rows {
		k := "\x00none"
		if r.Value != nil {
			k = *r.Value
		}
		a := byValue[k]
		if a == nil {
			a = &acc{row: BreakdownRow{Value: r.Value}, revenue: map[string]int64{}}
			byValue[k] = a
			order = append(order, a)
		}
		a.row.Sessions += r.Sessions
		a.row.Succeeded += r.Succeeded
		if r.Currency != nil {
			a.revenue[*r.Currency] += r.Revenue
		}
	}
	slices.SortFunc(order, func(a, b *acc) int {
		if c := cmp.Compare(b.row.Sessions, a.row.Sessions); c != 0 {
			return c
		}
		return cmp.Compare(valueKey(a.row.Value), valueKey(b.row.Value))
	})
	if len(order) > BreakdownTop {
		other := &acc{row: BreakdownRow{Value: ptr(Other)}, revenue: map[string]int64{}}
		for _, a := range order[BreakdownTop:] {
			other.row.Sessions += a.row.Sessions
			other.row.Succeeded += a.row.Succeeded
			for cur, v := range a.revenue {
				other.revenue[cur] += v
			}
		}
		order = append(order[:BreakdownTop], other)
	}
	out := make([]BreakdownRow, len(order))
	for i, a := range order {
		out[i] = a.row
		out[i].ConversionRate = rate(a.row.Succeeded, a.row.Sessions)
		out[i].Revenue = amounts(a.revenue)
	}
	return out
}

// valueKey sorts the sessions without the key after every value.
func valueKey(v *string) string {
	if v == nil {
		return "\uffff"
	}
	return *v
}

func rate(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// amounts is m by currency, in currency order; never nil.
func amounts(m map[string]int64) []Amount {
	out := []Amount{}
	for cur, v := range m {
		out = append(out, Amount{Currency: cur, Amount: v})
	}
	slices.SortFunc(out, func(a, b Amount) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

func ptr[T any](v T) *T { return &v }
