package checkout_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// An amount is the customer's choice on a pay-what-you-want price only: on a
// fixed price it is ignored by create, both updates and confirm (Polar: "only
// useful for custom prices, ignored for fixed and free prices"), as the link's
// prefill already ignores it.
func TestAmountIgnoredOnFixedPrice(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c, err := f.svc.Create(ctx, f.org.ID, checkout.CreateInput{ProductIDs: []string{f.oneTime.ID}, Amount: ptr(int64(1))})
		if err != nil || c.Amount != 2000 {
			t.Fatalf("create with an amount on a fixed price: %+v %v", c, err)
		}
		if c, err = f.svc.UpdateByID(ctx, f.org.ID, c.ID, checkout.Changes{Amount: ptr(int64(5))}); err != nil || c.Amount != 2000 {
			t.Fatalf("merchant update with an amount: %+v %v", c, err)
		}
		if c, err = f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{Amount: ptr(int64(7))}); err != nil || c.Amount != 2000 {
			t.Fatalf("client update with an amount: %+v %v", c, err)
		}
		ch := buyer
		ch.Amount = ptr(int64(9))
		if c, err = f.svc.Confirm(ctx, c.ClientSecret, ch, "tok_visa"); err != nil || c.TotalAmount != 2000 {
			t.Fatalf("confirm with an amount: %+v %v", c, err)
		}
		// On a pay-what-you-want price the amount is still checked.
		p, err := f.svc.Create(ctx, f.org.ID, checkout.CreateInput{ProductIDs: []string{f.pwyw.ID}, Amount: ptr(int64(1))})
		if !at(err, "body", "amount") {
			t.Fatalf("create with an amount under the minimum: %+v %v", p, err)
		}
	})
}

// at reports whether err is a 422 with an entry at loc.
func at(err error, loc ...any) bool {
	var e *paylink.Error
	return errorsAs(err, &e) && e.Code == paylink.EInvalid && hasLoc(e, loc)
}

// A confirm that needs a payment without a billing address reports the address
// and its country, as Polar does, both "missing".
func TestConfirmWithoutBillingAddress(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s, nil, nil)
		c := f.open(t, "")
		ch := buyer
		ch.BillingCountry = nil
		_, err := f.svc.Confirm(context.Background(), c.ClientSecret, ch, "tok_visa")
		var e *paylink.Error
		if !errorsAs(err, &e) || e.Code != paylink.EInvalid {
			t.Fatalf("confirm without an address: %v", err)
		}
		types := map[string]string{}
		for _, fe := range e.Fields {
			types[fmt.Sprint(fe.Loc)] = fe.Type
		}
		if types["[body customer_billing_address]"] != "missing" || types["[body customer_billing_address country]"] != "missing" || len(types) != 2 {
			t.Fatalf("errors %v: want the address and its country, both missing", types)
		}
	})
}

// A code worth less than the discount applied never raises the total: the
// better one stays, and the code's field says so (issue 10 item 7); a code
// worth more replaces it.
func TestWorseCodeKeepsTheBetterDiscount(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		discount := func(name, code string, bp int) *paylink.Discount {
			d := &paylink.Discount{OrganizationID: f.org.ID, Name: name, Type: paylink.DiscountPercentage, BasisPoints: bp,
				Duration: paylink.DurationOnce, Metadata: paylink.Metadata{}}
			if code != "" {
				d.Code = &code
			}
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.DiscountCreate(ctx, d) }); err != nil {
				t.Fatal(err)
			}
			return d
		}
		preset, half := discount("Launch", "", 3000), discount("Half", "HALF", 5000)
		c := f.open(t, "")
		c, err := f.svc.UpdateByID(ctx, f.org.ID, c.ID, checkout.Changes{DiscountID: &preset.ID})
		if err != nil || c.TotalAmount != 1400 {
			t.Fatalf("preset: %+v %v", c, err)
		}
		_, err = f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{DiscountCode: ptr("ten")})
		var e *paylink.Error
		if !at(err, "body", "discount_code") || !errorsAs(err, &e) || !strings.Contains(e.Fields[0].Msg, "Launch, already applied, takes off 6.00 USD, so it stays") {
			t.Fatalf("a worse code: %v", err)
		}
		ch := buyer
		ch.DiscountCode = ptr("TEN")
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, ch, "tok_visa"); !at(err, "body", "discount_code") {
			t.Fatalf("confirm with a worse code: %v", err)
		}
		if got, _ := f.svc.Get(ctx, c.ClientSecret); got.DiscountID == nil || *got.DiscountID != preset.ID || got.TotalAmount != 1400 {
			t.Fatalf("the preset was replaced: %+v", got)
		}
		if c, err = f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{DiscountCode: ptr("half")}); err != nil ||
			c.DiscountID == nil || *c.DiscountID != half.ID || c.TotalAmount != 1000 {
			t.Fatalf("a better code: %+v %v", c, err)
		}
	})
}
