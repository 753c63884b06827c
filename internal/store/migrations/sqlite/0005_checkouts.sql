CREATE TABLE customers (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    email_lower     TEXT NOT NULL,
    name            TEXT,
    billing_country TEXT,
    metadata        TEXT NOT NULL DEFAULT '{}',
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP,
    UNIQUE (organization_id, email_lower)
);
CREATE INDEX customers_org_created ON customers (organization_id, created_at);

CREATE TABLE checkouts (
    id                      TEXT PRIMARY KEY,
    organization_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    client_secret           TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL,
    product_ids             TEXT NOT NULL,            -- the switchable products, in order
    product_id              TEXT NOT NULL,
    price_id                TEXT NOT NULL,
    amount                  INTEGER NOT NULL,
    discount_amount         INTEGER NOT NULL,
    net_amount              INTEGER NOT NULL,
    total_amount            INTEGER NOT NULL,
    currency                TEXT NOT NULL,
    discount_id             TEXT,
    allow_discount_codes    INTEGER NOT NULL,
    require_billing_address INTEGER NOT NULL,
    customer_id             TEXT,
    customer_email          TEXT,
    customer_name           TEXT,
    billing_country         TEXT,
    custom_field_data       TEXT NOT NULL DEFAULT '{}',
    metadata                TEXT NOT NULL DEFAULT '{}',
    success_url             TEXT,
    return_url              TEXT,
    checkout_link_id        TEXT,
    query_string            TEXT NOT NULL DEFAULT '',
    processor_ref           TEXT,
    discount_redeemed       INTEGER NOT NULL DEFAULT 0, -- a redemption is held for this checkout
    completion_reserved     INTEGER NOT NULL DEFAULT 0, -- a link completion is held for this checkout
    expires_at              TIMESTAMP NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    modified_at             TIMESTAMP
);
CREATE INDEX checkouts_org_created ON checkouts (organization_id, created_at);
CREATE INDEX checkouts_open_expiry ON checkouts (expires_at) WHERE status = 'open';
CREATE INDEX checkouts_link ON checkouts (checkout_link_id, created_at);

CREATE TABLE subscriptions (
    id                   TEXT PRIMARY KEY,
    organization_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status               TEXT NOT NULL,
    customer_id          TEXT NOT NULL REFERENCES customers(id),
    product_id           TEXT NOT NULL,
    price_id             TEXT NOT NULL,
    discount_id          TEXT,
    checkout_id          TEXT UNIQUE,
    checkout_link_id     TEXT,
    amount               INTEGER NOT NULL,
    currency             TEXT NOT NULL,
    recurring_interval   TEXT NOT NULL,
    interval_count       INTEGER NOT NULL,
    current_period_start TIMESTAMP NOT NULL,
    current_period_end   TIMESTAMP NOT NULL,
    started_at           TIMESTAMP NOT NULL,
    past_due_at          TIMESTAMP,
    canceled_at          TIMESTAMP,
    payment_method_ref   TEXT,
    renewal_attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMP,
    metadata             TEXT NOT NULL DEFAULT '{}',
    custom_field_data    TEXT NOT NULL DEFAULT '{}',
    created_at           TIMESTAMP NOT NULL,
    modified_at          TIMESTAMP
);
CREATE INDEX subscriptions_org_created ON subscriptions (organization_id, created_at);
CREATE INDEX subscriptions_renewal ON subscriptions (current_period_end) WHERE status IN ('active', 'past_due');

CREATE TABLE orders (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status            TEXT NOT NULL,
    billing_reason    TEXT NOT NULL,
    customer_id       TEXT NOT NULL REFERENCES customers(id),
    product_id        TEXT NOT NULL,
    price_id          TEXT NOT NULL,
    discount_id       TEXT,
    subscription_id   TEXT REFERENCES subscriptions(id),
    checkout_id       TEXT UNIQUE,               -- one order per checkout, whatever retries happen
    checkout_link_id  TEXT,
    amount            INTEGER NOT NULL,
    discount_amount   INTEGER NOT NULL,
    net_amount        INTEGER NOT NULL,
    total_amount      INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    metadata          TEXT NOT NULL DEFAULT '{}',
    custom_field_data TEXT NOT NULL DEFAULT '{}',
    created_at        TIMESTAMP NOT NULL,
    modified_at       TIMESTAMP
);
CREATE INDEX orders_org_created ON orders (organization_id, created_at);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_subscription ON orders (subscription_id);
