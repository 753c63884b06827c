-- payments records every charge attempt: the audit trail of money, one row per
-- call to the processor, written in the transaction that acts on its result.
CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    checkout_id     TEXT,
    subscription_id TEXT,
    order_id        TEXT,
    processor       TEXT NOT NULL,
    processor_ref   TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL,   -- succeeded | failed
    decline_code    TEXT,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX payments_checkout ON payments (checkout_id);
CREATE INDEX payments_subscription ON payments (subscription_id);
