package payment_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store/storetest"
)

// openFreeFirstMonth opens a checkout of a monthly product with a 100 % discount
// for the first period only, and returns its id and client secret.
func (s *stripeShop) openFreeFirstMonth(t *testing.T) (id, secret string) {
	t.Helper()
	var p, d, c map[string]any
	s.in.Must(t, "POST", "/v1/products/", s.in.Token, map[string]any{"name": "Plan", "recurring_interval": "month",
		"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900, "price_currency": "usd"}}}, 201, &p)
	s.in.Must(t, "POST", "/v1/discounts/", s.in.Token, map[string]any{"name": "First month free", "type": "percentage",
		"basis_points": 10000, "duration": "once"}, 201, &d)
	s.in.Must(t, "POST", "/v1/checkouts/", s.in.Token, map[string]any{"products": []string{p["id"].(string)},
		"discount_id": d["id"], "customer_email": "ann@example.com"}, 201, &c)
	if c["total_amount"] != 0.0 || c["is_payment_required"] != false || c["is_payment_setup_required"] != true ||
		c["is_payment_form_required"] != true {
		t.Fatalf("checkout: total %v, payment %v, setup %v, form %v", c["total_amount"], c["is_payment_required"],
			c["is_payment_setup_required"], c["is_payment_form_required"])
	}
	return c["id"].(string), c["client_secret"].(string)
}

// setupEvent posts a signed setup_intent event about seti for the checkout.
func (s *stripeShop) setupEvent(t *testing.T, typ, seti, checkoutID string) int {
	t.Helper()
	si := map[string]any{"id": seti, "object": "setup_intent", "status": "succeeded", "customer": "cus_1",
		"payment_method": "pm_1", "usage": "off_session",
		"metadata": map[string]any{"organization_id": s.in.OrgID, "checkout_id": checkoutID}}
	payload := stripeEvent(typ, "2025-08-27.basil", si)
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: testWebhookSecret})
	req, _ := http.NewRequest("POST", s.in.URL+payment.StripeWebhookPath, bytes.NewReader(payload))
	req.Header.Set("Stripe-Signature", sp.Header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A first period free, later ones not: confirm saves the card with a
// SetupIntent (no PaymentIntent), and a SetupIntent that asks for 3-D Secure is
// completed by the signed setup_intent.succeeded event.
func TestStripeCheckoutFreeFirstPeriodSetsUpTheCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newStripeShop(t, db)
		id, secret := s.openFreeFirstMonth(t)
		code, body := s.in.Do(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "",
			map[string]any{"customer_billing_address": map[string]any{"country": "US"}})
		if code != 422 || !strings.Contains(string(body), `"confirmation_token_id"`) {
			t.Fatalf("confirm without a payment method: %d %s", code, body)
		}
		s.proxy.status("requires_action")
		var c map[string]any
		s.in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "ctoken_e2e",
			"customer_billing_address": map[string]any{"country": "US"}}, 200, &c)
		if c["status"] != "confirmed" {
			t.Fatalf("after a setup intent waiting for 3-D Secure: %v", c["status"])
		}
		if n := len(s.proxy.requests("POST /v1/payment_intents")); n != 0 {
			t.Fatalf("%d payment intents for a first period that costs nothing", n)
		}
		sis := s.proxy.requests("POST /v1/setup_intents")
		if len(sis) != 1 || sis[0].Form.Get("usage") != "off_session" || sis[0].Form.Get("confirmation_token") != "ctoken_e2e" ||
			sis[0].Form.Get("metadata[checkout_id]") != id || sis[0].IdempotencyKey != "paylink:seti:"+id+":0" {
			t.Fatalf("setup intents: %+v", sis)
		}
		if got := s.setupEvent(t, "setup_intent.succeeded", "seti_e2e", id); got != 200 {
			t.Fatalf("setup_intent.succeeded: %d", got)
		}
		if st, n := s.status(t, id), s.orders(t, id); st != "succeeded" || n != 1 {
			t.Fatalf("after the event: %s, %d orders", st, n)
		}
		var subs struct {
			Items []map[string]any `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/subscriptions/", s.in.Token, nil, 200, &subs)
		if len(subs.Items) != 1 || subs.Items[0]["status"] != "active" || subs.Items[0]["amount"] != 900.0 {
			t.Fatalf("subscriptions: %+v", subs.Items)
		}
		// The event names the card by id: it is read from Stripe, and saved.
		methods := s.paymentMethods(t)
		if len(s.proxy.requests("GET /v1/payment_methods/pm_1")) != 1 || len(methods) != 1 ||
			methods[0]["method_metadata"].(map[string]any)["last4"] == "" || methods[0]["is_default"] != true {
			t.Fatalf("payment methods: %+v", methods)
		}
	})
}
