package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/paylink/paylink"
)

// Visit is one link visit for VisitsCreate: its session and the checkout.created
// event recorded with it.
type Visit struct {
	Checkout *paylink.Checkout // CheckoutLinkID set; ID, ClientSecret and CreatedAt filled in
	// The link as the visit saw it: the session is written only if the link still
	// belongs to the checkout's organization, has this secret and this
	// modified_at, and is usable (active, not deleted, not expired, not sold out)
	// when the batch commits.
	LinkSecret     string
	LinkModifiedAt *time.Time
	EventID        string
	// Payload is the event's JSON, or nil when the caller believed no endpoint of
	// the organization subscribes to checkout.created. The event is recorded
	// only when an enabled endpoint subscribes to it as the batch commits: an
	// event nobody subscribes to would never be read (an endpoint receives only
	// what happens after it subscribes), and writing it was a fifth of the
	// SQLite writer's work per visit.
	Payload []byte

	row []any // the session's column values (Encode)
}

// Encode fills in the session's defaults and renders its column values (JSON
// included) ahead of VisitsCreate: call it in the visitor's goroutine, so the work
// runs in parallel instead of in the single writer's turn.
func (v *Visit) Encode() {
	checkoutDefaults(v.Checkout)
	if v.EventID == "" {
		v.EventID = paylink.NewID()
	}
	v.row = checkoutRow(v.Checkout)
}

// VisitsResult tells what VisitsCreate wrote.
type VisitsResult struct {
	// Written[i] is false when visit i's link changed or became unusable since the
	// visit read it: that visit's session was not written.
	Written []bool
	// Subscribed tells, for each organization of the batch, whether an enabled
	// endpoint subscribes to checkout.created, as the transaction saw it.
	Subscribed map[string]bool
}

// NeedPayloadsError is returned by VisitsCreate, which wrote nothing, when some
// visits lack a payload but their organization has a subscribed endpoint: render
// the payloads of those organizations' visits and call again.
type NeedPayloadsError struct{ Organizations []string }

func (e *NeedPayloadsError) Error() string {
	return "store: checkout.created has subscribers; payloads are needed for " + strings.Join(e.Organizations, ", ")
}

// linkUsableAt is the condition, on checkout_links l, that a visit's session may
// be written under: the link is usable at the time the SQL expression now names.
func linkUsableAt(now string) string {
	return `l.active AND l.deleted_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > ` + now + `)
	AND (l.max_completions IS NULL OR l.completions_count < l.max_completions)`
}

// VisitsCreate writes the sessions of a batch of link visits together with their
// checkout.created events (for organizations with a subscribed endpoint), atomically: on PostgreSQL as ONE statement (a single
// round trip, an implicit transaction), on SQLite in one transaction of the
// single writer. The visits are checked against the link's current row in the
// same statement or transaction, so a 303 never points at a session of a link
// that was deactivated, rotated, deleted, edited or sold out meanwhile.
func (s *Store) VisitsCreate(ctx context.Context, vs []*Visit) (VisitsResult, error) {
	for _, v := range vs {
		if v.row == nil {
			v.Encode()
		}
	}
	if s.Engine.Name() == "postgres" {
		return s.visitsCreatePostgres(ctx, vs)
	}
	if err := s.prepare(ctx, checkoutInsert.row, eventInsert.row, linkCheckSQLite, subscribersSQLite); err != nil {
		return VisitsResult{}, s.Engine.TranslateError(err)
	}
	var res VisitsResult
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.visitsCreate(ctx, vs)
		return err
	})
	return res, err
}

// linkCheckSQLite reads a link's secret and modified_at if it is usable at ?2.
var linkCheckSQLite = `SELECT l.organization_id, l.client_secret, l.modified_at FROM checkout_links l WHERE l.id = ?1 AND ` +
	linkUsableAt("?2")

// subscribersSQLite counts an organization's enabled endpoints subscribed to
// checkout.created (WebhookEndpoint.Wants, in SQL; subscribedPostgres is its twin).
const subscribersSQLite = `SELECT count(*) FROM webhook_endpoints
	WHERE organization_id = ?1 AND enabled AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = 'checkout.created')`

