package payment_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/payment"
)

var freeFirstPeriod = payment.Setup{OrganizationID: "org_1", CheckoutID: "co_1", CustomerEmail: "ann@example.com",
	Token: "ctoken_123", IdempotencyKey: "co_1:0"}

func TestStripeSetupRequestShape(t *testing.T) {
	p := newStripeProxy(t)
	p.status("succeeded")
	s := newTestStripe(t, p)
	res, err := s.Setup(context.Background(), freeFirstPeriod)
	if err != nil {
		t.Fatal(err)
	}
	// The customer as for a charge: looked up by email, created with the organization.
	creates := p.requests("POST /v1/customers")
	if len(p.requests("GET /v1/customers")) != 1 || len(creates) != 1 ||
		creates[0].Form.Get("metadata[organization_id]") != "org_1" || creates[0].IdempotencyKey != "paylink:cus:co_1:0" {
		t.Fatalf("customer: %+v", creates)
	}
	if n := len(p.requests("POST /v1/payment_intents")); n != 0 {
		t.Fatalf("a setup made %d payment intents", n)
	}
	sis := p.requests("POST /v1/setup_intents")
	if len(sis) != 1 {
		t.Fatalf("setup intents: %+v", sis)
	}
	f := sis[0].Form
	want := map[string]string{"confirm": "true", "confirmation_token": "ctoken_123", "usage": "off_session",
		"metadata[checkout_id]": "co_1", "metadata[organization_id]": "org_1", "use_stripe_sdk": "true",
		"payment_method_types[0]": "card"}
	for k, v := range want {
		if f.Get(k) != v {
			t.Errorf("setup intent %s = %q, want %q (form %v)", k, f.Get(k), v, f)
		}
	}
	if !strings.HasPrefix(f.Get("customer"), "cus_") || f.Has("amount") || sis[0].IdempotencyKey != "paylink:seti:co_1:0" {
		t.Errorf("setup intent customer/amount/idempotency: %v %q", f, sis[0].IdempotencyKey)
	}
	if !res.Succeeded || !strings.HasPrefix(res.Ref, "seti_") || res.PaymentMethodRef != f.Get("customer")+"/pm_from_token" {
		t.Fatalf("result: %+v", res)
	}
	// The renewal charges the saved method off-session, on the same customer.
	renewal := payment.Charge{OrganizationID: "org_1", Amount: 900, Currency: "usd", IdempotencyKey: "sub_1:2025-02-01:0"}
	if res2, err := s.ChargeSaved(context.Background(), res.PaymentMethodRef, renewal); err != nil || !res2.Succeeded {
		t.Fatalf("renewal: %+v %v", res2, err)
	}
	pi := p.requests("POST /v1/payment_intents")[0].Form
	if pi.Get("customer") != f.Get("customer") || pi.Get("payment_method") != "pm_from_token" || pi.Get("off_session") != "true" ||
		pi.Get("amount") != "900" {
		t.Fatalf("renewal payment intent: %v", pi)
	}
}

func TestStripeSetupStatusesAndErrors(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	ctx := context.Background()
	for _, tc := range []struct {
		status                             string
		succeeded, action, pending, failed bool
	}{
		{"succeeded", true, false, false, false},
		{"requires_action", false, true, false, false},
		{"processing", false, false, true, false},
		{"requires_payment_method", false, false, false, true},
		{"canceled", false, false, false, true},
	} {
		p.status(tc.status)
		res, err := s.Setup(ctx, freeFirstPeriod)
		if err != nil {
			t.Fatalf("%s: %v", tc.status, err)
		}
		if res.Succeeded != tc.succeeded || res.RequiresAction != tc.action || res.Pending != tc.pending ||
			(res.DeclineCode != "") != tc.failed || (tc.failed && res.Message == "") || !strings.HasPrefix(res.Ref, "seti_") {
			t.Errorf("%s: %+v", tc.status, res)
		}
		if tc.action != (res.ClientSecret != "") || (tc.action && !strings.Contains(res.ClientSecret, "_secret_")) {
			t.Errorf("%s: client secret %q", tc.status, res.ClientSecret)
		}
		if !tc.succeeded && res.PaymentMethodRef != "" {
			t.Errorf("%s saved a method: %+v", tc.status, res)
		}
	}
	p.answer("POST /v1/setup_intents", func(url.Values) (int, string) {
		return 402, `{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline",
			"message":"Your card was declined.","setup_intent":{"id":"seti_declined","object":"setup_intent","status":"requires_payment_method"}}}`
	})
	res, err := s.Setup(ctx, freeFirstPeriod)
	if err != nil || res.Succeeded || res.DeclineCode != "generic_decline" || res.Ref != "seti_declined" || res.Message != "Your card was declined." {
		t.Fatalf("card error: %+v %v", res, err)
	}
}

func TestStripeLookupAndCancelSetup(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	p.answer("GET /v1/setup_intents/seti_123", func(url.Values) (int, string) {
		return 200, `{"id":"seti_123","object":"setup_intent","status":"succeeded","customer":"cus_1","payment_method":"pm_1",
			"usage":"off_session","metadata":{"organization_id":"org_1","checkout_id":"co_1"}}`
	})
	org, co, res, err := s.Lookup(context.Background(), "seti_123")
	if err != nil || org != "org_1" || co != "co_1" || !res.Succeeded || res.PaymentMethodRef != "cus_1/pm_1" || res.Ref != "seti_123" {
		t.Fatalf("lookup: %q %q %+v %v", org, co, res, err)
	}
	if n := len(p.requests("GET /v1/payment_intents/seti_123")); n != 0 {
		t.Fatalf("a setup intent was looked up as a payment intent")
	}
	p.status("canceled")
	res, err = s.Cancel(context.Background(), "seti_waiting")
	if err != nil || res.Succeeded || res.DeclineCode == "" {
		t.Fatalf("canceled: %+v %v", res, err)
	}
	if c := p.requests("POST /v1/setup_intents/seti_waiting/cancel"); len(c) != 1 || c[0].Form.Get("cancellation_reason") != "abandoned" {
		t.Fatalf("cancel request: %+v", c)
	}
}
