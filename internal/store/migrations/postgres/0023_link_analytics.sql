-- Per-link analytics (README "Analytics").
--
-- confirmed_at: when a session first reached confirm (CheckoutSave sets it the
-- first time the status becomes confirmed or succeeded, and never clears it), so
-- "confirmed" survives a failed payment returning the session to open.
ALTER TABLE checkouts ADD COLUMN confirmed_at timestamptz;
UPDATE checkouts SET confirmed_at = coalesce(modified_at, created_at) WHERE status IN ('confirmed', 'succeeded');

-- The visits of a link that opened no session (a session is the count of the
-- visit that opened it), counted by the visit writer in the batch that writes
-- the sessions: per quarter hour (slot = unix seconds / 900, so every IANA zone's
-- period boundaries fall on a slot boundary) and per shard (one of a few rows
-- each batch picks at random, so concurrent writers rarely wait on one row).
-- A link's count for a slot is the sum over its shards.
CREATE TABLE link_visit_counts (
    checkout_link_id uuid NOT NULL,
    slot             bigint NOT NULL,
    shard            smallint NOT NULL,
    visits           bigint NOT NULL DEFAULT 0, -- people's requests that opened no session (a session counts its own)
    bot_visits       bigint NOT NULL DEFAULT 0, -- bots, previews, prefetches and HEAD
    blocked_visits   bigint NOT NULL DEFAULT 0, -- people's requests to an inactive, expired or sold-out link
    PRIMARY KEY (checkout_link_id, slot, shard)
);

-- Bot visits were counted without a time: they go to the link's creation.
INSERT INTO link_visit_counts (checkout_link_id, slot, shard, bot_visits)
SELECT id, floor(extract(epoch FROM created_at) / 900)::bigint, 1, bot_visits FROM checkout_links WHERE bot_visits > 0;
ALTER TABLE checkout_links DROP COLUMN bot_visits;
