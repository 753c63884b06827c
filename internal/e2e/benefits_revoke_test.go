package e2e_test

import (
	"net/http"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/store/storetest"
)

// What was bought stops working when its money goes back or its subscription
// ends: a refund with revoke_benefits revokes the order's license key, and a
// revoked subscription revokes its own.
func TestRefundAndRevokeEndTheBenefits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		ctx := t.Context()
		benefit := ok(s.api.CreateBenefit(ctx, &client.BenefitCreate{Type: "license_keys", Description: "Key",
			Properties: map[string]any{"prefix": "kit"}}))(t)
		for _, p := range []string{s.kit, s.plan} {
			ok(s.api.SetProductBenefits(ctx, p, []string{benefit.ID}))(t)
		}
		buyAs := func(product, email string) {
			secret, _ := s.visit(t, "product_id="+product)
			s.pay(t, secret, client.CheckoutConfirm{CustomerEmail: &email, CustomFieldData: map[string]any{"company": "Acme"},
				CustomerBillingAddress: &client.Address{Country: "FR"}})
		}
		buyAs(s.kit, "kit@example.com")
		buyAs(s.plan, "plan@example.com")

		key := map[string]string{}
		for _, k := range ok(s.api.LicenseKeys(ctx, nil))(t).Items {
			key[k.Customer.Email] = k.Key
		}
		orgID := ok(s.api.Organizations(ctx, nil))(t).Items[0].ID
		validates := func(email string) int {
			_, err := s.anon.ValidateLicenseKey(ctx, &client.LicenseKeyValidate{Key: key[email], OrganizationID: orgID})
			if err == nil {
				return http.StatusOK
			}
			if client.StatusCode(err) == 0 {
				t.Fatal(err)
			}
			return client.StatusCode(err)
		}
		if validates("kit@example.com") != http.StatusOK || validates("plan@example.com") != http.StatusOK {
			t.Fatalf("keys before: %d %d", validates("kit@example.com"), validates("plan@example.com"))
		}

		for _, o := range ok(s.api.Orders(ctx, nil))(t).Items {
			if o.SubscriptionID == nil {
				r := ok(s.api.CreateRefund(ctx, &client.RefundCreate{OrderID: o.ID, Reason: "customer_request",
					Amount: 2000, RevokeBenefits: true}))(t)
				if r.Amount != 2000 || !r.RevokeBenefits || r.OrderID != o.ID {
					t.Fatalf("refund: %+v", r)
				}
			} else {
				ok(s.api.RevokeSubscription(ctx, *o.SubscriptionID))(t)
			}
		}
		if validates("kit@example.com") != http.StatusNotFound || validates("plan@example.com") != http.StatusNotFound {
			t.Fatalf("keys after the refund and the revoke: %d %d, want 404 for both", validates("kit@example.com"), validates("plan@example.com"))
		}
	})
}
