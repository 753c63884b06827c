package payment_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/payment"
)

func newTestStripe(t *testing.T, p *stripeProxy) *payment.Stripe {
	t.Helper()
	s, err := payment.NewStripe(payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_x",
		WebhookSecret: "whsec_test", APIBase: p.URL})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var recurringCharge = payment.Charge{OrganizationID: "org_1", CheckoutID: "co_1", Amount: 2000, Currency: "USD",
	CustomerEmail: "ann@example.com", Token: "ctoken_123", SaveForFuture: true, IdempotencyKey: "co_1:0"}

func TestStripeChargeRequestShape(t *testing.T) {
	p := newStripeProxy(t)
	p.status("succeeded")
	s := newTestStripe(t, p)
	res, err := s.Charge(context.Background(), recurringCharge)
	if err != nil {
		t.Fatal(err)
	}
	// The customer: looked up by email, created with the organization in its metadata.
	lists, creates := p.requests("GET /v1/customers"), p.requests("POST /v1/customers")
	if len(lists) != 1 || lists[0].Form.Get("email") != "ann@example.com" || lists[0].Auth != "Bearer sk_test_x" {
		t.Fatalf("customer lookup: %+v", lists)
	}
	if len(creates) != 1 || creates[0].Form.Get("email") != "ann@example.com" ||
		creates[0].Form.Get("metadata[organization_id]") != "org_1" || creates[0].IdempotencyKey != "paylink:cus:co_1:0" {
		t.Fatalf("customer create: %+v", creates)
	}
	pis := p.requests("POST /v1/payment_intents")
	if len(pis) != 1 {
		t.Fatalf("payment intents: %+v", pis)
	}
	f := pis[0].Form
	want := map[string]string{"amount": "2000", "currency": "usd", "confirm": "true", "confirmation_token": "ctoken_123",
		"setup_future_usage": "off_session", "metadata[checkout_id]": "co_1", "metadata[organization_id]": "org_1",
		"use_stripe_sdk": "true", "payment_method_types[0]": "card"}
	for k, v := range want {
		if f.Get(k) != v {
			t.Errorf("payment intent %s = %q, want %q (form %v)", k, f.Get(k), v, f)
		}
	}
	if f.Get("customer") == "" || !strings.HasPrefix(f.Get("customer"), "cus_") || f.Has("off_session") {
		t.Errorf("payment intent customer/off_session: %v", f)
	}
	if pis[0].IdempotencyKey != "paylink:pi:co_1:0" {
		t.Errorf("idempotency key %q", pis[0].IdempotencyKey)
	}
	if !res.Succeeded || !strings.HasPrefix(res.Ref, "pi_") || res.PaymentMethodRef != f.Get("customer")+"/pm_from_token" ||
		res.RequiresAction || res.Pending || res.DeclineCode != "" {
		t.Fatalf("result: %+v", res)
	}
	// ChargeSaved charges the saved card off-session, on the same customer.
	renewal := payment.Charge{OrganizationID: "org_1", Amount: 2000, Currency: "usd", IdempotencyKey: "sub_1:2025-01-01:0"}
	res2, err := s.ChargeSaved(context.Background(), res.PaymentMethodRef, renewal)
	if err != nil {
		t.Fatal(err)
	}
	pis = p.requests("POST /v1/payment_intents")
	f = pis[len(pis)-1].Form
	if f.Get("customer") != pis[0].Form.Get("customer") || f.Get("payment_method") != "pm_from_token" ||
		f.Get("off_session") != "true" || f.Get("confirm") != "true" || f.Has("confirmation_token") ||
		f.Get("metadata[organization_id]") != "org_1" || f.Has("metadata[checkout_id]") || f.Get("amount") != "2000" ||
		pis[len(pis)-1].IdempotencyKey != "paylink:pi:sub_1:2025-01-01:0" {
		t.Fatalf("renewal payment intent: %v", f)
	}
	if !res2.Succeeded || res2.PaymentMethodRef != res.PaymentMethodRef {
		t.Fatalf("renewal result: %+v", res2)
	}
}

