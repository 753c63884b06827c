package payment_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/payment"
)

var portalSave = payment.SaveMethod{OrganizationID: "org_1", CustomerID: "cust_1", CustomerEmail: "ann@example.com",
	Token: "ctoken_new", IdempotencyKey: "pm:1"}

// The portal's "update payment method" saves the card through an off-session
// SetupIntent on the customer's Stripe customer, reads the card back, and the
// renewal then charges that method.
func TestStripeSaveMethod(t *testing.T) {
	p := newStripeProxy(t)
	p.status("succeeded")
	s := newTestStripe(t, p)
	ctx := context.Background()
	res, err := s.SaveMethod(ctx, portalSave)
	if err != nil {
		t.Fatal(err)
	}
	sis := p.requests("POST /v1/setup_intents")
	if len(sis) != 1 {
		t.Fatalf("setup intents: %+v", sis)
	}
	f := sis[0].Form
	for k, v := range map[string]string{"confirm": "true", "confirmation_token": "ctoken_new", "usage": "off_session",
		"metadata[organization_id]": "org_1", "metadata[customer_id]": "cust_1", "use_stripe_sdk": "true"} {
		if f.Get(k) != v {
			t.Errorf("setup intent %s = %q, want %q", k, f.Get(k), v)
		}
	}
	if f.Has("metadata[checkout_id]") || sis[0].IdempotencyKey != "paylink:seti-pm:pm:1" {
		t.Errorf("setup intent: %v key %q", f, sis[0].IdempotencyKey)
	}
	if f.Get("expand[0]") != "payment_method" {
		t.Fatalf("the card was not asked for: %v", f)
	}
	if !res.Succeeded || res.PaymentMethodRef != f.Get("customer")+"/pm_from_token" || res.Card.Last4 == "" ||
		res.Card.Brand == "" || res.Card.ExpYear == 0 {
		t.Fatalf("saved: %+v", res)
	}
	renewal := payment.Charge{OrganizationID: "org_1", Amount: 900, Currency: "usd", IdempotencyKey: "sub_1:2025-02-01:0"}
	if r, err := s.ChargeSaved(ctx, res.PaymentMethodRef, renewal); err != nil || !r.Succeeded {
		t.Fatalf("renewal: %+v %v", r, err)
	}
	pi := p.requests("POST /v1/payment_intents")[0].Form
	if pi.Get("customer") != f.Get("customer") || pi.Get("payment_method") != "pm_from_token" || pi.Get("off_session") != "true" {
		t.Fatalf("renewal charged: %v", pi)
	}

	// A card Stripe refuses is a decline with Stripe's words, nothing saved.
	p.answer("POST /v1/setup_intents", func(url.Values) (int, string) {
		return 402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
			"message":"Your card has insufficient funds.","setup_intent":{"id":"seti_x","object":"setup_intent","status":"requires_payment_method"}}}`
	})
	res, err = s.SaveMethod(ctx, portalSave)
	if err != nil || res.Succeeded || res.DeclineCode != "insufficient_funds" || res.Message != "Your card has insufficient funds." || res.PaymentMethodRef != "" {
		t.Fatalf("declined: %+v %v", res, err)
	}
	// 3-D Secure: the page finishes it with the client secret.
	p.answer("POST /v1/setup_intents", nil)
	p.status("requires_action")
	res, err = s.SaveMethod(ctx, portalSave)
	if err != nil || !res.RequiresAction || !strings.Contains(res.ClientSecret, "_secret_") {
		t.Fatalf("requires action: %+v %v", res, err)
	}
}

// Confirming reads the SetupIntent back and takes it only when paylink made it
// for this organization's customer.
func TestStripeConfirmMethod(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	ctx := context.Background()
	p.answer("GET /v1/setup_intents/seti_ann", func(url.Values) (int, string) {
		return 200, `{"id":"seti_ann","object":"setup_intent","status":"succeeded","customer":"cus_1","payment_method":{"id":"pm_card_visa","object":"payment_method",
			"card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}},"usage":"off_session","metadata":{"organization_id":"org_1","customer_id":"cust_1"}}`
	})
	res, ok, err := s.ConfirmMethod(ctx, "org_1", "cust_1", "seti_ann")
	if err != nil || !ok || !res.Succeeded || res.PaymentMethodRef != "cus_1/pm_card_visa" || res.Card.Last4 == "" {
		t.Fatalf("confirm: %+v %v %v", res, ok, err)
	}
	for _, who := range [][2]string{{"org_1", "cust_2"}, {"org_2", "cust_1"}} {
		if _, ok, err := s.ConfirmMethod(ctx, who[0], who[1], "seti_ann"); ok || err != nil {
			t.Fatalf("another customer confirmed seti_ann: %v %v", ok, err)
		}
	}
	if _, ok, err := s.ConfirmMethod(ctx, "org_1", "cust_1", "pi_123"); ok || err != nil {
		t.Fatalf("a payment intent was taken for a setup: %v %v", ok, err)
	}
	if err := s.ForgetMethod(ctx, "cus_1/pm_card_visa"); err != nil {
		t.Fatal(err)
	}
	if len(p.requests("POST /v1/payment_methods/pm_card_visa/detach")) != 1 {
		t.Fatalf("not detached")
	}
}
