-- Rollups and row counters (README "Analytics" and "Lists at any size").
--
-- Every row here is a sum of raw rows, kept exact by the store functions that
-- write those rows, in the same transaction (rollups.go: the deltas of a
-- transaction are added just before it commits, one upsert per counter row;
-- the PostgreSQL visit statement adds its sessions in the same statement).
-- A counter row is spread over a few shards (the writer picks one at random),
-- so concurrent transactions of one link rarely wait on one row lock; a count
-- is the sum over its shards. The statements below fill them from the rows
-- already there; TestRollupsMatchRawRows compares both ways of counting.

-- Per link and quarter hour (slot, as link_visit_counts) of the sessions'
-- creation: sessions, confirmed (confirmed_at set) and succeeded.
CREATE TABLE link_rollups (
    checkout_link_id uuid NOT NULL,
    slot             bigint NOT NULL,
    shard            smallint NOT NULL,
    sessions         bigint NOT NULL DEFAULT 0,
    confirmed        bigint NOT NULL DEFAULT 0,
    succeeded        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, slot, shard)
);

-- Per link, slot of the session's creation and currency: the net amounts of
-- the sessions' orders and what was refunded of them.
CREATE TABLE link_money_rollups (
    checkout_link_id uuid NOT NULL,
    slot             bigint NOT NULL,
    currency         text NOT NULL,
    shard            smallint NOT NULL,
    revenue          bigint NOT NULL DEFAULT 0,
    refunded         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, slot, currency, shard)
);

-- Per link, attribution key (utm_source, utm_medium, utm_campaign,
-- reference_id), value (present false: the key is absent) and bucket of the
-- session's creation, twice: span 0 by quarter hour (bucket = slot), span 1 by
-- UTC day (bucket = unix seconds / 86400), so a range reads whole days and
-- only its edges by quarter hour. currency '' holds sessions and succeeded; a
-- currency's row the net amounts of the sessions' orders in it.
CREATE TABLE link_breakdown_rollups (
    checkout_link_id uuid NOT NULL,
    key              text NOT NULL,
    span             smallint NOT NULL,
    bucket           bigint NOT NULL,
    present          boolean NOT NULL,
    value            text NOT NULL,
    currency         text NOT NULL,
    shard            smallint NOT NULL,
    sessions         bigint NOT NULL DEFAULT 0,
    succeeded        bigint NOT NULL DEFAULT 0,
    revenue          bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, key, span, bucket, present, value, currency, shard)
);

-- Per organization and slot of creation, for Polar's metrics: all its
-- sessions (the API's too) and how many succeeded; its orders per currency and
-- billing reason (count, net amounts, refunded of them).
CREATE TABLE org_rollups (
    organization_id uuid NOT NULL,
    slot            bigint NOT NULL,
    shard           smallint NOT NULL,
    sessions        bigint NOT NULL DEFAULT 0,
    succeeded       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, slot, shard)
);
CREATE TABLE org_order_rollups (
    organization_id uuid NOT NULL,
    slot            bigint NOT NULL,
    currency        text NOT NULL,
    billing_reason  text NOT NULL,
    shard           smallint NOT NULL,
    orders          bigint NOT NULL DEFAULT 0,
    revenue         bigint NOT NULL DEFAULT 0,
    refunded        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, slot, currency, billing_reason, shard)
);

