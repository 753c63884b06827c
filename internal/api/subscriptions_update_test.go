package api_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// subscribe buys the plan for email and returns the subscription's id.
func (s *coShop) subscribe(t *testing.T, email string) string {
	t.Helper()
	c := s.create(t, map[string]any{"products": []string{s.plan}, "customer_email": email,
		"customer_billing_address": map[string]any{"country": "DE"}})
	s.client(t, "POST", c["client_secret"].(string), "/confirm", map[string]any{"confirmation_token_id": "tok_visa"}, 200)
	var p pageOf
	s.in.Must(t, "GET", "/v1/subscriptions/?limit=100", s.token, nil, 200, &p)
	for _, it := range p.Items {
		if it["customer"].(map[string]any)["email"] == email {
			return it["id"].(string)
		}
	}
	t.Fatalf("no subscription of %s", email)
	return ""
}

// PATCH cancels at period end (with the customer's reason) and takes it back;
// DELETE and PATCH revoke end it now. Each answers the Subscription and records
// Polar's events; a change that is not possible any more is Polar's error.
func TestSubscriptionCancelUncancelRevoke(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ann, bob := s.subscribe(t, "ann@example.com"), s.subscribe(t, "bob@example.com")
		path := "/v1/subscriptions/" + ann
		var sub map[string]any
		s.in.Must(t, "PATCH", path, s.token, map[string]any{"cancel_at_period_end": true,
			"customer_cancellation_reason": "too_expensive", "customer_cancellation_comment": "Too much for me"}, 200, &sub)
		if sub["status"] != "active" || sub["cancel_at_period_end"] != true || sub["canceled_at"] == nil ||
			sub["ends_at"] != sub["current_period_end"] || sub["ended_at"] != nil ||
			sub["customer_cancellation_reason"] != "too_expensive" || sub["customer_cancellation_comment"] != "Too much for me" {
			t.Fatalf("after cancel: %v", sub)
		}
		var again map[string]any
		s.in.Must(t, "PATCH", path, s.token, map[string]any{"cancel_at_period_end": true}, 403, &again)
		if again["error"] != "AlreadyCanceledSubscription" {
			t.Fatalf("second cancel: %v", again)
		}

		ids := func(query string) []string {
			t.Helper()
			var p pageOf
			s.in.Must(t, "GET", "/v1/subscriptions/?"+query, s.token, nil, 200, &p)
			var out []string
			for _, it := range p.Items {
				out = append(out, it["id"].(string))
			}
			slices.Sort(out)
			return out
		}
		both := []string{ann, bob}
		slices.Sort(both)
		for query, want := range map[string][]string{
			"cancel_at_period_end=true":                                                     {ann},
			"cancel_at_period_end=false":                                                    {bob},
			"customer_cancellation_reason=too_expensive":                                    {ann},
			"customer_cancellation_reason=other&customer_cancellation_reason=unused":        nil,
			"customer_cancellation_reason=other&customer_cancellation_reason=too_expensive": {ann},
			"sorting=ends_at": both,
		} {
			if got := ids(query); !slices.Equal(got, want) {
				t.Errorf("?%s: %v, want %v", query, got, want)
			}
		}

		s.in.Must(t, "PATCH", path, s.token, map[string]any{"cancel_at_period_end": false}, 200, &sub)
		if sub["cancel_at_period_end"] != false || sub["canceled_at"] != nil || sub["ends_at"] != nil ||
			sub["customer_cancellation_reason"] != nil || sub["customer_cancellation_comment"] != nil {
			t.Fatalf("after uncancel: %v", sub)
		}
		s.in.Must(t, "PATCH", path, s.token, map[string]any{"cancel_at_period_end": false}, 400, nil)

		s.in.Must(t, "PATCH", path, s.token, map[string]any{"revoke": true, "customer_cancellation_reason": "unused"}, 200, &sub)
		if sub["status"] != "canceled" || sub["ended_at"] == nil || sub["ends_at"] != sub["ended_at"] ||
			sub["canceled_at"] != sub["ended_at"] || sub["customer_cancellation_reason"] != "unused" {
			t.Fatalf("after revoke: %v", sub)
		}
		s.in.Must(t, "DELETE", path, s.token, nil, 403, &again)
		if again["error"] != "AlreadyCanceledSubscription" {
			t.Fatalf("revoke of an ended subscription: %v", again)
		}
		s.in.Must(t, "PATCH", path, s.token, map[string]any{"cancel_at_period_end": false}, 410, nil)

		s.in.Must(t, "DELETE", "/v1/subscriptions/"+bob, s.token, nil, 200, &sub)
		if sub["status"] != "canceled" || sub["ended_at"] == nil || sub["cancel_at_period_end"] != false {
			t.Fatalf("after DELETE: %v", sub)
		}

		st := storetest.Open(t, s.in.DatabaseURL)
		var types []string
		st.Read(context.Background(), func(tx *store.Tx) error {
			es, err := tx.EventList(context.Background(), s.orgID, "")
			for _, e := range es {
				var data struct {
					ID string `json:"id"`
				}
				json.Unmarshal(e.Payload, &data)
				if data.ID == ann && e.Type != "subscription.created" && e.Type != "subscription.active" {
					types = append(types, e.Type)
				}
			}
			return err
		})
		want := []string{"subscription.updated", "subscription.canceled", "subscription.updated", "subscription.uncanceled",
			"subscription.updated", "subscription.canceled", "subscription.revoked"}
		if !slices.Equal(types, want) {
			t.Fatalf("events of the subscription: %v, want %v", types, want)
		}

		_, other := s.in.NewOrg(t, "Other Shop")
		s.in.Must(t, "DELETE", "/v1/subscriptions/"+bob, other, nil, 404, nil)
		s.in.Must(t, "PATCH", "/v1/subscriptions/"+bob, other, map[string]any{"revoke": true}, 404, nil)
		_, readOnly := s.in.NewOrg(t, "Reader", "subscriptions:read")
		s.in.Must(t, "DELETE", "/v1/subscriptions/"+bob, readOnly, nil, 403, nil)
	})
}

