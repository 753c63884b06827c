-- The email log: one row per email paylink sends (or keeps, without SMTP), written
-- in the transaction of the change that causes it, next to its send job. The
-- bodies are rendered when the email is queued, so the log shows exactly what
-- went out; a kind whose body holds a secret (a sign-in link) has its bodies
-- emptied once sent, or at once when there is no SMTP server to send them to.
CREATE TABLE emails (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,          -- receipt, sign_in_link, … (internal/mail kinds)
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    order_id        TEXT,                   -- what the email is about, when it is about one
    subscription_id TEXT,
    customer_id     TEXT,
    user_id         TEXT,
    status          TEXT NOT NULL,          -- queued, sent, failed (retrying), kept (no SMTP)
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    modified_at     TIMESTAMP
);
CREATE INDEX emails_org_created ON emails (organization_id, created_at);
CREATE INDEX emails_to_kind ON emails (to_address, kind, created_at);
CREATE INDEX emails_order ON emails (order_id) WHERE order_id IS NOT NULL;
