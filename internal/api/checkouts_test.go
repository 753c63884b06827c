package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// coShop is an organization with a catalog made through the API: a one-time kit
// with a required text field, a pay-what-you-want tip with an optional number
// field, a monthly plan, and a 10% code.
type coShop struct {
	in             *paylinktest.Instance
	orgID, token   string
	kit, tip, plan string
	kitPrice       string
	discount       string
	company, seats string // custom field ids
}

func newCoShop(t *testing.T, db string) *coShop {
	t.Helper()
	in := paylinktest.Start(t, db, nil) // the public URL is the server's own
	s := &coShop{in: in}
	s.orgID, s.token = in.NewOrg(t, "Checkout Shop")
	var f map[string]any
	in.Must(t, "POST", "/v1/custom-fields/", s.token, map[string]any{"type": "text", "slug": "company", "name": "Company",
		"properties": map[string]any{}}, 201, &f)
	s.company = f["id"].(string)
	in.Must(t, "POST", "/v1/custom-fields/", s.token, map[string]any{"type": "number", "slug": "seats", "name": "Seats",
		"properties": map[string]any{"ge": 1, "le": 50}}, 201, &f)
	s.seats = f["id"].(string)
	var p map[string]any
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Kit",
		"prices":                 []any{map[string]any{"amount_type": "fixed", "price_amount": 2000, "price_currency": "usd"}},
		"attached_custom_fields": []any{map[string]any{"custom_field_id": s.company, "required": true}}}, 201, &p)
	s.kit, s.kitPrice = p["id"].(string), p["prices"].([]any)[0].(map[string]any)["id"].(string)
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Tip",
		"prices": []any{map[string]any{"amount_type": "custom", "minimum_amount": 100, "maximum_amount": 10000,
			"price_currency": "usd"}},
		"attached_custom_fields": []any{map[string]any{"custom_field_id": s.seats, "required": false}}}, 201, &p)
	s.tip = p["id"].(string)
	in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Plan", "recurring_interval": "month",
		"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900, "price_currency": "usd"}}}, 201, &p)
	s.plan = p["id"].(string)
	var d map[string]any
	in.Must(t, "POST", "/v1/discounts/", s.token, map[string]any{"name": "Ten", "type": "percentage", "basis_points": 1000,
		"duration": "once", "code": "TEN"}, 201, &d)
	s.discount = d["id"].(string)
	return s
}

func eachCoShop(t *testing.T, fn func(t *testing.T, s *coShop)) {
	storetest.Each(t, func(t *testing.T, db string) { fn(t, newCoShop(t, db)) })
}

// create makes a checkout through the API and checks its shape.
func (s *coShop) create(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	var c map[string]any
	s.in.Must(t, "POST", "/v1/checkouts/", s.token, body, 201, &c)
	checkCheckoutShape(t, c, s.in.URL, s.orgID)
	return c
}

// client calls a client endpoint of the checkout with its secret.
func (s *coShop) client(t *testing.T, method, secret, suffix string, body any, want int) map[string]any {
	t.Helper()
	var out map[string]any
	s.in.Must(t, method, "/v1/checkouts/client/"+secret+suffix, "", body, want, &out)
	return out
}

// checkCheckoutShape asserts what every checkout carries on the wire.
func checkCheckoutShape(t *testing.T, c map[string]any, publicURL, orgID string) {
	t.Helper()
	secret, _ := c["client_secret"].(string)
	if !strings.HasPrefix(secret, paylink.PrefixCheckoutSecret) || c["url"] != publicURL+"/checkout/"+secret ||
		c["payment_processor"] != "stripe" || c["organization_id"] != orgID || c["tax_amount"] != 0.0 ||
		c["product"] == nil || c["product_price"] == nil || len(c["products"].([]any)) == 0 {
		t.Fatalf("checkout shape: %v", c)
	}
	for _, k := range []string{"metadata", "customer_metadata", "payment_processor_metadata", "billing_address_fields",
		"prices", "attached_custom_fields", "custom_field_data", "success_url", "checkout_link_id"} {
		if _, ok := c[k]; !ok {
			t.Fatalf("checkout lacks %s: %v", k, c)
		}
	}
}

