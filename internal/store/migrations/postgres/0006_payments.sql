-- payments records every charge attempt: the audit trail of money, one row per
-- call to the processor, written in the transaction that acts on its result.
CREATE TABLE payments (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    checkout_id     uuid,
    subscription_id uuid,
    order_id        uuid,
    processor       TEXT NOT NULL,
    processor_ref   TEXT NOT NULL,
    amount          bigint NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL,   -- succeeded | failed
    decline_code    TEXT,
    created_at      timestamptz NOT NULL
);
CREATE INDEX payments_checkout ON payments (checkout_id);
CREATE INDEX payments_subscription ON payments (subscription_id);
