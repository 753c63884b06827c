-- Row counts of checkout sessions by status (issue 17, item 3), so that a list
-- filtered by status has an exact total_count without counting rows:
-- org:{id}:checkouts:{status} and link:{id}:sessions:{status} for every status
-- but open, kept by the writes that create a session or change its status. A
-- visit writes an open session and no counter for it: the open sessions are
-- the total (org:{id}:checkouts, link:{id}:sessions) less the other statuses.
INSERT INTO row_counts (name, shard, n)
SELECT 'org:' || organization_id || ':checkouts:' || status, 0, count(*) FROM checkouts
WHERE status <> 'open' GROUP BY organization_id, status
UNION ALL SELECT 'link:' || checkout_link_id || ':sessions:' || status, 0, count(*) FROM checkouts
WHERE checkout_link_id IS NOT NULL AND status <> 'open' GROUP BY checkout_link_id, status;

-- Row counts of the listed rows by metadata value, so that a list filtered by
-- one metadata key has an exact total_count: md:{org}:{kind}:{length of the
-- key}:{key}={value}, kept by the writes of metadata_index (store.metadataCounter).
INSERT INTO row_counts (name, shard, n)
SELECT 'md:' || org_id || ':' || kind || ':' || length(mkey) || ':' || mkey || '=' || mvalue, 0, count(*)
FROM metadata_index GROUP BY org_id, kind, mkey, mvalue;

-- A link's sessions by status, in the lists' order. Partial: the open session
-- a visit inserts does not enter it (the visit writes no more B-trees); open
-- sessions are the newest of a link (they expire), which its checkouts_link
-- reads first.
CREATE INDEX checkouts_link_status ON checkouts (checkout_link_id, status, created_at DESC, id) WHERE status <> 'open';
