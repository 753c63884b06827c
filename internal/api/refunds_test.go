package api_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// buyPlan buys the monthly plan through the API and returns its order.
func (s *coShop) buyPlan(t *testing.T) map[string]any {
	t.Helper()
	c := s.create(t, map[string]any{"products": []string{s.plan}, "customer_email": "rae@example.com"})
	s.client(t, "POST", c["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa",
		"customer_billing_address": map[string]any{"country": "US"}}, 200)
	var orders struct{ Items []map[string]any }
	s.in.Must(t, "GET", "/v1/orders/?checkout_id="+c["id"].(string), s.token, nil, 200, &orders)
	if len(orders.Items) != 1 {
		t.Fatalf("orders of the checkout: %v", orders.Items)
	}
	return orders.Items[0]
}

// The API's refund errors, in Polar's shapes: missing fields at their
// locations, revoke_benefits refused on a subscription's order, the scopes.
func TestRefundsAPIErrors(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		order := s.buyPlan(t)
		s.want422(t, "POST", "/v1/refunds/", s.token, map[string]any{},
			[]any{"body", "order_id"}, []any{"body", "reason"}, []any{"body", "amount"})
		s.want422(t, "POST", "/v1/refunds/", s.token, map[string]any{"order_id": order["id"], "reason": "other", "amount": "5"},
			[]any{"body", "amount"})
		s.want422(t, "GET", "/v1/refunds/?order_id=nope&succeeded=maybe", s.token, nil,
			[]any{"query", "order_id"}, []any{"query", "succeeded"})
		var e struct{ Error, Detail string }
		s.in.Must(t, "POST", "/v1/refunds/", s.token, map[string]any{"order_id": order["id"], "reason": "other", "amount": 100,
			"revoke_benefits": true}, 400, &e)
		if e.Error != "RevokeSubscriptionBenefitsProhibited" {
			t.Fatalf("revoke_benefits on a subscription's order: %+v", e)
		}
		_, reader := s.in.NewOrg(t, "Reader", "refunds:read")
		s.in.Must(t, "POST", "/v1/refunds/", reader, map[string]any{"order_id": order["id"], "reason": "other", "amount": 1}, 403, nil)
		s.in.Must(t, "GET", "/v1/refunds/", reader, nil, 200, nil)
		_, orders := s.in.NewOrg(t, "Orders only", "orders:read")
		s.in.Must(t, "GET", "/v1/refunds/", orders, nil, 403, nil)
	})
}

// A refund's events carry what the API answers for the refund and the order,
// and a subscription's order's refund names the subscription.
func TestRefundEventsEqualAPIResponses(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ctx := context.Background()
		order := s.buyPlan(t)
		var ref map[string]any
		s.in.Must(t, "POST", "/v1/refunds/", s.token, map[string]any{"order_id": order["id"], "reason": "customer_request",
			"amount": 900}, 201, &ref)
		if ref["subscription_id"] != order["subscription_id"] || ref["status"] != "succeeded" || ref["amount"] != 900.0 {
			t.Fatalf("refund: %v", ref)
		}
		var got map[string]any
		s.in.Must(t, "GET", "/v1/orders/"+order["id"].(string), s.token, nil, 200, &got)
		if got["status"] != "refunded" || got["refunded_amount"] != 900.0 || got["refundable_amount"] != 0.0 {
			t.Fatalf("order after the refund: %v", got)
		}
		st := storetest.Open(t, s.in.DatabaseURL)
		payload := func(typ string) any {
			var es []*store.Event
			if err := st.Read(ctx, func(tx *store.Tx) (err error) { es, err = tx.EventList(ctx, s.orgID, typ); return err }); err != nil || len(es) != 1 {
				t.Fatalf("%s events: %d %v", typ, len(es), err)
			}
			return canonical(t, es[0].Payload)
		}
		asJSON := func(v map[string]any) any { b, _ := json.Marshal(v); return canonical(t, b) }
		if p := payload("refund.created"); !reflect.DeepEqual(p, asJSON(ref)) {
			t.Errorf("refund.created payload %v\nAPI %v", p, ref)
		}
		for _, typ := range []string{"order.refunded", "order.updated"} {
			if p := payload(typ); !reflect.DeepEqual(p, asJSON(got)) {
				t.Errorf("%s payload %v\nAPI %v", typ, p, got)
			}
		}
	})
}
