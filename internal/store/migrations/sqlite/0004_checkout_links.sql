CREATE TABLE checkout_links (
    id                      TEXT PRIMARY KEY,
    organization_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    client_secret           TEXT NOT NULL UNIQUE,
    label                   TEXT,
    allow_discount_codes    INTEGER NOT NULL DEFAULT 1,
    require_billing_address INTEGER NOT NULL DEFAULT 0,
    discount_id             TEXT,
    success_url             TEXT,
    return_url              TEXT,
    metadata                TEXT NOT NULL DEFAULT '{}',
    active                  INTEGER NOT NULL DEFAULT 1,
    inactive_message        TEXT,
    expires_at              TIMESTAMP,
    max_completions         INTEGER,
    completions_count       INTEGER NOT NULL DEFAULT 0,
    bot_visits              INTEGER NOT NULL DEFAULT 0,
    deleted_at              TIMESTAMP,
    created_at              TIMESTAMP NOT NULL,
    modified_at             TIMESTAMP
);
CREATE INDEX checkout_links_org_created ON checkout_links (organization_id, created_at);

CREATE TABLE checkout_link_products (
    checkout_link_id TEXT NOT NULL REFERENCES checkout_links(id) ON DELETE CASCADE,
    product_id       TEXT NOT NULL,
    position         INTEGER NOT NULL,
    PRIMARY KEY (checkout_link_id, position),
    UNIQUE (checkout_link_id, product_id)
);
CREATE INDEX checkout_link_products_product ON checkout_link_products (product_id);
