package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/api"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// canonical decodes JSON and rewrites every timestamp in UTC, so a payload and a
// response compare equal whatever zone the database driver read times in.
func canonical(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return tm.UTC().Format(time.RFC3339Nano)
			}
		}
		return v
	}
	return walk(v)
}

// TestWebhookPayloadsEqualAPIResponses runs the flows with api.Renderer (as serve
// wires it) and checks each recorded payload against the API's answer for the object.
func TestWebhookPayloadsEqualAPIResponses(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ctx := context.Background()
		st := storetest.Open(t, s.in.DatabaseURL)
		svc := &checkout.Service{Store: st, Processor: payment.NewSandbox(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Render: api.Renderer{PublicURL: s.in.URL}, TTL: time.Hour}
		c, err := svc.Create(ctx, s.orgID, checkout.CreateInput{ProductIDs: []string{s.plan, s.kit},
			DiscountID: &s.discount, Metadata: map[string]any{"via": "flows"}})
		if err != nil {
			t.Fatal(err)
		}
		var created []*store.Event
		st.Read(ctx, func(tx *store.Tx) error {
			created, err = tx.EventList(ctx, s.orgID, "checkout.created")
			return err
		})
		var resp map[string]any
		s.in.Must(t, "GET", "/v1/checkouts/"+c.ID, s.token, nil, 200, &resp)
		raw, _ := json.Marshal(resp)
		if len(created) != 1 || !reflect.DeepEqual(canonical(t, created[0].Payload), canonical(t, raw)) {
			t.Fatalf("checkout.created payload\n%s\nAPI\n%s", created[0].Payload, raw)
		}
		c, err = svc.Confirm(ctx, c.ClientSecret, checkout.Changes{CustomerEmail: ptrTo("dee@example.com"),
			BillingCountry: ptrTo("NL")}, "tok_visa")
		if err != nil || c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		var events []*store.Event
		st.Read(ctx, func(tx *store.Tx) error {
			events, err = tx.EventList(ctx, s.orgID, "")
			return err
		})
		last := map[string]*store.Event{}
		for _, e := range events {
			last[e.Type] = e
		}
		var ids struct {
			ID             string `json:"id"`
			CustomerID     string `json:"customer_id"`
			SubscriptionID string `json:"subscription_id"`
		}
		json.Unmarshal(last["order.paid"].Payload, &ids)
		paths := map[string]string{
			"checkout.updated":     "/v1/checkouts/" + c.ID,
			"order.created":        "/v1/orders/" + ids.ID,
			"order.paid":           "/v1/orders/" + ids.ID,
			"customer.created":     "/v1/customers/" + ids.CustomerID,
			"subscription.created": "/v1/subscriptions/" + ids.SubscriptionID,
			"subscription.active":  "/v1/subscriptions/" + ids.SubscriptionID,
		}
		for typ, path := range paths {
			e := last[typ]
			if e == nil {
				t.Fatalf("no %s event; got %d events", typ, len(events))
			}
			_, body := s.in.Do(t, "GET", path, s.token, nil)
			if !reflect.DeepEqual(canonical(t, e.Payload), canonical(t, body)) {
				t.Errorf("%s payload differs from GET %s\npayload %s\nAPI     %s", typ, path, e.Payload, body)
			}
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// TestRendererRefusesUnknownObjects guards the contract of checkout.Renderer.
func TestRendererRefusesUnknownObjects(t *testing.T) {
	r := api.Renderer{PublicURL: "https://pay.test"}
	if _, err := r.Render(context.Background(), nil, &paylink.Order{}); err == nil {
		t.Fatal("an order rendered without a transaction")
	}
	if _, err := r.Render(context.Background(), nil, struct{}{}); err == nil {
		t.Fatal("an unknown object rendered")
	}
	c := &paylink.Checkout{ID: "c1", ClientSecret: "pl_c_x", Status: "open"}
	out, err := r.Render(context.Background(), nil, &paylink.CheckoutView{Checkout: c})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var m map[string]any
	json.Unmarshal(b, &m)
	if m["url"] != "https://pay.test/checkout/pl_c_x" || m["success_url"] != "https://pay.test/checkout/pl_c_x/success" ||
		m["product"] != nil || m["metadata"] == nil {
		t.Fatalf("checkout rendered from memory: %s", b)
	}
}
