-- Webhooks: endpoints, one webhook event per (event, endpoint) pair — its id is the
-- webhook-id header, the same on every retry — and one delivery row per attempt.
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    name            TEXT,
    secret          TEXT NOT NULL,
    format          TEXT NOT NULL,
    events          TEXT NOT NULL,          -- JSON list of event types
    enabled         INTEGER NOT NULL,
    failing_since   TIMESTAMP,              -- first failure of the current unbroken run of failures
    disabled_reason TEXT,                   -- why paylink disabled it; NULL when enabled or disabled by hand
    created_at      TIMESTAMP NOT NULL,
    modified_at     TIMESTAMP
);
CREATE INDEX webhook_endpoints_org_created ON webhook_endpoints (organization_id, created_at);

CREATE TABLE webhook_events (
    id                     TEXT PRIMARY KEY,
    organization_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    endpoint_id            TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id               TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    type                   TEXT NOT NULL,
    succeeded              INTEGER,         -- NULL until the first attempt
    last_http_code         INTEGER,
    skipped                INTEGER NOT NULL DEFAULT 0,
    redeliver_requested_at TIMESTAMP,       -- set by redeliver; the dispatcher enqueues and clears it
    created_at             TIMESTAMP NOT NULL,
    modified_at            TIMESTAMP,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_events_org_created ON webhook_events (organization_id, created_at);
CREATE INDEX webhook_events_redeliver ON webhook_events (redeliver_requested_at) WHERE redeliver_requested_at IS NOT NULL;

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    webhook_event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    attempt          INTEGER NOT NULL,      -- 1 for the first try of a job, then 2, 3, …
    http_code        INTEGER,               -- NULL when the endpoint was unreachable
    succeeded        INTEGER NOT NULL,
    response         TEXT,                  -- the first 2 KiB of the body, or the network error
    duration_ms      INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_org_created ON webhook_deliveries (organization_id, created_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_event_id);

-- The outbox's cursor: the dispatcher turns an event into delivery jobs and stamps it,
-- in one transaction. Events older than webhooks had no endpoint to go to.
ALTER TABLE events ADD COLUMN dispatched_at TIMESTAMP;
UPDATE events SET dispatched_at = created_at;
CREATE INDEX events_undispatched ON events (created_at) WHERE dispatched_at IS NULL;