func TestCheckoutPurchase(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"products": []string{s.kit, s.tip, s.plan}, "metadata": map[string]any{"campaign": "api", "n": 3},
			"success_url": "https://shop.test/thanks?c={CHECKOUT_ID}", "allow_trial": true, "is_business_customer": false})
		id, secret := c["id"].(string), c["client_secret"].(string)
		if c["status"] != "open" || c["product_id"] != s.kit || c["amount"] != 2000.0 || c["total_amount"] != 2000.0 ||
			c["success_url"] != "https://shop.test/thanks?c="+id || c["is_payment_required"] != true ||
			c["is_payment_form_required"] != true || c["is_payment_setup_required"] != false || c["allow_discount_codes"] != true ||
			len(c["prices"].(map[string]any)) != 3 || len(c["attached_custom_fields"].([]any)) != 1 ||
			c["metadata"].(map[string]any)["n"] != 3.0 || c["checkout_link_id"] != nil {
			t.Fatalf("created: %v", c)
		}
		var got map[string]any
		s.in.Must(t, "GET", "/v1/checkouts/"+id, s.token, nil, 200, &got)
		if got["id"] != id || got["client_secret"] != secret {
			t.Fatalf("get: %v", got)
		}

		pub := s.client(t, "GET", secret, "", nil, 200)
		if org := pub["organization"].(map[string]any); org["id"] != s.orgID || org["name"] != "Checkout Shop" {
			t.Fatalf("public organization: %v", pub["organization"])
		}
		if _, leaks := pub["metadata"]; leaks {
			t.Fatalf("the customer sees the merchant's metadata: %v", pub)
		}
		// Switch to the tip, choose an amount, apply the code, fill in the rest.
		pub = s.client(t, "PATCH", secret, "", map[string]any{"product_id": s.tip, "amount": 2500, "discount_code": "ten",
			"customer_email": "ann@example.com", "customer_name": "Ann", "custom_field_data": map[string]any{"seats": 3},
			"customer_billing_address": map[string]any{"country": "DE"}}, 200)
		if pub["product_id"] != s.tip || pub["amount"] != 2500.0 || pub["discount_amount"] != 250.0 || pub["total_amount"] != 2250.0 ||
			pub["discount_id"] != s.discount || pub["discount"].(map[string]any)["code"] != "TEN" ||
			pub["customer_billing_address"].(map[string]any)["country"] != "DE" ||
			pub["custom_field_data"].(map[string]any)["seats"] != 3.0 {
			t.Fatalf("after update: %v", pub)
		}
		conf := s.client(t, "POST", secret, "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		if conf["status"] != "confirmed" || conf["customer_session_token"] != nil {
			t.Fatalf("confirm: %v", conf)
		}
		pub = s.client(t, "GET", secret, "", nil, 200)
		if pub["status"] != "succeeded" || pub["customer_id"] == nil {
			t.Fatalf("after confirm: %v", pub)
		}
		// Confirming again charges nothing and answers 403, as Polar does; changing is not allowed any more.
		s.client(t, "POST", secret, "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 403)
		s.client(t, "PATCH", secret, "", map[string]any{"customer_name": "Bo"}, 403)
		s.in.Must(t, "PATCH", "/v1/checkouts/"+id, s.token, map[string]any{"customer_name": "Bo"}, 403, nil)

		var orders pageOf
		s.in.Must(t, "GET", "/v1/orders/?checkout_id="+id, s.token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 1 {
			t.Fatalf("orders of the checkout: %+v", orders)
		}
		o := orders.Items[0]
		if o["total_amount"] != 2250.0 || o["subtotal_amount"] != 2500.0 || o["billing_reason"] != "purchase" ||
			o["metadata"].(map[string]any)["campaign"] != "api" || o["custom_field_data"].(map[string]any)["seats"] != 3.0 ||
			o["customer"].(map[string]any)["email"] != "ann@example.com" || o["product"].(map[string]any)["id"] != s.tip ||
			o["discount"].(map[string]any)["id"] != s.discount || o["subscription"] != nil || o["checkout_id"] != id ||
			len(o["items"].([]any)) != 1 || o["paid"] != true {
			t.Fatalf("order: %v", o)
		}
		var subs pageOf
		s.in.Must(t, "GET", "/v1/subscriptions/", s.token, nil, 200, &subs)
		if subs.Pagination.TotalCount != 0 {
			t.Fatalf("a one-time purchase made a subscription: %+v", subs)
		}
	})
}

