package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestCustomFields(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Fields"), storetest.Org(t, s, "Others")
		text := &paylink.CustomField{OrganizationID: org.ID, Type: "text", Slug: "company", Name: "Company",
			Properties: paylink.CustomFieldProperties{FormLabel: catPtr("Company"), Textarea: catPtr(false), MaxLength: catPtr(100)},
			Metadata:   paylink.Metadata{"crm": "company_name"}}
		sel := &paylink.CustomField{OrganizationID: org.ID, Type: "select", Slug: "size", Name: "size",
			Properties: paylink.CustomFieldProperties{Options: []paylink.SelectOption{{Value: "s", Label: "Small"}}}}
		num := &paylink.CustomField{OrganizationID: org.ID, Type: "number", Slug: "age", Name: "Age",
			Properties: paylink.CustomFieldProperties{GE: catPtr(int64(18)), LE: catPtr(int64(120))}}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error {
			for _, f := range []*paylink.CustomField{text, sel, num} {
				if err := tx.CustomFieldCreate(ctx, f); err != nil {
					return err
				}
			}
			// The same slug is free in another organization.
			return tx.CustomFieldCreate(ctx, &paylink.CustomField{OrganizationID: other.ID, Type: "checkbox", Slug: "company", Name: "X"})
		})
		err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.CustomFieldCreate(ctx, &paylink.CustomField{OrganizationID: org.ID, Type: "checkbox", Slug: "company", Name: "Again"})
		})
		if !errors.Is(err, store.ErrCustomFieldSlugTaken) || !paylink.IsCode(err, paylink.EConflict) {
			t.Fatalf("duplicate slug: %v", err)
		}

		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.CustomFieldGet(ctx, org.ID, text.ID)
			if err != nil || got.Slug != "company" || got.Type != "text" || *got.Properties.FormLabel != "Company" ||
				got.Properties.Textarea == nil || *got.Properties.Textarea || *got.Properties.MaxLength != 100 ||
				got.Properties.MinLength != nil || got.Metadata["crm"] != "company_name" || !got.CreatedAt.Equal(text.CreatedAt) {
				t.Fatalf("get: %+v %v", got, err)
			}
			if g, _ := tx.CustomFieldGet(ctx, org.ID, num.ID); *g.Properties.GE != 18 || *g.Properties.LE != 120 {
				t.Fatalf("number properties: %+v", g.Properties)
			}
			if _, err := tx.CustomFieldGet(ctx, other.ID, text.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("other organization's get: %v", err)
			}
			if up, err := tx.CustomFieldGet(ctx, org.ID, strings.ToUpper(sel.ID)); err != nil || up.ID != sel.ID {
				t.Fatalf("get by an upper-case id: %+v %v", up, err)
			}
			many, err := tx.CustomFieldGetMany(ctx, org.ID, []string{sel.ID, strings.ToUpper(text.ID)})
			if err != nil || many[0].ID != sel.ID || many[1].ID != text.ID {
				t.Fatalf("get many: %v %v", many, err)
			}
			if _, err := tx.CustomFieldGetMany(ctx, other.ID, []string{sel.ID}); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("get many across organizations: %v", err)
			}
			return nil
		})

		slugs := func(p store.CustomFieldListParams) (string, int) {
			p.OrganizationID = org.ID
			var out []string
			var total int
			s.Read(ctx, func(tx *store.Tx) error {
				got, n, err := tx.CustomFieldList(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range got {
					out = append(out, f.Slug)
				}
				total = n
				return nil
			})
			return strings.Join(out, ","), total
		}
		for _, c := range []struct {
			p     store.CustomFieldListParams
			want  string
			total int
		}{
			{store.CustomFieldListParams{}, "age,company,size", 3},
			{store.CustomFieldListParams{ListParams: store.ListParams{OrderBy: "created_at DESC, id"}}, "age,size,company", 3},
			{store.CustomFieldListParams{ListParams: store.ListParams{OrderBy: store.CustomFieldSortColumns["name"] + ", id"}}, "age,company,size", 3},
			{store.CustomFieldListParams{ListParams: store.ListParams{Limit: 2, Offset: 2}}, "size", 3},
			{store.CustomFieldListParams{Types: []string{"select", "number"}}, "age,size", 2},
			{store.CustomFieldListParams{Query: "COMP"}, "company", 1},
			{store.CustomFieldListParams{Query: "siz"}, "size", 1},
		} {
			if got, total := slugs(c.p); got != c.want || total != c.total {
				t.Errorf("list %+v: got %s (%d), want %s (%d)", c.p, got, total, c.want, c.total)
			}
		}

		// Update, including a slug clash.
		text.Slug, text.Name, text.Properties = "company_name", "Company name", paylink.CustomFieldProperties{MinLength: catPtr(2)}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.CustomFieldUpdate(ctx, text) })
		if text.ModifiedAt == nil {
			t.Fatal("ModifiedAt not set")
		}
		clash := *text
		clash.Slug = "size"
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CustomFieldUpdate(ctx, &clash) }); !errors.Is(err, store.ErrCustomFieldSlugTaken) {
			t.Fatalf("update to a taken slug: %v", err)
		}
		stolen := *text
		stolen.OrganizationID = other.ID
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CustomFieldUpdate(ctx, &stolen) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("update across organizations: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			got, _ := tx.CustomFieldGet(ctx, org.ID, text.ID)
			if got.Slug != "company_name" || got.Name != "Company name" || got.Properties.FormLabel != nil || *got.Properties.MinLength != 2 || got.ModifiedAt == nil {
				t.Fatalf("stored update: %+v", got)
			}
			return nil
		})

		// Delete detaches the field from products and frees its slug.
		p := catProduct(org.ID, "With fields", &paylink.Price{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100})
		p.CustomFields = []paylink.ProductCustomField{{CustomFieldID: sel.ID, Required: true}, {CustomFieldID: num.ID}}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.ProductCreate(ctx, p) })
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CustomFieldDelete(ctx, other.ID, sel.ID) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("delete across organizations: %v", err)
		}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error { return tx.CustomFieldDelete(ctx, org.ID, sel.ID) })
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CustomFieldDelete(ctx, org.ID, sel.ID) }); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if _, err := tx.CustomFieldGet(ctx, org.ID, sel.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("get deleted: %v", err)
			}
			got, _ := tx.ProductGet(ctx, org.ID, p.ID)
			if len(got.CustomFields) != 1 || got.CustomFields[0].CustomFieldID != num.ID {
				t.Fatalf("deleted field still attached: %+v", got.CustomFields)
			}
			return nil
		})
		if got, total := slugs(store.CustomFieldListParams{}); got != "age,company_name" || total != 2 {
			t.Fatalf("list after delete: %s %d", got, total)
		}
		catTx(t, s, func(ctx context.Context, tx *store.Tx) error {
			return tx.CustomFieldCreate(ctx, &paylink.CustomField{OrganizationID: org.ID, Type: "select", Slug: "size", Name: "Size again"})
		})
	})
}
