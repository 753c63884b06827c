package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Migration 0034 fills metadata_index from the orders and customers that exist
// before it, so their metadata filters find them, newest first; a customer's
// PATCHed metadata moves it between filters, several keys must all match, and a
// deleted customer leaves them.
func TestMetadataIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		s, err := store.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := store.MigrateToForTest(s, ctx, 33); err != nil {
			t.Fatal(err)
		}
		org := storetest.Org(t, s, "Indexed shop")
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		custID := paylink.NewID()
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO customers (id, organization_id, email, email_lower, metadata, created_at)
			VALUES ($1, $2, 'old@example.com', 'old@example.com', '{"tier": "gold", "n": 3, "vip": true}', $3)`,
			custID, org.ID, base); err != nil {
			t.Fatal(err)
		}
		old := []string{paylink.NewID(), paylink.NewID(), paylink.NewID()}
		for i, meta := range []string{`{"k": "v", "n": 1}`, `{"k": "w"}`, `{"k": "v", "n": 2}`} {
			if _, err := s.DB.ExecContext(ctx, `INSERT INTO orders (id, organization_id, status, billing_reason,
				customer_id, product_id, price_id, amount, discount_amount, net_amount, total_amount, currency, metadata,
				created_at, receipt_number, receipt_token) VALUES ($1, $2, 'paid', 'purchase', $3, $4, $5, 100, 0, 100, 100, 'usd', $6, $7, $8, $9)`,
				old[i], org.ID, custID, paylink.NewID(), paylink.NewID(), meta, base.Add(time.Duration(i)*time.Hour),
				i+101, paylink.NewSecret(paylink.PrefixReceipt)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		// An order written after the migration, with the same key.
		newer := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: paylink.BillingPurchase,
			CustomerID: custID, ProductID: paylink.NewID(), PriceID: paylink.NewID(), Amount: 100, NetAmount: 100,
			TotalAmount: 100, Currency: "usd", Metadata: paylink.Metadata{"k": "v", "n": int64(2)}, CreatedAt: base.Add(5 * time.Hour)}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.OrderCreate(ctx, newer) }); err != nil {
			t.Fatal(err)
		}
		orders := func(m store.MetadataQuery, sorting string) []string {
			t.Helper()
			return listedIDs(t, s, func(tx *store.Tx) ([]*paylink.Order, int, error) {
				return tx.OrderList(ctx, store.OrderListParams{OrganizationID: org.ID, Metadata: m,
					ListParams: store.ListParams{OrderBy: sorting}})
			}, func(o *paylink.Order) string { return o.ID })
		}
		for _, c := range []struct {
			m       store.MetadataQuery
			sorting string
			want    []string
		}{
			{store.MetadataQuery{"k": {"v"}}, "", []string{newer.ID, old[2], old[0]}},
			{store.MetadataQuery{"k": {"v"}}, "created_at, id", []string{old[0], old[2], newer.ID}},
			{store.MetadataQuery{"k": {"v", "w"}}, "", []string{newer.ID, old[2], old[1], old[0]}},
			{store.MetadataQuery{"k": {"v"}, "n": {"2"}}, "", []string{newer.ID, old[2]}},
			{store.MetadataQuery{"k": {"w"}, "n": {"1"}}, "", nil},
			{store.MetadataQuery{"n": {"1", "2"}}, "amount DESC, id", nil}, // filled below: every order costs 100
			{store.MetadataQuery{"missing": {"v"}}, "", nil},
		} {
			want := c.want
			if c.sorting == "amount DESC, id" {
				want = slices.Sorted(slices.Values([]string{old[0], old[2], newer.ID}))
			}
			if got := orders(c.m, c.sorting); !slices.Equal(got, want) {
				t.Errorf("orders %v sorted %q: %v, want %v", c.m, c.sorting, got, want)
			}
		}

		customers := func(m store.MetadataQuery) []string {
			t.Helper()
			return listedIDs(t, s, func(tx *store.Tx) ([]*paylink.Customer, int, error) {
				return tx.CustomerList(ctx, store.CustomerListParams{OrganizationID: org.ID, Metadata: m})
			}, func(c *paylink.Customer) string { return c.ID })
		}
		gold := store.MetadataQuery{"tier": {"gold"}, "n": {"3"}, "vip": {"true"}}
		if got := customers(gold); !slices.Equal(got, []string{custID}) {
			t.Fatalf("the migrated customer by its metadata: %v", got)
		}
		change := func(fn func(tx *store.Tx, c *paylink.Customer) error) {
			t.Helper()
			if err := s.InTx(ctx, func(tx *store.Tx) error {
				c, err := tx.CustomerGet(ctx, org.ID, custID)
				if err != nil {
					return err
				}
				return fn(tx, c)
			}); err != nil {
				t.Fatal(err)
			}
		}
		change(func(tx *store.Tx, c *paylink.Customer) error {
			c.Metadata = paylink.Metadata{"tier": "silver", "n": int64(3)}
			return tx.CustomerUpdate(ctx, c)
		})
		if got := customers(gold); got != nil {
			t.Errorf("after the PATCH, the old metadata still finds %v", got)
		}
		if got := customers(store.MetadataQuery{"vip": {"true"}}); got != nil {
			t.Errorf("after the PATCH, a removed key still finds %v", got)
		}
		if got := customers(store.MetadataQuery{"tier": {"silver"}, "n": {"3"}}); !slices.Equal(got, []string{custID}) {
			t.Errorf("after the PATCH, the new metadata finds %v", got)
		}
		change(func(tx *store.Tx, c *paylink.Customer) error { return tx.CustomerDelete(ctx, c, paylink.Now()) })
		if got := customers(store.MetadataQuery{"tier": {"silver"}}); got != nil {
			t.Errorf("a deleted customer is still listed: %v", got)
		}
	})
}

// listedIDs is the ids of a list's page, in order, checking that its total
// counts them.
func listedIDs[T any](t *testing.T, s *store.Store, list func(tx *store.Tx) ([]T, int, error), id func(T) string) []string {
	t.Helper()
	var ids []string
	if err := s.Read(context.Background(), func(tx *store.Tx) error {
		l, n, err := list(tx)
		for _, v := range l {
			ids = append(ids, id(v))
		}
		if err == nil && n != len(ids) {
			t.Errorf("total %d for %d items", n, len(ids))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// A list without a counter counts at most 1,000 rows past its page: exact up to
// there, a lower bound past it that still shows the pages after the one asked
// for (README "Lists").
func TestBoundedCount(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Many customers")
		const n = 1010
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			for i := range n {
				if err := tx.CustomerCreate(ctx, &paylink.Customer{OrganizationID: org.ID,
					Email: "c" + strconv.Itoa(i) + "@example.com", Metadata: paylink.Metadata{"batch": "one", "all": "yes"}}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			offset int
			meta   store.MetadataQuery
			want   int
		}{
			{0, nil, 1000},
			{0, store.MetadataQuery{"batch": {"one"}}, n}, // one key: its counter, exact
			{0, store.MetadataQuery{"batch": {"one"}, "all": {"yes"}}, 1000},
			{500, nil, n},
			{1000, store.MetadataQuery{"batch": {"one"}, "all": {"yes"}}, n},
		} {
			var total, items int
			s.Read(ctx, func(tx *store.Tx) error {
				l, got, err := tx.CustomerList(ctx, store.CustomerListParams{OrganizationID: org.ID, Metadata: c.meta,
					ListParams: store.ListParams{Limit: 10, Offset: c.offset}})
				if err != nil {
					t.Fatal(err)
				}
				total, items = got, len(l)
				return nil
			})
			if total != c.want || items != 10 {
				t.Errorf("offset %d, metadata %v: total %d with %d items, want %d with 10", c.offset, c.meta, total, items, c.want)
			}
		}
	})
}
