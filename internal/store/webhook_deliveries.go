package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// WebhookDelivery is one attempt to send a webhook event: the delivery log.
type WebhookDelivery struct {
	ID             string
	OrganizationID string
	EndpointID     string
	WebhookEventID string
	Attempt        int  // 1 for the first try of a job, then 2, 3, …
	HTTPCode       *int // nil when the endpoint was unreachable
	Succeeded      bool
	Response       *string // the start of the response body, or the network error
	DurationMS     int64
	CreatedAt      time.Time

	Event *WebhookEvent // filled by WebhookDeliveryList
}

// WebhookDeliveryRecord logs one attempt (see WebhookDeliveriesRecord).
func (tx *Tx) WebhookDeliveryRecord(ctx context.Context, d *WebhookDelivery) error {
	return tx.WebhookDeliveriesRecord(ctx, []*WebhookDelivery{d})
}

var webhookDeliveryInsert = newInsert("webhook_deliveries", `id, organization_id, endpoint_id,
	webhook_event_id, attempt, http_code, succeeded, response, duration_ms, created_at`)

// WebhookDeliveriesRecord logs attempts, a delivery job's batch, and makes each
// one's outcome its webhook event's latest (succeeded, last_http_code), in the
// caller's transaction; ENotFound when a webhook event is not the organization's
// and the endpoint's (the caller's transaction is then to be rolled back).
//
// A batch's attempts mostly share their outcome (a 200 at the same time), so
// the events are updated with one statement per outcome, not one per event:
// on PostgreSQL each statement is a round trip.
func (tx *Tx) WebhookDeliveriesRecord(ctx context.Context, ds []*WebhookDelivery) error {
	type outcome struct {
		org, endpoint string
		succeeded     bool
		code          int // -1 for none
		at            time.Time
	}
	var order []outcome
	byOutcome := map[outcome][]string{}
	rows := make([][]any, len(ds))
	for i, d := range ds {
		if d.ID == "" {
			d.ID = paylink.NewID()
		}
		if d.CreatedAt.IsZero() {
			d.CreatedAt = paylink.Now()
		}
		o := outcome{d.OrganizationID, d.EndpointID, d.Succeeded, -1, d.CreatedAt}
		if d.HTTPCode != nil {
			o.code = *d.HTTPCode
		}
		if _, ok := byOutcome[o]; !ok {
			order = append(order, o)
		}
		if !slices.Contains(byOutcome[o], d.WebhookEventID) {
			byOutcome[o] = append(byOutcome[o], d.WebhookEventID)
		}
		rows[i] = []any{d.ID, d.OrganizationID, d.EndpointID, d.WebhookEventID, d.Attempt, d.HTTPCode, d.Succeeded,
			d.Response, d.DurationMS, d.CreatedAt}
	}
	for _, o := range order {
		ids := byOutcome[o]
		var code *int
		if o.code >= 0 {
			code = &o.code
		}
		args := Args{o.succeeded, code, false, o.at, o.org, o.endpoint}
		res, err := tx.ExecContext(ctx, `UPDATE webhook_events SET succeeded = $1, last_http_code = $2, skipped = $3,
			modified_at = $4 WHERE `+tx.Engine().unindexed("organization_id")+` = $5 AND endpoint_id = $6 AND id IN `+args.In(ids), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != int64(len(ids)) {
			return paylink.NotFound("webhook event")
		}
	}
	return tx.insertRows(ctx, webhookDeliveryInsert, rows)
}

// WebhookDeliveryListParams filters WebhookDeliveryList; zero values filter nothing.
type WebhookDeliveryListParams struct {
	ListParams
	OrganizationID string
	EndpointIDs    []string
	Start, End     *time.Time // created_at > Start, created_at < End
	Succeeded      *bool
	Query          string   // substring of the event's payload, ignoring case
	HTTPCodeClass  int      // 2 for 2xx … 5 for 5xx
	EventTypes     []string // any of
}

// WebhookDeliveryList returns one page of an organization's deliveries, newest
// first, each with its webhook event, and the total count.
func (tx *Tx) WebhookDeliveryList(ctx context.Context, p WebhookDeliveryListParams) ([]*WebhookDelivery, int, error) {
	var args Args
	where := ` WHERE d.organization_id = ` + args.Add(p.OrganizationID)
	if len(p.EndpointIDs) > 0 {
		where += ` AND d.endpoint_id IN ` + args.In(p.EndpointIDs)
	}
	if p.Start != nil {
		where += ` AND d.created_at > ` + args.Add(*p.Start)
	}
	if p.End != nil {
		where += ` AND d.created_at < ` + args.Add(*p.End)
	}
	if p.Succeeded != nil {
		where += ` AND d.succeeded = ` + args.Add(*p.Succeeded)
	}
	if p.HTTPCodeClass != 0 {
		where += ` AND d.http_code >= ` + args.Add(p.HTTPCodeClass*100) + ` AND d.http_code < ` + args.Add(p.HTTPCodeClass*100+100)
	}
	if len(p.EventTypes) > 0 {
		where += ` AND we.type IN ` + args.In(p.EventTypes)
	}
	if p.Query != "" {
		where += ` AND lower(CAST(e.payload AS TEXT)) LIKE ` + args.Add("%"+likeEscape(strings.ToLower(p.Query))+"%") + ` ESCAPE '\'`
	}
	from := ` FROM webhook_deliveries d JOIN webhook_events we ON we.id = d.webhook_event_id JOIN events e ON e.id = we.event_id`
	return listPage(ctx, tx, p.ListParams, webhookEventColumns+`, d.id, d.endpoint_id, d.attempt, d.http_code,
		d.succeeded, d.response, d.duration_ms, d.created_at`, from, where, "d.created_at DESC, d.id DESC", args,
		func(row scanner) (*WebhookDelivery, error) {
			var d WebhookDelivery
			we, err := scanWebhookEvent(row, &d.ID, &d.EndpointID, &d.Attempt, &d.HTTPCode, &d.Succeeded, &d.Response,
				&d.DurationMS, &d.CreatedAt)
			if err != nil {
				return nil, err
			}
			d.OrganizationID, d.WebhookEventID, d.Event = we.OrganizationID, we.ID, we
			return &d, nil
		})
}
