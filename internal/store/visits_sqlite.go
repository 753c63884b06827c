package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/paylink/paylink"
)

// linkCheckSQLite reads a link's secret and modified_at if it is usable at ?2.
var linkCheckSQLite = `SELECT l.organization_id, l.client_secret, l.modified_at FROM checkout_links l WHERE l.id = ?1 AND ` +
	linkUsableAt("?2")

// subscribersSQLite counts an organization's enabled endpoints subscribed to
// checkout.created (WebhookEndpoint.Wants, in SQL; subscribedPostgres is its twin).
const subscribersSQLite = `SELECT count(*) FROM webhook_endpoints
	WHERE organization_id = ?1 AND enabled AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = 'checkout.created')`

// visitsCreateSQLite is VisitsCreate in a transaction: the SQLite path, where the
// writer is serialized and what the transaction reads stays true until commit.
func (tx *Tx) visitsCreateSQLite(ctx context.Context, vs []*Visit, counts []VisitCount) (VisitsResult, error) {
	res := VisitsResult{Written: make([]bool, len(vs)), Subscribed: map[string]bool{}}
	type linkRow struct {
		org, secret string
		modified    *time.Time
	}
	links := map[string]*linkRow{}
	for _, v := range vs {
		links[*v.Checkout.CheckoutLinkID] = nil
		res.Subscribed[v.Checkout.OrganizationID] = false
	}
	check, err := tx.prepared(ctx, linkCheckSQLite)
	if err != nil {
		return res, err
	}
	now := paylink.Now()
	for id := range links {
		var l linkRow
		err := check.QueryRowContext(ctx, id, now).Scan(&l.org, &l.secret, &l.modified)
		if err == nil {
			links[id] = &l
		} else if !errors.Is(err, sql.ErrNoRows) {
			return res, err
		}
	}
	subs, err := tx.prepared(ctx, subscribersSQLite)
	if err != nil {
		return res, err
	}
	for org := range res.Subscribed {
		var n int
		if err := subs.QueryRowContext(ctx, org).Scan(&n); err != nil {
			return res, err
		}
		res.Subscribed[org] = n > 0
	}
	var missing []string
	var cs [][]any
	var written []*paylink.Checkout
	var es []*Event
	for i, v := range vs {
		l := links[*v.Checkout.CheckoutLinkID]
		if l == nil || l.org != v.Checkout.OrganizationID || l.secret != v.LinkSecret || !sameInstant(l.modified, v.LinkModifiedAt) {
			continue
		}
		sub := res.Subscribed[v.Checkout.OrganizationID]
		if sub && v.Payload == nil {
			missing = appendOnce(missing, v.Checkout.OrganizationID)
			continue
		}
		res.Written[i] = true
		cs = append(cs, v.row)
		written = append(written, v.Checkout)
		if sub {
			es = append(es, &Event{ID: v.EventID, OrganizationID: v.Checkout.OrganizationID, Type: "checkout.created",
				Payload: v.Payload, CreatedAt: v.Checkout.CreatedAt})
		}
	}
	if len(missing) > 0 {
		return res, &NeedPayloadsError{Organizations: missing}
	}
	if err := tx.insertRows(ctx, checkoutInsert, cs); err != nil {
		return res, err
	}
	if err := tx.EventRecordMany(ctx, es); err != nil {
		return res, err
	}
	tx.countCreated(written)
	ts := tallyVisits(counts)
	for _, t := range ts {
		tx.countVisits(t)
	}
	return res, tx.visitCountsAdd(ctx, ts)
}

// visitCountsAdd adds the batch's tallies, one prepared upsert each (the
// single writer needs no shards).
func (tx *Tx) visitCountsAdd(ctx context.Context, ts []visitTally) error {
	if len(ts) == 0 {
		return nil
	}
	up, err := tx.prepared(ctx, visitCountUpsert)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if _, err := up.ExecContext(ctx, t.link, t.slot, 0, t.visits, t.bots, t.blocked); err != nil {
			return err
		}
	}
	return nil
}
