package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func tx(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestCheckoutLinks(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Links")
		other := storetest.Org(t, s, "Other links")
		p1, p2 := paylink.NewID(), paylink.NewID()
		l := &paylink.CheckoutLink{OrganizationID: org.ID, Label: ptr("spring"), ProductIDs: []string{p2, p1},
			AllowDiscountCodes: true, Active: true, Metadata: paylink.Metadata{"campaign": "spring", "n": int64(3)},
			MaxCompletions: ptr(3)}
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) })
		if len(l.ClientSecret) < 40 || l.ClientSecret[:6] != paylink.PrefixLinkSecret {
			t.Fatalf("secret %q", l.ClientSecret)
		}
		tx(t, s, func(tx *store.Tx) error {
			got, err := tx.CheckoutLinkBySecret(ctx, l.ClientSecret)
			if err != nil {
				return err
			}
			if got.ID != l.ID || len(got.ProductIDs) != 2 || got.ProductIDs[0] != p2 || got.Metadata["n"] != int64(3) || *got.MaxCompletions != 3 {
				t.Fatalf("by secret: %+v", got)
			}
			if _, err := tx.CheckoutLinkGet(ctx, other.ID, l.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other org sees link: %v", err)
			}
			list, total, err := tx.CheckoutLinkList(ctx, store.CheckoutLinkListParams{OrganizationID: org.ID, ProductIDs: []string{p1}})
			if err != nil || total != 1 || len(list) != 1 {
				t.Fatalf("list: %d %v", total, err)
			}
			got.ProductIDs = []string{p1}
			got.Active = false
			got.InactiveMessage = ptr("sold out")
			return tx.CheckoutLinkUpdate(ctx, got)
		})
		var newSecret string
		tx(t, s, func(tx *store.Tx) error {
			got, _ := tx.CheckoutLinkGet(ctx, org.ID, l.ID)
			if got.Active || *got.InactiveMessage != "sold out" || len(got.ProductIDs) != 1 {
				t.Fatalf("after update: %+v", got)
			}
			var err error
			newSecret, err = tx.CheckoutLinkRotateSecret(ctx, org.ID, l.ID)
			return err
		})
		tx(t, s, func(tx *store.Tx) error {
			if _, err := tx.CheckoutLinkBySecret(ctx, l.ClientSecret); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("old secret still works: %v", err)
			}
			_, err := tx.CheckoutLinkBySecret(ctx, newSecret)
			return err
		})

		// Completions never exceed the cap, whatever the concurrency.
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 12; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkReserveCompletion(ctx, l.ID) })
					if paylink.IsCode(err, paylink.EConflict) {
						continue
					}
					if err == nil {
						ok.Add(1)
					} else if !paylink.IsCode(err, paylink.EForbidden) {
						t.Errorf("reserve: %v", err)
					}
					return
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 3 {
			t.Fatalf("reserved %d completions, cap is 3", ok.Load())
		}
		tx(t, s, func(tx *store.Tx) error {
			if err := tx.CheckoutLinkReleaseCompletion(ctx, l.ID); err != nil {
				return err
			}
			if err := tx.CheckoutLinkReserveCompletion(ctx, l.ID); err != nil {
				t.Fatalf("a released completion can be taken again: %v", err)
			}
			return tx.CheckoutLinkDelete(ctx, org.ID, l.ID, paylink.Now())
		})
		tx(t, s, func(tx *store.Tx) error {
			if _, err := tx.CheckoutLinkGet(ctx, org.ID, l.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("deleted link: %v", err)
			}
			got, err := tx.CheckoutLinkBySecret(ctx, newSecret)
			if err != nil || got.DeletedAt == nil {
				t.Fatalf("by secret keeps deleted links visible as deleted: %+v %v", got, err)
			}
			return nil
		})
	})
}

func newCheckout(orgID string, expires time.Time) *paylink.Checkout {
	pid := paylink.NewID()
	return &paylink.Checkout{OrganizationID: orgID, ProductIDs: []string{pid}, ProductID: pid, PriceID: paylink.NewID(),
		Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "usd", AllowDiscountCodes: true,
		CustomFieldData: map[string]any{"size": "L"}, Metadata: paylink.Metadata{"utm_source": "x"},
		CustomerEmail: ptr("Buyer@Example.com"), QueryString: "utm_source=x", ExpiresAt: expires}
}

