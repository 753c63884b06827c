-- What the shop tells its customers (the dashboard's Settings page): a support
-- email and the shop's terms and privacy pages, shown on the checkout page and
-- read by the receipts and the customer portal. '' means not set.
ALTER TABLE organizations ADD COLUMN support_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN terms_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN privacy_url TEXT NOT NULL DEFAULT '';
