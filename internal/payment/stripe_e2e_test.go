package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store/storetest"
)

// stripeShop is a real paylink in Stripe mode, talking to stripe-mock through a proxy.
type stripeShop struct {
	in      *paylinktest.Instance
	proxy   *stripeProxy
	product string
}

func newStripeShop(t *testing.T, db string) *stripeShop {
	t.Helper()
	proxy := newStripeProxy(t)
	in := paylinktest.Start(t, db, []string{"PAYLINK_STRIPE_SECRET_KEY=sk_test_x", "PAYLINK_STRIPE_PUBLISHABLE_KEY=pk_test_x",
		"PAYLINK_STRIPE_WEBHOOK_SECRET=" + testWebhookSecret, "PAYLINK_STRIPE_API_BASE=" + proxy.URL})
	var p map[string]any
	in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Kit",
		"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 2000, "price_currency": "usd"}}}, 201, &p)
	return &stripeShop{in: in, proxy: proxy, product: p["id"].(string)}
}

// open creates a checkout through the API and returns its id and client secret.
func (s *stripeShop) open(t *testing.T) (id, secret string) {
	t.Helper()
	var c map[string]any
	s.in.Must(t, "POST", "/v1/checkouts/", s.in.Token, map[string]any{"products": []string{s.product},
		"customer_email": "ann@example.com"}, 201, &c)
	return c["id"].(string), c["client_secret"].(string)
}

// confirm posts the page's confirmation (from another goroutine too) and returns the status.
func (s *stripeShop) confirm(secret string) int {
	body := `{"confirmation_token_id":"ctoken_e2e","customer_billing_address":{"country":"US"}}`
	resp, err := http.Post(s.in.URL+"/v1/checkouts/client/"+secret+"/confirm", "application/json", strings.NewReader(body))
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	return resp.StatusCode
}

func (s *stripeShop) status(t *testing.T, id string) string {
	t.Helper()
	var c map[string]any
	s.in.Must(t, "GET", "/v1/checkouts/"+id, s.in.Token, nil, 200, &c)
	return c["status"].(string)
}

func (s *stripeShop) orders(t *testing.T, id string) int {
	t.Helper()
	var l struct {
		Pagination struct {
			TotalCount int `json:"total_count"`
		} `json:"pagination"`
	}
	s.in.Must(t, "GET", "/v1/orders/?checkout_id="+id, s.in.Token, nil, 200, &l)
	return l.Pagination.TotalCount
}

// hold makes the next PaymentIntent wait until release is called, then answer
// with status (or with a decline when status is "declined").
func (s *stripeShop) hold() (release func(status string)) {
	ch := make(chan string)
	s.proxy.answer("POST /v1/payment_intents", func(form url.Values) (int, string) {
		status := <-ch
		if status == "declined" {
			return 402, cardError("card_declined", "generic_decline", "Your card was declined.", "pi_held")
		}
		md := map[string]string{}
		for k, v := range form {
			if strings.HasPrefix(k, "metadata[") {
				md[strings.TrimSuffix(strings.TrimPrefix(k, "metadata["), "]")] = v[0]
			}
		}
		b, _ := json.Marshal(map[string]any{"id": "pi_held", "object": "payment_intent", "status": status,
			"amount": 2000, "currency": "usd", "client_secret": "pi_held_secret_x", "metadata": md})
		return 200, string(b)
	})
	return func(status string) { ch <- status }
}

// waitStatus polls until the checkout has the status.
func (s *stripeShop) waitStatus(t *testing.T, id, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); s.status(t, id) != want; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("checkout %s never became %s", id, want)
		}
	}
}

