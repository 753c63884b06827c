package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The list filters of Polar's SDK that need more than a column: metadata
// (customers, orders, subscriptions), active customers, subscription statuses
// and cancellation dates, on both engines.
func TestListFilters(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Filters")
		other := storetest.Org(t, s, "Other filters")
		now := paylink.Now()
		canceledAt := now.Add(-48 * time.Hour)
		productID, priceID := paylink.NewID(), paylink.NewID()

		type buyer struct {
			email  string
			meta   paylink.Metadata
			status string // the subscription's; "" for none
		}
		buyers := []buyer{
			{"ann@example.com", paylink.Metadata{"tier": "gold", "n": int64(3), "vip": true, "ratio": 1.5, `we"ird.key[0]`: "x"}, ""},
			{"bob@example.com", paylink.Metadata{"tier": "silver"}, paylink.SubscriptionActive},
			{"cy@example.com", paylink.Metadata{"tier": "gold", "n": int64(30)}, paylink.SubscriptionCanceled},
			{"dee@example.com", paylink.Metadata{}, paylink.SubscriptionPastDue},
		}
		customers := map[string]string{}     // email → customer id
		orders := map[string]string{}        // email → order id
		subscriptions := map[string]string{} // email → subscription id
		tx(t, s, func(tx *store.Tx) error {
			for _, b := range buyers {
				c, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: b.email, Metadata: b.meta})
				if err != nil {
					return err
				}
				customers[b.email] = c.ID
				o := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: paylink.BillingPurchase,
					CustomerID: c.ID, ProductID: productID, PriceID: priceID, Amount: 100, NetAmount: 100, TotalAmount: 100,
					Currency: "usd", Metadata: b.meta}
				if b.status != "" {
					sub := &paylink.Subscription{OrganizationID: org.ID, Status: b.status, CustomerID: c.ID, ProductID: productID,
						PriceID: priceID, Amount: 100, Currency: "usd", RecurringInterval: "month", IntervalCount: 1,
						CurrentPeriodStart: now, CurrentPeriodEnd: now.AddDate(0, 1, 0), StartedAt: now, Metadata: b.meta}
					if b.status == paylink.SubscriptionCanceled {
						sub.CanceledAt = &canceledAt
					}
					if err := tx.SubscriptionCreate(ctx, sub); err != nil {
						return err
					}
					subscriptions[b.email] = sub.ID
					o.BillingReason, o.SubscriptionID = paylink.BillingSubscriptionCreate, &sub.ID
				}
				if err := tx.OrderCreate(ctx, o); err != nil {
					return err
				}
				orders[b.email] = o.ID
			}
			// Another organization's customer with the same metadata is never listed.
			_, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: other.ID, Email: "ann@example.com",
				Metadata: paylink.Metadata{"tier": "gold"}})
			return err
		})
		check := func(what string, got []string, want map[string]string, emails ...string) {
			t.Helper()
			var w []string
			for _, e := range emails {
				w = append(w, want[e])
			}
			slices.Sort(got)
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("%s: %v, want %v", what, got, emails)
			}
		}
		read := func(fn func(tx *store.Tx) ([]string, error)) []string {
			t.Helper()
			var out []string
			if err := s.Read(ctx, func(tx *store.Tx) error {
				var err error
				out, err = fn(tx)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		custs := func(p store.CustomerListParams) []string {
			p.OrganizationID = org.ID
			return read(func(tx *store.Tx) ([]string, error) {
				l, n, err := tx.CustomerList(ctx, p)
				var ids []string
				for _, c := range l {
					ids = append(ids, c.ID)
				}
				if err == nil && n != len(ids) {
					t.Errorf("customers: total %d for %d items", n, len(ids))
				}
				return ids, err
			})
		}
		ords := func(m store.MetadataQuery) []string {
			return read(func(tx *store.Tx) ([]string, error) {
				l, n, err := tx.OrderList(ctx, store.OrderListParams{OrganizationID: org.ID, Metadata: m})
				var ids []string
				for _, o := range l {
					ids = append(ids, o.ID)
				}
				if err == nil && n != len(ids) {
					t.Errorf("orders: total %d for %d items", n, len(ids))
				}
				return ids, err
			})
		}
		subs := func(p store.SubscriptionListParams) []string {
			p.OrganizationID = org.ID
			return read(func(tx *store.Tx) ([]string, error) {
				l, n, err := tx.SubscriptionList(ctx, p)
				var ids []string
				for _, s := range l {
					ids = append(ids, s.ID)
				}
				if err == nil && n != len(ids) {
					t.Errorf("subscriptions: total %d for %d items", n, len(ids))
				}
				return ids, err
			})
		}

		yes, no := true, false
		check("active customers", custs(store.CustomerListParams{Active: &yes}), customers, "bob@example.com", "dee@example.com")
		check("inactive customers", custs(store.CustomerListParams{Active: &no}), customers, "ann@example.com", "cy@example.com")
		check("customers tier=gold", custs(store.CustomerListParams{Metadata: store.MetadataQuery{"tier": {"gold"}}}), customers,
			"ann@example.com", "cy@example.com")
		check("active gold customers", custs(store.CustomerListParams{Active: &no, Metadata: store.MetadataQuery{"tier": {"gold"}},
			Query: "cy"}), customers, "cy@example.com")

		for _, tc := range []struct {
			q    store.MetadataQuery
			want []string
		}{
			{store.MetadataQuery{"tier": {"gold"}}, []string{"ann@example.com", "cy@example.com"}},
			{store.MetadataQuery{"tier": {"gold", "silver"}}, []string{"ann@example.com", "bob@example.com", "cy@example.com"}},
			{store.MetadataQuery{"tier": {"gold"}, "n": {"3"}}, []string{"ann@example.com"}},
			{store.MetadataQuery{"n": {"3", "30"}}, []string{"ann@example.com", "cy@example.com"}},
			{store.MetadataQuery{"vip": {"true"}}, []string{"ann@example.com"}},
			{store.MetadataQuery{"vip": {"false"}}, nil},
			{store.MetadataQuery{"ratio": {"1.5"}}, []string{"ann@example.com"}},
			{store.MetadataQuery{`we"ird.key[0]`: {"x"}}, []string{"ann@example.com"}},
			{store.MetadataQuery{"tier": {"GOLD"}}, nil},
			{store.MetadataQuery{"missing": {"x"}}, nil},
			{store.MetadataQuery{"tier": {"gold"}, "missing": {"x"}}, nil},
			{store.MetadataQuery{"tier": {"%"}}, nil},
		} {
			check(fmt.Sprint("orders ", tc.q), ords(tc.q), orders, tc.want...)
		}

		check("subscriptions tier=gold", subs(store.SubscriptionListParams{Metadata: store.MetadataQuery{"tier": {"gold"}}}),
			subscriptions, "cy@example.com")
		check("active", subs(store.SubscriptionListParams{Statuses: []string{"active"}}), subscriptions, "bob@example.com")
		check("active or past_due", subs(store.SubscriptionListParams{Statuses: []string{"active", "past_due"}}), subscriptions,
			"bob@example.com", "dee@example.com")
		check("trialing", subs(store.SubscriptionListParams{Statuses: []string{"trialing"}}), subscriptions)
		check("status and active", subs(store.SubscriptionListParams{Statuses: []string{"canceled"}, Active: &yes}), subscriptions)
		after, before := canceledAt.Add(-time.Second), canceledAt.Add(time.Second)
		check("canceled after", subs(store.SubscriptionListParams{CanceledAfter: &after}), subscriptions, "cy@example.com")
		check("canceled at exactly", subs(store.SubscriptionListParams{CanceledAfter: &canceledAt, CanceledBefore: &canceledAt}),
			subscriptions, "cy@example.com")
		check("canceled before", subs(store.SubscriptionListParams{CanceledBefore: &before}), subscriptions, "cy@example.com")
		check("canceled after, later", subs(store.SubscriptionListParams{CanceledAfter: &before}), subscriptions)
		check("canceled before, earlier", subs(store.SubscriptionListParams{CanceledBefore: &after}), subscriptions)
	})
}
