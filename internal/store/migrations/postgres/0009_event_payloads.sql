-- An event that no endpoint subscribes to when it happens (most checkout.created
-- of link visits) is recorded without its payload and as already dispatched: the
-- outbox keeps the fact, and the hot path does not write kilobytes nobody reads.
-- An undispatched event always has its payload.
ALTER TABLE events ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_payload_needed CHECK (payload IS NOT NULL OR dispatched_at IS NOT NULL);

-- Nothing reads events by organization but tests; the index cost every visit a
-- B-tree insert.
DROP INDEX events_org_created;
