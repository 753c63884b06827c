package api_test

import (
	"strings"
	"testing"
)

// buy pays for the product as email through the API and returns the customer's id.
func (s *coShop) buy(t *testing.T, product, email string) string {
	t.Helper()
	c := s.create(t, map[string]any{"product_id": product, "customer_email": email, "metadata": map[string]any{"secret": "merchant"},
		"customer_billing_address": map[string]any{"country": "US"}})
	s.client(t, "POST", c["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
	var page pageOf
	s.in.Must(t, "GET", "/v1/customers/?email="+email, s.token, nil, 200, &page)
	return page.Items[0]["id"].(string)
}

func TestCustomerSessionsAndPortalAPI(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ann := s.buy(t, s.plan, "ann@example.com")
		bo := s.buy(t, s.plan, "bo@example.com")

		var sess map[string]any
		s.in.Must(t, "POST", "/v1/customer-sessions/", s.token, map[string]any{"customer_id": ann,
			"return_url": "https://shop.test/account"}, 201, &sess)
		token, _ := sess["token"].(string)
		if !strings.HasPrefix(token, "pl_cst_") || sess["customer_id"] != ann || sess["return_url"] != "https://shop.test/account" ||
			sess["customer"].(map[string]any)["email"] != "ann@example.com" || sess["expires_at"] == nil ||
			!strings.HasPrefix(sess["customer_portal_url"].(string), s.in.URL+"/portal/") ||
			!strings.HasSuffix(sess["customer_portal_url"].(string), "?customer_session_token="+token) {
			t.Fatalf("customer session: %v", sess)
		}
		for _, c := range []struct {
			body any
			loc  string
		}{
			{map[string]any{"customer_id": "00000000-0000-4000-8000-000000000000"}, "customer_id"},
			{map[string]any{"customer_id": "nope"}, "customer_id"},
			{map[string]any{"external_customer_id": "ext_1"}, "external_customer_id"},
			{map[string]any{}, "customer_id"},
			{map[string]any{"customer_id": ann, "return_url": "javascript:alert(1)"}, "return_url"},
			{map[string]any{"customer_id": ann, "member_id": ann}, "member_id"},
		} {
			code, body := s.in.Do(t, "POST", "/v1/customer-sessions/", s.token, c.body)
			if code != 422 || !strings.Contains(string(body), `"loc":["body","`+c.loc+`"]`) {
				t.Errorf("%v: %d %s, want 422 at %s", c.body, code, body, c.loc)
			}
		}
		// Another organization's token can't open a session for this shop's customer.
		_, otherToken := s.in.NewOrg(t, "Other shop")
		if code, body := s.in.Do(t, "POST", "/v1/customer-sessions/", otherToken, map[string]any{"customer_id": ann}); code != 422 {
			t.Fatalf("another organization's customer: %d %s", code, body)
		}
		_, readOnly := s.in.NewOrg(t, "Read only", "customers:read")
		if code, _ := s.in.Do(t, "POST", "/v1/customer-sessions/", readOnly, map[string]any{"customer_id": ann}); code != 403 {
			t.Fatalf("without customer_sessions:write: %d", code)
		}

		var orders, subs pageOf
		s.in.Must(t, "GET", "/v1/customer-portal/orders/", token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 1 {
			t.Fatalf("ann's orders: %+v", orders)
		}
		o := orders.Items[0]
		if o["customer_id"] != ann || !strings.HasPrefix(o["receipt_number"].(string), "RCPT-") ||
			o["product"].(map[string]any)["organization"].(map[string]any)["id"] != s.orgID ||
			o["subscription"].(map[string]any)["status"] != "active" {
			t.Fatalf("ann's order: %v", o)
		}
		for _, merchantOnly := range []string{"metadata", "custom_field_data", "customer", "platform_fee_amount", "checkout_link_id"} {
			if _, leaks := o[merchantOnly]; leaks {
				t.Errorf("the customer's order carries the merchant's %s", merchantOnly)
			}
		}
		if _, leaks := o["subscription"].(map[string]any)["metadata"]; leaks {
			t.Error("the customer's order's subscription carries the merchant's metadata")
		}
		var got map[string]any
		s.in.Must(t, "GET", "/v1/customer-portal/orders/"+o["id"].(string), token, nil, 200, &got)
		if got["id"] != o["id"] {
			t.Fatalf("ann's order by id: %v", got)
		}
		s.in.Must(t, "GET", "/v1/customer-portal/orders/?product_billing_type=one_time", token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 0 {
			t.Fatalf("one-time filter: %+v", orders)
		}
		s.in.Must(t, "GET", "/v1/customer-portal/orders/?query=pla", token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 1 {
			t.Fatalf("search by product name: %+v", orders)
		}
		s.in.Must(t, "GET", "/v1/customer-portal/subscriptions/?active=true", token, nil, 200, &subs)
		if subs.Pagination.TotalCount != 1 || subs.Items[0]["customer_id"] != ann || subs.Items[0]["product"].(map[string]any)["name"] != "Plan" {
			t.Fatalf("ann's subscriptions: %+v", subs)
		}
		annSub := subs.Items[0]["id"].(string)
		s.in.Must(t, "GET", "/v1/customer-portal/subscriptions/"+annSub, token, nil, 200, &got)

		// Bo's order and subscription do not exist for Ann.
		var boOrders, boSubs pageOf
		s.in.Must(t, "GET", "/v1/orders/?customer_id="+bo, s.token, nil, 200, &boOrders)
		s.in.Must(t, "GET", "/v1/subscriptions/?customer_id="+bo, s.token, nil, 200, &boSubs)
		boOrder, boSub := boOrders.Items[0]["id"].(string), boSubs.Items[0]["id"].(string)
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/customer-portal/orders/" + boOrder},
			{"GET", "/v1/customer-portal/subscriptions/" + boSub},
			{"DELETE", "/v1/customer-portal/subscriptions/" + boSub},
			{"PATCH", "/v1/customer-portal/subscriptions/" + boSub},
		} {
			var body any
			if c.method == "PATCH" {
				body = map[string]any{"cancel_at_period_end": true}
			}
			if code, resp := s.in.Do(t, c.method, c.path, token, body); code != 404 || !strings.Contains(string(resp), "ResourceNotFound") {
				t.Errorf("%s %s with Ann's token: %d %s, want 404", c.method, c.path, code, resp)
			}
		}
		// Tokens stay on their side: a merchant's on the portal, a customer's on the merchant API.
		for _, c := range []struct{ path, token string }{
			{"/v1/customer-portal/orders/", s.token},
			{"/v1/customer-portal/subscriptions/", ""},
			{"/v1/customer-portal/subscriptions/", "pl_cst_unknown"},
			{"/v1/orders/", token},
			{"/v1/customers/" + ann, token},
		} {
			if code, _ := s.in.Do(t, "GET", c.path, c.token, nil); code != 401 {
				t.Errorf("GET %s with %.8q: %d, want 401", c.path, c.token, code)
			}
		}
		// The customer cancels at period end and resumes, through the subscriptions service.
		s.in.Must(t, "DELETE", "/v1/customer-portal/subscriptions/"+annSub, token, nil, 200, &got)
		if got["cancel_at_period_end"] != true || got["ends_at"] == nil {
			t.Fatalf("cancel from the portal: %v", got)
		}
		s.in.Must(t, "PATCH", "/v1/customer-portal/subscriptions/"+annSub, token, map[string]any{"cancel_at_period_end": false}, 200, &got)
		if got["cancel_at_period_end"] != false || got["ends_at"] != nil {
			t.Fatalf("resume from the portal: %v", got)
		}
		code, resp := s.in.Do(t, "PATCH", "/v1/customer-portal/subscriptions/"+annSub, token, map[string]any{"product_id": s.kit})
		if code != 422 || !strings.Contains(string(resp), `"loc":["body","product_id"]`) {
			t.Fatalf("a product change: %d %s", code, resp)
		}
		s.in.Must(t, "PATCH", "/v1/customer-portal/subscriptions/"+annSub, token, map[string]any{}, 200, &got)
		if got["id"] != annSub {
			t.Fatalf("an empty update answers the subscription: %v", got)
		}
	})
}
