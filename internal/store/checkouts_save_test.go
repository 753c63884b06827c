package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// CheckoutSave writes every field a merchant's update may change, the flags and
// return_url included, and clears the nullable ones.
func TestCheckoutSaveWritesMerchantFields(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Save")
		c := newCheckout(org.ID, paylink.Now().Add(time.Hour))
		c.RequireBillingAddress = false
		c.ReturnURL = ptr("https://shop.test/back")
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutCreate(ctx, c) })
		read := func() *paylink.Checkout {
			t.Helper()
			var got *paylink.Checkout
			tx(t, s, func(tx *store.Tx) error {
				var err error
				got, err = tx.CheckoutGet(ctx, org.ID, c.ID)
				return err
			})
			return got
		}
		got := read()
		got.AllowDiscountCodes, got.RequireBillingAddress = false, true
		got.ReturnURL, got.SuccessURL = ptr("https://shop.test/elsewhere"), ptr("https://shop.test/thanks/{CHECKOUT_ID}")
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutSave(ctx, got, paylink.CheckoutOpen) })
		if got = read(); got.AllowDiscountCodes || !got.RequireBillingAddress || got.ReturnURL == nil ||
			*got.ReturnURL != "https://shop.test/elsewhere" || got.SuccessURL == nil || got.ModifiedAt == nil {
			t.Fatalf("saved: %+v", got)
		}
		got.AllowDiscountCodes, got.RequireBillingAddress, got.ReturnURL, got.SuccessURL = true, false, nil, nil
		tx(t, s, func(tx *store.Tx) error { return tx.CheckoutSave(ctx, got, paylink.CheckoutOpen) })
		if got = read(); !got.AllowDiscountCodes || got.RequireBillingAddress || got.ReturnURL != nil || got.SuccessURL != nil {
			t.Fatalf("cleared: %+v", got)
		}
	})
}
