package payment_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
)

const testWebhookSecret = "whsec_test_secret"

// fakeCompleter records the calls and answers with err.
type fakeCompleter struct {
	mu    sync.Mutex
	calls []string
	res   []*payment.Result
	err   error
}

func (f *fakeCompleter) call(kind, orgID, checkoutID string, res *payment.Result) (*paylink.Checkout, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, kind+" "+orgID+" "+checkoutID)
	f.res = append(f.res, res)
	return &paylink.Checkout{ID: checkoutID}, f.err
}

func (f *fakeCompleter) Succeed(_ context.Context, orgID, checkoutID string, res *payment.Result) (*paylink.Checkout, error) {
	return f.call("succeed", orgID, checkoutID, res)
}

func (f *fakeCompleter) Fail(_ context.Context, orgID, checkoutID string, res *payment.Result) (*paylink.Checkout, error) {
	return f.call("fail", orgID, checkoutID, res)
}

// stripeEvent is a Stripe event about a PaymentIntent (or the intent whose
// "object" pi names) as Stripe sends it.
func stripeEvent(typ, apiVersion string, pi map[string]any) []byte {
	if pi["object"] == nil {
		pi["object"] = "payment_intent"
	}
	b, _ := json.Marshal(map[string]any{"id": "evt_" + paylink.NewID()[:8], "object": "event", "api_version": apiVersion,
		"created": time.Now().Unix(), "livemode": false, "type": typ, "data": map[string]any{"object": pi}})
	return b
}

// postEvent posts payload to h signed with secret at ts and returns the status.
func postEvent(t *testing.T, h http.Handler, payload []byte, secret string, ts time.Time) int {
	t.Helper()
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: ts})
	req := httptest.NewRequest("POST", payment.StripeWebhookPath, strings.NewReader(string(payload)))
	req.Header.Set("Stripe-Signature", sp.Header)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	return rec.Code
}

func paidIntent() map[string]any {
	return map[string]any{"id": "pi_1", "status": "succeeded", "amount": 2000, "currency": "usd", "customer": "cus_1",
		"payment_method": "pm_1", "setup_future_usage": "off_session",
		"metadata": map[string]any{"organization_id": "org_1", "checkout_id": "co_1"}}
}

func TestStripeWebhookDrivesSessions(t *testing.T) {
	f := &fakeCompleter{}
	h := payment.NewStripeWebhook(testWebhookSecret, f, nil, nil)
	now := time.Now()

	if got := postEvent(t, h, stripeEvent("payment_intent.succeeded", "2025-08-27.basil", paidIntent()), testWebhookSecret, now); got != 200 {
		t.Fatalf("succeeded: %d", got)
	}
	if len(f.calls) != 1 || f.calls[0] != "succeed org_1 co_1" {
		t.Fatalf("calls: %v", f.calls)
	}
	if r := f.res[0]; !r.Succeeded || r.Ref != "pi_1" || r.PaymentMethodRef != "cus_1/pm_1" {
		t.Fatalf("succeed result: %+v", r)
	}

	failed := map[string]any{"id": "pi_2", "status": "requires_payment_method", "customer": "cus_1",
		"last_payment_error": map[string]any{"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
			"message": "Your card has insufficient funds."},
		"metadata": map[string]any{"organization_id": "org_1", "checkout_id": "co_2"}}
	// An endpoint on an older API version is accepted: the fields read are the same.
	if got := postEvent(t, h, stripeEvent("payment_intent.payment_failed", "2023-10-16", failed), testWebhookSecret, now); got != 200 {
		t.Fatalf("payment_failed: %d", got)
	}
	if len(f.calls) != 2 || f.calls[1] != "fail org_1 co_2" {
		t.Fatalf("calls: %v", f.calls)
	}
	if r := f.res[1]; r.Succeeded || r.Ref != "pi_2" || r.DeclineCode != "insufficient_funds" || r.Message != "Your card has insufficient funds." {
		t.Fatalf("fail result: %+v", r)
	}

	// Acknowledged and ignored: other types, intents without a checkout.
	noCheckout := paidIntent()
	noCheckout["metadata"] = map[string]any{"organization_id": "org_1"}
	for _, ev := range [][]byte{
		stripeEvent("payment_intent.created", "2025-08-27.basil", paidIntent()),
		stripeEvent("charge.refunded", "2025-08-27.basil", map[string]any{"id": "ch_1"}),
		stripeEvent("payment_intent.succeeded", "2025-08-27.basil", noCheckout),
	} {
		if got := postEvent(t, h, ev, testWebhookSecret, now); got != 200 {
			t.Fatalf("ignored event: %d", got)
		}
	}
	if len(f.calls) != 2 {
		t.Fatalf("ignored events called the service: %v", f.calls)
	}
}

