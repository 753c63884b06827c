package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func discNew(orgID, name string, code *string) *paylink.Discount {
	return &paylink.Discount{OrganizationID: orgID, Name: name, Type: paylink.DiscountPercentage, BasisPoints: 1000,
		Duration: paylink.DurationOnce, Code: code, Metadata: paylink.Metadata{"n": int64(1)}}
}

func discStr(s string) *string { return &s }

func TestDiscountsCRUD(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Acme"), storetest.Org(t, s, "Other Shop")
		months, maxR := 3, 10
		start := paylink.Now().Add(-time.Hour)
		p1, p2 := paylink.NewID(), paylink.NewID()
		d := &paylink.Discount{OrganizationID: org.ID, Name: "Summer", Type: paylink.DiscountFixed, Amount: 500,
			Currency: "eur", Duration: paylink.DurationRepeating, DurationInMonths: &months, Code: discStr("Summer24"),
			StartsAt: &start, MaxRedemptions: &maxR, ProductIDs: []string{p2, p1},
			Metadata: paylink.Metadata{"s": "x", "i": int64(7), "b": true}}
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, d) })

		// The same code in another case is taken in this organization, free in another.
		err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, discNew(org.ID, "Dup", discStr("SUMMER24"))) })
		if !errors.Is(err, store.ErrDiscountCodeTaken) {
			t.Fatalf("duplicate code: %v", err)
		}
		discTx(t, s, func(tx *store.Tx) error {
			return tx.DiscountCreate(ctx, discNew(other.ID, "Theirs", discStr("summer24")))
		})

		discRead(t, s, func(tx *store.Tx) error {
			got, err := tx.DiscountGet(ctx, org.ID, d.ID)
			if err != nil {
				return err
			}
			if got.Name != "Summer" || got.Amount != 500 || got.Currency != "eur" || *got.DurationInMonths != 3 ||
				*got.Code != "Summer24" || !got.StartsAt.Equal(start) || got.EndsAt != nil || *got.MaxRedemptions != 10 ||
				got.RedemptionsCount != 0 || got.Metadata["i"] != int64(7) || got.Metadata["b"] != true ||
				len(got.ProductIDs) != 2 || got.ProductIDs[0] != p2 || !got.CreatedAt.Equal(d.CreatedAt) ||
				got.CreatedAt.Location() != time.UTC || got.ModifiedAt != nil {
				t.Fatalf("get: %+v", got)
			}
			if byCode, err := tx.DiscountGetByCode(ctx, org.ID, " sUmMeR24 "); err != nil || byCode.ID != d.ID {
				t.Fatalf("by code: %+v %v", byCode, err)
			}
			if _, err := tx.DiscountGet(ctx, other.ID, d.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other org get: %v", err)
			}
			return nil
		})

		// Update: new code, cleared start, fewer products; the old code is then free.
		d.Name, d.Code, d.StartsAt, d.ProductIDs = "Summer sale", discStr("SALE"), nil, []string{p1}
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountUpdate(ctx, d) })
		discRead(t, s, func(tx *store.Tx) error {
			got, err := tx.DiscountGet(ctx, org.ID, d.ID)
			if err != nil || got.Name != "Summer sale" || *got.Code != "SALE" || got.StartsAt != nil ||
				len(got.ProductIDs) != 1 || got.ModifiedAt == nil {
				t.Fatalf("after update: %+v %v", got, err)
			}
			if _, err := tx.DiscountGetByCode(ctx, org.ID, "summer24"); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("old code still found: %v", err)
			}
			return nil
		})
		dup := discNew(org.ID, "Other", discStr("other1"))
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, dup) })
		dup.Code = discStr("sale")
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountUpdate(ctx, dup) }); !errors.Is(err, store.ErrDiscountCodeTaken) {
			t.Fatalf("update to a taken code: %v", err)
		}
		wrongOrg := *d
		wrongOrg.OrganizationID = other.ID
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountUpdate(ctx, &wrongOrg) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("update across orgs: %v", err)
		}

		// Delete: gone from get, code lookup and list; its code can be reused.
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountDelete(ctx, other.ID, d.ID) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("delete across orgs: %v", err)
		}
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountDelete(ctx, org.ID, d.ID) })
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountDelete(ctx, org.ID, d.ID) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("second delete: %v", err)
		}
		discRead(t, s, func(tx *store.Tx) error {
			if _, err := tx.DiscountGet(ctx, org.ID, d.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("get deleted: %v", err)
			}
			if _, err := tx.DiscountGetByCode(ctx, org.ID, "sale"); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("code of deleted: %v", err)
			}
			return nil
		})
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, discNew(org.ID, "Reuse", discStr("Sale"))) })
	})
}

