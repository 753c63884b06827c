package checkout_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestCreate(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c, err := f.svc.Create(ctx, f.org.ID, checkout.CreateInput{
			ProductIDs: []string{strings.ToUpper(f.pwyw.ID), f.oneTime.ID}, Amount: ptr(int64(3000)),
			CustomerEmail: ptr("ann@example.com"), CustomerName: ptr(" Ann "), BillingCountry: ptr("fr"),
			DiscountID: &f.discount.ID, AllowDiscountCodes: ptr(false), RequireBillingAddress: true,
			Metadata: map[string]any{"order_ref": "A-1", "n": json.Number("7")}, SuccessURL: ptr("https://shop.test/ok?c={CHECKOUT_ID}"),
			ReturnURL: ptr("https://shop.test/back"), Currency: ptr("USD"),
		})
		if err != nil {
			t.Fatal(err)
		}
		want := &paylink.Checkout{ID: c.ID, OrganizationID: f.org.ID, ClientSecret: c.ClientSecret, Status: paylink.CheckoutOpen,
			ProductIDs: []string{f.pwyw.ID, f.oneTime.ID}, ProductID: f.pwyw.ID, PriceID: f.pwyw.Price().ID, Amount: 3000,
			DiscountAmount: 300, NetAmount: 2700, TotalAmount: 2700, Currency: "usd", DiscountID: &f.discount.ID,
			RequireBillingAddress: true, CustomerEmail: ptr("ann@example.com"), CustomerName: ptr("Ann"),
			BillingCountry: ptr("FR"), CustomFieldData: map[string]any{}, Metadata: paylink.Metadata{"order_ref": "A-1", "n": int64(7)},
			SuccessURL: ptr("https://shop.test/ok?c={CHECKOUT_ID}"), ReturnURL: ptr("https://shop.test/back"),
			ExpiresAt: f.now.Add(time.Hour), CreatedAt: f.now}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("created\n got %+v\nwant %+v", c, want)
		}
		got, err := f.svc.Get(ctx, c.ClientSecret)
		if err != nil || got.Amount != 3000 || got.AllowDiscountCodes || !got.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("stored: %+v %v", got, err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			evs, _ := tx.EventList(ctx, f.org.ID, "checkout.created")
			if len(evs) != 1 || !strings.Contains(string(evs[0].Payload), c.ID) {
				t.Fatalf("checkout.created events: %v", evs)
			}
			return nil
		})
		// With codes turned off, discount_code changes nothing, not even the preset.
		c, err = f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{DiscountCode: ptr("")})
		if err != nil || c.DiscountID == nil {
			t.Fatalf("code change with codes off: %+v %v", c, err)
		}
	})
}

func TestCreateLegacyBodies(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c, err := f.svc.Create(ctx, f.org.ID, checkout.CreateInput{ProductID: &f.monthly.ID})
		if err != nil || c.ProductID != f.monthly.ID || len(c.ProductIDs) != 1 || c.Amount != 900 || !c.AllowDiscountCodes {
			t.Fatalf("product_id: %+v %v", c, err)
		}
		priceID := f.pwyw.Price().ID
		c, err = f.svc.Create(ctx, f.org.ID, checkout.CreateInput{PriceID: &priceID})
		if err != nil || c.ProductID != f.pwyw.ID || c.Amount != 100 || c.SuccessURL != nil {
			t.Fatalf("product_price_id: %+v %v", c, err)
		}
		// The session is usable end to end: a recurring purchase through the API flow.
		c, err = f.svc.Create(ctx, f.org.ID, checkout.CreateInput{ProductIDs: []string{f.monthly.ID},
			Metadata: map[string]any{"source": "api"}})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil || c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			o, err := tx.OrderByCheckout(ctx, c.ID)
			if err != nil || o.Metadata["source"] != "api" || o.SubscriptionID == nil || o.CheckoutLinkID != nil {
				t.Fatalf("order: %+v %v", o, err)
			}
			return nil
		})
	})
}

