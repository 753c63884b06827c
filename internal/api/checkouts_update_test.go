package api_test

import (
	"testing"
)

// The merchant's PATCH /v1/checkouts/{id} takes every field of Polar's
// CheckoutUpdate that paylink models: the flags and return_url included.
func TestCheckoutMerchantUpdateFlagsAndURLs(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"products": []string{s.kit, s.tip}, "return_url": "https://shop.test/back"})
		id, secret := c["id"].(string), c["client_secret"].(string)
		patch := func(body map[string]any) map[string]any {
			t.Helper()
			var got map[string]any
			s.in.Must(t, "PATCH", "/v1/checkouts/"+id, s.token, body, 200, &got)
			checkCheckoutShape(t, got, s.in.URL, s.orgID)
			return got
		}
		get := func() map[string]any {
			t.Helper()
			var got map[string]any
			s.in.Must(t, "GET", "/v1/checkouts/"+id, s.token, nil, 200, &got)
			return got
		}

		got := patch(map[string]any{"require_billing_address": true, "return_url": "https://shop.test/elsewhere",
			"success_url": "https://shop.test/thanks/{CHECKOUT_ID}"})
		if got["require_billing_address"] != true || got["return_url"] != "https://shop.test/elsewhere" ||
			got["success_url"] != "https://shop.test/thanks/"+id || got["allow_discount_codes"] != true {
			t.Fatalf("flags and URLs: %v", got)
		}
		if again := get(); again["require_billing_address"] != true || again["return_url"] != "https://shop.test/elsewhere" {
			t.Fatalf("not stored: %v", again)
		}
		// null leaves a flag alone and clears a URL; Polar's ignored fields are accepted.
		got = patch(map[string]any{"require_billing_address": nil, "allow_discount_codes": nil, "return_url": nil,
			"locale": "de", "allow_trial": true, "embed_origin": nil, "customer_ip_address": "203.0.113.9"})
		if got["require_billing_address"] != true || got["allow_discount_codes"] != true || got["return_url"] != nil {
			t.Fatalf("nulls: %v", got)
		}

		// The customer applies a code; the merchant then turns codes off. As in
		// Polar, the applied discount stays and the customer can no longer change it.
		if pub := s.client(t, "PATCH", secret, "", map[string]any{"discount_code": "TEN"}, 200); pub["discount_id"] != s.discount {
			t.Fatalf("code applied: %v", pub)
		}
		got = patch(map[string]any{"allow_discount_codes": false})
		if got["allow_discount_codes"] != false || got["discount_id"] != s.discount || got["discount_amount"] != 200.0 {
			t.Fatalf("codes turned off: %v", got)
		}
		if pub := s.client(t, "PATCH", secret, "", map[string]any{"discount_code": nil}, 200); pub["discount_id"] != s.discount ||
			pub["allow_discount_codes"] != false {
			t.Fatalf("the customer removed a discount while codes are off: %v", pub)
		}
		// The merchant still can, with discount_id.
		if got = patch(map[string]any{"discount_id": nil}); got["discount_id"] != nil || got["total_amount"] != 2000.0 {
			t.Fatalf("merchant removes the discount: %v", got)
		}
		if pub := s.client(t, "PATCH", secret, "", map[string]any{"discount_code": "TEN"}, 200); pub["discount_id"] != nil {
			t.Fatalf("a code applied while codes are off: %v", pub)
		}
		got = patch(map[string]any{"allow_discount_codes": true, "require_billing_address": false})
		if got["allow_discount_codes"] != true || got["require_billing_address"] != false {
			t.Fatalf("turned back on: %v", got)
		}

		// Bad values are 422 at their field, and nothing is written.
		before := get()
		for _, tc := range []struct {
			body map[string]any
			loc  []any
		}{
			{map[string]any{"allow_discount_codes": "no"}, []any{"body", "allow_discount_codes"}},
			{map[string]any{"require_billing_address": 1}, []any{"body", "require_billing_address"}},
			{map[string]any{"return_url": "javascript:alert(1)"}, []any{"body", "return_url"}},
			{map[string]any{"return_url": 5}, []any{"body", "return_url"}},
			{map[string]any{"allow_discount_codes": false, "return_url": "/relative"}, []any{"body", "return_url"}},
			{map[string]any{"require_billing_address": true, "success_url": "nope"}, []any{"body", "success_url"}},
			{map[string]any{"customer_metadata": map[string]any{"a": "b"}}, []any{"body", "customer_metadata"}},
			{map[string]any{"customer_billing_name": "Acme"}, []any{"body", "customer_billing_name"}},
		} {
			s.want422(t, "PATCH", "/v1/checkouts/"+id, s.token, tc.body, tc.loc)
		}
		if after := get(); after["allow_discount_codes"] != before["allow_discount_codes"] ||
			after["require_billing_address"] != before["require_billing_address"] || after["return_url"] != before["return_url"] ||
			after["modified_at"] != before["modified_at"] {
			t.Fatalf("a rejected update wrote: %v, was %v", after, before)
		}

		// Only while open: a paid checkout refuses, whatever the field.
		paid := s.create(t, map[string]any{"products": []string{s.kit}, "customer_email": "ann@example.com",
			"customer_billing_address": map[string]any{"country": "DE"}, "custom_field_data": map[string]any{"company": "A"}})
		s.client(t, "POST", paid["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		for _, body := range []map[string]any{{"allow_discount_codes": false}, {"require_billing_address": true},
			{"return_url": "https://shop.test/late"}} {
			s.in.Must(t, "PATCH", "/v1/checkouts/"+paid["id"].(string), s.token, body, 403, nil)
		}
	})
}
