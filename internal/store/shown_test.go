package store_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// ShownCatalog answers from its cache while nothing changed, and shows every
// change to a product, its prices, fields and benefits, or the organization at
// once, also when another process (another Store on the same database) made it.
func TestShownCatalogSeesEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		writer, reader := storetest.Open(t, u), storetest.Open(t, u) // two processes
		org, other := storetest.Org(t, writer, "Shown"), storetest.Org(t, writer, "Elsewhere")
		field := &paylink.CustomField{OrganizationID: org.ID, Type: "text", Slug: "company", Name: "Company"}
		perk, bonus := &paylink.Benefit{OrganizationID: org.ID, Type: paylink.BenefitCustom, Description: "Perk"},
			&paylink.Benefit{OrganizationID: org.ID, Type: paylink.BenefitCustom, Description: "Bonus"}
		p := catProduct(org.ID, "Kit", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900})
		second := catProduct(org.ID, "Extra", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100})
		foreign := catProduct(other.ID, "Theirs", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100})
		catTx(t, writer, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.CustomFieldCreate(ctx, field); err != nil {
				return err
			}
			for _, b := range []*paylink.Benefit{perk, bonus} {
				if err := tx.BenefitCreate(ctx, b); err != nil {
					return err
				}
			}
			p.CustomFields = []paylink.ProductCustomField{{CustomFieldID: field.ID}}
			for _, q := range []*paylink.Product{p, second, foreign} {
				if err := tx.ProductCreate(ctx, q); err != nil {
					return err
				}
			}
			return tx.ProductBenefitsSet(ctx, org.ID, p.ID, []string{perk.ID})
		})
		shown := func() (*paylink.Organization, *paylink.Product) {
			t.Helper()
			var o *paylink.Organization
			var ps []*paylink.Product
			if err := reader.Read(ctx, func(tx *store.Tx) error {
				var err error
				o, ps, err = tx.ShownCatalog(ctx, org.ID, []string{second.ID, p.ID})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(ps) != 2 || ps[0].ID != second.ID || ps[1].ID != p.ID {
				t.Fatalf("products not in the order asked: %+v", ps)
			}
			return o, ps[1]
		}
		o1, p1 := shown()
		if o1.Name != "Shown" || p1.Name != "Kit" || p1.Prices[0].PriceAmount != 900 || len(p1.CustomFields) != 1 ||
			len(p1.Benefits) != 1 || p1.Benefits[0].Description != "Perk" {
			t.Fatalf("first read: %+v %+v", o1, p1)
		}
		if o2, p2 := shown(); o2 != o1 || p2 != p1 {
			t.Fatal("nothing changed, yet the products or the organization were loaded again")
		}

		changes := []struct {
			name   string
			change func(ctx context.Context, tx *store.Tx) error
			seen   func(o *paylink.Organization, p *paylink.Product) bool
		}{
			{"product renamed", func(ctx context.Context, tx *store.Tx) error {
				cur, err := tx.ProductGet(ctx, org.ID, p.ID)
				if err != nil {
					return err
				}
				upd := *cur
				upd.Name = "Renamed"
				return tx.ProductUpdate(ctx, &upd)
			}, func(_ *paylink.Organization, p *paylink.Product) bool { return p.Name == "Renamed" }},
			{"price replaced", func(ctx context.Context, tx *store.Tx) error {
				cur, err := tx.ProductGet(ctx, org.ID, p.ID)
				if err != nil {
					return err
				}
				upd := *cur
				upd.Prices = []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 1500}}
				return tx.ProductUpdate(ctx, &upd)
			}, func(_ *paylink.Organization, p *paylink.Product) bool { return p.Price().PriceAmount == 1500 }},
			{"custom field renamed", func(ctx context.Context, tx *store.Tx) error {
				f := *field
				f.Name = "Company name"
				return tx.CustomFieldUpdate(ctx, &f)
			}, func(_ *paylink.Organization, p *paylink.Product) bool {
				return len(p.CustomFields) == 1 && p.CustomFields[0].CustomField.Name == "Company name"
			}},
			{"benefit edited", func(ctx context.Context, tx *store.Tx) error {
				b := *perk
				b.Description = "Better perk"
				return tx.BenefitUpdate(ctx, &b)
			}, func(_ *paylink.Organization, p *paylink.Product) bool {
				return len(p.Benefits) == 1 && p.Benefits[0].Description == "Better perk"
			}},
			{"benefits swapped", func(ctx context.Context, tx *store.Tx) error {
				return tx.ProductBenefitsSet(ctx, org.ID, p.ID, []string{bonus.ID})
			}, func(_ *paylink.Organization, p *paylink.Product) bool {
				return len(p.Benefits) == 1 && p.Benefits[0].ID == bonus.ID
			}},
			{"benefit added", func(ctx context.Context, tx *store.Tx) error {
				return tx.ProductBenefitsSet(ctx, org.ID, p.ID, []string{bonus.ID, perk.ID})
			}, func(_ *paylink.Organization, p *paylink.Product) bool { return len(p.Benefits) == 2 }},
			{"benefits reordered", func(ctx context.Context, tx *store.Tx) error {
				return tx.ProductBenefitsSet(ctx, org.ID, p.ID, []string{perk.ID, bonus.ID})
			}, func(_ *paylink.Organization, p *paylink.Product) bool {
				return len(p.Benefits) == 2 && p.Benefits[0].ID == perk.ID
			}},
			{"custom field deleted", func(ctx context.Context, tx *store.Tx) error {
				return tx.CustomFieldDelete(ctx, org.ID, field.ID)
			}, func(_ *paylink.Organization, p *paylink.Product) bool { return len(p.CustomFields) == 0 }},
			{"organization renamed", func(ctx context.Context, tx *store.Tx) error {
				return tx.OrganizationSettingsUpdate(ctx, org.ID, paylink.OrganizationSettings{Name: "Shown Ltd"}, paylink.Now())
			}, func(o *paylink.Organization, _ *paylink.Product) bool { return o.Name == "Shown Ltd" }},
		}
		for _, c := range changes {
			catTx(t, writer, c.change)
			if o, p := shown(); !c.seen(o, p) {
				t.Fatalf("%s: not shown: %+v %+v", c.name, o, p)
			}
		}

		// Another organization's product, or none, is not found.
		for _, ids := range [][]string{{p.ID, foreign.ID}, {paylink.NewID()}} {
			err := reader.Read(ctx, func(tx *store.Tx) error {
				_, _, err := tx.ShownCatalog(ctx, org.ID, ids)
				return err
			})
			if !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("products %v: %v", ids, err)
			}
		}
	})
}
