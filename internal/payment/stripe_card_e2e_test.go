package payment_test

import (
	"testing"

	"github.com/paylink/paylink/internal/store/storetest"
)

// paymentMethods lists, through the customer portal API, the payment methods of
// the shop's customer ann@example.com.
func (s *stripeShop) paymentMethods(t *testing.T) []map[string]any {
	t.Helper()
	var customers, methods struct {
		Items []map[string]any `json:"items"`
	}
	s.in.Must(t, "GET", "/v1/customers/?email=ann@example.com", s.in.Token, nil, 200, &customers)
	if len(customers.Items) != 1 {
		t.Fatalf("customers: %+v", customers.Items)
	}
	var sess map[string]any
	s.in.Must(t, "POST", "/v1/customer-sessions/", s.in.Token, map[string]any{"customer_id": customers.Items[0]["id"]}, 201, &sess)
	s.in.Must(t, "GET", "/v1/customer-portal/customers/me/payment-methods", sess["token"].(string), nil, 200, &methods)
	return methods.Items
}

// A subscription paid through Stripe saves its card: the PaymentIntent is
// created with its payment method expanded, and the card stripe-mock answers
// with becomes the customer's default payment method.
func TestStripeCheckoutSavesTheCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newStripeShop(t, db)
		s.proxy.status("succeeded")
		var p, c map[string]any
		s.in.Must(t, "POST", "/v1/products/", s.in.Token, map[string]any{"name": "Plan", "recurring_interval": "month",
			"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900, "price_currency": "usd"}}}, 201, &p)
		s.in.Must(t, "POST", "/v1/checkouts/", s.in.Token, map[string]any{"products": []string{p["id"].(string)},
			"customer_email": "ann@example.com"}, 201, &c)
		if got := s.confirm(c["client_secret"].(string)); got != 200 || s.status(t, c["id"].(string)) != "succeeded" {
			t.Fatalf("confirm: %d", got)
		}
		pis := s.proxy.requests("POST /v1/payment_intents")
		if len(pis) != 1 || pis[0].Form.Get("setup_future_usage") != "off_session" || pis[0].Form.Get("expand[0]") != "payment_method" {
			t.Fatalf("payment intents: %+v", pis)
		}
		methods := s.paymentMethods(t)
		if len(methods) != 1 {
			t.Fatalf("payment methods: %+v", methods)
		}
		card, _ := methods[0]["method_metadata"].(map[string]any)
		if methods[0]["is_default"] != true || methods[0]["type"] != "card" || card["brand"] == "" || card["last4"] == "" ||
			card["exp_year"] == 0.0 {
			t.Fatalf("the saved card: %v", methods[0])
		}
		if n := len(s.proxy.requests("GET /v1/payment_methods/pm_from_token")); n != 0 {
			t.Fatalf("the card was read again %d times", n)
		}
	})
}