// event posts a Stripe event about the checkout's PaymentIntent, signed with secret.
func (s *stripeShop) event(t *testing.T, typ, checkoutID, secret string) int {
	t.Helper()
	pi := map[string]any{"id": "pi_held", "status": "succeeded", "amount": 2000, "currency": "usd",
		"metadata": map[string]any{"organization_id": s.in.OrgID, "checkout_id": checkoutID}}
	if typ == "payment_intent.payment_failed" {
		pi["status"] = "requires_payment_method"
		pi["last_payment_error"] = map[string]any{"type": "card_error", "code": "card_declined", "message": "Declined after 3-D Secure."}
	}
	payload := stripeEvent(typ, "2025-08-27.basil", pi)
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret})
	req, _ := http.NewRequest("POST", s.in.URL+payment.StripeWebhookPath, bytes.NewReader(payload))
	req.Header.Set("Stripe-Signature", sp.Header)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStripeCheckoutSynchronous(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newStripeShop(t, db)
		s.proxy.status("succeeded")
		id, secret := s.open(t)
		if got := s.confirm(secret); got != 200 {
			t.Fatalf("confirm: %d", got)
		}
		if s.status(t, id) != "succeeded" || s.orders(t, id) != 1 {
			t.Fatalf("after a succeeded intent: %s, %d orders", s.status(t, id), s.orders(t, id))
		}
		pis := s.proxy.requests("POST /v1/payment_intents")
		if len(pis) != 1 {
			t.Fatalf("payment intents: %d", len(pis))
		}
		f := pis[0].Form
		if f.Get("amount") != "2000" || f.Get("currency") != "usd" || f.Get("confirmation_token") != "ctoken_e2e" ||
			f.Get("metadata[checkout_id]") != id || f.Get("metadata[organization_id]") != s.in.OrgID ||
			f.Has("setup_future_usage") || pis[0].IdempotencyKey != "paylink:pi:"+id+":0" {
			t.Fatalf("payment intent: %v %q", f, pis[0].IdempotencyKey)
		}
		// A decline reopens the session; the next attempt has its own idempotency key.
		id2, secret2 := s.open(t)
		s.proxy.answer("POST /v1/payment_intents", func(url.Values) (int, string) {
			return 402, cardError("card_declined", "insufficient_funds", "Your card has insufficient funds.", "pi_no")
		})
		if got := s.confirm(secret2); got != 400 {
			t.Fatalf("declined confirm: %d", got)
		}
		if st := s.status(t, id2); st != "open" {
			t.Fatalf("after a decline: %s", st)
		}
		s.proxy.answer("POST /v1/payment_intents", nil)
		if got := s.confirm(secret2); got != 200 || s.orders(t, id2) != 1 {
			t.Fatalf("retry: %d", got)
		}
		pis = s.proxy.requests("POST /v1/payment_intents")
		if k := pis[len(pis)-1].IdempotencyKey; k != "paylink:pi:"+id2+":1" {
			t.Fatalf("retry idempotency key %q", k)
		}
	})
}

func TestStripeCheckoutWebhookSucceeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newStripeShop(t, db)
		id, secret := s.open(t)
		release := s.hold()
		done := make(chan int, 1)
		go func() { done <- s.confirm(secret) }()
		s.waitStatus(t, id, "confirmed") // charging: Stripe has not answered yet

		if got := s.event(t, "payment_intent.succeeded", id, "whsec_wrong"); got != 400 {
			t.Fatalf("bad signature: %d", got)
		}
		if s.status(t, id) != "confirmed" {
			t.Fatal("an unsigned event moved the session")
		}
		if got := s.event(t, "payment_intent.succeeded", id, testWebhookSecret); got != 200 {
			t.Fatalf("succeeded event: %d", got)
		}
		if st, n := s.status(t, id), s.orders(t, id); st != "succeeded" || n != 1 {
			t.Fatalf("after the event: %s, %d orders", st, n)
		}
		if got := s.event(t, "payment_intent.succeeded", id, testWebhookSecret); got != 200 || s.orders(t, id) != 1 {
			t.Fatalf("repeated event: %d, %d orders", got, s.orders(t, id))
		}
		if got := s.event(t, "charge.succeeded", id, testWebhookSecret); got != 200 {
			t.Fatalf("unknown event type: %d", got)
		}
		// Stripe's late synchronous answer finds the session already paid.
		release("succeeded")
		if got := <-done; got != 200 {
			t.Fatalf("confirm: %d", got)
		}
		if st, n := s.status(t, id), s.orders(t, id); st != "succeeded" || n != 1 {
			t.Fatalf("after the answer: %s, %d orders", st, n)
		}
	})
}

func TestStripeCheckoutWebhookFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newStripeShop(t, db)
		id, secret := s.open(t)
		release := s.hold()
		done := make(chan int, 1)
		go func() { done <- s.confirm(secret) }()
		s.waitStatus(t, id, "confirmed")
		if got := s.event(t, "payment_intent.payment_failed", id, testWebhookSecret); got != 200 {
			t.Fatalf("payment_failed event: %d", got)
		}
		if st := s.status(t, id); st != "open" {
			t.Fatalf("after payment_failed: %s", st)
		}
		if got := s.event(t, "payment_intent.payment_failed", id, testWebhookSecret); got != 200 || s.status(t, id) != "open" {
			t.Fatalf("repeated payment_failed: %d", got)
		}
		release("declined")
		if got := <-done; got != 400 {
			t.Fatalf("declined confirm: %d", got)
		}
		if st, n := s.status(t, id), s.orders(t, id); st != "open" || n != 0 {
			t.Fatalf("after the decline: %s, %d orders", st, n)
		}
	})
}

func TestStripeServeConfig(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PAYLINK_STRIPE_SECRET_KEY": "sk_test_x", "PAYLINK_STRIPE_WEBHOOK_SECRET": "whsec_x"}, "PAYLINK_STRIPE_PUBLISHABLE_KEY is required"},
		{map[string]string{"PAYLINK_STRIPE_SECRET_KEY": "sk_test_x", "PAYLINK_STRIPE_PUBLISHABLE_KEY": "pk_test_x"}, "PAYLINK_STRIPE_WEBHOOK_SECRET is required"},
		{map[string]string{"PAYLINK_STRIPE_PUBLISHABLE_KEY": "pk_test_x"}, "without PAYLINK_STRIPE_SECRET_KEY"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := cli.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--database", storetest.SQLiteURL(t), "--demo=false"},
			func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: want an error with %q, got %v", tc.env, tc.want, err)
		}
	}
}