func TestStripeChargeOneTimeReusesCustomer(t *testing.T) {
	p := newStripeProxy(t)
	p.status("succeeded")
	p.answer("GET /v1/customers", func(url.Values) (int, string) {
		return 200, `{"object":"list","url":"/v1/customers","has_more":false,"data":[
			{"id":"cus_other","object":"customer","email":"ann@example.com","metadata":{"organization_id":"org_2"}},
			{"id":"cus_mine","object":"customer","email":"ann@example.com","metadata":{"organization_id":"org_1"}}]}`
	})
	c := recurringCharge
	c.SaveForFuture = false
	res, err := newTestStripe(t, p).Charge(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.requests("POST /v1/customers")); n != 0 {
		t.Fatalf("created %d customers; the organization's customer exists", n)
	}
	f := p.requests("POST /v1/payment_intents")[0].Form
	if f.Get("customer") != "cus_mine" || f.Has("setup_future_usage") {
		t.Fatalf("one-time payment intent: %v", f)
	}
	if !res.Succeeded || res.PaymentMethodRef != "" {
		t.Fatalf("one-time result: %+v", res)
	}
}

func TestStripeChargeStatuses(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
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
		res, err := s.Charge(context.Background(), recurringCharge)
		if err != nil {
			t.Fatalf("%s: %v", tc.status, err)
		}
		if res.Succeeded != tc.succeeded || res.RequiresAction != tc.action || res.Pending != tc.pending ||
			(res.DeclineCode != "") != tc.failed || (tc.failed && res.Message == "") || res.Ref == "" {
			t.Errorf("%s: %+v", tc.status, res)
		}
		if tc.action && !strings.Contains(res.ClientSecret, "_secret_") {
			t.Errorf("requires_action without a client secret: %+v", res)
		}
		if !tc.action && res.ClientSecret != "" {
			t.Errorf("%s leaks the client secret: %+v", tc.status, res)
		}
	}
	p.status("requires_confirmation")
	if _, err := s.Charge(context.Background(), recurringCharge); err == nil || !strings.Contains(err.Error(), "requires_confirmation") {
		t.Fatalf("an unexpected status is an error: %v", err)
	}
}

func TestStripeChargeErrors(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	ctx := context.Background()

	p.answer("POST /v1/payment_intents", func(url.Values) (int, string) {
		return 402, cardError("card_declined", "insufficient_funds", "Your card has insufficient funds.", "pi_declined")
	})
	res, err := s.Charge(ctx, recurringCharge)
	if err != nil || res.Succeeded || res.DeclineCode != "insufficient_funds" || res.Ref != "pi_declined" ||
		res.Message != "Your card has insufficient funds." {
		t.Fatalf("card error: %+v %v", res, err)
	}
	p.answer("POST /v1/payment_intents", func(url.Values) (int, string) {
		return 402, cardError("authentication_required", "", "This payment requires authentication.", "pi_auth")
	})
	res, err = s.ChargeSaved(ctx, "cus_1/pm_1", recurringCharge)
	if err != nil || res.Succeeded || res.DeclineCode != "authentication_required" {
		t.Fatalf("off-session authentication: %+v %v", res, err)
	}
	p.answer("POST /v1/payment_intents", func(url.Values) (int, string) {
		return 400, `{"error":{"type":"invalid_request_error","code":"resource_missing","param":"confirmation_token","message":"No such confirmationtoken: 'ctoken_123'"}}`
	})
	res, err = s.Charge(ctx, recurringCharge)
	if err != nil || res.DeclineCode != "invalid_confirmation_token" || res.Message == "" {
		t.Fatalf("stale confirmation token: %+v %v", res, err)
	}
	// Anything else is an error, told without the payment method Stripe echoes.
	p.answer("POST /v1/payment_intents", func(url.Values) (int, string) {
		return 401, `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_***x",
			"payment_method":{"id":"pm_x","card":{"last4":"4242","exp_month":12}}}}`
	})
	res, err = s.Charge(ctx, recurringCharge)
	if err == nil || res != nil || !strings.Contains(err.Error(), "Invalid API Key") || !strings.Contains(err.Error(), "status=401") ||
		strings.Contains(err.Error(), "4242") || strings.Contains(err.Error(), "exp_month") {
		t.Fatalf("api error: %+v %v", res, err)
	}
	// A saved method that is not Stripe's is declined without asking Stripe.
	before := len(p.requests("POST /v1/payment_intents"))
	res, err = s.ChargeSaved(ctx, "tok_visa", recurringCharge)
	if err != nil || res.DeclineCode != "no_payment_method" || len(p.requests("POST /v1/payment_intents")) != before {
		t.Fatalf("foreign saved method: %+v %v", res, err)
	}
}

