-- Refunds of orders. An order's refunded_amount counts the refunds that
-- succeeded; refund_held_amount counts those asked of the processor and not yet
-- settled. internal/refunds raises the hold under the order's row lock before it
-- calls the processor, so refunded + held never exceeds what was paid, whatever
-- runs at once in however many processes.
ALTER TABLE orders ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refund_held_amount INTEGER NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    subscription_id TEXT,
    customer_id     TEXT NOT NULL,
    status          TEXT NOT NULL,   -- pending | succeeded | failed | canceled
    reason          TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    comment         TEXT,
    revoke_benefits INTEGER NOT NULL DEFAULT 0,
    metadata        TEXT NOT NULL DEFAULT '{}',
    processor       TEXT NOT NULL,
    processor_ref   TEXT,            -- the processor's id of the refund, once it answered
    failure_reason  TEXT,
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP
);
CREATE INDEX refunds_org_created ON refunds (organization_id, created_at);
CREATE INDEX refunds_order ON refunds (order_id);

-- A refund finds the payment of its order.
CREATE INDEX payments_order ON payments (order_id);
