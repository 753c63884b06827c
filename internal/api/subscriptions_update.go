package api

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/paylink/paylink"
)

// subscriptionChanges are the fields of Polar's other SubscriptionUpdate variants
// (a change of product, price, discount, seats, trial, billing period, a pause),
// none of which paylink does: a value other than null is a 422 at the field,
// saying so.
var subscriptionChanges = map[string]string{
	"product_id":                 "changing the product of a subscription is not supported; cancel it and sell the other product through a checkout",
	"proration_behavior":         "changing the product of a subscription is not supported, so there is nothing to prorate",
	"discount_id":                "changing the discount of a subscription is not supported; it keeps the discount it was bought with",
	"trial_end":                  "trials are not supported",
	"seats":                      "seats are not supported",
	"units":                      "units are not supported",
	"current_billing_period_end": "changing the billing period of a subscription is not supported",
	"pause_at_period_end":        "pausing a subscription is not supported; cancel it at period end instead",
	"resumes_at":                 "pausing a subscription is not supported",
	"resume":                     "pausing a subscription is not supported, so there is nothing to resume",
	"pending_update":             "a subscription never has a pending update",
	"metadata":                   "changing the metadata of a subscription is not supported",
}

// subscriptionCommand is what a PATCH asks: cancel at period end, uncancel or revoke.
type subscriptionCommand struct {
	revoke, cancel bool // neither: uncancel
	cancellation   paylink.Cancellation
}

// parseSubscriptionUpdate reads Polar's SubscriptionCancel ({cancel_at_period_end,
// customer_cancellation_reason, customer_cancellation_comment}) or
// SubscriptionRevoke ({revoke: true, …}); anything else is a 422 at its field.
func parseSubscriptionUpdate(body map[string]json.RawMessage) (subscriptionCommand, error) {
	var cmd subscriptionCommand
	var probs paylink.Problems
	names := make([]string, 0, len(body))
	for name := range body {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := body[name]
		isNull := string(raw) == "null"
		switch name {
		case "cancel_at_period_end", "revoke":
		case "customer_cancellation_reason":
			cmd.cancellation.Reason = optString(raw, &probs, name)
		case "customer_cancellation_comment":
			cmd.cancellation.Comment = optString(raw, &probs, name)
		default:
			if msg, known := subscriptionChanges[name]; known {
				if !isNull {
					probs.Add(msg, rawInput(raw), "body", name)
				}
				continue
			}
			probs = append(probs, paylink.FieldError{Loc: []any{"body", name}, Msg: "Extra inputs are not permitted",
				Type: "extra_forbidden", Input: rawInput(raw)})
		}
	}
	cancelRaw, hasCancel := body["cancel_at_period_end"]
	revokeRaw, hasRevoke := body["revoke"]
	switch {
	case hasCancel && hasRevoke:
		probs.Add("give either cancel_at_period_end or revoke, not both", rawInput(revokeRaw), "body", "revoke")
	case hasRevoke:
		if string(revokeRaw) != "true" {
			probs.Add("must be true: revoke ends the subscription now", rawInput(revokeRaw), "body", "revoke")
		}
		cmd.revoke = true
	case hasCancel:
		if err := json.Unmarshal(cancelRaw, &cmd.cancel); err != nil || string(cancelRaw) == "null" {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", "cancel_at_period_end"}, Type: "bool_type",
				Msg: "must be true (cancel at the end of the period) or false (take a cancellation back)", Input: rawInput(cancelRaw)})
		}
	case len(probs) == 0:
		probs = append(probs, paylink.FieldError{Loc: []any{"body"}, Type: "missing",
			Msg: "give cancel_at_period_end (true or false) or revoke: true; no other change of a subscription is supported"})
	}
	cmd.cancellation.Check(&probs, "body")
	return cmd, probs.Err()
}

// optString reads a string or null.
func optString(raw json.RawMessage, probs *paylink.Problems, name string) *string {
	if string(raw) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		*probs = append(*probs, paylink.FieldError{Loc: []any{"body", name}, Msg: "must be a string",
			Type: "string_type", Input: rawInput(raw)})
		return nil
	}
	return &s
}

// rawInput is a body value as the client sent it, for the 422's input.
func rawInput(raw json.RawMessage) any {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	return v
}

// subscriptionUpdate is PATCH /v1/subscriptions/{id}: cancel at period end,
// uncancel or revoke.
func (a *API) subscriptionUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	var body map[string]json.RawMessage
	if err := Decode(r, &body); err != nil {
		return err
	}
	cmd, err := parseSubscriptionUpdate(body)
	if err != nil {
		return err
	}
	switch {
	case cmd.revoke:
		_, err = a.Subscriptions.Revoke(r.Context(), p.OrgID, id, cmd.cancellation)
	case cmd.cancel:
		_, err = a.Subscriptions.Cancel(r.Context(), p.OrgID, id, cmd.cancellation)
	default:
		_, err = a.Subscriptions.Uncancel(r.Context(), p.OrgID, id)
	}
	if err != nil {
		return err
	}
	return a.subscriptionGet(w, r, p)
}

// subscriptionRevoke is DELETE /v1/subscriptions/{id}: it ends now.
func (a *API) subscriptionRevoke(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "subscription")
	if err != nil {
		return err
	}
	if _, err := a.Subscriptions.Revoke(r.Context(), p.OrgID, id, paylink.Cancellation{}); err != nil {
		return err
	}
	return a.subscriptionGet(w, r, p)
}
