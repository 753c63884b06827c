package api

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/webhook"
)

// webhookEndpointJSON is Polar's WebhookEndpoint.
type webhookEndpointJSON struct {
	CreatedAt      time.Time  `json:"created_at"`
	ModifiedAt     *time.Time `json:"modified_at"`
	ID             string     `json:"id"`
	URL            string     `json:"url"`
	Name           *string    `json:"name"`
	Format         string     `json:"format"`
	Secret         string     `json:"secret"`
	OrganizationID string     `json:"organization_id"`
	Events         []string   `json:"events"`
	Enabled        bool       `json:"enabled"`
}

// WebhookEndpointJSON renders an endpoint in Polar's wire shape.
func WebhookEndpointJSON(e *store.WebhookEndpoint) any {
	events := e.Events
	if events == nil {
		events = []string{}
	}
	return webhookEndpointJSON{CreatedAt: e.CreatedAt, ModifiedAt: e.ModifiedAt, ID: e.ID, URL: e.URL, Name: e.Name,
		Format: e.Format, Secret: e.Secret, OrganizationID: e.OrganizationID, Events: events, Enabled: e.Enabled}
}

// webhookEventJSON is Polar's WebhookEvent: one event bound for one endpoint.
type webhookEventJSON struct {
	CreatedAt    time.Time  `json:"created_at"`
	ModifiedAt   *time.Time `json:"modified_at"`
	ID           string     `json:"id"`
	LastHTTPCode *int       `json:"last_http_code"`
	Succeeded    *bool      `json:"succeeded"`
	Skipped      bool       `json:"skipped"`
	Payload      *string    `json:"payload"`
	Type         string     `json:"type"`
	IsArchived   bool       `json:"is_archived"`
}

// webhookDeliveryJSON is Polar's WebhookDelivery: one attempt.
type webhookDeliveryJSON struct {
	CreatedAt    time.Time        `json:"created_at"`
	ModifiedAt   *time.Time       `json:"modified_at"`
	ID           string           `json:"id"`
	Succeeded    bool             `json:"succeeded"`
	HTTPCode     *int             `json:"http_code"`
	Response     *string          `json:"response"`
	WebhookEvent webhookEventJSON `json:"webhook_event"`
}

// WebhookDeliveryJSON renders a delivery (with its webhook event, whose payload
// is the exact body that was sent) in Polar's wire shape.
func WebhookDeliveryJSON(d *store.WebhookDelivery) (any, error) {
	we := d.Event
	body, err := webhook.Body(we.Type, we.EventCreatedAt, we.Payload)
	if err != nil {
		return nil, err
	}
	payload := string(body)
	return webhookDeliveryJSON{CreatedAt: d.CreatedAt, ID: d.ID, Succeeded: d.Succeeded, HTTPCode: d.HTTPCode,
		Response: d.Response, WebhookEvent: webhookEventJSON{CreatedAt: we.CreatedAt, ModifiedAt: we.ModifiedAt,
			ID: we.ID, LastHTTPCode: we.LastHTTPCode, Succeeded: we.Succeeded, Skipped: we.Skipped,
			Payload: &payload, Type: we.Type}}, nil
}

// webhookEndpointBody is Polar's WebhookEndpointCreate and WebhookEndpointUpdate.
type webhookEndpointBody struct {
	URL            Opt[string]   `json:"url"`
	Name           Opt[string]   `json:"name"`
	Format         Opt[string]   `json:"format"`
	Events         Opt[[]string] `json:"events"`
	Enabled        Opt[bool]     `json:"enabled"`
	OrganizationID Opt[string]   `json:"organization_id"`
}

// validate checks the body and returns the change it makes to an endpoint. On
// create url, format and events are required; on update an absent or null field
// keeps its value (except name, which null clears). The URL check may wait on
// DNS, so it runs here, before any transaction. Every problem is a 422 at its field.
func (b *webhookEndpointBody) validate(ctx context.Context, create, allowPrivate bool, p *Principal) (func(*store.WebhookEndpoint), error) {
	var probs paylink.Problems
	var changes []func(*store.WebhookEndpoint)
	given := func(o bool, field string) bool {
		if create && !o {
			probs = append(probs, paylink.FieldError{Loc: []any{"body", field}, Msg: "Field required", Type: "missing"})
		}
		return o
	}
	if o := b.OrganizationID; o.Set && !o.Null && (!create || !strings.EqualFold(o.Value, p.OrgID)) {
		probs.Add("an organization token can only act on its own organization", o.Value, "body", "organization_id")
	}
	if given(b.URL.Set && !b.URL.Null, "url") {
		u := strings.TrimSpace(b.URL.Value)
		if len(u) > 2083 {
			probs.Add("the URL is longer than 2083 characters", nil, "body", "url")
		} else if err := webhook.CheckURL(ctx, u, allowPrivate); err != nil {
			var re *webhook.RefusedError
			if !errors.As(err, &re) {
				return nil, err
			}
			probs.Add("webhook URL refused: "+re.Reason, u, "body", "url")
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.URL = u })
	}
	if b.Name.Set {
		var name *string
		if n := strings.TrimSpace(b.Name.Value); n != "" && !b.Name.Null {
			if len(n) > 255 {
				probs.Add("the name is longer than 255 characters", nil, "body", "name")
			}
			name = &n
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.Name = name })
	}
	if given(b.Format.Set && !b.Format.Null, "format") {
		switch f := b.Format.Value; f {
		case webhook.FormatRaw:
			changes = append(changes, func(e *store.WebhookEndpoint) { e.Format = f })
		case "discord", "slack":
			probs.Add("paylink delivers the raw format only; point a raw endpoint at a relay for "+f, f, "body", "format")
		default:
			probs = append(probs, paylink.FieldError{Loc: []any{"body", "format"}, Msg: "Input should be 'raw', 'discord' or 'slack'", Type: "enum", Input: f})
		}
	}
	if given(b.Events.Set && !b.Events.Null, "events") {
		events := []string{}
		for i, ev := range b.Events.Value {
			switch {
			case !webhook.ValidEventType(ev):
				probs = append(probs, paylink.FieldError{Loc: []any{"body", "events", i}, Msg: "not a webhook event type", Type: "enum", Input: ev})
			case !slices.Contains(events, ev):
				events = append(events, ev)
			}
		}
		changes = append(changes, func(e *store.WebhookEndpoint) { e.Events = events })
	}
	if o := b.Enabled; o.Set && !o.Null {
		changes = append(changes, func(e *store.WebhookEndpoint) {
			if e.Enabled != o.Value {
				e.Enabled = o.Value
				e.FailingSince, e.DisabledReason = nil, nil // a fresh start either way
			}
		})
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return func(e *store.WebhookEndpoint) {
		for _, c := range changes {
			c(e)
		}
	}, nil
}
