-- Benefits (internal/benefits): what a product delivers once paid. Polar's types;
-- paylink grants custom notes and license keys (downloadables plug in later).
-- Benefits are soft-deleted: grants and keys keep a readable benefit.
CREATE TABLE benefits (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type            TEXT NOT NULL,
    description     TEXT NOT NULL,
    properties      TEXT NOT NULL DEFAULT '{}',   -- JSON, per type
    metadata        TEXT NOT NULL DEFAULT '{}',   -- JSON
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP,
    deleted_at      TIMESTAMP
);
CREATE INDEX benefits_org_created ON benefits (organization_id, created_at);

-- A product's benefits, in order.
CREATE TABLE product_benefits (
    product_id      TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    benefit_id      TEXT NOT NULL REFERENCES benefits(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (product_id, benefit_id)
);
CREATE INDEX product_benefits_benefit ON product_benefits (benefit_id);

-- A grant of a benefit to a customer for an order (one-time) or a subscription.
-- scope is "order:{id}" or "subscription:{id}": the unique key makes granting
-- idempotent under retries and concurrent processes.
CREATE TABLE benefit_grants (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    benefit_id      TEXT NOT NULL REFERENCES benefits(id),
    customer_id     TEXT NOT NULL REFERENCES customers(id),
    order_id        TEXT,
    subscription_id TEXT,
    scope           TEXT NOT NULL,
    granted_at      TIMESTAMP,
    revoked_at      TIMESTAMP,
    properties      TEXT NOT NULL DEFAULT '{}',   -- JSON, per type
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP
);
CREATE UNIQUE INDEX benefit_grants_scope ON benefit_grants (benefit_id, customer_id, scope);
CREATE INDEX benefit_grants_org_created ON benefit_grants (organization_id, created_at);
CREATE INDEX benefit_grants_order ON benefit_grants (order_id);
CREATE INDEX benefit_grants_subscription ON benefit_grants (subscription_id);

-- License keys: one per license_keys grant. The key is kept to be shown to its
-- customer; validation finds it by key_hash (SHA-256 of the key).
CREATE TABLE license_keys (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id       TEXT NOT NULL REFERENCES customers(id),
    benefit_id        TEXT NOT NULL REFERENCES benefits(id),
    grant_id          TEXT NOT NULL UNIQUE REFERENCES benefit_grants(id),
    key               TEXT NOT NULL,
    key_hash          TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('granted', 'revoked', 'disabled')),
    limit_activations INTEGER,
    usage             INTEGER NOT NULL DEFAULT 0,
    limit_usage       INTEGER,
    validations       INTEGER NOT NULL DEFAULT 0,
    last_validated_at TIMESTAMP,
    expires_at        TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    modified_at       TIMESTAMP
);
CREATE UNIQUE INDEX license_keys_org_hash ON license_keys (organization_id, key_hash);
CREATE INDEX license_keys_org_created ON license_keys (organization_id, created_at);

-- A key's activations (devices); a deactivated one is soft-deleted.
CREATE TABLE license_key_activations (
    id              TEXT PRIMARY KEY,
    license_key_id  TEXT NOT NULL REFERENCES license_keys(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    label           TEXT NOT NULL,
    conditions      TEXT NOT NULL DEFAULT '{}',   -- JSON
    meta            TEXT NOT NULL DEFAULT '{}',   -- JSON
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP,
    deleted_at      TIMESTAMP
);
CREATE INDEX license_key_activations_key ON license_key_activations (license_key_id, created_at);
