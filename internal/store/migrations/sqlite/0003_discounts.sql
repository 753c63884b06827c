-- Discounts (SPEC §3). code_lower holds lower(code) so that codes are unique per
-- organization ignoring case, among discounts that are not deleted. No foreign key
-- to products: the API checks product ids, and a deleted product simply no longer
-- matches.
CREATE TABLE discounts (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    type               TEXT NOT NULL CHECK (type IN ('percentage', 'fixed')),
    basis_points       INTEGER NOT NULL DEFAULT 0,
    amount             INTEGER NOT NULL DEFAULT 0,
    currency           TEXT NOT NULL DEFAULT '',
    duration           TEXT NOT NULL CHECK (duration IN ('once', 'forever', 'repeating')),
    duration_in_months INTEGER,
    code               TEXT,
    code_lower         TEXT,
    starts_at          TIMESTAMP,
    ends_at            TIMESTAMP,
    max_redemptions    INTEGER,
    redemptions_count  INTEGER NOT NULL DEFAULT 0 CHECK (redemptions_count >= 0),
    metadata           TEXT NOT NULL DEFAULT '{}',  -- JSON
    created_at         TIMESTAMP NOT NULL,
    modified_at        TIMESTAMP,
    deleted_at         TIMESTAMP
);
CREATE UNIQUE INDEX discounts_org_code ON discounts (organization_id, code_lower)
    WHERE deleted_at IS NULL AND code_lower IS NOT NULL;
CREATE INDEX discounts_org_created ON discounts (organization_id, created_at);

-- discount_products restricts a discount to products; none means every product.
CREATE TABLE discount_products (
    discount_id TEXT NOT NULL REFERENCES discounts(id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (discount_id, product_id)
);
CREATE INDEX discount_products_product ON discount_products (product_id);
