package client

import (
	"context"
	"net/http"
	"time"
)

// Organization is Polar's Organization, as far as paylink has one.
type Organization struct {
	ID         string     `json:"id"`
	CreatedAt  time.Time  `json:"created_at"`
	Name       string     `json:"name"`
	Slug       string     `json:"slug"`
	AvatarURL  *string    `json:"avatar_url"`
	Email      *string    `json:"email"`
	Website    *string    `json:"website"`
	EmbedHosts []string   `json:"embed_hosts"`
	ModifiedAt *time.Time `json:"modified_at"`
}

// Organizations lists the organizations the token is of (one, for an
// organization token).
func (c *Client) Organizations(ctx context.Context, o *ListOptions) (*List[Organization], error) {
	return list[Organization](ctx, c, "/v1/organizations/", o)
}

// WebhookEndpoint is Polar's WebhookEndpoint. Secret signs the deliveries
// (Standard Webhooks, keyed with the secret's UTF-8 bytes).
type WebhookEndpoint struct {
	ID             string    `json:"id"`
	CreatedAt      time.Time `json:"created_at"`
	OrganizationID string    `json:"organization_id"`
	URL            string    `json:"url"`
	Name           *string   `json:"name"`
	Format         string    `json:"format"` // "raw", "discord" or "slack"
	Secret         string    `json:"secret"`
	Events         []string  `json:"events"`
	Enabled        bool      `json:"enabled"`
}

// WebhookEndpointCreate is POST /v1/webhooks/endpoints. Format defaults to "raw".
type WebhookEndpointCreate struct {
	URL    string   `json:"url"`
	Format string   `json:"format"`
	Events []string `json:"events"`
	Name   *string  `json:"name,omitempty"`
	Secret *string  `json:"secret,omitempty"`
}

// WebhookEndpointUpdate is PATCH /v1/webhooks/endpoints/{id}: nil fields stay.
type WebhookEndpointUpdate struct {
	URL     *string  `json:"url,omitempty"`
	Format  *string  `json:"format,omitempty"`
	Events  []string `json:"events,omitempty"`
	Name    *string  `json:"name,omitempty"`
	Enabled *bool    `json:"enabled,omitempty"`
}

// WebhookDelivery is one attempt to deliver an event to an endpoint.
type WebhookDelivery struct {
	ID           string       `json:"id"`
	CreatedAt    time.Time    `json:"created_at"`
	Succeeded    bool         `json:"succeeded"`
	HTTPCode     *int         `json:"http_code"`
	Response     *string      `json:"response"`
	WebhookEvent WebhookEvent `json:"webhook_event"`
}

// WebhookEvent is an event as it was sent: Payload is the signed body.
type WebhookEvent struct {
	ID           string    `json:"id"`
	CreatedAt    time.Time `json:"created_at"`
	Type         string    `json:"type"`
	Payload      *string   `json:"payload"`
	Succeeded    *bool     `json:"succeeded"`
	LastHTTPCode *int      `json:"last_http_code"`
}

// WebhookEndpoints lists the organization's endpoints.
func (c *Client) WebhookEndpoints(ctx context.Context, o *ListOptions) (*List[WebhookEndpoint], error) {
	return list[WebhookEndpoint](ctx, c, "/v1/webhooks/endpoints", o)
}

// WebhookEndpoint gets one endpoint.
func (c *Client) WebhookEndpoint(ctx context.Context, id string) (*WebhookEndpoint, error) {
	return get[WebhookEndpoint](ctx, c, "/v1/webhooks/endpoints/"+esc(id), nil)
}

// CreateWebhookEndpoint creates an endpoint; its answer holds the secret.
func (c *Client) CreateWebhookEndpoint(ctx context.Context, in *WebhookEndpointCreate) (*WebhookEndpoint, error) {
	if in.Format == "" {
		cp := *in
		cp.Format = "raw"
		in = &cp
	}
	return send[WebhookEndpoint](ctx, c, http.MethodPost, "/v1/webhooks/endpoints", in)
}

// UpdateWebhookEndpoint changes an endpoint.
func (c *Client) UpdateWebhookEndpoint(ctx context.Context, id string, in *WebhookEndpointUpdate) (*WebhookEndpoint, error) {
	return send[WebhookEndpoint](ctx, c, http.MethodPatch, "/v1/webhooks/endpoints/"+esc(id), in)
}

// ResetWebhookEndpointSecret gives the endpoint a new secret.
func (c *Client) ResetWebhookEndpointSecret(ctx context.Context, id string) (*WebhookEndpoint, error) {
	return send[WebhookEndpoint](ctx, c, http.MethodPatch, "/v1/webhooks/endpoints/"+esc(id)+"/secret", nil)
}

// DeleteWebhookEndpoint deletes an endpoint.
func (c *Client) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/webhooks/endpoints/"+esc(id), nil, nil, nil)
}

// WebhookDeliveries lists delivery attempts (filters: "endpoint_id").
func (c *Client) WebhookDeliveries(ctx context.Context, o *ListOptions) (*List[WebhookDelivery], error) {
	return list[WebhookDelivery](ctx, c, "/v1/webhooks/deliveries", o)
}

// RedeliverWebhookEvent sends an event again to its endpoint.
func (c *Client) RedeliverWebhookEvent(ctx context.Context, eventID string) error {
	return c.Do(ctx, http.MethodPost, "/v1/webhooks/events/"+esc(eventID)+"/redeliver", nil, nil, nil)
}

// File is Polar's FileRead: an uploaded file (product media, downloadables,
// the organization's logo).
type File struct {
	ID             string  `json:"id"`
	OrganizationID string  `json:"organization_id"`
	Name           string  `json:"name"`
	Path           string  `json:"path"`
	MimeType       string  `json:"mime_type"`
	Size           int64   `json:"size"`
	Service        string  `json:"service"` // "downloadable", "product_media" or "organization_avatar"
	IsUploaded     bool    `json:"is_uploaded"`
	Version        *string `json:"version"`
	PublicURL      *string `json:"public_url"`
}

// Files lists the organization's files. (Uploading is Polar's multipart
// protocol through signed part URLs: POST /v1/files/, PUT each part, then
// POST /v1/files/{id}/uploaded; use Do for it.)
func (c *Client) Files(ctx context.Context, o *ListOptions) (*List[File], error) {
	return list[File](ctx, c, "/v1/files/", o)
}

// DeleteFile deletes a file.
func (c *Client) DeleteFile(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/files/"+esc(id), nil, nil, nil)
}

// OrganizationUpdate is PATCH /v1/organizations/{id}: paylink's API changes the
// origins allowed to embed the checkout (embed.js); the rest is the dashboard's.
type OrganizationUpdate struct {
	EmbedHosts []string `json:"embed_hosts"`
}

// UpdateOrganization changes the token's organization.
func (c *Client) UpdateOrganization(ctx context.Context, id string, in *OrganizationUpdate) (*Organization, error) {
	if in.EmbedHosts == nil {
		cp := *in
		cp.EmbedHosts = []string{}
		in = &cp
	}
	return send[Organization](ctx, c, http.MethodPatch, "/v1/organizations/"+esc(id), in)
}