func TestCheckoutRecurringPurchase(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"product_id": s.plan, "metadata": map[string]any{"plan": "monthly"},
			"customer_email": "bo@example.com", "customer_billing_address": map[string]any{"country": "US"}})
		if c["is_payment_setup_required"] != true || c["products"].([]any)[0].(map[string]any)["is_recurring"] != true {
			t.Fatalf("created: %v", c)
		}
		s.client(t, "POST", c["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		var subs pageOf
		s.in.Must(t, "GET", "/v1/subscriptions/?active=true&product_id="+s.plan, s.token, nil, 200, &subs)
		if subs.Pagination.TotalCount != 1 {
			t.Fatalf("subscriptions: %+v", subs)
		}
		sub := subs.Items[0]
		if sub["status"] != "active" || sub["amount"] != 900.0 || sub["recurring_interval"] != "month" ||
			sub["metadata"].(map[string]any)["plan"] != "monthly" || sub["checkout_id"] != c["id"] ||
			sub["customer"].(map[string]any)["email"] != "bo@example.com" || len(sub["prices"].([]any)) != 1 {
			t.Fatalf("subscription: %v", sub)
		}
		var got, order map[string]any
		s.in.Must(t, "GET", "/v1/subscriptions/"+sub["id"].(string), s.token, nil, 200, &got)
		if got["id"] != sub["id"] {
			t.Fatalf("get subscription: %v", got)
		}
		var orders pageOf
		s.in.Must(t, "GET", "/v1/orders/?product_billing_type=recurring", s.token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 1 {
			t.Fatalf("recurring orders: %+v", orders)
		}
		s.in.Must(t, "GET", "/v1/orders/"+orders.Items[0]["id"].(string), s.token, nil, 200, &order)
		if order["billing_reason"] != "subscription_create" || order["subscription"].(map[string]any)["id"] != sub["id"] {
			t.Fatalf("order: %v", order)
		}
		s.in.Must(t, "GET", "/v1/orders/?product_billing_type=one_time", s.token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 0 {
			t.Fatalf("one-time orders: %+v", orders)
		}
		var cust map[string]any
		s.in.Must(t, "GET", "/v1/customers/"+order["customer_id"].(string), s.token, nil, 200, &cust)
		if cust["email"] != "bo@example.com" || cust["type"] != "individual" || cust["billing_address"].(map[string]any)["country"] != "US" {
			t.Fatalf("customer: %v", cust)
		}
	})
}

func TestCheckoutDeclined(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"products": []string{s.kit}, "customer_email": "cy@example.com",
			"custom_field_data": map[string]any{"company": "Acme"}})
		secret := c["client_secret"].(string)
		status, body := s.in.Do(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "",
			map[string]any{"confirmation_token_id": "tok_chargeDeclined", "customer_billing_address": map[string]any{"country": "FR"}})
		if status != 400 || !strings.Contains(string(body), `"PaymentError"`) {
			t.Fatalf("declined: %d %s", status, body)
		}
		if pub := s.client(t, "GET", secret, "", nil, 200); pub["status"] != "open" {
			t.Fatalf("after decline: %v", pub)
		}
		var orders pageOf
		s.in.Must(t, "GET", "/v1/orders/?checkout_id="+c["id"].(string), s.token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 0 {
			t.Fatalf("a declined card made an order: %+v", orders)
		}
		// The customer retries with a good card.
		conf := s.client(t, "POST", secret, "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
		if conf["status"] != "confirmed" {
			t.Fatalf("retry: %v", conf)
		}
		// The same confirm again (a retried request): 403 NotOpenCheckout, as
		// Polar answers, with no second charge or order.
		status, body = s.in.Do(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "tok_visa"})
		if status != 403 || !strings.Contains(string(body), `"NotOpenCheckout"`) {
			t.Fatalf("a repeated confirm: %d %s", status, body)
		}
		s.in.Must(t, "GET", "/v1/orders/?checkout_id="+c["id"].(string), s.token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 1 {
			t.Fatalf("orders after a repeated confirm: %+v", orders)
		}
	})
}

func TestCheckoutExpiredAnswers410(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		c := s.create(t, map[string]any{"products": []string{s.tip}})
		st := storetest.Open(t, s.in.DatabaseURL)
		past := paylink.Now().Add(-time.Minute)
		if err := st.InTx(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE checkouts SET expires_at = $1 WHERE id = $2`, past, c["id"])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		secret := c["client_secret"].(string)
		for _, call := range []struct{ method, suffix string }{{"GET", ""}, {"PATCH", ""}, {"POST", "/confirm"}} {
			status, body := s.in.Do(t, call.method, "/v1/checkouts/client/"+secret+call.suffix, "", map[string]any{})
			if status != 410 || !strings.Contains(string(body), "ExpiredCheckoutError") {
				t.Fatalf("%s%s of an expired checkout: %d %s", call.method, call.suffix, status, body)
			}
		}
		s.in.Must(t, "PATCH", "/v1/checkouts/"+c["id"].(string), s.token, map[string]any{"amount": 500}, 410, nil)
		var got map[string]any
		s.in.Must(t, "GET", "/v1/checkouts/"+c["id"].(string), s.token, nil, 200, &got) // the merchant still sees it
	})
}

type pageOf struct {
	Items      []map[string]any `json:"items"`
	Pagination struct {
		TotalCount int `json:"total_count"`
		MaxPage    int `json:"max_page"`
	} `json:"pagination"`
}
