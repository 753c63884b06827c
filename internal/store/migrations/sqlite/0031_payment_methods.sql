-- A customer's saved payment methods (the customer portal's payment methods,
-- Polar's CustomerPaymentMethod). processor_ref is what a renewal charges
-- (subscriptions.payment_method_ref): "cus_…/pm_…" on Stripe, the test token in
-- the sandbox. One method per customer is the default: the one their
-- subscriptions renew with.
CREATE TABLE payment_methods (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id     TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    processor       TEXT NOT NULL,
    processor_ref   TEXT NOT NULL,
    type            TEXT NOT NULL,
    brand           TEXT NOT NULL,
    last4           TEXT NOT NULL,
    exp_month       INTEGER NOT NULL,
    exp_year        INTEGER NOT NULL,
    is_default      INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP
);
CREATE UNIQUE INDEX payment_methods_customer_ref ON payment_methods (customer_id, processor, processor_ref);
