-- The fold of link_breakdown_rollups (issue 14): the visit batch no longer adds
-- its sessions to the breakdown; a periodic job folds each closed quarter hour's
-- sessions into it. slot is the first slot not folded: the breakdown rollups
-- hold exactly the sessions of the slots before it, and readers add the raw rows
-- of the slots from it on. Until this migration every session was counted as it
-- was written, so the marker starts past the current slot (a session of this
-- slot written from now on has a slot before the marker, and its writer counts
-- it itself, as every writer does for a slot already folded).
CREATE TABLE breakdown_fold (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    slot INTEGER NOT NULL
);
INSERT INTO breakdown_fold (id, slot) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) / 900 + 1);
-- The fold finds the links of a slot's sessions here (then reads their sessions
-- by checkouts_link).
CREATE INDEX link_rollups_slot ON link_rollups (slot);