// Every malformed or unsupported PATCH is a 422 at its field, and changes nothing.
func TestSubscriptionUpdateValidation(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		id := s.subscribe(t, "ann@example.com")
		path := "/v1/subscriptions/" + id
		for _, bad := range []struct {
			body any
			loc  string
		}{
			{map[string]any{}, "[body]"},
			{map[string]any{"cancel_at_period_end": "yes"}, "[body cancel_at_period_end]"},
			{map[string]any{"cancel_at_period_end": nil}, "[body cancel_at_period_end]"},
			{map[string]any{"revoke": false}, "[body revoke]"},
			{map[string]any{"revoke": true, "cancel_at_period_end": true}, "[body revoke]"},
			{map[string]any{"cancel_at_period_end": true, "customer_cancellation_reason": "bored"}, "[body customer_cancellation_reason]"},
			{map[string]any{"cancel_at_period_end": true, "customer_cancellation_reason": 3}, "[body customer_cancellation_reason]"},
			{map[string]any{"cancel_at_period_end": true, "customer_cancellation_comment": string(make([]byte, 5001))}, "[body customer_cancellation_comment]"},
			{map[string]any{"product_id": "0190b7a2-0000-7000-8000-000000000000"}, "[body product_id]"},
			{map[string]any{"discount_id": "0190b7a2-0000-7000-8000-000000000000"}, "[body discount_id]"},
			{map[string]any{"seats": 3}, "[body seats]"},
			{map[string]any{"pause_at_period_end": true}, "[body pause_at_period_end]"},
			{map[string]any{"cancel_at_period_end": true, "favourite_colour": "red"}, "[body favourite_colour]"},
			{[]any{1}, "[body]"},
		} {
			status, body := s.in.Do(t, "PATCH", path, s.token, bad.body)
			if status != 422 || !slices.Contains(locs(t, body), bad.loc) {
				t.Errorf("PATCH %v: %d %s, want 422 at %s", bad.body, status, body, bad.loc)
			}
		}
		var sub map[string]any
		s.in.Must(t, "GET", path, s.token, nil, 200, &sub)
		if sub["cancel_at_period_end"] != false || sub["canceled_at"] != nil || sub["status"] != "active" {
			t.Fatalf("a rejected PATCH changed the subscription: %v", sub)
		}
		s.in.Must(t, "PATCH", "/v1/subscriptions/not-an-id", s.token, map[string]any{"revoke": true}, 404, nil)
	})
}
