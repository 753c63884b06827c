package api_test

import (
	"net/url"
	"testing"
)

// ids returns the ids of a page, in order.
func ids(p pageOf) []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it["id"].(string))
	}
	return out
}

func TestCheckoutListsAndFilters(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		a := s.create(t, map[string]any{"products": []string{s.kit}, "customer_email": "Ann@Example.com"})
		b := s.create(t, map[string]any{"products": []string{s.tip}, "customer_email": "bob@shop.test", "amount": 5000})
		c := s.create(t, map[string]any{"products": []string{s.plan}, "customer_email": "cy@shop.test"})
		pay := map[string]any{"confirmation_token_id": "tok_visa", "customer_billing_address": map[string]any{"country": "SE"}}
		s.client(t, "POST", b["client_secret"].(string), "/confirm", pay, 200)
		s.client(t, "POST", c["client_secret"].(string), "/confirm", pay, 200)
		s.client(t, "PATCH", a["client_secret"].(string), "", map[string]any{"discount_code": "TEN"}, 200)

		list := func(path string, want ...string) pageOf {
			t.Helper()
			var p pageOf
			s.in.Must(t, "GET", path, s.token, nil, 200, &p)
			got := ids(p)
			if len(got) != len(want) {
				t.Fatalf("%s: ids %v, want %v", path, got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s: ids %v, want %v (in this order)", path, got, want)
				}
			}
			return p
		}
		A, B, C := a["id"].(string), b["id"].(string), c["id"].(string)
		list("/v1/checkouts/", C, B, A) // newest first
		list("/v1/checkouts/?sorting=created_at", A, B, C)
		list("/v1/checkouts/?sorting=status&sorting=-created_at", A, C, B)
		list("/v1/checkouts/?status=open", A)
		list("/v1/checkouts/?status=succeeded&status=open&sorting=created_at", A, B, C)
		list("/v1/checkouts/?product_id="+s.tip, B)
		list("/v1/checkouts/?query=EXAMPLE", A)
		list("/v1/checkouts/?organization_id="+s.orgID+"&sorting=created_at", A, B, C)
		list("/v1/checkouts/?organization_id=" + a["id"].(string)) // not this organization
		list("/v1/checkouts/?external_customer_id=x")
		if p := list("/v1/checkouts/?limit=2&page=2&sorting=created_at", C); p.Pagination.TotalCount != 3 || p.Pagination.MaxPage != 2 {
			t.Fatalf("pagination: %+v", p.Pagination)
		}
		for _, bad := range []string{"status=paid", "sorting=amount", "product_id=nope", "limit=101", "customer_id=1"} {
			s.in.Must(t, "GET", "/v1/checkouts/?"+bad, s.token, nil, 422, nil)
		}

		var orders pageOf
		s.in.Must(t, "GET", "/v1/orders/?sorting=-amount", s.token, nil, 200, &orders)
		if len(orders.Items) != 2 || orders.Items[0]["total_amount"] != 5000.0 || orders.Items[1]["total_amount"] != 900.0 {
			t.Fatalf("orders by amount: %v", orders.Items)
		}
		bob := orders.Items[0]["customer_id"].(string)
		list("/v1/checkouts/?customer_id="+bob, B)
		list("/v1/orders/?customer_id="+bob, orders.Items[0]["id"].(string))
		list("/v1/orders/?product_id="+s.plan, orders.Items[1]["id"].(string))
		list("/v1/orders/?discount_id=" + s.discount)
		list("/v1/orders/?sorting=customer", orders.Items[0]["id"].(string), orders.Items[1]["id"].(string)) // bob < cy
		list("/v1/orders/?sorting=-product", orders.Items[0]["id"].(string), orders.Items[1]["id"].(string)) // Tip > Plan
		for _, bad := range []string{"product_billing_type=weekly", "sorting=bogus", "checkout_id=x", "metadata=v", "metadata[]=v"} {
			s.in.Must(t, "GET", "/v1/orders/?"+bad, s.token, nil, 422, nil)
		}

		var custs pageOf
		s.in.Must(t, "GET", "/v1/customers/?sorting=email", s.token, nil, 200, &custs)
		if len(custs.Items) != 2 || custs.Items[0]["email"] != "bob@shop.test" {
			t.Fatalf("customers: %v", custs.Items)
		}
		list("/v1/customers/?email="+url.QueryEscape("BOB@shop.test"), bob)
		list("/v1/customers/?query=cy", custs.Items[1]["id"].(string))
		list("/v1/customers/?query=nobody")
		s.in.Must(t, "GET", "/v1/customers/?sorting=amount", s.token, nil, 422, nil)

		var subs pageOf
		s.in.Must(t, "GET", "/v1/subscriptions/", s.token, nil, 200, &subs)
		if len(subs.Items) != 1 || subs.Items[0]["product_id"] != s.plan {
			t.Fatalf("subscriptions: %v", subs.Items)
		}
		sub := subs.Items[0]["id"].(string)
		list("/v1/subscriptions/?active=true&customer_id="+subs.Items[0]["customer_id"].(string), sub)
		list("/v1/subscriptions/?active=false")
		list("/v1/subscriptions/?customer_id=" + bob)
		list("/v1/subscriptions/?sorting=-current_period_end&product_id="+s.plan, sub)
		for _, bad := range []string{"active=maybe", "status=paid", "sorting=name"} {
			s.in.Must(t, "GET", "/v1/subscriptions/?"+bad, s.token, nil, 422, nil)
		}
	})
}
