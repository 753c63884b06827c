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

// catPtr returns a pointer to v.
func catPtr[T any](v T) *T { return &v }

// catTx runs fn in a transaction and fails the test on error.
func catTx(t *testing.T, s *store.Store, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := s.InTx(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func catProduct(org, name string, pr *paylink.Price) *paylink.Product {
	return &paylink.Product{OrganizationID: org, Name: name, Prices: []*paylink.Price{pr}, Metadata: paylink.Metadata{}}
}

func TestProductsCreateGetUpdate(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Catalog"), storetest.Org(t, s, "Elsewhere")
		f1 := &paylink.CustomField{OrganizationID: org.ID, Type: "text", Slug: "company", Name: "Company"}
		f2 := &paylink.CustomField{OrganizationID: org.ID, Type: "checkbox", Slug: "terms", Name: "Terms"}
		foreign := &paylink.CustomField{OrganizationID: other.ID, Type: "checkbox", Slug: "terms", Name: "Theirs"}
		p := catProduct(org.ID, "Membership", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900})
		p.Description, p.RecurringInterval, p.RecurringIntervalCount = catPtr("Monthly"), catPtr("month"), catPtr(3)
		p.Metadata = paylink.Metadata{"s": "x", "n": int64(7), "f": 0.5, "b": true}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error {
			for _, f := range []*paylink.CustomField{f1, f2, foreign} {
				if err := tx.CustomFieldCreate(ctx, f); err != nil {
					return err
				}
			}
			p.CustomFields = []paylink.ProductCustomField{{CustomFieldID: f2.ID, Required: true}, {CustomFieldID: f1.ID}}
			return tx.ProductCreate(ctx, p)
		})

		// A field of another organization cannot be attached, and nothing is left behind.
		err := s.InTx(ctx, func(tx *store.Tx) error {
			q := catProduct(org.ID, "Sneaky", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd"})
			q.CustomFields = []paylink.ProductCustomField{{CustomFieldID: foreign.ID}}
			return tx.ProductCreate(ctx, q)
		})
		if !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("foreign field: %v", err)
		}

		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.ProductGet(ctx, org.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "Membership" || *got.Description != "Monthly" || *got.RecurringInterval != "month" ||
				*got.RecurringIntervalCount != 3 || got.IsArchived || !got.CreatedAt.Equal(p.CreatedAt) ||
				got.CreatedAt.Location() != time.UTC || got.ModifiedAt != nil {
				t.Fatalf("product: %+v", got)
			}
			if m := got.Metadata; m["s"] != "x" || m["n"] != int64(7) || m["f"] != 0.5 || m["b"] != true {
				t.Fatalf("metadata round trip: %#v", m)
			}
			if len(got.Prices) != 1 || got.Prices[0].ID != p.Prices[0].ID || got.Prices[0].ProductID != p.ID ||
				got.Prices[0].PriceAmount != 900 || got.Prices[0].MaximumAmount != nil {
				t.Fatalf("prices: %+v", got.Prices[0])
			}
			cf := got.CustomFields
			if len(cf) != 2 || cf[0].CustomFieldID != f2.ID || !cf[0].Required || cf[0].Order != 0 ||
				cf[1].CustomField.Slug != "company" || cf[1].Required || cf[1].Order != 1 {
				t.Fatalf("attached fields: %+v", cf)
			}
			if _, err := tx.ProductGet(ctx, other.ID, p.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other organization's get: %v", err)
			}
			if up, err := tx.ProductGet(ctx, org.ID, strings.ToUpper(p.ID)); err != nil || up.ID != p.ID {
				t.Fatalf("get by an upper-case id: %+v %v", up, err)
			}
			if many, err := tx.ProductGetMany(ctx, org.ID, []string{strings.ToUpper(p.ID)}); err != nil || many[0].ID != p.ID {
				t.Fatalf("get many by an upper-case id: %v", err)
			}
			if pr, err := tx.PriceGet(ctx, org.ID, strings.ToUpper(p.Prices[0].ID)); err != nil || pr.ID != p.Prices[0].ID {
				t.Fatalf("price by an upper-case id: %+v %v", pr, err)
			}
			locked, err := tx.ProductGetForUpdate(ctx, org.ID, p.ID)
			if err != nil || locked.Name != got.Name || len(locked.Prices) != 1 || len(locked.CustomFields) != 2 {
				t.Fatalf("get for update: %+v %v", locked, err)
			}
			if _, err := tx.ProductGetForUpdate(ctx, other.ID, p.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other organization's get for update: %v", err)
			}
			if n, total, _ := tx.ProductList(ctx, store.ProductListParams{OrganizationID: org.ID}); len(n) != 1 || total != 1 {
				t.Fatalf("the failed create left %d products", total)
			}
			return nil
		})

		// Replace the price and the fields; archive the product.
		first := p.Prices[0]
		p.Name, p.IsArchived = "Membership+", true
		p.Prices = []*paylink.Price{{AmountType: paylink.PriceCustom, Currency: "eur", MinimumAmount: 0, PresetAmount: catPtr(int64(500))}}
		p.CustomFields = []paylink.ProductCustomField{{CustomFieldID: f1.ID, Required: true}}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.ProductUpdate(ctx, p) })
		if p.ModifiedAt == nil || len(p.Prices) != 2 || p.Prices[0].AmountType != paylink.PriceCustom ||
			p.Prices[0].IsArchived || !p.Prices[1].IsArchived || p.Prices[1].ID != first.ID || len(p.CustomFields) != 1 {
			t.Fatalf("after update: %+v prices %+v", p, p.Prices)
		}
		live := p.Price()
		s.Read(ctx, func(tx *store.Tx) error {
			got, _ := tx.ProductGet(ctx, org.ID, p.ID)
			if got.Name != "Membership+" || !got.IsArchived || got.Price().ID != live.ID || *got.Price().PresetAmount != 500 ||
				got.Price().Currency != "eur" || got.ModifiedAt == nil || len(got.CustomFields) != 1 || !got.CustomFields[0].Required {
				t.Fatalf("stored update: %+v", got)
			}
			old, err := tx.PriceGet(ctx, org.ID, first.ID)
			if err != nil || !old.IsArchived || old.ModifiedAt == nil || old.PriceAmount != 900 {
				t.Fatalf("archived price: %+v %v", old, err)
			}
			if _, err := tx.PriceGet(ctx, other.ID, first.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other organization's price: %v", err)
			}
			return nil
		})

		// Keeping the live price by id changes nothing; an unknown or archived one is ENotFound.
		p.Prices = []*paylink.Price{{ID: live.ID}}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.ProductUpdate(ctx, p) })
		if p.Price().ID != live.ID || len(p.Prices) != 2 {
			t.Fatalf("kept price: %+v", p.Prices)
		}
		for _, id := range []string{first.ID, paylink.NewID()} {
			p.Prices = []*paylink.Price{{ID: id}}
			err := s.InTx(ctx, func(tx *store.Tx) error { return tx.ProductUpdate(ctx, p) })
			if !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("keeping price %s: %v", id, err)
			}
		}
		stolen := *p
		stolen.OrganizationID, stolen.Name = other.ID, "stolen"
		err = s.InTx(ctx, func(tx *store.Tx) error { return tx.ProductUpdate(ctx, &stolen) })
		if !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("update across organizations: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if got, _ := tx.ProductGet(ctx, org.ID, p.ID); got.Name != "Membership+" {
				t.Fatalf("name changed by another organization: %s", got.Name)
			}
			return nil
		})
	})
}