-- Row counts of lists, by name: org:{id}:checkouts, org:{id}:orders,
-- org:{id}:subscriptions, link:{id}:sessions, link:{id}:orders,
-- link:{id}:visits (people's visits that opened no session), link:{id}:bots.
CREATE TABLE row_counts (
    name  text NOT NULL,
    shard smallint NOT NULL,
    n     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (name, shard)
);

INSERT INTO link_rollups (checkout_link_id, slot, shard, sessions, confirmed, succeeded)
SELECT checkout_link_id, floor(extract(epoch FROM created_at) / 900)::int8, 0, count(*), count(confirmed_at),
    count(*) FILTER (WHERE status = 'succeeded')
FROM checkouts WHERE checkout_link_id IS NOT NULL GROUP BY 1, 2;

INSERT INTO link_money_rollups (checkout_link_id, slot, currency, shard, revenue, refunded)
SELECT c.checkout_link_id, floor(extract(epoch FROM c.created_at) / 900)::int8, o.currency, 0, sum(o.net_amount), sum(o.refunded_amount)
FROM orders o JOIN checkouts c ON c.id = o.checkout_id WHERE c.checkout_link_id IS NOT NULL GROUP BY 1, 2, 3;

WITH x AS (
    SELECT c.checkout_link_id, k.key, s.span, floor(extract(epoch FROM c.created_at) / s.width)::int8 AS bucket,
        c.metadata ->> k.key AS value, c.status, c.id
    FROM checkouts c, unnest(ARRAY['utm_source', 'utm_medium', 'utm_campaign', 'reference_id']) k(key),
        (VALUES (0, 900), (1, 86400)) s(span, width)
    WHERE c.checkout_link_id IS NOT NULL
)
INSERT INTO link_breakdown_rollups (checkout_link_id, key, span, bucket, present, value, currency, shard, sessions, succeeded, revenue)
SELECT checkout_link_id, key, span, bucket, value IS NOT NULL, coalesce(value, ''), '', 0, count(*),
    count(*) FILTER (WHERE status = 'succeeded'), 0
FROM x GROUP BY 1, 2, 3, 4, 5, 6
UNION ALL
SELECT x.checkout_link_id, x.key, x.span, x.bucket, x.value IS NOT NULL, coalesce(x.value, ''), o.currency, 0, 0, 0, sum(o.net_amount)
FROM x JOIN orders o ON o.checkout_id = x.id GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO org_rollups (organization_id, slot, shard, sessions, succeeded)
SELECT organization_id, floor(extract(epoch FROM created_at) / 900)::int8, 0, count(*), count(*) FILTER (WHERE status = 'succeeded')
FROM checkouts GROUP BY 1, 2;

INSERT INTO org_order_rollups (organization_id, slot, currency, billing_reason, shard, orders, revenue, refunded)
SELECT organization_id, floor(extract(epoch FROM created_at) / 900)::int8, currency, billing_reason, 0, count(*), sum(net_amount), sum(refunded_amount)
FROM orders GROUP BY 1, 2, 3, 4;

INSERT INTO row_counts (name, shard, n)
SELECT 'org:' || organization_id || ':checkouts', 0, count(*) FROM checkouts GROUP BY organization_id
UNION ALL SELECT 'link:' || checkout_link_id || ':sessions', 0, count(*) FROM checkouts WHERE checkout_link_id IS NOT NULL GROUP BY checkout_link_id
UNION ALL SELECT 'org:' || organization_id || ':orders', 0, count(*) FROM orders GROUP BY organization_id
UNION ALL SELECT 'link:' || checkout_link_id || ':orders', 0, count(*) FROM orders WHERE checkout_link_id IS NOT NULL GROUP BY checkout_link_id
UNION ALL SELECT 'org:' || organization_id || ':subscriptions', 0, count(*) FROM subscriptions GROUP BY organization_id
UNION ALL SELECT 'link:' || checkout_link_id || ':visits', 0, sum(visits) FROM link_visit_counts GROUP BY checkout_link_id
UNION ALL SELECT 'link:' || checkout_link_id || ':bots', 0, sum(bot_visits) FROM link_visit_counts GROUP BY checkout_link_id;

-- The lists' filters and sort (created_at DESC, id): an index in exactly that
-- order serves a page by reading its rows and the offset's, with no sort and no
-- plan that sorts the whole link (PostgreSQL chose one at a million sessions:
-- 3.7 s for page 1 of a link's checkouts). They replace the ascending ones.
DROP INDEX checkouts_org_created;
DROP INDEX checkouts_link;
DROP INDEX orders_org_created;
CREATE INDEX checkouts_org_created ON checkouts (organization_id, created_at DESC, id);
CREATE INDEX checkouts_link ON checkouts (checkout_link_id, created_at DESC, id);
CREATE INDEX orders_org_created ON orders (organization_id, created_at DESC, id);
CREATE INDEX orders_link_created ON orders (checkout_link_id, created_at DESC, id) WHERE checkout_link_id IS NOT NULL;
