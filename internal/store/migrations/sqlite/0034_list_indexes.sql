-- metadata_index: one row per metadata key of an order, a subscription or a
-- (not deleted) customer, written in the transaction that writes the row's
-- metadata, so that a list's ?metadata[key]=value filter is a range of this
-- key, read in the lists' sort order (created_at DESC, id), instead of a scan
-- of every row's JSON. mvalue is the value as the filter compares it: a string
-- as it is, a number as written, a boolean as true or false. The column names
-- differ from every listed table's, so a list joins it without qualifying its
-- own columns.
CREATE TABLE metadata_index (
    org_id         TEXT NOT NULL,
    kind           TEXT NOT NULL,   -- orders | subscriptions | customers
    mkey           TEXT NOT NULL,
    mvalue         TEXT NOT NULL,
    row_created_at TIMESTAMP NOT NULL,
    row_id         TEXT NOT NULL,
    PRIMARY KEY (org_id, kind, mkey, mvalue, row_created_at DESC, row_id)
) WITHOUT ROWID;
CREATE INDEX metadata_index_row ON metadata_index (row_id);

INSERT INTO metadata_index (org_id, kind, mkey, mvalue, row_created_at, row_id)
SELECT t.organization_id, 'orders', j.key,
    CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END, t.created_at, t.id
FROM orders t, json_each(t.metadata) j;
INSERT INTO metadata_index (org_id, kind, mkey, mvalue, row_created_at, row_id)
SELECT t.organization_id, 'subscriptions', j.key,
    CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END, t.created_at, t.id
FROM subscriptions t, json_each(t.metadata) j;
INSERT INTO metadata_index (org_id, kind, mkey, mvalue, row_created_at, row_id)
SELECT t.organization_id, 'customers', j.key,
    CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END, t.created_at, t.id
FROM customers t, json_each(t.metadata) j WHERE t.deleted_at IS NULL;

-- Every list filter served by an index in the lists' sort order, so a page and
-- its bounded count read only the rows that match.
CREATE INDEX checkouts_org_status ON checkouts (organization_id, status, created_at DESC, id);
CREATE INDEX checkouts_org_product ON checkouts (organization_id, product_id, created_at DESC, id);
CREATE INDEX checkouts_customer ON checkouts (customer_id, created_at DESC, id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_org_product ON orders (organization_id, product_id, created_at DESC, id);
CREATE INDEX orders_org_reason ON orders (organization_id, billing_reason, created_at DESC, id);
CREATE INDEX orders_discount ON orders (discount_id, created_at DESC, id) WHERE discount_id IS NOT NULL;
DROP INDEX orders_customer;
CREATE INDEX orders_customer ON orders (customer_id, created_at DESC, id);
DROP INDEX orders_subscription;
CREATE INDEX orders_subscription ON orders (subscription_id, created_at DESC, id);
CREATE INDEX subscriptions_org_status ON subscriptions (organization_id, status, created_at DESC, id);
CREATE INDEX subscriptions_org_product ON subscriptions (organization_id, product_id, created_at DESC, id);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, created_at DESC, id);
