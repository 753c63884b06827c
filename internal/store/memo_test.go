package store_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A transaction that memoizes its reads answers a product again from memory,
// the same object, until it writes a product; one that does not reads anew.
func TestMemoReadsUntilAWrite(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Memo")
		p := catProduct(org.ID, "Kit", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900})
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.ProductCreate(ctx, p) })
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error {
			tx.MemoReads()
			first, err := tx.ProductGet(ctx, org.ID, p.ID)
			if err != nil {
				return err
			}
			// Changed behind the memo: a memoized read does not see it.
			if _, err := tx.ExecContext(ctx, `UPDATE products SET name = 'Renamed' WHERE id = $1`, p.ID); err != nil {
				return err
			}
			many, err := tx.ProductGetMany(ctx, org.ID, []string{p.ID})
			if err != nil {
				return err
			}
			if again, _ := tx.ProductGet(ctx, org.ID, p.ID); again != first || many[0] != first || again.Name != "Kit" {
				t.Fatalf("memoized reads: %p %p %p, name %q", first, again, many[0], again.Name)
			}
			// A product write through the store forgets the memo.
			upd := *first
			upd.Name = "Written"
			if err := tx.ProductUpdate(ctx, &upd); err != nil {
				return err
			}
			if after, err := tx.ProductGet(ctx, org.ID, p.ID); err != nil || after == first || after.Name != "Written" {
				t.Fatalf("after a write: %+v %v", after, err)
			}
			return nil
		})
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { // no memo: two reads, two objects
			a, err := tx.ProductGet(ctx, org.ID, p.ID)
			if err != nil {
				return err
			}
			if b, err := tx.ProductGet(ctx, org.ID, p.ID); err != nil || a == b {
				t.Fatalf("without MemoReads the same object came back: %p %p %v", a, b, err)
			}
			return nil
		})
	})
}

// Statements kept prepared across transactions see the rows of later ones
// and run again after the transaction that prepared them failed.
func TestPreparedStatementsAcrossTransactions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Prepared")
		for i, name := range []string{"One", "Two", "Three"} {
			p := catProduct(org.ID, name, &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100})
			catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.ProductCreate(ctx, p) })
			if i == 1 {
				s.InTx(ctx, func(tx *store.Tx) error {
					tx.ProductGet(ctx, org.ID, p.ID)
					return paylink.Errorf(paylink.EInvalid, "roll back")
				})
			}
			var n int
			if err := s.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRowContext(ctx, `SELECT count(*) FROM products WHERE organization_id = $1`, org.ID).Scan(&n)
			}); err != nil || n != i+1 {
				t.Fatalf("after %d products: count %d, %v", i+1, n, err)
			}
		}
	})
}
