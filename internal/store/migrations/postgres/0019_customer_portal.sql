-- Receipts: every order gets a receipt number, sequential per organization
-- (organizations.receipt_count is the last one given, bumped in the transaction
-- that creates the order), and a receipt token, the unguessable part of its
-- receipt page's URL (/receipts/{token}). Existing orders are numbered here in
-- the order they were created.
ALTER TABLE organizations ADD COLUMN receipt_count bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN receipt_number bigint;
ALTER TABLE orders ADD COLUMN receipt_token text;
UPDATE orders SET receipt_number = n.rn, receipt_token = 'pl_r_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')
    FROM (SELECT id, row_number() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS rn FROM orders) n
    WHERE n.id = orders.id;
UPDATE organizations SET receipt_count = (SELECT count(*) FROM orders WHERE orders.organization_id = organizations.id);
CREATE UNIQUE INDEX orders_receipt_number ON orders (organization_id, receipt_number);
CREATE UNIQUE INDEX orders_receipt_token ON orders (receipt_token);

-- A customer signed in to the portal of their shop, by the API's
-- POST /v1/customer-sessions/ (a Bearer token) or by an emailed code (a cookie).
-- Only the token's SHA-256 is stored.
CREATE TABLE customer_sessions (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id     uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    token_hash      text NOT NULL UNIQUE,
    csrf            text NOT NULL,              -- the portal forms' token
    return_url      text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);
CREATE INDEX customer_sessions_expiry ON customer_sessions (expires_at);

-- One-time portal sign-in codes. A request for an email that is no customer
-- writes a row too (customer_id NULL, a code nobody is told), so both answers
-- cost the same and count against the same limits.
CREATE TABLE customer_session_codes (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    customer_id     uuid REFERENCES customers(id) ON DELETE CASCADE,
    email_lower     text NOT NULL,
    code_hash       text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0, -- wrong codes tried while it was live
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX customer_session_codes_email ON customer_session_codes (organization_id, email_lower, expires_at);

-- Fixed-window counters of rate limits shared by every process (portal sign-in
-- codes per email and per address).
CREATE TABLE rate_limits (
    key          text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL
);