func TestProductsList(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Lister"), storetest.Org(t, s, "Other")
		fixed := func(n int64) *paylink.Price {
			return &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: n}
		}
		ps := []*paylink.Product{
			catProduct(org.ID, "beta 100%", fixed(3000)),
			catProduct(org.ID, "Alpha", &paylink.Price{AmountType: paylink.PriceCustom, Currency: "usd", MinimumAmount: 100}),
			catProduct(org.ID, "Gamma plan", fixed(50)),
			catProduct(org.ID, "delta", fixed(0)),
		}
		ps[2].RecurringInterval, ps[2].RecurringIntervalCount = catPtr("year"), catPtr(1)
		ps[3].IsArchived = true
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error {
			for _, p := range append(ps, catProduct(other.ID, "Alpha elsewhere", fixed(100))) {
				if err := tx.ProductCreate(ctx, p); err != nil {
					return err
				}
			}
			return nil
		})
		names := func(p store.ProductListParams) ([]string, int) {
			t.Helper()
			p.OrganizationID = org.ID
			var out []string
			var total int
			s.Read(ctx, func(tx *store.Tx) error {
				got, n, err := tx.ProductList(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range got {
					if len(g.Prices) != 1 {
						t.Fatalf("%s: prices not loaded", g.Name)
					}
					out = append(out, g.Name)
				}
				total = n
				return nil
			})
			return out, total
		}
		order := func(fields ...string) string {
			var cols []string
			for _, f := range fields {
				desc := f[0] == '-'
				if desc {
					f = f[1:]
				}
				c := store.ProductSortColumns[f]
				if desc {
					c += " DESC"
				}
				cols = append(cols, c)
			}
			return strings.Join(append(cols, "id"), ", ")
		}
		cases := []struct {
			name  string
			p     store.ProductListParams
			want  []string
			total int
		}{
			{"default newest first", store.ProductListParams{}, []string{"delta", "Gamma plan", "Alpha", "beta 100%"}, 4},
			{"by name ignoring case", store.ProductListParams{ListParams: store.ListParams{OrderBy: order("name")}}, []string{"Alpha", "beta 100%", "delta", "Gamma plan"}, 4},
			{"by name descending", store.ProductListParams{ListParams: store.ListParams{OrderBy: order("-name")}}, []string{"Gamma plan", "delta", "beta 100%", "Alpha"}, 4},
			{"by price amount", store.ProductListParams{ListParams: store.ListParams{OrderBy: order("price_amount")}}, []string{"delta", "Gamma plan", "Alpha", "beta 100%"}, 4},
			{"by price type then name", store.ProductListParams{ListParams: store.ListParams{OrderBy: order("price_amount_type", "name")}}, []string{"Alpha", "beta 100%", "delta", "Gamma plan"}, 4},
			{"page 2 of 3", store.ProductListParams{ListParams: store.ListParams{OrderBy: order("name"), Limit: 3, Offset: 3}}, []string{"Gamma plan"}, 4},
			{"query ignoring case", store.ProductListParams{Query: "ALPHA"}, []string{"Alpha"}, 1},
			{"query with a literal %", store.ProductListParams{Query: "0%"}, []string{"beta 100%"}, 1},
			{"query % matches no wildcard", store.ProductListParams{Query: "a%a"}, nil, 0},
			{"archived", store.ProductListParams{IsArchived: catPtr(true)}, []string{"delta"}, 1},
			{"not archived", store.ProductListParams{IsArchived: catPtr(false), ListParams: store.ListParams{OrderBy: order("name")}}, []string{"Alpha", "beta 100%", "Gamma plan"}, 3},
			{"recurring", store.ProductListParams{IsRecurring: catPtr(true)}, []string{"Gamma plan"}, 1},
			{"one-time", store.ProductListParams{IsRecurring: catPtr(false), ListParams: store.ListParams{OrderBy: order("name")}}, []string{"Alpha", "beta 100%", "delta"}, 3},
			{"by ids", store.ProductListParams{IDs: []string{ps[0].ID, ps[1].ID}, ListParams: store.ListParams{OrderBy: order("name")}}, []string{"Alpha", "beta 100%"}, 2},
			{"empty ids", store.ProductListParams{IDs: []string{}}, nil, 0},
		}
		for _, c := range cases {
			got, total := names(c.p)
			if strings.Join(got, ",") != strings.Join(c.want, ",") || total != c.total {
				t.Errorf("%s: got %v (total %d), want %v (total %d)", c.name, got, total, c.want, c.total)
			}
		}

		s.Read(ctx, func(tx *store.Tx) error {
			many, err := tx.ProductGetMany(ctx, org.ID, []string{ps[2].ID, ps[0].ID, ps[2].ID})
			if err != nil || len(many) != 3 || many[0].Name != "Gamma plan" || many[1].Name != "beta 100%" || many[2].ID != ps[2].ID {
				t.Fatalf("get many: %v %v", many, err)
			}
			if many[0].Price() == nil {
				t.Fatal("get many: prices not loaded")
			}
			if _, err := tx.ProductGetMany(ctx, org.ID, []string{ps[0].ID, paylink.NewID()}); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("get many with an unknown id: %v", err)
			}
			others, _, _ := tx.ProductList(ctx, store.ProductListParams{OrganizationID: other.ID})
			if _, err := tx.ProductGetMany(ctx, org.ID, []string{others[0].ID}); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("get many with another organization's id: %v", err)
			}
			return nil
		})
	})
}
