-- Customers of auth integrations: the merchant's own user id (external_id, unique
-- per organization among live customers) and deletion. A deleted customer stays
-- for the orders and subscriptions that name it, but frees its email (email_lower
-- is rewritten to 'deleted:<id>') and its external id (moved to metadata, as Polar
-- keeps it under __external_id).
ALTER TABLE customers ADD COLUMN external_id TEXT;
ALTER TABLE customers ADD COLUMN deleted_at timestamptz;
CREATE UNIQUE INDEX customers_org_external_id ON customers (organization_id, external_id);

-- A checkout for the merchant's user (external_customer_id): its customer gets the
-- external id when the checkout succeeds.
ALTER TABLE checkouts ADD COLUMN external_customer_id TEXT;
