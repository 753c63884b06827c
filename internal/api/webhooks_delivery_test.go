package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/webhook"
)

// hookReceiver answers 500 to its first failFirst requests, then 200.
type hookReceiver struct {
	mu        sync.Mutex
	failFirst int
	got       []*http.Request
	bodies    [][]byte
	srv       *httptest.Server
}

func newHookReceiver(t *testing.T, failFirst int) *hookReceiver {
	h := &hookReceiver{failFirst: failFirst}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got, h.bodies = append(h.got, r), append(h.bodies, b)
		n := len(h.got)
		h.mu.Unlock()
		if n <= h.failFirst {
			http.Error(w, "not now", 500)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

func (h *hookReceiver) request(i int) (http.Header, []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got[i].Header, h.bodies[i]
}

func waitForWebhook(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(25 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// recordEvent writes an event the way the checkout flows do, through the store.
func recordWebhookEvent(t *testing.T, dbURL, orgID, typ, payload string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.InTx(ctx, func(tx *store.Tx) error {
		return tx.EventRecord(ctx, &store.Event{OrganizationID: orgID, Type: typ, Payload: []byte(payload)})
	}); err != nil {
		t.Fatal(err)
	}
}

type webhookDeliveryWire struct {
	Items []struct {
		ID           string  `json:"id"`
		Succeeded    bool    `json:"succeeded"`
		HTTPCode     *int    `json:"http_code"`
		Response     *string `json:"response"`
		WebhookEvent struct {
			ID           string `json:"id"`
			Type         string `json:"type"`
			Payload      string `json:"payload"`
			Succeeded    *bool  `json:"succeeded"`
			LastHTTPCode *int   `json:"last_http_code"`
			Skipped      bool   `json:"skipped"`
			IsArchived   bool   `json:"is_archived"`
		} `json:"webhook_event"`
	} `json:"items"`
	Pagination struct {
		TotalCount int `json:"total_count"`
	} `json:"pagination"`
}

func TestWebhookDeliveryEndToEnd(t *testing.T) {
	old := webhook.RetryBase
	webhook.RetryBase = 20 * time.Millisecond // the schedule's shape, in milliseconds
	t.Cleanup(func() { webhook.RetryBase = old })
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		recv := newHookReceiver(t, 3)
		var ep webhookEndpointWire
		in.Must(t, "POST", "/v1/webhooks/endpoints", in.Token, map[string]any{
			"url": recv.srv.URL + "/paylink", "format": "raw", "events": []string{"order.paid"}}, 201, &ep)

		recordWebhookEvent(t, in.DatabaseURL, in.OrgID, "order.paid", `{"id":"ord_1","total_amount":1500}`)
		waitForWebhook(t, "the 4th attempt", func() bool { return recv.count() >= 4 })
		h0, b0 := recv.request(0)
		id := h0.Get("webhook-id")
		for i := range 4 {
			h, b := recv.request(i)
			if h.Get("webhook-id") != id || string(b) != string(b0) {
				t.Fatalf("attempt %d: webhook-id %q, want %q", i+1, h.Get("webhook-id"), id)
			}
			// A merchant's plain Standard Webhooks library, given base64(secret).
			wh, _ := standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(ep.Secret)))
			if err := wh.Verify(b, h); err != nil {
				t.Fatalf("attempt %d does not verify: %v", i+1, err)
			}
		}
		var env struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(b0, &env); err != nil || env.Type != "order.paid" || env.Data["id"] != "ord_1" {
			t.Fatalf("payload: %s", b0)
		}

		var list webhookDeliveryWire
		waitForWebhook(t, "4 logged deliveries", func() bool {
			in.Must(t, "GET", "/v1/webhooks/deliveries?endpoint_id="+ep.ID, in.Token, nil, 200, &list)
			return list.Pagination.TotalCount == 4
		})
		last := list.Items[0]
		if !last.Succeeded || *last.HTTPCode != 200 || last.WebhookEvent.ID != id || last.WebhookEvent.Payload != string(b0) ||
			!*last.WebhookEvent.Succeeded || last.WebhookEvent.Type != "order.paid" {
			t.Fatalf("newest delivery: %+v", last)
		}
		in.Must(t, "GET", "/v1/webhooks/deliveries?succeeded=false&http_code_class=5xx&event_type=order.paid", in.Token, nil, 200, &list)
		if list.Pagination.TotalCount != 3 || *list.Items[0].Response != "not now\n" {
			t.Fatalf("failed deliveries: %+v", list)
		}

		// Redelivery through the API: same webhook-id; another org cannot.
		_, otherToken := in.NewOrg(t, "Other Receiver")
		in.Must(t, "POST", "/v1/webhooks/events/"+id+"/redeliver", otherToken, nil, 404, nil)
		in.Must(t, "GET", "/v1/webhooks/deliveries", otherToken, nil, 200, &list)
		if list.Pagination.TotalCount != 0 {
			t.Fatalf("another org sees %d deliveries", list.Pagination.TotalCount)
		}
		in.Must(t, "POST", "/v1/webhooks/events/"+id+"/redeliver", in.Token, nil, 202, nil)
		waitForWebhook(t, "the redelivery", func() bool { return recv.count() == 5 })
		if h, _ := recv.request(4); h.Get("webhook-id") != id {
			t.Fatalf("redelivery webhook-id %q, want %q", h.Get("webhook-id"), id)
		}

		// A disabled endpoint's events cannot be redelivered until it is enabled.
		in.Must(t, "PATCH", "/v1/webhooks/endpoints/"+ep.ID, in.Token, map[string]any{"enabled": false}, 200, nil)
		in.Must(t, "POST", "/v1/webhooks/events/"+id+"/redeliver", in.Token, nil, 403, nil)
	})
}
