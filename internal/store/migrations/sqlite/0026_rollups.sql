-- Rollups and row counters (README "Analytics"); the PostgreSQL migration says why.
CREATE TABLE link_rollups (
    checkout_link_id TEXT NOT NULL,
    slot             INTEGER NOT NULL,
    shard            INTEGER NOT NULL,
    sessions         INTEGER NOT NULL DEFAULT 0,
    confirmed        INTEGER NOT NULL DEFAULT 0,
    succeeded        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, slot, shard)
) WITHOUT ROWID;

CREATE TABLE link_money_rollups (
    checkout_link_id TEXT NOT NULL,
    slot             INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    shard            INTEGER NOT NULL,
    revenue          INTEGER NOT NULL DEFAULT 0,
    refunded         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, slot, currency, shard)
) WITHOUT ROWID;

CREATE TABLE link_breakdown_rollups (
    checkout_link_id TEXT NOT NULL,
    key              TEXT NOT NULL,
    span             INTEGER NOT NULL,
    bucket           INTEGER NOT NULL,
    present          BOOLEAN NOT NULL,
    value            TEXT NOT NULL,
    currency         TEXT NOT NULL,
    shard            INTEGER NOT NULL,
    sessions         INTEGER NOT NULL DEFAULT 0,
    succeeded        INTEGER NOT NULL DEFAULT 0,
    revenue          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, key, span, bucket, present, value, currency, shard)
) WITHOUT ROWID;

CREATE TABLE org_rollups (
    organization_id TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    shard           INTEGER NOT NULL,
    sessions        INTEGER NOT NULL DEFAULT 0,
    succeeded       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, slot, shard)
) WITHOUT ROWID;
CREATE TABLE org_order_rollups (
    organization_id TEXT NOT NULL,
    slot            INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    billing_reason  TEXT NOT NULL,
    shard           INTEGER NOT NULL,
    orders          INTEGER NOT NULL DEFAULT 0,
    revenue         INTEGER NOT NULL DEFAULT 0,
    refunded        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, slot, currency, billing_reason, shard)
) WITHOUT ROWID;

CREATE TABLE row_counts (
    name  TEXT NOT NULL,
    shard INTEGER NOT NULL,
    n     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (name, shard)
) WITHOUT ROWID;

INSERT INTO link_rollups (checkout_link_id, slot, shard, sessions, confirmed, succeeded)
SELECT checkout_link_id, unixepoch(created_at) / 900, 0, count(*), count(confirmed_at), sum(status = 'succeeded')
FROM checkouts WHERE checkout_link_id IS NOT NULL GROUP BY 1, 2;

INSERT INTO link_money_rollups (checkout_link_id, slot, currency, shard, revenue, refunded)
SELECT c.checkout_link_id, unixepoch(c.created_at) / 900, o.currency, 0, sum(o.net_amount), sum(o.refunded_amount)
FROM orders o JOIN checkouts c ON c.id = o.checkout_id WHERE c.checkout_link_id IS NOT NULL GROUP BY 1, 2, 3;

-- A value is the metadata's text (true and false as words, as PostgreSQL's ->> gives them).
WITH k(key) AS (VALUES ('utm_source'), ('utm_medium'), ('utm_campaign'), ('reference_id')),
s(span, width) AS (VALUES (0, 900), (1, 86400)),
x AS (
    SELECT c.checkout_link_id, k.key, s.span, unixepoch(c.created_at) / s.width AS bucket,
        CASE json_type(c.metadata, '$."' || k.key || '"') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
            ELSE json_extract(c.metadata, '$."' || k.key || '"') END AS value, c.status, c.id
    FROM checkouts c, k, s WHERE c.checkout_link_id IS NOT NULL
)
INSERT INTO link_breakdown_rollups (checkout_link_id, key, span, bucket, present, value, currency, shard, sessions, succeeded, revenue)
SELECT checkout_link_id, key, span, bucket, value IS NOT NULL, coalesce(value, ''), '', 0, count(*), sum(status = 'succeeded'), 0
FROM x GROUP BY 1, 2, 3, 4, 5, 6
UNION ALL
SELECT x.checkout_link_id, x.key, x.span, x.bucket, x.value IS NOT NULL, coalesce(x.value, ''), o.currency, 0, 0, 0, sum(o.net_amount)
FROM x JOIN orders o ON o.checkout_id = x.id GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO org_rollups (organization_id, slot, shard, sessions, succeeded)
SELECT organization_id, unixepoch(created_at) / 900, 0, count(*), sum(status = 'succeeded') FROM checkouts GROUP BY 1, 2;

INSERT INTO org_order_rollups (organization_id, slot, currency, billing_reason, shard, orders, revenue, refunded)
SELECT organization_id, unixepoch(created_at) / 900, currency, billing_reason, 0, count(*), sum(net_amount), sum(refunded_amount)
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
