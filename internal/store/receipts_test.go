package store_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// newOrder is a paid order of the customer (orders keep no key to products).
func newOrder(orgID, customerID string) *paylink.Order {
	return &paylink.Order{OrganizationID: orgID, Status: "paid", BillingReason: paylink.BillingPurchase,
		CustomerID: customerID, ProductID: paylink.NewID(), PriceID: paylink.NewID(), Amount: 500, NetAmount: 500,
		TotalAmount: 500, Currency: "usd"}
}

func customerOf(t *testing.T, s *store.Store, orgID, email string) *paylink.Customer {
	t.Helper()
	var c *paylink.Customer
	if err := s.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		c, _, err = tx.CustomerFindOrCreate(context.Background(), &paylink.Customer{OrganizationID: orgID, Email: email})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// Receipt numbers count each organization's orders from 1, without a gap or a
// repeat when orders are created concurrently, and each order gets its own
// receipt token, which finds it again.
func TestReceiptNumbersAreSequentialPerOrganization(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Receipts"), storetest.Org(t, s, "Other shop")
		cust, otherCust := customerOf(t, s, org.ID, "a@example.com"), customerOf(t, s, other.ID, "a@example.com")
		const n = 10
		orders := make([]*paylink.Order, n)
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				orders[i] = newOrder(org.ID, cust.ID)
				errs[i] = s.InTx(ctx, func(tx *store.Tx) error {
					err := tx.OrderCreate(ctx, orders[i])
					time.Sleep(5 * time.Millisecond) // hold the number uncommitted while others wait
					return err
				})
			}()
		}
		wg.Wait()
		var nums []int
		tokens := map[string]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("order %d: %v", i, err)
			}
			nums = append(nums, int(orders[i].ReceiptNumber))
			if !strings.HasPrefix(orders[i].ReceiptToken, paylink.PrefixReceipt) || len(orders[i].ReceiptToken) < 40 {
				t.Fatalf("receipt token %q", orders[i].ReceiptToken)
			}
			tokens[orders[i].ReceiptToken] = true
		}
		sort.Ints(nums)
		for i, v := range nums {
			if v != i+1 {
				t.Fatalf("receipt numbers %v, want 1..%d", nums, n)
			}
		}
		if len(tokens) != n {
			t.Fatalf("%d distinct receipt tokens for %d orders", len(tokens), n)
		}
		first := newOrder(other.ID, otherCust.ID)
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.OrderCreate(ctx, first) }); err != nil {
			t.Fatal(err)
		}
		if first.ReceiptNumber != 1 || first.ReceiptLabel() != "RCPT-0001" {
			t.Fatalf("another organization's first order: %d %s", first.ReceiptNumber, first.ReceiptLabel())
		}
		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.OrderByReceiptToken(ctx, orders[3].ReceiptToken)
			if err != nil || got.ID != orders[3].ID || got.ReceiptNumber != orders[3].ReceiptNumber {
				t.Fatalf("by receipt token: %+v %v", got, err)
			}
			if _, err := tx.OrderByReceiptToken(ctx, paylink.NewSecret(paylink.PrefixReceipt)); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("unknown receipt token: %v", err)
			}
			return nil
		})
	})
}

// Migration 0019 numbers the orders that exist before it in the order they were
// created, per organization, gives each a receipt token and sets the counter,
// so the next order continues the sequence.
func TestMigrationNumbersExistingOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		s, err := store.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := store.MigrateToForTest(s, ctx, 18); err != nil {
			t.Fatal(err)
		}
		org, other := storetest.Org(t, s, "Old shop"), storetest.Org(t, s, "Older shop")
		// Customers as version 18 has them (the store's code writes later columns).
		oldCustomer := func(orgID string) *paylink.Customer {
			c := &paylink.Customer{ID: paylink.NewID(), OrganizationID: orgID}
			if _, err := s.DB.ExecContext(ctx, `INSERT INTO customers (id, organization_id, email, email_lower, created_at)
				VALUES ($1, $2, 'old@example.com', 'old@example.com', $3)`, c.ID, orgID, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			return c
		}
		cust, otherCust := oldCustomer(org.ID), oldCustomer(other.ID)
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		ids := []string{paylink.NewID(), paylink.NewID(), paylink.NewID()}
		insert := func(id, orgID, custID string, at time.Time) {
			if _, err := s.DB.ExecContext(ctx, `INSERT INTO orders (id, organization_id, status, billing_reason,
				customer_id, product_id, price_id, amount, discount_amount, net_amount, total_amount, currency, created_at)
				VALUES ($1, $2, 'paid', 'purchase', $3, $4, $5, 100, 0, 100, 100, 'usd', $6)`,
				id, orgID, custID, paylink.NewID(), paylink.NewID(), at); err != nil {
				t.Fatal(err)
			}
		}
		insert(ids[2], org.ID, cust.ID, base.Add(2*time.Hour)) // inserted first, created last
		insert(ids[0], org.ID, cust.ID, base)
		insert(ids[1], org.ID, cust.ID, base.Add(time.Hour))
		insert(paylink.NewID(), other.ID, otherCust.ID, base)
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			for i, id := range ids {
				o, err := tx.OrderGet(ctx, org.ID, id)
				if err != nil || o.ReceiptNumber != int64(i+1) || !strings.HasPrefix(o.ReceiptToken, paylink.PrefixReceipt) {
					t.Fatalf("order %d after the migration: %+v %v", i, o, err)
				}
			}
			return nil
		})
		next := newOrder(org.ID, cust.ID)
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.OrderCreate(ctx, next) }); err != nil {
			t.Fatal(err)
		}
		if next.ReceiptNumber != 4 {
			t.Fatalf("the next order's receipt number: %d, want 4", next.ReceiptNumber)
		}
	})
}