func TestCreateRules(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		other := storetest.Org(t, s, "Other")
		var theirs *paylink.Product
		var archived *paylink.Product
		err := s.InTx(ctx, func(tx *store.Tx) error {
			theirs = &paylink.Product{OrganizationID: other.ID, Name: "Theirs", Metadata: paylink.Metadata{},
				Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100}}}
			archived = &paylink.Product{OrganizationID: f.org.ID, Name: "Old", IsArchived: true, Metadata: paylink.Metadata{},
				Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 100}}}
			if err := tx.ProductCreate(ctx, theirs); err != nil {
				return err
			}
			return tx.ProductCreate(ctx, archived)
		})
		if err != nil {
			t.Fatal(err)
		}
		many := make([]string, 21)
		for i := range many {
			many[i] = paylink.NewID()
		}
		one := []string{f.oneTime.ID}
		pw := []string{f.pwyw.ID}
		cases := []struct {
			name string
			in   checkout.CreateInput
			loc  []any
		}{
			{"no products", checkout.CreateInput{}, []any{"body", "products"}},
			{"empty products", checkout.CreateInput{ProductIDs: []string{}}, []any{"body", "products"}},
			{"21 products", checkout.CreateInput{ProductIDs: many}, []any{"body", "products"}},
			{"duplicate", checkout.CreateInput{ProductIDs: []string{f.oneTime.ID, f.oneTime.ID}}, []any{"body", "products", 1}},
			{"not a uuid", checkout.CreateInput{ProductIDs: []string{"nope"}}, []any{"body", "products", 0}},
			{"unknown", checkout.CreateInput{ProductIDs: []string{f.oneTime.ID, paylink.NewID()}}, []any{"body", "products", 1}},
			{"other org", checkout.CreateInput{ProductIDs: []string{theirs.ID}}, []any{"body", "products", 0}},
			{"archived", checkout.CreateInput{ProductIDs: []string{archived.ID}}, []any{"body", "products", 0}},
			{"two ways", checkout.CreateInput{ProductIDs: one, ProductID: &f.oneTime.ID}, []any{"body"}},
			{"unknown product_id", checkout.CreateInput{ProductID: ptr(paylink.NewID())}, []any{"body", "product_id"}},
			{"other org price", checkout.CreateInput{PriceID: &theirs.Prices[0].ID}, []any{"body", "product_price_id"}},
			{"amount below min", checkout.CreateInput{ProductIDs: pw, Amount: ptr(int64(99))}, []any{"body", "amount"}},
			{"amount above max", checkout.CreateInput{ProductIDs: pw, Amount: ptr(int64(10001))}, []any{"body", "amount"}},
			{"currency", checkout.CreateInput{ProductIDs: one, Currency: ptr("eur")}, []any{"body", "currency"}},
			{"discount", checkout.CreateInput{ProductIDs: one, DiscountID: ptr(paylink.NewID())}, []any{"body", "discount_id"}},
			{"email", checkout.CreateInput{ProductIDs: one, CustomerEmail: ptr("not-an-email")}, []any{"body", "customer_email"}},
			{"name", checkout.CreateInput{ProductIDs: one, CustomerName: ptr("a\x00b")}, []any{"body", "customer_name"}},
			{"country", checkout.CreateInput{ProductIDs: one, BillingCountry: ptr("XX")}, []any{"body", "customer_billing_address", "country"}},
			{"metadata", checkout.CreateInput{ProductIDs: one, Metadata: map[string]any{"k": ""}}, []any{"body", "metadata", "k"}},
			{"success_url", checkout.CreateInput{ProductIDs: one, SuccessURL: ptr("ftp://x")}, []any{"body", "success_url"}},
			{"return_url", checkout.CreateInput{ProductIDs: one, ReturnURL: ptr("/relative")}, []any{"body", "return_url"}},
			{"custom field", checkout.CreateInput{ProductIDs: one, CustomFieldData: map[string]any{"company": true}}, []any{"body", "custom_field_data", "company"}},
		}
		for _, tc := range cases {
			_, err := f.svc.Create(ctx, f.org.ID, tc.in)
			var e *paylink.Error
			if !paylink.IsCode(err, paylink.EInvalid) || !errorsAs(err, &e) {
				t.Errorf("%s: want EInvalid, got %v", tc.name, err)
				continue
			}
			if !hasLoc(e, tc.loc) {
				t.Errorf("%s: no error at %v; got %+v", tc.name, tc.loc, e.Fields)
			}
		}
		// Several problems come back together.
		_, err = f.svc.Create(ctx, f.org.ID, checkout.CreateInput{ProductIDs: one, CustomerEmail: ptr("x"),
			SuccessURL: ptr("nope"), Metadata: map[string]any{"k": ""}})
		var e *paylink.Error
		if !errorsAs(err, &e) || len(e.Fields) != 3 {
			t.Fatalf("combined: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if _, n, _ := tx.CheckoutList(ctx, store.CheckoutListParams{OrganizationID: f.org.ID}); n != 0 {
				t.Fatalf("%d checkouts written by rejected creates", n)
			}
			if evs, _ := tx.EventList(ctx, f.org.ID, ""); len(evs) != 0 {
				t.Fatalf("%d events recorded by rejected creates", len(evs))
			}
			return nil
		})
	})
}

func errorsAs(err error, e **paylink.Error) bool {
	pe, ok := err.(*paylink.Error)
	*e = pe
	return ok
}

func hasLoc(e *paylink.Error, loc []any) bool {
	for _, f := range e.Fields {
		if fmt.Sprint(f.Loc) == fmt.Sprint(loc) {
			return true
		}
	}
	return false
}
