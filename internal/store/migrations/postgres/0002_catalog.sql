-- The catalog: custom fields, products, their prices and the fields attached to them.
-- Every table carries organization_id so that every query can filter by tenant.

-- Custom fields are soft-deleted (deleted_at) so that orders keep a readable
-- definition of the data they hold; a slug is unique among live fields only.
CREATE TABLE custom_fields (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    type            text NOT NULL CHECK (type IN ('text', 'number', 'date', 'checkbox', 'select')),
    slug            text NOT NULL,
    name            text NOT NULL,
    properties      jsonb NOT NULL DEFAULT '{}',   -- JSON, per type
    metadata        jsonb NOT NULL DEFAULT '{}',   -- JSON
    created_at      timestamptz NOT NULL,
    modified_at     timestamptz,
    deleted_at      timestamptz
);
CREATE UNIQUE INDEX custom_fields_org_slug ON custom_fields (organization_id, slug) WHERE deleted_at IS NULL;
CREATE INDEX custom_fields_org_created ON custom_fields (organization_id, created_at);

-- Products are archived, never deleted: orders and links keep pointing at them.
CREATE TABLE products (
    id                       uuid PRIMARY KEY,
    organization_id          uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name                     text NOT NULL,
    description              text,
    recurring_interval       text CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
    recurring_interval_count integer CHECK (recurring_interval_count BETWEEN 1 AND 999),
    is_archived              boolean NOT NULL DEFAULT false,
    metadata                 jsonb NOT NULL DEFAULT '{}',   -- JSON
    created_at               timestamptz NOT NULL,
    modified_at              timestamptz
);
CREATE INDEX products_org_created ON products (organization_id, created_at);

-- A product has one live price; replaced prices are archived, because checkouts
-- and orders keep referring to the price they were made with. Money is minor units.
CREATE TABLE product_prices (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id      uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    amount_type     text NOT NULL CHECK (amount_type IN ('fixed', 'custom', 'free')),
    currency        text NOT NULL,
    price_amount    bigint NOT NULL DEFAULT 0 CHECK (price_amount >= 0),
    minimum_amount  bigint NOT NULL DEFAULT 0 CHECK (minimum_amount >= 0),
    maximum_amount  bigint CHECK (maximum_amount >= minimum_amount),
    preset_amount   bigint CHECK (preset_amount >= 0),
    is_archived     boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    modified_at     timestamptz
);
CREATE INDEX product_prices_product ON product_prices (product_id, is_archived);

CREATE TABLE product_custom_fields (
    product_id      uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    custom_field_id uuid NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    required        boolean NOT NULL DEFAULT false,
    position        integer NOT NULL,            -- the "order" on the wire
    PRIMARY KEY (product_id, custom_field_id)
);
CREATE INDEX product_custom_fields_field ON product_custom_fields (custom_field_id);
