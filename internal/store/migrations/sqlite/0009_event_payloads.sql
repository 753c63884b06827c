-- An event that no endpoint subscribes to when it happens (most checkout.created
-- of link visits) is recorded without its payload and as already dispatched.
-- SQLite cannot drop the NOT NULL of events.payload without rebuilding the table,
-- so such an event stores the empty string (the store reads it as no payload).
-- An undispatched event always has its payload: the store writes '' only with
-- dispatched_at set.

-- Nothing reads events by organization but tests; the index cost every visit a
-- B-tree insert.
DROP INDEX events_org_created;
