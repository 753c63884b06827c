-- Discounts (SPEC §3). code_lower holds lower(code) so that codes are unique per
-- organization ignoring case, among discounts that are not deleted. No foreign key
-- to products: the API checks product ids, and a deleted product simply no longer
-- matches.
CREATE TABLE discounts (
    id                 uuid PRIMARY KEY,
    organization_id    uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name               text NOT NULL,
    type               text NOT NULL CHECK (type IN ('percentage', 'fixed')),
    basis_points       integer NOT NULL DEFAULT 0,
    amount             bigint NOT NULL DEFAULT 0,
    currency           text NOT NULL DEFAULT '',
    duration           text NOT NULL CHECK (duration IN ('once', 'forever', 'repeating')),
    duration_in_months integer,
    code               text,
    code_lower         text,
    starts_at          timestamptz,
    ends_at            timestamptz,
    max_redemptions    bigint,
    redemptions_count  bigint NOT NULL DEFAULT 0 CHECK (redemptions_count >= 0),
    metadata           jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    modified_at        timestamptz,
    deleted_at         timestamptz
);
CREATE UNIQUE INDEX discounts_org_code ON discounts (organization_id, code_lower)
    WHERE deleted_at IS NULL AND code_lower IS NOT NULL;
CREATE INDEX discounts_org_created ON discounts (organization_id, created_at);

-- discount_products restricts a discount to products; none means every product.
CREATE TABLE discount_products (
    discount_id uuid NOT NULL REFERENCES discounts(id) ON DELETE CASCADE,
    product_id  uuid NOT NULL,
    position    integer NOT NULL,
    PRIMARY KEY (discount_id, product_id)
);
CREATE INDEX discount_products_product ON discount_products (product_id);