func TestStripeLookup(t *testing.T) {
	p := newStripeProxy(t)
	p.status("succeeded")
	p.answer("GET /v1/payment_intents/pi_123", func(url.Values) (int, string) {
		return 200, `{"id":"pi_123","object":"payment_intent","status":"succeeded","customer":"cus_1",
			"payment_method":"pm_1","setup_future_usage":"off_session",
			"metadata":{"organization_id":"org_1","checkout_id":"co_1"}}`
	})
	org, co, res, err := newTestStripe(t, p).Lookup(context.Background(), "pi_123")
	if err != nil || org != "org_1" || co != "co_1" || !res.Succeeded || res.PaymentMethodRef != "cus_1/pm_1" || res.Ref != "pi_123" {
		t.Fatalf("lookup: %q %q %+v %v", org, co, res, err)
	}
}

func TestNewStripeConfig(t *testing.T) {
	ok := payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_x", WebhookSecret: "whsec_x"}
	for _, tc := range []struct {
		edit func(c *payment.StripeConfig)
		want string
	}{
		{func(c *payment.StripeConfig) { c.PublishableKey = "" }, "PAYLINK_STRIPE_PUBLISHABLE_KEY is required"},
		{func(c *payment.StripeConfig) { c.WebhookSecret = "" }, "PAYLINK_STRIPE_WEBHOOK_SECRET is required"},
		{func(c *payment.StripeConfig) { c.PublishableKey = "sk_test_y" }, "PAYLINK_STRIPE_PUBLISHABLE_KEY: want a publishable key"},
		{func(c *payment.StripeConfig) { c.SecretKey = "pk_test_x" }, "PAYLINK_STRIPE_SECRET_KEY: want a secret key"},
		{func(c *payment.StripeConfig) { c.APIBase = "localhost:12111" }, "PAYLINK_STRIPE_API_BASE"},
	} {
		c := ok
		tc.edit(&c)
		if _, err := payment.NewStripe(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want %q, got %v", tc.want, err)
		}
	}
	s, err := payment.NewStripe(ok)
	if err != nil || s.Name() != "stripe" || s.PublishableKey() != "pk_test_x" {
		t.Fatalf("valid config: %v", err)
	}
}

func TestStripeCancel(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	p.status("canceled")
	res, err := s.Cancel(context.Background(), "pi_waiting")
	if err != nil || res.Succeeded || res.DeclineCode == "" {
		t.Fatalf("canceled: %+v %v", res, err)
	}
	if c := p.requests("POST /v1/payment_intents/pi_waiting/cancel"); len(c) != 1 || c[0].Form.Get("cancellation_reason") != "abandoned" {
		t.Fatalf("cancel request: %+v", c)
	}
	// It succeeded meanwhile: Stripe refuses to cancel, and the success comes back.
	p.answer("POST /v1/payment_intents/pi_paid/cancel", func(url.Values) (int, string) {
		return 400, `{"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state","message":"You cannot cancel this PaymentIntent because it has a status of succeeded."}}`
	})
	p.status("succeeded")
	res, err = s.Cancel(context.Background(), "pi_paid")
	if err != nil || !res.Succeeded || len(p.requests("GET /v1/payment_intents/pi_paid")) != 1 {
		t.Fatalf("cancel after success: %+v %v", res, err)
	}
}
