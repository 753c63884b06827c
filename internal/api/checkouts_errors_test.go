package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/paylink/paylink"
)

// locs returns the locations of a 422 body, each as fmt.Sprint of the list.
func locs(t *testing.T, body []byte) []string {
	t.Helper()
	var e struct {
		Detail []struct {
			Loc []any `json:"loc"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("422 body %s: %v", body, err)
	}
	var out []string
	for _, d := range e.Detail {
		out = append(out, fmt.Sprint(d.Loc))
	}
	return out
}

// want422 sends the request and fails unless it is a 422 locating every loc.
func (s *coShop) want422(t *testing.T, method, path, token string, body any, want ...[]any) {
	t.Helper()
	status, b := s.in.Do(t, method, path, token, body)
	if status != 422 {
		t.Fatalf("%s %s %v: status %d, want 422; body %s", method, path, body, status, b)
	}
	got := locs(t, b)
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == fmt.Sprint(w)
		}
		if !found {
			t.Errorf("%s %s %v: no error at %v; got %v", method, path, body, w, got)
		}
	}
}

func TestCheckoutValidation(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		_, otherTok := s.in.NewOrg(t, "Elsewhere")
		var theirs map[string]any
		s.in.Must(t, "POST", "/v1/products/", otherTok, map[string]any{"name": "Theirs",
			"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 100, "price_currency": "usd"}}}, 201, &theirs)
		kit := []string{s.kit}
		with := func(extra map[string]any) map[string]any {
			b := map[string]any{"products": kit}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		create := func(body any, want ...[]any) {
			t.Helper()
			s.want422(t, "POST", "/v1/checkouts/", s.token, body, want...)
		}
		create(`{"products": [`, []any{"body"})
		create(map[string]any{}, []any{"body", "products"})
		create(map[string]any{"products": "x"}, []any{"body", "products"})
		create(map[string]any{"products": []string{s.kit, s.kit}}, []any{"body", "products", 1})
		create(map[string]any{"products": []string{theirs["id"].(string)}}, []any{"body", "products", 0})
		create(map[string]any{"product_price_id": paylink.NewID()}, []any{"body", "product_price_id"})
		create(map[string]any{"products": kit, "product_id": s.tip}, []any{"body"})
		create(with(map[string]any{"amount": "x"}), []any{"body", "amount"})
		create(map[string]any{"products": []string{s.tip}, "amount": 20}, []any{"body", "amount"})
		create(with(map[string]any{"currency": "eur"}), []any{"body", "currency"})
		create(with(map[string]any{"discount_id": "nope"}), []any{"body", "discount_id"})
		create(with(map[string]any{"discount_id": paylink.NewID()}), []any{"body", "discount_id"})
		create(with(map[string]any{"customer_email": "nope"}), []any{"body", "customer_email"})
		create(with(map[string]any{"customer_billing_address": map[string]any{"line1": "x"}}), []any{"body", "customer_billing_address", "country"})
		create(with(map[string]any{"customer_billing_address": map[string]any{"country": "ZZ"}}), []any{"body", "customer_billing_address", "country"})
		create(with(map[string]any{"metadata": map[string]any{"k": []int{1}}}), []any{"body", "metadata", "k"})
		create(with(map[string]any{"success_url": "javascript:alert(1)"}), []any{"body", "success_url"})
		create(with(map[string]any{"custom_field_data": map[string]any{"company": 5}}), []any{"body", "custom_field_data", "company"})
		for _, f := range []string{"customer_id", "subscription_id", "seats", "trial_interval", "customer_tax_id"} {
			create(with(map[string]any{f: "x"}), []any{"body", f})
		}
		create(with(map[string]any{"external_customer_id": ""}), []any{"body", "external_customer_id"})
		create(with(map[string]any{"is_business_customer": true}), []any{"body", "is_business_customer"})
		// Several problems at once, and nothing written.
		create(map[string]any{"products": []string{s.tip}, "customer_email": "nope", "success_url": "x", "amount": 1},
			[]any{"body", "customer_email"}, []any{"body", "success_url"}, []any{"body", "amount"})
		var list pageOf
		s.in.Must(t, "GET", "/v1/checkouts/", s.token, nil, 200, &list)
		if list.Pagination.TotalCount != 0 {
			t.Fatalf("rejected creates wrote %d checkouts", list.Pagination.TotalCount)
		}

		c := s.create(t, map[string]any{"products": []string{s.tip, s.kit}, "return_url": "https://shop.test/back"})
		id, secret := c["id"].(string), c["client_secret"].(string)
		update := func(body any, want ...[]any) {
			t.Helper()
			s.want422(t, "PATCH", "/v1/checkouts/"+id, s.token, body, want...)
		}
		update(map[string]any{"product_id": s.plan}, []any{"body", "product_id"})
		update(map[string]any{"product_price_id": paylink.NewID()}, []any{"body", "product_price_id"})
		update(map[string]any{"allow_discount_codes": "no"}, []any{"body", "allow_discount_codes"})
		update(map[string]any{"return_url": "ftp://shop.test/elsewhere"}, []any{"body", "return_url"})
		update(map[string]any{"metadata": map[string]any{strings.Repeat("k", 41): 1}}, []any{"body", "metadata", strings.Repeat("k", 41)})
		update(map[string]any{"discount_id": paylink.NewID()}, []any{"body", "discount_id"})
		update(map[string]any{"success_url": "nope"}, []any{"body", "success_url"})
		var got map[string]any
		s.in.Must(t, "PATCH", "/v1/checkouts/"+id, s.token, map[string]any{"product_price_id": s.kitPrice,
			"discount_id": s.discount, "metadata": map[string]any{"a": "b"}, "allow_discount_codes": true,
			"return_url": "https://shop.test/back"}, 200, &got)
		if got["product_id"] != s.kit || got["discount_amount"] != 200.0 || got["metadata"].(map[string]any)["a"] != "b" {
			t.Fatalf("merchant update: %v", got)
		}
		s.in.Must(t, "PATCH", "/v1/checkouts/"+id, s.token, map[string]any{"discount_id": nil, "success_url": nil}, 200, &got)
		if got["discount_id"] != nil || got["total_amount"] != 2000.0 {
			t.Fatalf("discount removed: %v", got)
		}

		client := func(suffix string, body any, want ...[]any) {
			t.Helper()
			method := "PATCH"
			if suffix != "" {
				method = "POST"
			}
			s.want422(t, method, "/v1/checkouts/client/"+secret+suffix, "", body, want...)
		}
		client("", map[string]any{"product_id": theirs["id"]}, []any{"body", "product_id"})
		// The kit has a fixed price: an amount is ignored, as Polar ignores it.
		if pub := s.client(t, "PATCH", secret, "", map[string]any{"amount": 3000}, 200); pub["amount"] != 2000.0 {
			t.Fatalf("an amount on a fixed price changed it: %v", pub)
		}
		client("", map[string]any{"discount_code": "NOPE"}, []any{"body", "discount_code"})
		client("", map[string]any{"customer_email": "a@"}, []any{"body", "customer_email"})
		client("", map[string]any{"product_id": s.tip, "custom_field_data": map[string]any{"seats": 99}}, []any{"body", "custom_field_data", "seats"})
		client("/confirm", map[string]any{}, []any{"body", "customer_email"}, []any{"body", "custom_field_data", "company"},
			[]any{"body", "customer_billing_address"}, []any{"body", "customer_billing_address", "country"}, []any{"body", "confirmation_token_id"})
		if pub := s.client(t, "GET", secret, "", nil, 200); pub["status"] != "open" || pub["product_id"] != s.kit {
			t.Fatalf("after rejected changes: %v", pub)
		}
	})
}

func TestCheckoutAccess(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"products": []string{s.kit}, "customer_email": "ann@example.com",
			"customer_billing_address": map[string]any{"country": "DE"}, "custom_field_data": map[string]any{"company": "A"}})
		id, secret := c["id"].(string), c["client_secret"].(string)
		s.client(t, "POST", secret, "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		var orders pageOf
		s.in.Must(t, "GET", "/v1/orders/", s.token, nil, 200, &orders)
		o := orders.Items[0]

		_, otherTok := s.in.NewOrg(t, "Nosy")
		_, reader := s.in.NewOrg(t, "Reader", "checkouts:read")
		for _, path := range []string{"/v1/checkouts/", "/v1/checkouts/" + id, "/v1/customers/", "/v1/orders/", "/v1/subscriptions/"} {
			s.in.Must(t, "GET", path, "", nil, 401, nil)
			s.in.Must(t, "GET", path, "pl_oat_nope", nil, 401, nil)
		}
		for _, path := range []string{"/v1/checkouts/" + id, "/v1/customers/" + o["customer_id"].(string), "/v1/orders/" + o["id"].(string)} {
			s.in.Must(t, "GET", path, otherTok, nil, 404, nil)
		}
		s.in.Must(t, "PATCH", "/v1/checkouts/"+id, otherTok, map[string]any{"customer_name": "x"}, 404, nil)
		s.in.Must(t, "POST", "/v1/checkouts/", otherTok, map[string]any{"products": []string{s.kit}}, 422, nil)
		for _, path := range []string{"/v1/checkouts/", "/v1/customers/", "/v1/orders/", "/v1/subscriptions/",
			"/v1/customers/?email=ann@example.com", "/v1/checkouts/?query=ann"} {
			var l pageOf
			s.in.Must(t, "GET", path, otherTok, nil, 200, &l)
			if l.Pagination.TotalCount != 0 || len(l.Items) != 0 {
				t.Fatalf("%s leaks across organizations: %+v", path, l)
			}
		}
		s.in.Must(t, "POST", "/v1/checkouts/", reader, map[string]any{"products": []string{s.kit}}, 403, nil)
		s.in.Must(t, "GET", "/v1/customers/", reader, nil, 403, nil)
		s.in.Must(t, "GET", "/v1/checkouts/not-a-uuid", s.token, nil, 404, nil)
		s.in.Must(t, "GET", "/v1/orders/"+paylink.NewID(), s.token, nil, 404, nil)
		s.in.Must(t, "GET", "/v1/subscriptions/"+paylink.NewID(), s.token, nil, 404, nil)
		s.client(t, "GET", "pl_c_unknown", "", nil, 404)
		s.client(t, "GET", "not-a-secret", "", nil, 404)
		s.client(t, "PATCH", "pl_c_unknown", "", map[string]any{}, 404)
		s.client(t, "POST", "pl_c_unknown", "/confirm", map[string]any{}, 404)
	})
}
