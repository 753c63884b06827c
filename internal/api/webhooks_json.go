package api

import (
	"context"
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
	APIVersion     string     `json:"api_version"`
	// The HMAC key is the secret's UTF-8 bytes, as on Polar's endpoints from before
	// the standard (base64) secrets: false.
	UsesStandardWebhookSignature bool `json:"uses_standard_webhook_signature"`
}

// WebhookEndpointJSON renders an endpoint in Polar's wire shape.
func WebhookEndpointJSON(e *store.WebhookEndpoint) any {
	events := e.Events
	if events == nil {
		events = []string{}
	}
	return webhookEndpointJSON{CreatedAt: e.CreatedAt, ModifiedAt: e.ModifiedAt, ID: e.ID, URL: e.URL, Name: e.Name,
		Format: e.Format, Secret: e.Secret, OrganizationID: e.OrganizationID, Events: events, Enabled: e.Enabled,
		APIVersion: webhook.APIVersion}
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
	APIVersion   string     `json:"api_version"`
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
			Payload: &payload, Type: we.Type, APIVersion: webhook.APIVersion}}, nil
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
// keeps its value (except name, which null clears). The URL, name, events and
// enabled rules are webhook.EndpointInput's, shared with the dashboard; the URL
// check may wait on DNS, so it runs here, before any transaction. Every problem
// is a 422 at its field.
func (b *webhookEndpointBody) validate(ctx context.Context, create, allowPrivate bool, p *Principal) (func(*store.WebhookEndpoint), error) {
	var probs paylink.Problems
	var in webhook.EndpointInput
	var format *string
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
		in.URL = &b.URL.Value
	}
	if b.Name.Set {
		name := ""
		if !b.Name.Null {
			name = b.Name.Value
		}
		in.Name = &name
	}
	if given(b.Format.Set && !b.Format.Null, "format") {
		switch f := b.Format.Value; f {
		case webhook.FormatRaw:
			format = &f
		case "discord", "slack":
			probs.Add("paylink delivers the raw format only; point a raw endpoint at a relay for "+f, f, "body", "format")
		default:
			probs = append(probs, paylink.FieldError{Loc: []any{"body", "format"}, Msg: "Input should be 'raw', 'discord' or 'slack'", Type: "enum", Input: f})
		}
	}
	if given(b.Events.Set && !b.Events.Null, "events") {
		in.Events = &b.Events.Value
	}
	if o := b.Enabled; o.Set && !o.Null {
		in.Enabled = &o.Value
	}
	change, more, err := in.Change(ctx, allowPrivate)
	if err != nil {
		return nil, err
	}
	probs = append(probs, more...)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return func(e *store.WebhookEndpoint) {
		change(e)
		if format != nil {
			e.Format = *format
		}
	}, nil
}
