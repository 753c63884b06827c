CREATE TABLE checkout_links (
    id                      uuid PRIMARY KEY,
    organization_id         uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    client_secret           text NOT NULL UNIQUE,
    label                   text,
    allow_discount_codes    boolean NOT NULL DEFAULT true,
    require_billing_address boolean NOT NULL DEFAULT false,
    discount_id             uuid,
    success_url             text,
    return_url              text,
    metadata                jsonb NOT NULL DEFAULT '{}',
    active                  boolean NOT NULL DEFAULT true,
    inactive_message        text,
    expires_at              timestamptz,
    max_completions         integer,
    completions_count       integer NOT NULL DEFAULT 0,
    bot_visits              bigint NOT NULL DEFAULT 0,
    deleted_at              timestamptz,
    created_at              timestamptz NOT NULL,
    modified_at             timestamptz
);
CREATE INDEX checkout_links_org_created ON checkout_links (organization_id, created_at);

CREATE TABLE checkout_link_products (
    checkout_link_id uuid NOT NULL REFERENCES checkout_links(id) ON DELETE CASCADE,
    product_id       uuid NOT NULL,
    position         integer NOT NULL,
    PRIMARY KEY (checkout_link_id, position),
    UNIQUE (checkout_link_id, product_id)
);
CREATE INDEX checkout_link_products_product ON checkout_link_products (product_id);
