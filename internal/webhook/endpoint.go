package webhook

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// The rules of an endpoint's settings, shared by the API and the dashboard so
// that both accept and refuse the same things.

// Limits of an endpoint's settings.
const (
	URLMaxLen  = 2083 // characters of an endpoint's URL
	NameMaxLen = 255  // characters of an endpoint's name
)

// EndpointInput is a change to an endpoint's URL, name, events or enabled state,
// as the API or the dashboard received it; a nil field keeps the endpoint's value.
type EndpointInput struct {
	URL     *string
	Name    *string // "" (after trimming) clears the name
	Events  *[]string
	Enabled *bool
}

// Change validates in and returns the change it makes to an endpoint, or the
// problems, located like the API's body: ["body","url"], ["body","name"],
// ["body","events",i]. The URL check may wait on DNS, so call it before any
// transaction. err is only for a failure of paylink itself.
func (in EndpointInput) Change(ctx context.Context, allowPrivate bool) (func(*store.WebhookEndpoint), paylink.Problems, error) {
	var probs paylink.Problems
	var changes []func(*store.WebhookEndpoint)
	if in.URL != nil {
		u := strings.TrimSpace(*in.URL)
		if len(u) > URLMaxLen {
			probs.Add("the URL is longer than 2083 characters", nil, "body", "url")
		} else if err := CheckURL(ctx, u, allowPrivate); err != nil {
			var re *RefusedError
			if !errors.As(err, &re) {
				return nil, nil, err
			}
			probs.Add("webhook URL refused: "+re.Reason, u, "body", "url")
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.URL = u })
	}
	if in.Name != nil {
		var name *string
		if n := strings.TrimSpace(*in.Name); n != "" {
			if len(n) > NameMaxLen {
				probs.Add("the name is longer than 255 characters", nil, "body", "name")
			}
			name = &n
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.Name = name })
	}
	if in.Events != nil {
		events := []string{}
		for i, ev := range *in.Events {
			switch {
			case !ValidEventType(ev):
				probs = append(probs, paylink.FieldError{Loc: []any{"body", "events", i}, Msg: "not a webhook event type", Type: "enum", Input: ev})
			case !slices.Contains(events, ev):
				events = append(events, ev)
			}
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.Events = events })
	}
	if in.Enabled != nil {
		on := *in.Enabled
		changes = append(changes, func(e *store.WebhookEndpoint) { SetEnabled(e, on) })
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	return func(e *store.WebhookEndpoint) {
		for _, c := range changes {
			c(e)
		}
	}, nil, nil
}

// SetEnabled enables or disables an endpoint. A change either way is a fresh
// start: the failure streak and the reason paylink disabled it are cleared.
func SetEnabled(e *store.WebhookEndpoint, on bool) {
	if e.Enabled != on {
		e.Enabled = on
		e.FailingSince, e.DisabledReason = nil, nil
	}
}

// Redeliver asks for one of the organization's webhook events to be sent again,
// with the same webhook-id, in the caller's transaction. ENotFound for another
// organization's event; EForbidden while its endpoint is disabled.
func Redeliver(ctx context.Context, tx *store.Tx, orgID, webhookEventID string, at time.Time) error {
	we, err := tx.WebhookEventGet(ctx, orgID, webhookEventID)
	if err != nil {
		return err
	}
	ep, err := tx.WebhookEndpointGet(ctx, orgID, we.EndpointID)
	if err != nil {
		return err
	}
	if !ep.Enabled {
		return &paylink.Error{Code: paylink.EForbidden, Name: "NotPermitted",
			Message: "the webhook endpoint is disabled; enable it before redelivering its events"}
	}
	return tx.WebhookEventRequestRedelivery(ctx, orgID, webhookEventID, at)
}
