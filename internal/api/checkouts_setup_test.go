package api_test

import (
	"strings"
	"testing"
)

// A subscription free today is flagged as Polar flags it: no payment now, a
// payment method to set up for the renewals, so a payment form; confirm
// without the method answers 422 at confirmation_token_id. Free for good, it
// needs no form and confirms without a method.
func TestCheckoutPaymentSetupFlags(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		for _, tc := range []struct {
			duration           string
			setup, form, token bool
		}{
			{"once", true, true, true},
			{"repeating", true, true, true},
			{"forever", false, false, false},
		} {
			d := map[string]any{"name": "All " + tc.duration, "type": "percentage", "basis_points": 10000, "duration": tc.duration}
			if tc.duration == "repeating" {
				d["duration_in_months"] = 3
			}
			var disc map[string]any
			s.in.Must(t, "POST", "/v1/discounts/", s.token, d, 201, &disc)
			c := s.create(t, map[string]any{"product_id": s.plan, "discount_id": disc["id"], "customer_email": "free@example.com",
				"customer_billing_address": map[string]any{"country": "US"}})
			if c["total_amount"] != 0.0 || c["is_payment_required"] != false || c["is_payment_setup_required"] != tc.setup ||
				c["is_payment_form_required"] != tc.form {
				t.Fatalf("%s: total %v, payment %v, setup %v, form %v", tc.duration, c["total_amount"], c["is_payment_required"],
					c["is_payment_setup_required"], c["is_payment_form_required"])
			}
			secret := c["client_secret"].(string)
			if tc.token {
				code, body := s.in.Do(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{})
				if code != 422 || !strings.Contains(string(body), `["body","confirmation_token_id"]`) {
					t.Fatalf("%s: confirm without a payment method: %d %s", tc.duration, code, body)
				}
				s.client(t, "POST", secret, "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
			} else {
				s.client(t, "POST", secret, "/confirm", map[string]any{}, 200)
			}
		}
	})
}
