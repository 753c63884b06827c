package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The totals of the lists and the dashboard's per-link counts come from row
// counters: they equal the rows (counted by a filter that matches them all,
// which counts rows), for sessions written by visits, in bulk and through the
// API, orders and subscriptions; and a list filtered by another organization's
// link counts nothing. Migration 0026's statements, run on the same rows,
// fill the counters with the same numbers.
func TestListCountsMatchRows(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Counted"), storetest.Org(t, s, "Other counted")
		l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) })
		var vs []*store.Visit
		for range 7 {
			vs = append(vs, visitOf(l, nil))
		}
		if _, err := s.VisitsCreate(ctx, vs, store.VisitCount{LinkID: l.ID, Kind: store.VisitBot, At: paylink.Now()},
			store.VisitCount{LinkID: l.ID, Kind: store.VisitPerson, At: paylink.Now()}); err != nil {
			t.Fatal(err)
		}
		var cust *paylink.Customer
		tx(t, s, func(tx *store.Tx) (err error) {
			bulk := []*paylink.Checkout{newCheckout(org.ID, paylink.Now().Add(time.Hour)), newCheckout(org.ID, paylink.Now().Add(time.Hour)),
				newCheckout(other.ID, paylink.Now().Add(time.Hour))}
			bulk[0].CheckoutLinkID = &l.ID
			if err := tx.CheckoutCreateMany(ctx, bulk); err != nil {
				return err
			}
			cust, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "count@example.com", Metadata: paylink.Metadata{}})
			if err != nil {
				return err
			}
			for i, c := range []*paylink.Checkout{vs[0].Checkout, vs[1].Checkout, bulk[1]} {
				o := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: "purchase", CustomerID: cust.ID, ProductID: c.ProductID,
					PriceID: c.PriceID, CheckoutID: &c.ID, CheckoutLinkID: c.CheckoutLinkID, Amount: 100, NetAmount: 100, TotalAmount: 100,
					Currency: "usd", Metadata: paylink.Metadata{}}
				if err := tx.OrderCreate(ctx, o); err != nil {
					return err
				}
				if i == 0 {
					now := paylink.Now()
					sub := &paylink.Subscription{OrganizationID: org.ID, Status: paylink.SubscriptionActive, CustomerID: cust.ID,
						ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, Amount: 1000, Currency: "usd",
						RecurringInterval: "month", IntervalCount: 1, CurrentPeriodStart: now, CurrentPeriodEnd: now.Add(time.Hour),
						StartedAt: now, Metadata: paylink.Metadata{}}
					if err := tx.SubscriptionCreate(ctx, sub); err != nil {
						return err
					}
				}
			}
			return nil
		})
		statuses := []string{paylink.CheckoutOpen, paylink.CheckoutExpired, paylink.CheckoutConfirmed, paylink.CheckoutSucceeded, paylink.CheckoutFailed}
		err := s.Read(ctx, func(tx *store.Tx) error {
			page := store.ListParams{Limit: 2}
			for _, link := range []string{"", l.ID} {
				_, counted, err := tx.CheckoutList(ctx, store.CheckoutListParams{ListParams: page, OrganizationID: org.ID, CheckoutLinkID: link})
				if err != nil {
					return err
				}
				_, rows, err := tx.CheckoutList(ctx, store.CheckoutListParams{ListParams: page, OrganizationID: org.ID, CheckoutLinkID: link, Statuses: statuses})
				if err != nil {
					return err
				}
				want := map[string]int{"": 9, l.ID: 8}[link]
				if counted != rows || counted != want {
					t.Errorf("checkouts of link %q: counter %d, rows %d, want %d", link, counted, rows, want)
				}
				_, counted, err = tx.OrderList(ctx, store.OrderListParams{ListParams: page, OrganizationID: org.ID, CheckoutLinkID: link})
				if err != nil {
					return err
				}
				_, rows, err = tx.OrderList(ctx, store.OrderListParams{ListParams: page, OrganizationID: org.ID, CheckoutLinkID: link,
					BillingReasons: []string{"purchase"}})
				if err != nil {
					return err
				}
				if want := map[string]int{"": 3, l.ID: 2}[link]; counted != rows || counted != want {
					t.Errorf("orders of link %q: counter %d, rows %d, want %d", link, counted, rows, want)
				}
			}
			if _, n, err := tx.SubscriptionList(ctx, store.SubscriptionListParams{OrganizationID: org.ID}); err != nil || n != 1 {
				t.Errorf("subscriptions: %d %v", n, err)
			}
			if _, n, err := tx.CheckoutList(ctx, store.CheckoutListParams{OrganizationID: other.ID, CheckoutLinkID: l.ID}); err != nil || n != 0 {
				t.Errorf("another organization's link: %d %v", n, err)
			}
			if _, n, err := tx.CheckoutList(ctx, store.CheckoutListParams{OrganizationID: other.ID}); err != nil || n != 1 {
				t.Errorf("the other organization's sessions: %d %v", n, err)
			}
			counts, err := tx.CheckoutLinkCounts(ctx, org.ID, []string{l.ID})
			if err != nil {
				return err
			}
			if c := counts[l.ID]; c != (store.LinkCounts{Visits: 9, BotVisits: 1, Sessions: 8, Orders: 2}) {
				t.Errorf("link counts: %+v", c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Migration 0026 fills the counters from the rows as the writes kept them.
		before := counterRows(t, s)
		if err := store.RefillCountersForTest(s, ctx); err != nil {
			t.Fatal(err)
		}
		if after := counterRows(t, s); after != before {
			t.Fatalf("counters kept:\n%s\nfilled by the migration:\n%s", before, after)
		}
	})
}

// counterRows is every rollup and counter row, summed over shards, as text.
func counterRows(t *testing.T, s *store.Store) string {
	t.Helper()
	var out strings.Builder
	for _, q := range []string{
		`SELECT checkout_link_id || ' ' || slot || ' ' || sum(sessions) || ' ' || sum(confirmed) || ' ' || sum(succeeded) FROM link_rollups GROUP BY checkout_link_id, slot`,
		`SELECT checkout_link_id || ' ' || slot || ' ' || currency || ' ' || sum(revenue) || ' ' || sum(refunded) FROM link_money_rollups GROUP BY checkout_link_id, slot, currency`,
		`SELECT checkout_link_id || ' ' || key || ' ' || span || ' ' || bucket || ' ' || value || ' ' || currency || ' ' || sum(sessions) || ' ' || sum(succeeded) || ' ' || sum(revenue)
			FROM link_breakdown_rollups GROUP BY checkout_link_id, key, span, bucket, present, value, currency HAVING sum(sessions) <> 0 OR sum(succeeded) <> 0 OR sum(revenue) <> 0`,
		`SELECT organization_id || ' ' || slot || ' ' || sum(sessions) || ' ' || sum(succeeded) FROM org_rollups GROUP BY organization_id, slot`,
		`SELECT organization_id || ' ' || slot || ' ' || currency || ' ' || billing_reason || ' ' || sum(orders) || ' ' || sum(revenue) || ' ' || sum(refunded)
			FROM org_order_rollups GROUP BY organization_id, slot, currency, billing_reason`,
		`SELECT name || ' ' || sum(n) FROM row_counts GROUP BY name HAVING sum(n) <> 0`,
	} {
		rows, err := s.DB.Query(q + ` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out.WriteString(line + "\n")
		}
		rows.Close()
	}
	return out.String()
}