// visitsCreate is VisitsCreate in a transaction: the SQLite path, where the
// writer is serialized and what the transaction reads stays true until commit.
func (tx *Tx) visitsCreate(ctx context.Context, vs []*Visit) (VisitsResult, error) {
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
	return res, tx.EventRecordMany(ctx, es)
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// visitsCreatePostgres writes the batch in one statement: the visits arrive as
// arrays (one bound parameter per column, so the statement text is the same for
// every batch and stays prepared), are joined with their link's current row,
// and the sessions of those that pass are inserted, with the events of those
// whose organization has a subscribed endpoint. A subscribed organization's
// visit without a payload inserts an undispatched event without payload, which
// breaks the events_payload_needed check and fails the whole statement.
func (s *Store) visitsCreatePostgres(ctx context.Context, vs []*Visit) (VisitsResult, error) {
	args, index, res := visitsArgsPostgres(vs)
	rows, err := s.DB.QueryContext(ctx, visitsInsertPostgres, args...)
	if err != nil {
		return res, s.visitsError(ctx, err, vs)
	}
	defer rows.Close()
	for rows.Next() {
		var id, org string
		var sub bool
		if err := rows.Scan(&id, &org, &sub); err != nil {
			return res, err
		}
		res.Written[index[id]] = true
		res.Subscribed[org] = sub
	}
	if err := rows.Err(); err != nil {
		return res, s.visitsError(ctx, err, vs)
	}
	return res, nil
}

// visitsArgsPostgres is the batch as visitsInsertPostgres's arguments, one
// array per column, with each session's index in the batch and an empty result.
func visitsArgsPostgres(vs []*Visit) ([]any, map[string]int, VisitsResult) {
	n := len(vs)
	strs := func() []string { return make([]string, n) }
	uuids := func() []pgtype.UUID { return make([]pgtype.UUID, n) }
	nullable := func() []*string { return make([]*string, n) }
	ints := func() []int64 { return make([]int64, n) }
	ids, orgs, products, prices, discountIDs, linkIDs, eventIDs := uuids(), uuids(), uuids(), uuids(), uuids(), uuids(), uuids()
	secrets, productIDs, currencies, fields, metadata, queries, linkSecrets := strs(), strs(), strs(), strs(), strs(), strs(), strs()
	amounts, discountAmounts, netAmounts, totalAmounts := ints(), ints(), ints(), ints()
	emails, names, countries, successURLs, returnURLs, payloads := nullable(), nullable(), nullable(), nullable(), nullable(), nullable()
	allowCodes, requireBilling := make([]bool, n), make([]bool, n)
	expires, created, linkModified := make([]time.Time, n), make([]time.Time, n), make([]*time.Time, n)
	res := VisitsResult{Written: make([]bool, n), Subscribed: map[string]bool{}}
	index := make(map[string]int, n)
	for i, v := range vs {
		c := v.Checkout
		index[c.ID] = i
		ids[i], orgs[i], products[i], prices[i], linkIDs[i], eventIDs[i] = binaryUUID(c.ID), binaryUUID(c.OrganizationID),
			binaryUUID(c.ProductID), binaryUUID(c.PriceID), binaryUUID(*c.CheckoutLinkID), binaryUUID(v.EventID)
		if c.DiscountID != nil {
			discountIDs[i] = binaryUUID(*c.DiscountID)
		}
		secrets[i], productIDs[i], currencies[i] = c.ClientSecret, v.row[colProductIDs].(string), c.Currency
		amounts[i], discountAmounts[i], netAmounts[i], totalAmounts[i] = c.Amount, c.DiscountAmount, c.NetAmount, c.TotalAmount
		emails[i], names[i], countries[i], successURLs[i], returnURLs[i] =
			c.CustomerEmail, c.CustomerName, c.BillingCountry, c.SuccessURL, c.ReturnURL
		allowCodes[i], requireBilling[i] = c.AllowDiscountCodes, c.RequireBillingAddress
		fields[i], metadata[i], queries[i] = v.row[colCustomFieldData].(string), v.row[colMetadata].(string), c.QueryString
		linkSecrets[i], linkModified[i] = v.LinkSecret, v.LinkModifiedAt
		if v.Payload != nil {
			p := string(v.Payload)
			payloads[i] = &p
		}
		expires[i], created[i] = c.ExpiresAt, c.CreatedAt
		res.Subscribed[c.OrganizationID] = false
	}
	return []any{ids, orgs, secrets, productIDs, products, prices,
		amounts, discountAmounts, netAmounts, totalAmounts, currencies, discountIDs, allowCodes, requireBilling,
		emails, names, countries, fields, metadata, successURLs, returnURLs, linkIDs, queries, expires, created,
		linkSecrets, linkModified, eventIDs, payloads}, index, res
}

// binaryUUID is id in pgx's binary form: PostgreSQL then receives 16 bytes
// instead of parsing text (uuid_in), a sixth of the batch statement's time with
// seven ids per visit. Ids come from NewID; one that does not parse goes as
// NULL, which the NOT NULL columns refuse.
func binaryUUID(id string) pgtype.UUID {
	u, err := uuid.Parse(id)
	return pgtype.UUID{Bytes: u, Valid: err == nil}
}

// visitsError turns the events_payload_needed violation into NeedPayloadsError
// naming the organizations, among those whose visits came without a payload,
// that have a subscribed endpoint.
func (s *Store) visitsError(ctx context.Context, err error, vs []*Visit) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.ConstraintName != "events_payload_needed" {
		return s.Engine.TranslateError(err)
	}
	var orgs []string
	for _, v := range vs {
		if v.Payload == nil {
			orgs = appendOnce(orgs, v.Checkout.OrganizationID)
		}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT w.organization_id FROM webhook_endpoints w
		WHERE `+subscribedPostgres+` AND w.organization_id = ANY($1::uuid[])`, orgs)
	if err != nil {
		return err
	}
	defer rows.Close()
	need := &NeedPayloadsError{}
	for rows.Next() {
		var org string
		if err := rows.Scan(&org); err != nil {
			return err
		}
		need.Organizations = append(need.Organizations, org)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(need.Organizations) == 0 {
		need.Organizations = orgs // the endpoint went away meanwhile: render them all
	}
	return need
}

// subscribedPostgres is WebhookEndpoint.Wants("checkout.created") in SQL, on
// webhook_endpoints w.
const subscribedPostgres = `w.enabled AND w.events ? 'checkout.created'`

var visitsInsertPostgres = `WITH v AS (
	SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::int8[], $8::int8[],
		$9::int8[], $10::int8[], $11::text[], $12::uuid[], $13::bool[], $14::bool[], $15::text[], $16::text[],
		$17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::uuid[], $23::text[],
		$24::timestamptz[], $25::timestamptz[], $26::text[], $27::timestamptz[], $28::uuid[], $29::text[])
	AS v(id, organization_id, client_secret, product_ids, product_id, price_id, amount, discount_amount,
		net_amount, total_amount, currency, discount_id, allow_discount_codes, require_billing_address,
		customer_email, customer_name, billing_country, custom_field_data, metadata, success_url, return_url,
		checkout_link_id, query_string, expires_at, created_at, link_secret, link_modified_at, event_id, payload)
), ok AS (
	SELECT v.* FROM v JOIN checkout_links l ON l.id = v.checkout_link_id AND l.organization_id = v.organization_id
		AND l.client_secret = v.link_secret
		AND l.modified_at IS NOT DISTINCT FROM v.link_modified_at AND ` + linkUsableAt("v.created_at") + `
), sub AS (
	SELECT DISTINCT w.organization_id FROM webhook_endpoints w
	WHERE ` + subscribedPostgres + ` AND w.organization_id IN (SELECT organization_id FROM ok)
), c AS (
	INSERT INTO checkouts (id, organization_id, client_secret, status, product_ids, product_id, price_id, amount,
		discount_amount, net_amount, total_amount, currency, discount_id, allow_discount_codes,
		require_billing_address, customer_email, customer_name, billing_country, custom_field_data, metadata,
		success_url, return_url, checkout_link_id, query_string, expires_at, created_at)
	SELECT id, organization_id, client_secret, 'open', product_ids::jsonb, product_id, price_id, amount,
		discount_amount, net_amount, total_amount, currency, discount_id, allow_discount_codes,
		require_billing_address, customer_email, customer_name, billing_country, custom_field_data::jsonb,
		metadata::jsonb, success_url, return_url, checkout_link_id, query_string, expires_at, created_at FROM ok
), e AS (
	INSERT INTO events (id, organization_id, type, payload, created_at)
	SELECT ok.event_id, ok.organization_id, 'checkout.created', ok.payload::jsonb, ok.created_at
	FROM ok JOIN sub ON sub.organization_id = ok.organization_id
)
SELECT ok.id, ok.organization_id, sub.organization_id IS NOT NULL FROM ok LEFT JOIN sub ON sub.organization_id = ok.organization_id`

// scanPayload reads events.payload, NULL or "" meaning none.
type scanPayload struct{ p *[]byte }

func (s scanPayload) Scan(v any) error {
	var ns sql.NullString
	if err := ns.Scan(v); err != nil {
		return err
	}
	if ns.Valid && ns.String != "" {
		*s.p = []byte(ns.String)
	} else {
		*s.p = nil
	}
	return nil
}
