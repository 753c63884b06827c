package store

import (
	"context"
	"slices"
	"time"

	"github.com/paylink/paylink"
)

// WebhookEndpoint is a merchant's URL that receives the organization's events.
type WebhookEndpoint struct {
	ID             string
	OrganizationID string
	URL            string
	Name           *string
	Secret         string // signs every delivery; shown to the merchant
	Format         string // "raw"
	Events         []string
	Enabled        bool
	FailingSince   *time.Time // first failure of the current unbroken run of failures
	DisabledReason *string    // set when paylink disabled the endpoint itself
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// Wants reports whether the endpoint is enabled and subscribed to the event type.
func (e *WebhookEndpoint) Wants(eventType string) bool {
	return e.Enabled && slices.Contains(e.Events, eventType)
}

const webhookEndpointColumns = `id, organization_id, url, name, secret, format, events, enabled,
	failing_since, disabled_reason, created_at, modified_at`

func scanWebhookEndpoint(row interface{ Scan(...any) error }) (*WebhookEndpoint, error) {
	var e WebhookEndpoint
	var events string
	if err := row.Scan(&e.ID, &e.OrganizationID, &e.URL, &e.Name, &e.Secret, &e.Format, &events, &e.Enabled,
		&e.FailingSince, &e.DisabledReason, &e.CreatedAt, &e.ModifiedAt); err != nil {
		return nil, err
	}
	var err error
	e.Events, err = parseStrings(events)
	return &e, err
}

// WebhookEndpointCreate inserts an endpoint; ID and CreatedAt are filled in when empty.
func (tx *Tx) WebhookEndpointCreate(ctx context.Context, e *WebhookEndpoint) error {
	if e.ID == "" {
		e.ID = paylink.NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = paylink.Now()
	}
	if e.Events == nil {
		e.Events = []string{}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, organization_id, url, name, secret, format,
		events, enabled, failing_since, disabled_reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.OrganizationID, e.URL, e.Name, e.Secret, e.Format, jsonText(e.Events), e.Enabled,
		e.FailingSince, e.DisabledReason, e.CreatedAt)
	return err
}

// WebhookEndpointGet returns one of an organization's endpoints; ENotFound otherwise
// (also for another organization's endpoint).
func (tx *Tx) WebhookEndpointGet(ctx context.Context, orgID, id string) (*WebhookEndpoint, error) {
	return tx.webhookEndpointGet(ctx, orgID, id, "")
}

// WebhookEndpointGetForUpdate is WebhookEndpointGet that also locks the endpoint
// until the transaction ends (PostgreSQL; SQLite transactions are serialized).
func (tx *Tx) WebhookEndpointGetForUpdate(ctx context.Context, orgID, id string) (*WebhookEndpoint, error) {
	return tx.webhookEndpointGet(ctx, orgID, id, tx.Engine().ForUpdate(false))
}

func (tx *Tx) webhookEndpointGet(ctx context.Context, orgID, id, lock string) (*WebhookEndpoint, error) {
	e, err := scanWebhookEndpoint(tx.QueryRowContext(ctx, `SELECT `+webhookEndpointColumns+` FROM webhook_endpoints
		WHERE id = $1 AND organization_id = $2`+lock, id, orgID))
	return e, notFound(err, "webhook endpoint")
}

// WebhookEndpointListParams filters WebhookEndpointList.
type WebhookEndpointListParams struct {
	ListParams
	OrganizationID string
}

// WebhookEndpointList returns one page of an organization's endpoints, oldest
// first, and the total count.
func (tx *Tx) WebhookEndpointList(ctx context.Context, p WebhookEndpointListParams) ([]*WebhookEndpoint, int, error) {
	return listPage(ctx, tx, p.ListParams, webhookEndpointColumns, ` FROM webhook_endpoints`, ` WHERE organization_id = $1`,
		"created_at, id", Args{p.OrganizationID}, scanWebhookEndpoint)
}

// WebhookEndpointsFor returns the organization's enabled endpoints subscribed to
// the event type: where an event of that type goes.
func (tx *Tx) WebhookEndpointsFor(ctx context.Context, orgID, eventType string) ([]*WebhookEndpoint, error) {
	all, err := tx.webhookEndpoints(ctx, `WHERE organization_id = $1 AND enabled = $2 ORDER BY created_at, id`, orgID, true)
	if err != nil {
		return nil, err
	}
	var out []*WebhookEndpoint
	for _, e := range all {
		if e.Wants(eventType) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (tx *Tx) webhookEndpoints(ctx context.Context, where string, args ...any) ([]*WebhookEndpoint, error) {
	return queryAll(ctx, tx, scanWebhookEndpoint, `SELECT `+webhookEndpointColumns+` FROM webhook_endpoints `+where, args...)
}

// WebhookEndpointUpdate writes every mutable field of e (url, name, secret, format,
// events, enabled, failing_since, disabled_reason) and stamps modified_at;
// ENotFound when e is not one of its organization's endpoints.
func (tx *Tx) WebhookEndpointUpdate(ctx context.Context, e *WebhookEndpoint) error {
	now := paylink.Now()
	if e.Events == nil {
		e.Events = []string{}
	}
	res, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET url = $1, name = $2, secret = $3, format = $4,
		events = $5, enabled = $6, failing_since = $7, disabled_reason = $8, modified_at = $9
		WHERE id = $10 AND organization_id = $11`,
		e.URL, e.Name, e.Secret, e.Format, jsonText(e.Events), e.Enabled, e.FailingSince, e.DisabledReason, now,
		e.ID, e.OrganizationID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paylink.NotFound("webhook endpoint")
	}
	e.ModifiedAt = &now
	return nil
}

// WebhookEndpointDelete deletes an endpoint with its webhook events and delivery
// log; ENotFound when it is not one of the organization's endpoints.
func (tx *Tx) WebhookEndpointDelete(ctx context.Context, orgID, id string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1 AND organization_id = $2`, id, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paylink.NotFound("webhook endpoint")
	}
	return nil
}

// WebhookEndpointRecordOutcome keeps the endpoint's failure streak: a success
// clears failing_since; a failure starts the streak when none is running, and
// disables the endpoint with reason when the streak has lasted disableAfter. It
// reports whether this call disabled the endpoint.
func (tx *Tx) WebhookEndpointRecordOutcome(ctx context.Context, orgID, id string, ok bool, at time.Time,
	disableAfter time.Duration, reason string) (disabled bool, err error) {
	if ok {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET failing_since = NULL
			WHERE id = $1 AND organization_id = $2 AND failing_since IS NOT NULL`, id, orgID)
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET failing_since = $1
		WHERE id = $2 AND organization_id = $3 AND failing_since IS NULL`, at, id, orgID); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET enabled = $1, disabled_reason = $2, modified_at = $3
		WHERE id = $4 AND organization_id = $5 AND enabled = $6 AND failing_since <= $7`,
		false, reason, at, id, orgID, true, at.Add(-disableAfter))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