func TestStripeWebhookDrivesSetupSessions(t *testing.T) {
	f := &fakeCompleter{}
	h := payment.NewStripeWebhook(testWebhookSecret, f, nil, nil)
	saved := map[string]any{"id": "seti_1", "object": "setup_intent", "status": "succeeded", "customer": "cus_1",
		"payment_method": "pm_1", "usage": "off_session", "metadata": map[string]any{"organization_id": "org_1", "checkout_id": "co_1"}}
	if got := postEvent(t, h, stripeEvent("setup_intent.succeeded", "2025-08-27.basil", saved), testWebhookSecret, time.Now()); got != 200 {
		t.Fatalf("setup_intent.succeeded: %d", got)
	}
	if len(f.calls) != 1 || f.calls[0] != "succeed org_1 co_1" {
		t.Fatalf("calls: %v", f.calls)
	}
	if r := f.res[0]; !r.Succeeded || r.Ref != "seti_1" || r.PaymentMethodRef != "cus_1/pm_1" {
		t.Fatalf("succeed result: %+v", r)
	}
	failed := map[string]any{"id": "seti_2", "object": "setup_intent", "status": "requires_payment_method",
		"last_setup_error": map[string]any{"type": "card_error", "code": "card_declined", "message": "Your card was declined."},
		"metadata":         map[string]any{"organization_id": "org_1", "checkout_id": "co_2"}}
	if got := postEvent(t, h, stripeEvent("setup_intent.setup_failed", "2025-08-27.basil", failed), testWebhookSecret, time.Now()); got != 200 {
		t.Fatalf("setup_intent.setup_failed: %d", got)
	}
	if len(f.calls) != 2 || f.calls[1] != "fail org_1 co_2" {
		t.Fatalf("calls: %v", f.calls)
	}
	if r := f.res[1]; r.Succeeded || r.Ref != "seti_2" || r.DeclineCode != "card_declined" || r.Message != "Your card was declined." {
		t.Fatalf("fail result: %+v", r)
	}
	// A setup intent event paylink does not act on is acknowledged and ignored.
	if got := postEvent(t, h, stripeEvent("setup_intent.created", "2025-08-27.basil", saved), testWebhookSecret, time.Now()); got != 200 || len(f.calls) != 2 {
		t.Fatalf("setup_intent.created: %d %v", got, f.calls)
	}
}

func TestStripeWebhookRejectsBadSignatures(t *testing.T) {
	f := &fakeCompleter{}
	h := payment.NewStripeWebhook(testWebhookSecret, f, nil, nil)
	ev := stripeEvent("payment_intent.succeeded", "2025-08-27.basil", paidIntent())
	if got := postEvent(t, h, ev, "whsec_someone_else", time.Now()); got != 400 {
		t.Fatalf("wrong secret: %d", got)
	}
	if got := postEvent(t, h, ev, testWebhookSecret, time.Now().Add(-10*time.Minute)); got != 400 {
		t.Fatalf("replayed old event: %d", got)
	}
	req := httptest.NewRequest("POST", payment.StripeWebhookPath, strings.NewReader(string(ev)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Fatalf("unsigned: %d", rec.Code)
	}
	// A body changed after signing does not verify either.
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: ev, Secret: testWebhookSecret})
	tampered := strings.Replace(string(ev), `"co_1"`, `"co_9"`, 1)
	req = httptest.NewRequest("POST", payment.StripeWebhookPath, strings.NewReader(tampered))
	req.Header.Set("Stripe-Signature", sp.Header)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "error") {
		t.Fatalf("tampered: %d %s", rec.Code, rec.Body)
	}
	if len(f.calls) != 0 {
		t.Fatalf("unverified events reached the service: %v", f.calls)
	}
}

func TestStripeWebhookServiceErrors(t *testing.T) {
	ev := stripeEvent("payment_intent.succeeded", "2025-08-27.basil", paidIntent())
	for _, tc := range []struct {
		err  error
		want int
	}{
		{paylink.NotFound("checkout"), 200}, // deleted or not ours: retrying cannot help
		{&paylink.Error{Code: paylink.EForbidden, Message: "This checkout is not open any more."}, 200},
		{errors.New("database is locked"), 500}, // Stripe retries later
	} {
		f := &fakeCompleter{err: tc.err}
		if got := postEvent(t, payment.NewStripeWebhook(testWebhookSecret, f, nil, nil), ev, testWebhookSecret, time.Now()); got != tc.want {
			t.Errorf("%v: status %d, want %d", tc.err, got, tc.want)
		}
	}
}

// The routed webhook reads the card of the saved method the event names by id.
func TestStripeRoutes(t *testing.T) {
	p := newStripeProxy(t)
	s, err := payment.NewStripe(payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_x",
		WebhookSecret: testWebhookSecret, APIBase: p.URL})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	f := &fakeCompleter{}
	s.Routes(mux, f, nil, nil)
	if got := postEvent(t, mux, stripeEvent("payment_intent.succeeded", "2025-08-27.basil", paidIntent()), testWebhookSecret, time.Now()); got != 200 || len(f.calls) != 1 {
		t.Fatalf("routed webhook: %d %v", got, f.calls)
	}
	if res := f.res[0]; res.PaymentMethodRef != "cus_1/pm_1" || res.Card.Last4 == "" || res.Card.Brand == "" ||
		len(p.requests("GET /v1/payment_methods/pm_1")) != 1 {
		t.Fatalf("routed webhook's result: %+v", res)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", payment.StripeWebhookPath, nil))
	if rec.Code != 405 {
		t.Fatalf("GET: %d", rec.Code)
	}
}
