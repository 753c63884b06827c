package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// EventsUndispatched returns up to limit events not yet turned into webhook
// events, oldest first. On PostgreSQL the rows are locked and rows locked by
// another dispatcher are skipped, so several paylink processes never dispatch the
// same event twice; on SQLite writers are serialized anyway.
func (tx *Tx) EventsUndispatched(ctx context.Context, limit int) ([]*Event, error) {
	return queryAll(ctx, tx, scanEvent, `SELECT `+eventColumns+` FROM events
		WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1`+tx.Engine().LockSkip(), limit)
}

// WebhookOutboxPending reports whether the dispatcher has work: an event not
// yet dispatched or a requested redelivery. It is a read of two partial
// indexes, so a dispatcher can ask often without taking SQLite's writer.
func (tx *Tx) WebhookOutboxPending(ctx context.Context) (bool, error) {
	var pending bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE dispatched_at IS NULL)
		OR EXISTS (SELECT 1 FROM webhook_events WHERE redeliver_requested_at IS NOT NULL)`).Scan(&pending)
	return pending, err
}

// EventsMarkDispatched stamps the events as dispatched.
func (tx *Tx) EventsMarkDispatched(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := Args{at}
	_, err := tx.ExecContext(ctx, `UPDATE events SET dispatched_at = $1 WHERE id IN `+args.In(ids), args...)
	return err
}

// WebhookEvent is one event bound for one endpoint. Its ID is the webhook-id
// header of every attempt, so a receiver can tell a retry from a new event.
type WebhookEvent struct {
	ID             string
	OrganizationID string
	EndpointID     string
	EventID        string
	Type           string
	Succeeded      *bool // nil until the first attempt
	LastHTTPCode   *int
	Skipped        bool // the endpoint was disabled when its turn came
	CreatedAt      time.Time
	ModifiedAt     *time.Time

	// Read from the event by WebhookEventGet and WebhookDeliveryList.
	EventCreatedAt time.Time
	Payload        []byte
}

// WebhookEventCreate inserts we unless the event already has a webhook event for
// that endpoint; created tells which.
func (tx *Tx) WebhookEventCreate(ctx context.Context, we *WebhookEvent) (created bool, err error) {
	if we.ID == "" {
		we.ID = paylink.NewID()
	}
	if we.CreatedAt.IsZero() {
		we.CreatedAt = paylink.Now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (id, organization_id, endpoint_id, event_id, type, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
		we.ID, we.OrganizationID, we.EndpointID, we.EventID, we.Type, we.CreatedAt)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

const webhookEventColumns = `we.id, we.organization_id, we.endpoint_id, we.event_id, we.type, we.succeeded,
	we.last_http_code, we.skipped, we.created_at, we.modified_at, e.created_at, e.payload`

func scanWebhookEvent(row interface{ Scan(...any) error }, extra ...any) (*WebhookEvent, error) {
	var we WebhookEvent
	var payload string
	dest := append([]any{&we.ID, &we.OrganizationID, &we.EndpointID, &we.EventID, &we.Type, &we.Succeeded,
		&we.LastHTTPCode, &we.Skipped, &we.CreatedAt, &we.ModifiedAt, &we.EventCreatedAt, &payload}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	we.Payload = []byte(payload)
	return &we, nil
}

// WebhookEventGet returns one of an organization's webhook events with its
// event's payload; ENotFound otherwise.
func (tx *Tx) WebhookEventGet(ctx context.Context, orgID, id string) (*WebhookEvent, error) {
	we, err := scanWebhookEvent(tx.QueryRowContext(ctx, `SELECT `+webhookEventColumns+`
		FROM webhook_events we JOIN events e ON e.id = we.event_id
		WHERE we.id = $1 AND we.organization_id = $2`, id, orgID))
	return we, notFound(err, "webhook event")
}

// WebhookEventsOf returns those of ids that are the organization's webhook
// events for the endpoint, oldest first, each with its event's payload: the
// batch of one delivery job. The ids are looked up by primary key (see
// Engine.unindexed): walking the organization's index instead made each
// delivery job of a growing backlog slower than the last.
func (tx *Tx) WebhookEventsOf(ctx context.Context, orgID, endpointID string, ids []string) ([]*WebhookEvent, error) {
	query, args := webhookEventsOfSQL(tx.Engine(), orgID, endpointID, ids)
	out, err := queryAll(ctx, tx, func(row scanner) (*WebhookEvent, error) { return scanWebhookEvent(row) }, query, args...)
	// Sorted here: with ORDER BY created_at SQLite's planner took the
	// organization's index again, to skip sorting at most DeliverBatch rows.
	slices.SortFunc(out, func(a, b *WebhookEvent) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out, err
}

func webhookEventsOfSQL(e Engine, orgID, endpointID string, ids []string) (string, Args) {
	args := Args{orgID, endpointID}
	return `SELECT ` + webhookEventColumns + ` FROM webhook_events we JOIN events e ON e.id = we.event_id
		WHERE ` + e.unindexed("we.organization_id") + ` = $1 AND we.endpoint_id = $2 AND we.id IN ` + args.In(ids), args
}

// WebhookEventsMarkSkipped records that the events were not sent because their
// endpoint was disabled.
func (tx *Tx) WebhookEventsMarkSkipped(ctx context.Context, orgID string, ids []string, at time.Time) error {
	args := Args{true, at, orgID}
	_, err := tx.ExecContext(ctx, `UPDATE webhook_events SET skipped = $1, modified_at = $2
		WHERE `+tx.Engine().unindexed("organization_id")+` = $3 AND id IN `+args.In(ids), args...)
	return err
}

// WebhookEventRequestRedelivery asks the dispatcher to send the webhook event
// again (with the same webhook-id); ENotFound when it is not the organization's.
func (tx *Tx) WebhookEventRequestRedelivery(ctx context.Context, orgID, id string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE webhook_events SET redeliver_requested_at = $1, skipped = $2
		WHERE id = $3 AND organization_id = $4`, at, false, id, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paylink.NotFound("webhook event")
	}
	return nil
}

// WebhookEventRef names a webhook event with what a delivery job needs to find it.
type WebhookEventRef struct{ ID, OrganizationID, EndpointID string }

// WebhookEventsRedeliveryTake returns up to limit webhook events whose
// redelivery was requested and clears the requests: the caller enqueues them in
// the same transaction. Rows locked by another dispatcher are skipped on
// PostgreSQL.
func (tx *Tx) WebhookEventsRedeliveryTake(ctx context.Context, limit int) ([]WebhookEventRef, error) {
	out, err := queryAll(ctx, tx, func(row scanner) (r WebhookEventRef, err error) {
		return r, row.Scan(&r.ID, &r.OrganizationID, &r.EndpointID)
	}, `SELECT id, organization_id, endpoint_id FROM webhook_events
		WHERE redeliver_requested_at IS NOT NULL ORDER BY redeliver_requested_at, id LIMIT $1`+tx.Engine().LockSkip(), limit)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	ids := make([]string, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	var args Args
	_, err = tx.ExecContext(ctx, `UPDATE webhook_events SET redeliver_requested_at = NULL WHERE id IN `+args.In(ids), args...)
	return out, err
}
