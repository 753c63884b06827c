package payment_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
)

var testRefund = payment.Refund{OrganizationID: "org_1", OrderID: "ord_1", RefundID: "ref_1", PaymentRef: "pi_123",
	Amount: 700, Currency: "usd", Reason: "fraudulent", IdempotencyKey: "ref_1"}

// A refund is a POST /v1/refunds of the PaymentIntent under an idempotency key,
// with paylink's ids in its metadata; stripe-mock's answer is read as Stripe's.
func TestStripeRefundRequestShape(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	res, err := s.Refund(context.Background(), testRefund)
	if err != nil {
		t.Fatal(err)
	}
	reqs := p.requests("POST /v1/refunds")
	if len(reqs) != 1 {
		t.Fatalf("refund requests: %+v", reqs)
	}
	want := map[string]string{"payment_intent": "pi_123", "amount": "700", "reason": "requested_by_customer",
		"metadata[refund_id]": "ref_1", "metadata[order_id]": "ord_1", "metadata[organization_id]": "org_1"}
	for k, v := range want {
		if got := reqs[0].Form.Get(k); got != v {
			t.Errorf("refund %s = %q, want %q", k, got, v)
		}
	}
	if reqs[0].IdempotencyKey != "paylink:re:ref_1" {
		t.Errorf("idempotency key %q", reqs[0].IdempotencyKey)
	}
	if !strings.HasPrefix(res.Ref, "re_") || res.Status != paylink.RefundSucceeded {
		t.Fatalf("result: %+v", res)
	}
}

// Stripe's refusals are failed results with its code and message; its pending
// refunds stay pending; its outages are errors.
func TestStripeRefundAnswers(t *testing.T) {
	for _, tc := range []struct {
		name          string
		status        int
		body          string
		want, reason  string
		wantErr       bool
		wantMsgSubstr string
	}{
		{"already refunded", 400, `{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge ch_1 has already been refunded."}}`,
			paylink.RefundFailed, "charge_already_refunded", false, "already been refunded"},
		{"pending", 200, `{"id":"re_9","object":"refund","status":"pending","amount":700,"currency":"usd","metadata":{}}`,
			paylink.RefundPending, "", false, ""},
		{"canceled", 200, `{"id":"re_9","object":"refund","status":"canceled","amount":700,"currency":"usd","metadata":{}}`,
			paylink.RefundCanceled, "", false, ""},
		{"outage", 500, `{"error":{"type":"api_error","message":"boom"}}`, "", "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newStripeProxy(t)
			p.answer("POST /v1/refunds", func(url.Values) (int, string) { return tc.status, tc.body })
			res, err := newTestStripe(t, p).Refund(context.Background(), testRefund)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want an error, got %+v", res)
				}
				return
			}
			if err != nil || res.Status != tc.want || res.FailureReason != tc.reason || !strings.Contains(res.Message, tc.wantMsgSubstr) {
				t.Fatalf("result %+v %v", res, err)
			}
		})
	}
}
