CREATE TABLE customers (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email           text NOT NULL,
    email_lower     TEXT NOT NULL,
    name            TEXT,
    billing_country TEXT,
    metadata        jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL,
    modified_at     timestamptz,
    UNIQUE (organization_id, email_lower)
);
CREATE INDEX customers_org_created ON customers (organization_id, created_at);

CREATE TABLE checkouts (
    id                      uuid PRIMARY KEY,
    organization_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    client_secret           TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL,
    product_ids             jsonb NOT NULL,            -- the switchable products, in order
    product_id              uuid NOT NULL,
    price_id                uuid NOT NULL,
    amount                  bigint NOT NULL,
    discount_amount         bigint NOT NULL,
    net_amount              bigint NOT NULL,
    total_amount            bigint NOT NULL,
    currency                TEXT NOT NULL,
    discount_id             uuid,
    allow_discount_codes    boolean NOT NULL,
    require_billing_address boolean NOT NULL,
    customer_id             uuid,
    customer_email          TEXT,
    customer_name           TEXT,
    billing_country         TEXT,
    custom_field_data       jsonb NOT NULL DEFAULT '{}',
    metadata                jsonb NOT NULL DEFAULT '{}',
    success_url             TEXT,
    return_url              TEXT,
    checkout_link_id        uuid,
    query_string            TEXT NOT NULL DEFAULT '',
    processor_ref           TEXT,
    discount_redeemed       boolean NOT NULL DEFAULT false, -- a redemption is held for this checkout
    completion_reserved     boolean NOT NULL DEFAULT false, -- a link completion is held for this checkout
    expires_at              timestamptz NOT NULL,
    created_at              timestamptz NOT NULL,
    modified_at             timestamptz
);
CREATE INDEX checkouts_org_created ON checkouts (organization_id, created_at);
CREATE INDEX checkouts_open_expiry ON checkouts (expires_at) WHERE status = 'open';
CREATE INDEX checkouts_link ON checkouts (checkout_link_id, created_at);

CREATE TABLE subscriptions (
    id                   uuid PRIMARY KEY,
    organization_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status               TEXT NOT NULL,
    customer_id          uuid NOT NULL REFERENCES customers(id),
    product_id           uuid NOT NULL,
    price_id             uuid NOT NULL,
    discount_id          uuid,
    checkout_id          uuid UNIQUE,
    checkout_link_id     uuid,
    amount               bigint NOT NULL,
    currency             TEXT NOT NULL,
    recurring_interval   TEXT NOT NULL,
    interval_count       INTEGER NOT NULL,
    current_period_start timestamptz NOT NULL,
    current_period_end   timestamptz NOT NULL,
    started_at           timestamptz NOT NULL,
    past_due_at          timestamptz,
    canceled_at          timestamptz,
    payment_method_ref   TEXT,
    renewal_attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz,
    metadata             jsonb NOT NULL DEFAULT '{}',
    custom_field_data    jsonb NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL,
    modified_at          timestamptz
);
CREATE INDEX subscriptions_org_created ON subscriptions (organization_id, created_at);
CREATE INDEX subscriptions_renewal ON subscriptions (current_period_end) WHERE status IN ('active', 'past_due');

CREATE TABLE orders (
    id                uuid PRIMARY KEY,
    organization_id   uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status            TEXT NOT NULL,
    billing_reason    TEXT NOT NULL,
    customer_id       uuid NOT NULL REFERENCES customers(id),
    product_id        uuid NOT NULL,
    price_id          uuid NOT NULL,
    discount_id       uuid,
    subscription_id   uuid REFERENCES subscriptions(id),
    checkout_id       uuid UNIQUE,               -- one order per checkout, whatever retries happen
    checkout_link_id  uuid,
    amount            bigint NOT NULL,
    discount_amount   bigint NOT NULL,
    net_amount        bigint NOT NULL,
    total_amount      bigint NOT NULL,
    currency          TEXT NOT NULL,
    metadata          jsonb NOT NULL DEFAULT '{}',
    custom_field_data jsonb NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL,
    modified_at       timestamptz
);
CREATE INDEX orders_org_created ON orders (organization_id, created_at);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_subscription ON orders (subscription_id);
