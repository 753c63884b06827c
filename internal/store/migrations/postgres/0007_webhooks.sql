-- Webhooks: endpoints, one webhook event per (event, endpoint) pair — its id is the
-- webhook-id header, the same on every retry — and one delivery row per attempt.
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url             text NOT NULL,
    name            text,
    secret          text NOT NULL,
    format          text NOT NULL,
    events          jsonb NOT NULL,         -- JSON list of event types
    enabled         boolean NOT NULL,
    failing_since   timestamptz,            -- first failure of the current unbroken run of failures
    disabled_reason text,                   -- why paylink disabled it; NULL when enabled or disabled by hand
    created_at      timestamptz NOT NULL,
    modified_at     timestamptz
);
CREATE INDEX webhook_endpoints_org_created ON webhook_endpoints (organization_id, created_at);

CREATE TABLE webhook_events (
    id                     uuid PRIMARY KEY,
    organization_id        uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    endpoint_id            uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id               uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    type                   text NOT NULL,
    succeeded              boolean,         -- NULL until the first attempt
    last_http_code         integer,
    skipped                boolean NOT NULL DEFAULT false,
    redeliver_requested_at timestamptz,     -- set by redeliver; the dispatcher enqueues and clears it
    created_at             timestamptz NOT NULL,
    modified_at            timestamptz,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_events_org_created ON webhook_events (organization_id, created_at);
CREATE INDEX webhook_events_redeliver ON webhook_events (redeliver_requested_at) WHERE redeliver_requested_at IS NOT NULL;

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    webhook_event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    attempt          integer NOT NULL,      -- 1 for the first try of a job, then 2, 3, …
    http_code        integer,               -- NULL when the endpoint was unreachable
    succeeded        boolean NOT NULL,
    response         text,                  -- the first 2 KiB of the body, or the network error
    duration_ms      integer NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_org_created ON webhook_deliveries (organization_id, created_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_event_id);

-- The outbox's cursor: the dispatcher turns an event into delivery jobs and stamps it,
-- in one transaction. Events older than webhooks had no endpoint to go to.
ALTER TABLE events ADD COLUMN dispatched_at timestamptz;
UPDATE events SET dispatched_at = created_at;
CREATE INDEX events_undispatched ON events (created_at) WHERE dispatched_at IS NULL;
