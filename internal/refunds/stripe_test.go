package refunds_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/stripemock"
)

func TestMain(m *testing.M) { stripemock.Main(m) }

const webhookSecret = "whsec_refunds_test"

// pendingStripe is Stripe (stripe-mock behind a recording proxy) answering
// every refund as pending, as Stripe does for payment methods that refund
// later; refunds returns the metadata of each refund asked for.
func pendingStripe(t *testing.T) (*payment.Stripe, func() []map[string]any) {
	t.Helper()
	var mu sync.Mutex
	var asked []map[string]any
	proxy := stripemock.NewProxy(t, stripemock.Hooks{
		Rewrite: func(r *http.Request, form url.Values, out []byte) []byte {
			if r.Method != http.MethodPost || r.URL.Path != "/v1/refunds" {
				return out
			}
			var re map[string]any
			if err := json.Unmarshal(out, &re); err != nil {
				t.Errorf("stripe-mock's refund: %v", err)
				return out
			}
			md := map[string]any{}
			for k, v := range form {
				if key, ok := strings.CutPrefix(k, "metadata["); ok {
					md[strings.TrimSuffix(key, "]")] = v[0]
				}
			}
			re["metadata"], re["status"] = md, "pending"
			mu.Lock()
			asked = append(asked, re)
			mu.Unlock()
			b, _ := json.Marshal(re)
			return b
		},
	})
	st, err := payment.NewStripe(payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_x",
		WebhookSecret: webhookSecret, APIBase: proxy.URL})
	if err != nil {
		t.Fatal(err)
	}
	return st, func() []map[string]any {
		mu.Lock()
		defer mu.Unlock()
		return append([]map[string]any(nil), asked...)
	}
}

// postStripeEvent posts a signed Stripe event about obj to h; it returns the status.
func postStripeEvent(t *testing.T, h http.Handler, typ string, obj map[string]any) int {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"id": "evt_" + paylink.NewID()[:8], "object": "event",
		"api_version": "2025-08-27.basil", "created": time.Now().Unix(), "type": typ, "data": map[string]any{"object": obj}})
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret, Timestamp: time.Now()})
	req := httptest.NewRequest("POST", payment.StripeWebhookPath, strings.NewReader(string(payload)))
	req.Header.Set("Stripe-Signature", sp.Header)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// A Stripe refund that is pending holds its amount; Stripe's refund.updated
// (succeeded) moves it to the refunded amount; a repeat changes nothing; a
// later failure (charge.refunded listing it failed) gives the money back to
// the order's refundable amount.
func TestStripeRefundSettledByItsEvents(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st, asked := pendingStripe(t)
		org := storetest.Org(t, s, "Refunds")
		o := paidOrderVia(t, s, org, 5000, false, "stripe", "pi_123")
		svc := newService(s, st)
		r, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "customer_request", Amount: 2000})
		if err != nil || r.Status != paylink.RefundPending || r.ProcessorRef == nil {
			t.Fatalf("create: %+v %v", r, err)
		}
		if got := order(t, s, o); got.Status != paylink.OrderPaid || got.RefundHeldAmount != 2000 || paylink.RefundableAmount(got) != 3000 {
			t.Fatalf("while pending: %s held %d", got.Status, got.RefundHeldAmount)
		}
		if n := eventCount(t, s, org.ID, "refund.created"); n != 1 {
			t.Fatalf("refund.created: %d", n)
		}
		re := asked()[0]
		h := payment.NewStripeWebhook(webhookSecret, nil, svc, nil)
		re["status"] = "succeeded"
		for range 2 {
			if code := postStripeEvent(t, h, "refund.updated", re); code != 200 {
				t.Fatalf("refund.updated: %d", code)
			}
		}
		got := order(t, s, o)
		if got.Status != paylink.OrderPartiallyRefunded || got.RefundedAmount != 2000 || got.RefundHeldAmount != 0 {
			t.Fatalf("after refund.updated: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeldAmount)
		}
		if u, rf := eventCount(t, s, org.ID, "refund.updated"), eventCount(t, s, org.ID, "order.refunded"); u != 1 || rf != 1 {
			t.Fatalf("events: refund.updated %d, order.refunded %d; want 1 each", u, rf)
		}
		re["status"], re["failure_reason"] = "failed", "expired_or_canceled_card"
		charge := map[string]any{"id": "ch_1", "object": "charge", "payment_intent": "pi_123",
			"refunds": map[string]any{"object": "list", "data": []any{re}}}
		if code := postStripeEvent(t, h, "charge.refunded", charge); code != 200 {
			t.Fatalf("charge.refunded: %d", code)
		}
		if got := order(t, s, o); got.Status != paylink.OrderPaid || got.RefundedAmount != 0 {
			t.Fatalf("after the failure: %s refunded %d", got.Status, got.RefundedAmount)
		}
		var after *paylink.Refund
		s.Read(ctx, func(tx *store.Tx) (err error) { after, err = tx.RefundGet(ctx, org.ID, r.ID); return err })
		if after.Status != paylink.RefundFailed || after.FailureReason == nil || *after.FailureReason != "expired_or_canceled_card" {
			t.Fatalf("refund after the failure: %+v", after)
		}
		// Another organization's id in the metadata finds nothing.
		re["metadata"].(map[string]any)["organization_id"] = paylink.NewID()
		if code := postStripeEvent(t, h, "refund.updated", re); code != 200 {
			t.Fatalf("a foreign refund: %d", code)
		}
	})
}
