package store

import (
	"context"
	"errors"
	"math/bits"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// visitsCreatePostgres writes the batch in one statement: the visits arrive as
// arrays (one bound parameter per column, so the statement text is the same for
// every batch and stays prepared), are joined with their link's current row,
// and the sessions of those that pass are inserted, with the events of those
// whose organization has a subscribed endpoint. A subscribed organization's
// visit without a payload inserts an undispatched event without payload, which
// breaks the events_payload_needed check and fails the whole statement. The
// same statement adds the counts (visits that opened no session), summed per
// link and slot in Go, to link_visit_counts, in one shard picked for the batch.
func (s *Store) visitsCreatePostgres(ctx context.Context, vs []*Visit, counts []VisitCount) (VisitsResult, error) {
	args, index, res := visitsArgsPostgres(vs)
	shard, release := s.takeVisitShard()
	defer release()
	args = append(args, countsArgsPostgres(counts, shard)...)
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

// countsArgsPostgres is the counts, tallied, as the statement's arguments $30 to
// $36: one array per column, the shard of link_visit_counts and that of the
// rollups and row counts (the statement adds its sessions to those itself).
func countsArgsPostgres(counts []VisitCount, shard int16) []any {
	ts := tallyVisits(counts)
	links, slots := make([]pgtype.UUID, len(ts)), make([]int64, len(ts))
	visits, bots, blocked := make([]int64, len(ts)), make([]int64, len(ts)), make([]int64, len(ts))
	for i, t := range ts {
		links[i], slots[i], visits[i], bots[i], blocked[i] = binaryUUID(t.link), t.slot, t.visits, t.bots, t.blocked
	}
	return []any{links, slots, visits, bots, blocked, randomShard(), shard}
}

// takeVisitShard is the shard the visit statement adds its sessions to, and
// its release: the lowest of counterShards past those of transactions
// (Engine.counterShard) that no other visit statement of this process holds,
// so a statement (whose data-modifying CTEs lock rows in an order of their own)
// and a transaction never wait on each other's counter rows, and cannot
// deadlock, and two visit writers never wait on each other's either. (A place
// among the statements in flight, as before, gave a writer that started while
// the other still ran the other's shard: the two then updated the same rows and
// committed one after the other, Lock:transactionid in the bench, BENCHMARKS.md.)
// With every shard held, the statement shares the last one. Within each kind,
// rows are locked in key order.
func (s *Store) takeVisitShard() (int16, func()) {
	for {
		held := s.visitShards.Load()
		i := bits.TrailingZeros32(^held)
		if i >= counterShards {
			return int16(2*counterShards - 1), func() {}
		}
		if s.visitShards.CompareAndSwap(held, held|1<<i) {
			return int16(counterShards + i), func() { s.visitShards.And(^uint32(1 << i)) }
		}
	}
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
	subscribed, err := queryAll(ctx, s.DB, scanString, `SELECT DISTINCT w.organization_id FROM webhook_endpoints w
		WHERE `+subscribedPostgres+` AND w.organization_id = ANY($1::uuid[])`, orgs)
	if err != nil {
		return err
	}
	need := &NeedPayloadsError{Organizations: subscribed}
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
), n AS (
	INSERT INTO link_visit_counts AS t (checkout_link_id, slot, shard, visits, bot_visits, blocked_visits)
	SELECT link, slot, $35::int2, visits, bots, blocked
	FROM unnest($30::uuid[], $31::int8[], $32::int8[], $33::int8[], $34::int8[]) x(link, slot, visits, bots, blocked)
	ON CONFLICT (checkout_link_id, slot, shard) DO UPDATE SET visits = t.visits + excluded.visits,
		bot_visits = t.bot_visits + excluded.bot_visits, blocked_visits = t.blocked_visits + excluded.blocked_visits
), og AS (
	INSERT INTO org_rollups AS t (organization_id, slot, shard, sessions)
	SELECT organization_id, floor(extract(epoch FROM created_at) / 900)::int8, $36::int2, count(*) FROM ok GROUP BY 1, 2 ORDER BY 1, 2
	ON CONFLICT (organization_id, slot, shard) DO UPDATE SET sessions = t.sessions + excluded.sessions
), r AS (
	INSERT INTO link_rollups AS t (checkout_link_id, slot, shard, sessions)
	SELECT checkout_link_id, floor(extract(epoch FROM created_at) / 900)::int8, $36::int2, count(*) FROM ok GROUP BY 1, 2 ORDER BY 1, 2
	ON CONFLICT (checkout_link_id, slot, shard) DO UPDATE SET sessions = t.sessions + excluded.sessions
), fm AS (
	SELECT slot FROM breakdown_fold WHERE id = 1 FOR SHARE
), b AS (
	INSERT INTO link_breakdown_rollups AS t (checkout_link_id, key, span, bucket, present, value, currency, shard, sessions)
	SELECT ok.checkout_link_id, k.key, s.span, CASE WHEN s.width > 0 THEN floor(extract(epoch FROM ok.created_at) / s.width)::int8
			ELSE ((extract(year FROM ok.created_at AT TIME ZONE 'UTC') - 1970) * 12 + extract(month FROM ok.created_at AT TIME ZONE 'UTC') - 1)::int8
				* CASE WHEN s.width = 0 THEN 1 ELSE 4 END
				+ CASE WHEN s.width = 0 THEN 0 ELSE least((extract(day FROM ok.created_at AT TIME ZONE 'UTC')::int8 - 1) / 8, 3) END END,
		ok.metadata::jsonb ->> k.key IS NOT NULL, coalesce(ok.metadata::jsonb ->> k.key, ''), '', $36::int2, count(*)
	FROM ok JOIN fm ON floor(extract(epoch FROM ok.created_at) / 900)::int8 < fm.slot,
		unnest(ARRAY['utm_source', 'utm_medium', 'utm_campaign', 'reference_id']) k(key),
		(VALUES (0, 900), (1, 86400), (2, 3600), (3, 0), (4, -1)) s(span, width)
	GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
	ON CONFLICT (checkout_link_id, key, span, bucket, present, value, currency, shard)
		DO UPDATE SET sessions = t.sessions + excluded.sessions
), rc AS (
	INSERT INTO row_counts AS t (name, shard, n)
	SELECT name, $36::int2, sum(n) FROM (
		SELECT 'org:' || organization_id || ':checkouts' AS name, count(*) AS n FROM ok GROUP BY 1
		UNION ALL SELECT 'link:' || checkout_link_id || ':sessions', count(*) FROM ok GROUP BY 1
		UNION ALL SELECT 'link:' || link || ':visits', visits FROM unnest($30::uuid[], $32::int8[]) x(link, visits) WHERE visits <> 0
		UNION ALL SELECT 'link:' || link || ':bots', bots FROM unnest($30::uuid[], $33::int8[]) x(link, bots) WHERE bots <> 0
	) x GROUP BY name ORDER BY name
	ON CONFLICT (name, shard) DO UPDATE SET n = t.n + excluded.n
)
SELECT ok.id, ok.organization_id, sub.organization_id IS NOT NULL FROM ok LEFT JOIN sub ON sub.organization_id = ok.organization_id`