func TestDiscountList(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Acme"), storetest.Org(t, s, "Other Shop")
		var ids []string
		for _, n := range []struct{ name, code string }{{"Alpha", "AAA111"}, {"beta 50%_off", "BBB222"}, {"Gamma", ""}} {
			var code *string
			if n.code != "" {
				code = discStr(n.code)
			}
			d := discNew(org.ID, n.name, code)
			discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, d) })
			ids = append(ids, d.ID)
		}
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, discNew(other.ID, "Alpha", nil)) })
		list := func(p store.DiscountListParams) ([]string, int) {
			p.OrganizationID = org.ID
			var names []string
			var total int
			discRead(t, s, func(tx *store.Tx) error {
				ds, n, err := tx.DiscountList(ctx, p)
				for _, d := range ds {
					names = append(names, d.Name)
				}
				total = n
				return err
			})
			return names, total
		}
		if names, total := list(store.DiscountListParams{}); total != 3 || len(names) != 3 || names[0] != "Gamma" {
			t.Fatalf("default (newest first): %v %d", names, total)
		}
		if names, total := list(store.DiscountListParams{ListParams: store.ListParams{Limit: 1, Offset: 1, OrderBy: "name, id"}}); total != 3 || len(names) != 1 || names[0] != "Gamma" {
			t.Fatalf("page 2 by name: %v %d", names, total)
		}
		if names, _ := list(store.DiscountListParams{Query: "ALP"}); len(names) != 1 || names[0] != "Alpha" {
			t.Fatalf("query by name: %v", names)
		}
		if names, _ := list(store.DiscountListParams{Query: "bbb2"}); len(names) != 1 || names[0] != "beta 50%_off" {
			t.Fatalf("query by code: %v", names)
		}
		if names, _ := list(store.DiscountListParams{Query: "%"}); len(names) != 1 {
			t.Fatalf("query %% must match literally: %v", names)
		}
		if names, _ := list(store.DiscountListParams{IDs: []string{ids[0], ids[2]}}); len(names) != 2 {
			t.Fatalf("ids: %v", names)
		}
	})
}

func TestDiscountRedeem(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Acme")
		d := discNew(org.ID, "Few", nil)
		limit := 5
		d.MaxRedemptions = &limit
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, d) })

		// 20 concurrent buyers for 5 redemptions: exactly 5 win.
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, exhausted := 0, 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountRedeem(ctx, d.ID) })
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, store.ErrDiscountExhausted) && paylink.IsCode(err, paylink.EForbidden):
					exhausted++
				default:
					t.Errorf("redeem: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 5 || exhausted != 15 {
			t.Fatalf("redeemed %d, refused %d; want 5 and 15", ok, exhausted)
		}
		count := func() int {
			var got *paylink.Discount
			discRead(t, s, func(tx *store.Tx) (err error) { got, err = tx.DiscountGet(ctx, org.ID, d.ID); return err })
			return got.RedemptionsCount
		}
		if n := count(); n != 5 {
			t.Fatalf("count %d, want 5", n)
		}

		// Unredeem frees one slot; a rolled-back redemption counts nothing.
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountUnredeem(ctx, d.ID) })
		rollback := errors.New("payment failed")
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.DiscountRedeem(ctx, d.ID); err != nil {
				return err
			}
			return rollback
		}); err != rollback {
			t.Fatalf("rolled back redeem: %v", err)
		}
		if n := count(); n != 4 {
			t.Fatalf("count after unredeem and rollback %d, want 4", n)
		}

		// Unlimited discounts always redeem; unredeem never goes below zero.
		free := discNew(org.ID, "Unlimited", nil)
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, free) })
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountUnredeem(ctx, free.ID) })
		for i := 0; i < 3; i++ {
			discTx(t, s, func(tx *store.Tx) error { return tx.DiscountRedeem(ctx, free.ID) })
		}

		// Deleted and unknown discounts are not found.
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountDelete(ctx, org.ID, free.ID) })
		for _, id := range []string{free.ID, paylink.NewID()} {
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountRedeem(ctx, id) }); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("redeem %s: %v", id, err)
			}
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountUnredeem(ctx, paylink.NewID()) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("unredeem unknown: %v", err)
		}
		discTx(t, s, func(tx *store.Tx) error { return tx.DiscountUnredeem(ctx, free.ID) }) // deleted still gives back
	})
}

func discTx(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func discRead(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Read(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
