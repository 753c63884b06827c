package e2e_test

import (
	"net/http"
	"testing"

	"github.com/paylink/paylink/internal/store/storetest"
)

// What was bought stops working when its money goes back or its subscription
// ends: a refund with revoke_benefits revokes the order's license key, and a
// revoked subscription revokes its own.
func TestRefundAndRevokeEndTheBenefits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		var benefit map[string]any
		s.in.Must(t, "POST", "/v1/benefits/", s.token, map[string]any{"type": "license_keys", "description": "Key",
			"properties": map[string]any{"prefix": "kit"}}, 201, &benefit)
		for _, p := range []string{s.kit, s.plan} {
			s.in.Must(t, "POST", "/v1/products/"+p+"/benefits", s.token, map[string]any{"benefits": []any{benefit["id"]}}, 200, nil)
		}
		buyAs := func(product, email string) {
			secret, _ := s.visit(t, "product_id="+product)
			s.in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "tok_visa",
				"customer_email": email, "custom_field_data": map[string]any{"company": "Acme"},
				"customer_billing_address": map[string]any{"country": "FR"}}, 200, nil)
		}
		buyAs(s.kit, "kit@example.com")
		buyAs(s.plan, "plan@example.com")

		var keys struct {
			Items []struct {
				Key      string `json:"key"`
				Customer struct {
					Email string `json:"email"`
				} `json:"customer"`
			} `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/license-keys/", s.token, nil, 200, &keys)
		key := map[string]string{}
		for _, k := range keys.Items {
			key[k.Customer.Email] = k.Key
		}
		var org struct {
			Items []struct{ ID string } `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/organizations/", s.token, nil, 200, &org)
		validates := func(email string) int {
			code, _ := s.in.Do(t, "POST", "/v1/customer-portal/license-keys/validate", "",
				map[string]any{"key": key[email], "organization_id": org.Items[0].ID})
			return code
		}
		if validates("kit@example.com") != http.StatusOK || validates("plan@example.com") != http.StatusOK {
			t.Fatalf("keys before: %d %d", validates("kit@example.com"), validates("plan@example.com"))
		}

		var orders struct {
			Items []struct {
				ID             string  `json:"id"`
				SubscriptionID *string `json:"subscription_id"`
			} `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/orders/", s.token, nil, 200, &orders)
		for _, o := range orders.Items {
			if o.SubscriptionID == nil {
				s.in.Must(t, "POST", "/v1/refunds/", s.token, map[string]any{"order_id": o.ID, "reason": "customer_request",
					"amount": 2000, "revoke_benefits": true}, 201, nil)
			} else {
				s.in.Must(t, "DELETE", "/v1/subscriptions/"+*o.SubscriptionID, s.token, nil, 200, nil)
			}
		}
		if validates("kit@example.com") != http.StatusNotFound || validates("plan@example.com") != http.StatusNotFound {
			t.Fatalf("keys after the refund and the revoke: %d %d, want 404 for both", validates("kit@example.com"), validates("plan@example.com"))
		}
	})
}
