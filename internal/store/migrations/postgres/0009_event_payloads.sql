-- An event that no endpoint subscribes to when it happens (most checkout.created
-- of link visits) is recorded without its payload and as already dispatched: the
-- outbox keeps the fact, and the hot path does not write kilobytes nobody reads.
-- An undispatched event always has its payload.
ALTER TABLE events ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_payload_needed CHECK (payload IS NOT NULL OR dispatched_at IS NOT NULL);

-- Nothing reads events by organization but tests; the index cost every visit a
-- B-tree insert.
DROP INDEX events_org_created;

-- checkouts and events take a row per link visit. Their foreign key to
-- organizations cost each visit two trigger queries and a share lock on the
-- organization's row (a quarter of PostgreSQL's CPU per visit, measured with
-- paylink-bench: 39 → 30 µs). Organizations are never deleted, and the writes
-- keep the reference true themselves: a visit's session is inserted only joined
-- with its link of the same organization, a programmatic checkout only for the
-- organization of the token. (SQLite keeps its keys: dropping one there means
-- rebuilding the table, and its check is an in-process index lookup.)
ALTER TABLE checkouts DROP CONSTRAINT checkouts_organization_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_organization_id_fkey;
