-- The catalog: custom fields, products, their prices and the fields attached to them.
-- Every table carries organization_id so that every query can filter by tenant.

-- Custom fields are soft-deleted (deleted_at) so that orders keep a readable
-- definition of the data they hold; a slug is unique among live fields only.
CREATE TABLE custom_fields (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type            TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'checkbox', 'select')),
    slug            TEXT NOT NULL,
    name            TEXT NOT NULL,
    properties      TEXT NOT NULL DEFAULT '{}',   -- JSON, per type
    metadata        TEXT NOT NULL DEFAULT '{}',   -- JSON
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP,
    deleted_at      TIMESTAMP
);
CREATE UNIQUE INDEX custom_fields_org_slug ON custom_fields (organization_id, slug) WHERE deleted_at IS NULL;
CREATE INDEX custom_fields_org_created ON custom_fields (organization_id, created_at);

-- Products are archived, never deleted: orders and links keep pointing at them.
CREATE TABLE products (
    id                       TEXT PRIMARY KEY,
    organization_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    description              TEXT,
    recurring_interval       TEXT CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
    recurring_interval_count INTEGER CHECK (recurring_interval_count BETWEEN 1 AND 999),
    is_archived              INTEGER NOT NULL DEFAULT 0,
    metadata                 TEXT NOT NULL DEFAULT '{}',   -- JSON
    created_at               TIMESTAMP NOT NULL,
    modified_at              TIMESTAMP
);
CREATE INDEX products_org_created ON products (organization_id, created_at);

-- A product has one live price; replaced prices are archived, because checkouts
-- and orders keep referring to the price they were made with. Money is minor units.
CREATE TABLE product_prices (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id      TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    amount_type     TEXT NOT NULL CHECK (amount_type IN ('fixed', 'custom', 'free')),
    currency        TEXT NOT NULL,
    price_amount    INTEGER NOT NULL DEFAULT 0 CHECK (price_amount >= 0),
    minimum_amount  INTEGER NOT NULL DEFAULT 0 CHECK (minimum_amount >= 0),
    maximum_amount  INTEGER CHECK (maximum_amount >= minimum_amount),
    preset_amount   INTEGER CHECK (preset_amount >= 0),
    is_archived     INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP
);
CREATE INDEX product_prices_product ON product_prices (product_id, is_archived);

CREATE TABLE product_custom_fields (
    product_id      TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    custom_field_id TEXT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    required        INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL,            -- the "order" on the wire
    PRIMARY KEY (product_id, custom_field_id)
);
CREATE INDEX product_custom_fields_field ON product_custom_fields (custom_field_id);