func TestCheckoutsOrdersSubscriptions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Checkouts")
		other := storetest.Org(t, s, "Other checkouts")
		now := paylink.Now()
		c := newCheckout(org.ID, now.Add(time.Hour))
		old := newCheckout(org.ID, now.Add(-time.Minute))
		tx(t, s, func(tx *store.Tx) error {
			if err := tx.CheckoutCreate(ctx, c); err != nil {
				return err
			}
			return tx.CheckoutCreate(ctx, old)
		})
		tx(t, s, func(tx *store.Tx) error {
			got, err := tx.CheckoutBySecret(ctx, c.ClientSecret, true)
			if err != nil {
				return err
			}
			if got.Status != paylink.CheckoutOpen || got.CustomFieldData["size"] != "L" || got.Metadata["utm_source"] != "x" || !got.ExpiresAt.Equal(c.ExpiresAt) {
				t.Fatalf("read back: %+v", got)
			}
			if _, err := tx.CheckoutGet(ctx, other.ID, c.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other org: %v", err)
			}
			got.Status = paylink.CheckoutConfirmed
			if err := tx.CheckoutSave(ctx, got, paylink.CheckoutOpen); err != nil {
				return err
			}
			// A second writer that still believes the checkout is open loses.
			if err := tx.CheckoutSave(ctx, got, paylink.CheckoutOpen); !paylink.IsCode(err, paylink.EConflict) {
				t.Fatalf("stale save: %v", err)
			}
			return nil
		})
		tx(t, s, func(tx *store.Tx) error {
			due, err := tx.CheckoutExpireDue(ctx, now, 100)
			if err != nil {
				return err
			}
			if len(due) != 1 || due[0].ID != old.ID || due[0].Status != paylink.CheckoutExpired {
				t.Fatalf("expire due: %+v", due)
			}
			list, total, err := tx.CheckoutList(ctx, store.CheckoutListParams{OrganizationID: org.ID, Statuses: []string{"expired"}, EmailContains: "BUYER@"})
			if err != nil || total != 1 || list[0].ID != old.ID {
				t.Fatalf("list expired: %d %v", total, err)
			}
			return nil
		})

		var cust *paylink.Customer
		tx(t, s, func(tx *store.Tx) error {
			var created bool
			var err error
			cust, created, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "Buyer@Example.com"})
			if err != nil || !created {
				t.Fatalf("create customer: %v %v", created, err)
			}
			again, created, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "buyer@example.COM", Name: ptr("B")})
			if err != nil || created || again.ID != cust.ID || *again.Name != "B" {
				t.Fatalf("find customer: %+v %v %v", again, created, err)
			}
			_, created, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: other.ID, Email: "buyer@example.com"})
			if err != nil || !created {
				t.Fatalf("customers are per organization: %v %v", created, err)
			}
			return nil
		})
		sub := &paylink.Subscription{OrganizationID: org.ID, Status: paylink.SubscriptionActive, CustomerID: cust.ID,
			ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, Amount: 1000, Currency: "usd",
			RecurringInterval: "month", IntervalCount: 1, CurrentPeriodStart: now.Add(-time.Hour), CurrentPeriodEnd: now.Add(-time.Second),
			StartedAt: now, Metadata: paylink.Metadata{"k": "v"}}
		order := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: paylink.BillingSubscriptionCreate,
			CustomerID: cust.ID, ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, Amount: 1000,
			NetAmount: 1000, TotalAmount: 1000, Currency: "usd", Metadata: paylink.Metadata{"k": "v"}, CustomFieldData: map[string]any{"size": "L"}}
		tx(t, s, func(tx *store.Tx) error {
			if err := tx.SubscriptionCreate(ctx, sub); err != nil {
				return err
			}
			order.SubscriptionID = &sub.ID
			return tx.OrderCreate(ctx, order)
		})
		err := s.InTx(ctx, func(tx *store.Tx) error {
			dup := *order
			dup.ID = ""
			return tx.OrderCreate(ctx, &dup)
		})
		if !paylink.IsCode(err, paylink.EConflict) {
			t.Fatalf("second order for one checkout: %v", err)
		}
		tx(t, s, func(tx *store.Tx) error {
			got, err := tx.OrderByCheckout(ctx, c.ID)
			if err != nil || got.ID != order.ID || got.Metadata["k"] != "v" || got.CustomFieldData["size"] != "L" {
				t.Fatalf("order by checkout: %+v %v", got, err)
			}
			list, total, err := tx.OrderList(ctx, store.OrderListParams{OrganizationID: org.ID, CustomerIDs: []string{cust.ID}})
			if err != nil || total != 1 || list[0].ID != order.ID {
				t.Fatalf("order list: %d %v", total, err)
			}
			due, err := tx.SubscriptionsDue(ctx, now, 10)
			if err != nil || len(due) != 1 || due[0].ID != sub.ID {
				t.Fatalf("due: %+v %v", due, err)
			}
			due[0].Status = paylink.SubscriptionPastDue
			due[0].PastDueAt = &now
			if err := tx.SubscriptionUpdate(ctx, due[0]); err != nil {
				return err
			}
			active := true
			subs, total, err := tx.SubscriptionList(ctx, store.SubscriptionListParams{OrganizationID: org.ID, Active: &active})
			if err != nil || total != 1 || subs[0].Status != paylink.SubscriptionPastDue {
				t.Fatalf("subscription list: %+v %v", subs, err)
			}
			if _, err := tx.SubscriptionGet(ctx, other.ID, sub.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other org subscription: %v", err)
			}
			return nil
		})
	})
}
