-- Per-link analytics (README "Analytics"); the PostgreSQL migration says why.
ALTER TABLE checkouts ADD COLUMN confirmed_at TIMESTAMP;
UPDATE checkouts SET confirmed_at = coalesce(modified_at, created_at) WHERE status IN ('confirmed', 'succeeded');

CREATE TABLE link_visit_counts (
    checkout_link_id TEXT NOT NULL,
    slot             INTEGER NOT NULL,
    shard            INTEGER NOT NULL,
    visits           INTEGER NOT NULL DEFAULT 0,
    bot_visits       INTEGER NOT NULL DEFAULT 0,
    blocked_visits   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (checkout_link_id, slot, shard)
) WITHOUT ROWID;

INSERT INTO link_visit_counts (checkout_link_id, slot, shard, bot_visits)
SELECT id, unixepoch(created_at) / 900, 1, bot_visits FROM checkout_links WHERE bot_visits > 0;
ALTER TABLE checkout_links DROP COLUMN bot_visits;
