package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A checkouts list filtered by status (with or without a link) and a list
// filtered by one metadata key take their total from row counters (migration
// 0039): the totals equal the rows, counted in SQL, after sessions were opened
// by visits, created in other statuses, confirmed, succeeded and expired, and
// after metadata was written, replaced and removed with a deleted customer.
func TestStatusAndMetadataCountsMatchRows(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Status counted"), storetest.Org(t, s, "Other status counted")
		l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) })
		var vs []*store.Visit
		for range 6 {
			vs = append(vs, visitOf(l, nil))
		}
		vs[0].Checkout.ExpiresAt = paylink.Now().Add(-time.Minute) // for the expiry sweep
		if _, err := s.VisitsCreate(ctx, vs); err != nil {
			t.Fatal(err)
		}
		tx(t, s, func(tx *store.Tx) error {
			var bulk []*paylink.Checkout
			for i, st := range []string{paylink.CheckoutSucceeded, paylink.CheckoutExpired, paylink.CheckoutFailed, paylink.CheckoutOpen,
				paylink.CheckoutSucceeded, paylink.CheckoutConfirmed} {
				c := newCheckout(org.ID, paylink.Now().Add(time.Hour))
				c.Status = st
				if i%2 == 0 {
					c.CheckoutLinkID = &l.ID
				}
				bulk = append(bulk, c)
			}
			o := newCheckout(other.ID, paylink.Now().Add(time.Hour))
			o.Status = paylink.CheckoutSucceeded
			return tx.CheckoutCreateMany(ctx, append(bulk, o))
		})
		// A visit's session confirmed, then succeeded; another failed; the
		// first expired by the sweep.
		for _, step := range []struct {
			c        *paylink.Checkout
			from, to string
		}{{vs[1].Checkout, paylink.CheckoutOpen, paylink.CheckoutConfirmed}, {vs[1].Checkout, paylink.CheckoutConfirmed, paylink.CheckoutSucceeded},
			{vs[2].Checkout, paylink.CheckoutOpen, paylink.CheckoutFailed}, {vs[3].Checkout, paylink.CheckoutOpen, paylink.CheckoutOpen}} {
			tx(t, s, func(tx *store.Tx) error {
				c, err := tx.CheckoutLock(ctx, org.ID, step.c.ID)
				if err != nil {
					return err
				}
				c.Status = step.to
				return tx.CheckoutSave(ctx, c, step.from)
			})
		}
		tx(t, s, func(tx *store.Tx) error {
			due, err := tx.CheckoutExpireDue(ctx, paylink.Now(), 10)
			if len(due) != 1 && err == nil {
				t.Errorf("expired %d sessions, want 1", len(due))
			}
			return err
		})

		// Orders and customers with metadata: one customer's replaced, one deleted.
		var custs []*paylink.Customer
		tx(t, s, func(tx *store.Tx) error {
			for i, meta := range []paylink.Metadata{{"k": "v", "n": int64(1)}, {"k": "w"}, {"k": "v", "a=b": "c"}} {
				cu := &paylink.Customer{OrganizationID: org.ID, Email: paylink.NewID() + "@example.com", Metadata: meta}
				if err := tx.CustomerCreate(ctx, cu); err != nil {
					return err
				}
				custs = append(custs, cu)
				o := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: "purchase", CustomerID: cu.ID,
					ProductID: l.ProductIDs[0], PriceID: paylink.NewID(), Amount: 100, NetAmount: 100, TotalAmount: 100,
					Currency: "usd", Metadata: meta}
				if i == 2 {
					o.Metadata = paylink.Metadata{"a": "b=c"} // the same text as key "a=b", value "c", spelled together
				}
				if err := tx.OrderCreate(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		tx(t, s, func(tx *store.Tx) error {
			custs[1].Metadata = paylink.Metadata{"k": "v"}
			if err := tx.CustomerUpdate(ctx, custs[1]); err != nil {
				return err
			}
			return tx.CustomerDelete(ctx, custs[0], paylink.Now())
		})

		all := []string{paylink.CheckoutOpen, paylink.CheckoutExpired, paylink.CheckoutConfirmed, paylink.CheckoutSucceeded, paylink.CheckoutFailed}
		err := s.Read(ctx, func(tx *store.Tx) error {
			rows := func(q string, args ...any) int {
				var n int
				if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			for set := 1; set < 1<<len(all); set++ {
				var statuses []string
				var in store.Args
				in.Add(org.ID)
				for i, st := range all {
					if set&(1<<i) != 0 {
						statuses = append(statuses, st)
					}
				}
				where := ` WHERE organization_id = $1 AND status IN ` + in.In(statuses)
				if set == 1<<3 {
					statuses = append(statuses, paylink.CheckoutSucceeded) // asked for twice, counted once
				}
				for _, link := range []string{"", l.ID} {
					_, counted, err := tx.CheckoutList(ctx, store.CheckoutListParams{ListParams: store.ListParams{Limit: 1},
						OrganizationID: org.ID, CheckoutLinkID: link, Statuses: statuses})
					if err != nil {
						return err
					}
					args, w := in, where
					if link != "" {
						w += ` AND checkout_link_id = ` + args.Add(link)
					}
					if want := rows(`SELECT count(*) FROM checkouts`+w, args...); counted != want {
						t.Errorf("checkouts of link %q in %v: counted %d, rows %d", link, statuses, counted, want)
					}
				}
				if _, n, err := tx.CheckoutList(ctx, store.CheckoutListParams{OrganizationID: other.ID, CheckoutLinkID: l.ID,
					Statuses: statuses}); err != nil || n != 0 {
					t.Errorf("another organization's link in %v: %d %v", statuses, n, err)
				}
			}
			for _, q := range []store.MetadataQuery{{"k": {"v"}}, {"k": {"v", "w", "v"}}, {"k": {"none"}}, {"n": {"1"}},
				{"a=b": {"c"}}, {"a": {"b=c"}}} {
				_, orders, err := tx.OrderList(ctx, store.OrderListParams{ListParams: store.ListParams{Limit: 1}, OrganizationID: org.ID, Metadata: q})
				if err != nil {
					return err
				}
				_, customers, err := tx.CustomerList(ctx, store.CustomerListParams{ListParams: store.ListParams{Limit: 1}, OrganizationID: org.ID, Metadata: q})
				if err != nil {
					return err
				}
				var args store.Args
				args.Add(org.ID)
				for k, vs := range q {
					cond := ` AND EXISTS (SELECT 1 FROM metadata_index md WHERE md.row_id = t.id AND md.mkey = ` + args.Add(k) +
						` AND md.mvalue IN ` + args.In(vs) + `)`
					wantOrders := rows(`SELECT count(*) FROM orders t WHERE organization_id = $1`+cond, args...)
					wantCustomers := rows(`SELECT count(*) FROM customers t WHERE organization_id = $1 AND deleted_at IS NULL`+cond, args...)
					if orders != wantOrders || customers != wantCustomers {
						t.Errorf("metadata %v: orders counted %d, rows %d; customers counted %d, rows %d", q, orders, wantOrders, customers, wantCustomers)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Migration 0039 fills the counters from the rows as the writes kept them.
		before := counterRows(t, s)
		if err := store.RefillCountersForTest(s, ctx); err != nil {
			t.Fatal(err)
		}
		if after := counterRows(t, s); after != before {
			t.Fatalf("counters kept:\n%s\nfilled by the migrations:\n%s", before, after)
		}
	})
}
