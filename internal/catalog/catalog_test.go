package catalog_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/catalog"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// shop is an organization with one product, on a fresh database.
type shop struct {
	svc     *catalog.Service
	org     string
	product *paylink.Product
}

func newShop(t *testing.T, s *store.Store) *shop {
	t.Helper()
	ctx := context.Background()
	org := &paylink.Organization{Name: "Acme", Slug: "acme-" + paylink.NewID()[28:]}
	if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.OrganizationCreate(ctx, org) }); err != nil {
		t.Fatal(err)
	}
	svc := &catalog.Service{Store: s}
	amount := int64(1900)
	p, err := svc.ProductCreate(ctx, org.ID, paylink.ProductParams{Name: "Kit",
		Prices: []paylink.PriceInput{{AmountType: paylink.PriceFixed, PriceAmount: &amount}}})
	if err != nil {
		t.Fatal(err)
	}
	return &shop{svc: svc, org: org.ID, product: p}
}

func ptr[T any](v T) *T { return &v }

// A save carrying the version its edit started from is refused once the row has
// changed since, for every kind of row; without a version (the API) it applies.
func TestStaleSavesAreRefused(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sh := newShop(t, s)
		p := sh.product
		opened := catalog.Version(p.CreatedAt, p.ModifiedAt)
		if _, err := sh.svc.ProductUpdate(ctx, sh.org, p.ID, paylink.ProductPatch{Name: ptr("Kit 2")}, ""); err != nil {
			t.Fatal(err)
		}
		_, err := sh.svc.ProductUpdate(ctx, sh.org, p.ID, paylink.ProductPatch{Name: ptr("Kit 3")}, opened)
		if !catalog.IsStale(err) || !paylink.IsCode(err, paylink.EConflict) {
			t.Fatalf("product saved from an old version: %v", err)
		}
		got, err := sh.svc.ProductUpdate(ctx, sh.org, p.ID, paylink.ProductPatch{}, "")
		if err != nil || got.Name != "Kit 2" {
			t.Fatalf("after the refused save: %+v %v", got, err)
		}
		if _, err := sh.svc.ProductUpdate(ctx, sh.org, p.ID, paylink.ProductPatch{Name: ptr("Kit 4")},
			catalog.Version(got.CreatedAt, got.ModifiedAt)); err != nil {
			t.Fatalf("save from the current version: %v", err)
		}

		l, err := sh.svc.LinkCreate(ctx, sh.org, catalog.LinkCreate{Input: paylink.LinkInput{ProductIDs: []string{p.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		linkOpened := catalog.Version(l.CreatedAt, l.ModifiedAt)
		if _, err := sh.svc.LinkSetActive(ctx, sh.org, l.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := sh.svc.LinkUpdate(ctx, sh.org, l.ID, paylink.LinkInput{Label: ptr("x")}, linkOpened); !catalog.IsStale(err) {
			t.Fatalf("link saved from an old version: %v", err)
		}

		d, _, err := sh.svc.DiscountCreate(ctx, sh.org, paylink.DiscountInput{Name: ptr("Ten"), Type: ptr(paylink.DiscountPercentage),
			Duration: ptr(paylink.DurationOnce), BasisPoints: ptr(1000)})
		if err != nil {
			t.Fatal(err)
		}
		dOpened := catalog.Version(d.CreatedAt, d.ModifiedAt)
		if _, _, err := sh.svc.DiscountUpdate(ctx, sh.org, d.ID, paylink.DiscountInput{Name: ptr("Eleven")}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sh.svc.DiscountUpdate(ctx, sh.org, d.ID, paylink.DiscountInput{Name: ptr("Twelve")}, dOpened); !catalog.IsStale(err) {
			t.Fatalf("discount saved from an old version: %v", err)
		}

		f, err := sh.svc.CustomFieldCreate(ctx, sh.org, paylink.CustomFieldParams{Type: paylink.FieldText, Slug: "vat", Name: "VAT number"})
		if err != nil {
			t.Fatal(err)
		}
		fOpened := catalog.Version(f.CreatedAt, f.ModifiedAt)
		if _, err := sh.svc.CustomFieldUpdate(ctx, sh.org, f.ID, paylink.CustomFieldPatch{Type: paylink.FieldText, Name: ptr("VAT")}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := sh.svc.CustomFieldUpdate(ctx, sh.org, f.ID, paylink.CustomFieldPatch{Type: paylink.FieldText, Name: ptr("Tax id")}, fOpened); !catalog.IsStale(err) {
			t.Fatalf("custom field saved from an old version: %v", err)
		}
	})
}

// Another organization's rows read exactly like unknown ones, for every write.
func TestOtherOrganizationIsNotFound(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := newShop(t, s), newShop(t, s)
		l, err := a.svc.LinkCreate(ctx, a.org, catalog.LinkCreate{Input: paylink.LinkInput{ProductIDs: []string{a.product.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{
			"product": func() error { _, err := b.svc.ProductArchive(ctx, b.org, a.product.ID, true); return err }(),
			"link":    func() error { _, err := b.svc.LinkSetActive(ctx, b.org, l.ID, false); return err }(),
			"rotate":  func() error { _, err := b.svc.LinkRotateSecret(ctx, b.org, l.ID); return err }(),
			"delete":  b.svc.LinkDelete(ctx, b.org, l.ID),
			"own link": func() error {
				_, err := b.svc.LinkCreate(ctx, b.org, catalog.LinkCreate{Input: paylink.LinkInput{ProductIDs: []string{a.product.ID}}})
				return err
			}(),
		} {
			want := paylink.ENotFound
			if name == "own link" {
				want = paylink.EInvalid // located at the product: "product not found"
			}
			if !paylink.IsCode(err, want) {
				t.Errorf("%s of another organization: %v, want %s", name, err, want)
			}
		}
	})
}
