-- A customer's saved payment methods (the customer portal's payment methods,
-- Polar's CustomerPaymentMethod). processor_ref is what a renewal charges
-- (subscriptions.payment_method_ref): "cus_…/pm_…" on Stripe, the test token in
-- the sandbox. One method per customer is the default: the one their
-- subscriptions renew with.
CREATE TABLE payment_methods (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    processor       TEXT NOT NULL,
    processor_ref   TEXT NOT NULL,
    type            TEXT NOT NULL,
    brand           TEXT NOT NULL,
    last4           TEXT NOT NULL,
    exp_month       INTEGER NOT NULL,
    exp_year        INTEGER NOT NULL,
    is_default      BOOLEAN NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    modified_at     timestamptz
);
CREATE UNIQUE INDEX payment_methods_customer_ref ON payment_methods (customer_id, processor, processor_ref);
