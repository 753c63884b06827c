package e2e_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// shop is a merchant with a catalog and a link, all made through the API.
type shop struct {
	in                         *paylinktest.Instance
	token                      string
	kit, tip, plan, discountID string
	link                       map[string]any
}

func newShop(t *testing.T, db string, env ...string) *shop {
	t.Helper()
	in := paylinktest.Start(t, db, env)
	s := &shop{in: in}
	_, s.token = in.NewOrg(t, "Link Shop")
	var f, p, d map[string]any
	in.Must(t, "POST", "/v1/custom-fields/", s.token, map[string]any{"type": "text", "slug": "company", "name": "Company",
		"properties": map[string]any{}}, 201, &f)
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Kit",
		"prices":                 []any{map[string]any{"amount_type": "fixed", "price_amount": 2000, "price_currency": "usd"}},
		"attached_custom_fields": []any{map[string]any{"custom_field_id": f["id"], "required": true}}}, 201, &p)
	s.kit = p["id"].(string)
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Tip",
		"prices":                 []any{map[string]any{"amount_type": "custom", "minimum_amount": 100, "maximum_amount": 10000, "price_currency": "usd"}},
		"attached_custom_fields": []any{map[string]any{"custom_field_id": f["id"], "required": false}}}, 201, &p)
	s.tip = p["id"].(string)
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Plan", "recurring_interval": "month",
		"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900, "price_currency": "usd"}}}, 201, &p)
	s.plan = p["id"].(string)
	in.Must(t, "POST", "/v1/discounts/", s.token, map[string]any{"name": "Ten", "type": "percentage", "basis_points": 1000,
		"duration": "forever", "code": "TEN"}, 201, &d)
	s.discountID = d["id"].(string)
	in.Must(t, "POST", "/v1/checkout-links/", s.token, map[string]any{"label": "Spring", "products": []string{s.kit, s.tip, s.plan},
		"metadata": map[string]any{"campaign": "spring", "utm_source": "merchant-wins"}, "success_url": "https://shop.example/thanks?c={CHECKOUT_ID}"},
		201, &s.link)
	return s
}

// visit follows a link URL with the query and returns the 303's checkout secret and the remaining query.
func (s *shop) visit(t *testing.T, query string) (secret string, remaining url.Values) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.link["url"].(string)+"?"+query, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1")
	resp, err := s.in.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("visit: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.Path, "/checkout/pl_c_") {
		t.Fatalf("visit: Location %q", resp.Header.Get("Location"))
	}
	return strings.TrimPrefix(loc.Path, "/checkout/"), loc.Query()
}

func TestPurchaseThroughLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		secret, rest := s.visit(t, "product_id="+s.tip+"&amount=2500&customer_email=ann%40example.com&utm_source=news&utm_campaign=launch"+
			"&reference_id=aff-7&custom_field_data.company=Acme&discount_code=nope&theme=dark")
		if rest.Get("theme") != "dark" || rest.Get("utm_source") != "" {
			t.Fatalf("unconsumed parameters: %v", rest)
		}
		var c map[string]any
		s.in.Must(t, "GET", "/v1/checkouts/client/"+secret, "", nil, 200, &c)
		if c["product_id"] != s.tip || c["amount"] != 2500.0 || c["customer_email"] != "ann@example.com" || c["discount_id"] != nil {
			t.Fatalf("prefilled session: %v %v %v %v", c["product_id"], c["amount"], c["customer_email"], c["discount_id"])
		}
		// The customer switches to the kit, applies the code, and pays.
		s.in.Must(t, "PATCH", "/v1/checkouts/client/"+secret, "", map[string]any{"product_id": s.kit, "discount_code": "ten"}, 200, &c)
		if c["amount"] != 2000.0 || c["total_amount"] != 1800.0 {
			t.Fatalf("after switch: amount %v total %v", c["amount"], c["total_amount"])
		}
		s.in.Must(t, "PATCH", "/v1/checkouts/client/"+secret, "", map[string]any{"product_id": s.tip, "amount": 3000}, 200, &c)
		if c["amount"] != 3000.0 || c["total_amount"] != 2700.0 {
			t.Fatalf("pay what you want with the code: amount %v total %v", c["amount"], c["total_amount"])
		}
		s.in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "tok_visa",
			"customer_billing_address": map[string]any{"country": "FR"}}, 200, &c)
		// Confirm answers "confirmed" (the SDK's CheckoutPublicConfirmed); the payment went through at once.
		s.in.Must(t, "GET", "/v1/checkouts/client/"+secret, "", nil, 200, &c)
		if c["status"] != "succeeded" {
			t.Fatalf("confirm: status %v", c["status"])
		}
		var orders struct {
			Items []map[string]any `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/orders/", s.token, nil, 200, &orders)
		if len(orders.Items) != 1 {
			t.Fatalf("orders: %d", len(orders.Items))
		}
		o := orders.Items[0]
		meta := o["metadata"].(map[string]any)
		want := map[string]any{"campaign": "spring", "utm_source": "merchant-wins", "utm_campaign": "launch", "reference_id": "aff-7"}
		for k, v := range want {
			if meta[k] != v {
				t.Errorf("order metadata %s = %v, want %v (all: %v)", k, meta[k], v, meta)
			}
		}
		if o["checkout_link_id"] != s.link["id"] || o["total_amount"] != 2700.0 || o["custom_field_data"].(map[string]any)["company"] != "Acme" {
			t.Fatalf("order: link %v total %v fields %v", o["checkout_link_id"], o["total_amount"], o["custom_field_data"])
		}
	})
}

func TestRecurringPurchaseThroughLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		secret, _ := s.visit(t, "product_id="+s.plan+"&utm_medium=email&reference_id=r-9")
		s.in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "tok_visa",
			"customer_email": "bo@example.com", "customer_billing_address": map[string]any{"country": "US"}}, 200, nil)
		var subs struct {
			Items []map[string]any `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/subscriptions/", s.token, nil, 200, &subs)
		if len(subs.Items) != 1 {
			t.Fatalf("subscriptions: %d", len(subs.Items))
		}
		meta := subs.Items[0]["metadata"].(map[string]any)
		if meta["campaign"] != "spring" || meta["utm_medium"] != "email" || meta["reference_id"] != "r-9" || subs.Items[0]["status"] != "active" {
			t.Fatalf("subscription: %v", subs.Items[0])
		}
	})
}

func TestVisitsOfBotsAndBrokenLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		linkURL := s.link["url"].(string)
		count := func() float64 {
			var list struct {
				Pagination struct {
					TotalCount float64 `json:"total_count"`
				} `json:"pagination"`
			}
			s.in.Must(t, "GET", "/v1/checkouts/", s.token, nil, 200, &list)
			return list.Pagination.TotalCount
		}
		for _, tc := range []struct {
			name   string
			method string
			header map[string]string
		}{
			{"slack", "GET", map[string]string{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}},
			{"prefetch", "GET", map[string]string{"Sec-Purpose": "prefetch", "User-Agent": "Mozilla/5.0 Chrome/120"}},
			{"head", "HEAD", nil},
		} {
			req, _ := http.NewRequest(tc.method, linkURL+"?utm_source=x", nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := s.in.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || (tc.method == "GET" && !strings.Contains(string(body), `property="og:title"`)) {
				t.Fatalf("%s: status %d, body %q", tc.name, resp.StatusCode, body)
			}
		}
		if n := count(); n != 0 {
			t.Fatalf("previews created %v sessions", n)
		}
		get := func(u string) (int, string) {
			resp, err := s.in.Client.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if code, _ := get(s.in.URL + "/buy/pl_cl_doesnotexist0000000000000000"); code != 404 {
			t.Fatalf("unknown link: %d", code)
		}
		id := s.link["id"].(string)
		s.in.Must(t, "PATCH", "/v1/checkout-links/"+id, s.token, map[string]any{"active": false, "inactive_message": "Back in <May>"}, 200, nil)
		if code, body := get(linkURL); code != 410 || !strings.Contains(body, "Back in &lt;May&gt;") {
			t.Fatalf("inactive link: %d %q", code, body)
		}
		s.in.Must(t, "PATCH", "/v1/checkout-links/"+id, s.token, map[string]any{"active": true}, 200, nil)
		var rotated map[string]any
		s.in.Must(t, "POST", "/v1/checkout-links/"+id+"/rotate-secret", s.token, nil, 200, &rotated)
		if code, _ := get(linkURL); code != 404 {
			t.Fatalf("old URL after rotation: %d", code)
		}
		if code, _ := get(rotated["url"].(string) + "?x=1"); code != 303 {
			t.Fatalf("new URL: %d", code)
		}
		s.in.Must(t, "DELETE", "/v1/checkout-links/"+id, s.token, nil, 204, nil)
		if code, _ := get(rotated["url"].(string)); code != 410 {
			t.Fatalf("deleted link: %d", code)
		}
		if n := count(); n != 1 {
			t.Fatalf("sessions: %v, want 1", n)
		}
	})
}
