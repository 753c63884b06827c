-- Three more spans of link_breakdown_rollups (issue 14): hours (span 2, bucket =
-- unix seconds / 3600), UTC months (span 3, bucket = months since January
-- 1970) and blocks of a month's days (span 4, bucket = month × 4 + 0 for days
-- 1–8, 1 for 9–16, 2 for 17–24, 3 for 25 on). LinkBreakdown reads a range as a
-- few buckets of the five spans, some subtracted (a 30-day range in Berlin: a
-- month, less an hour, plus an hour), instead of one bucket per UTC day and one
-- per quarter hour at its edges: about one row per value, however many sessions
-- the range holds. Filled from the quarter hours and the days counted so far.
INSERT INTO link_breakdown_rollups (checkout_link_id, key, span, bucket, present, value, currency, shard, sessions, succeeded, revenue)
SELECT checkout_link_id, key, 2, bucket / 4, present, value, currency, 0, sum(sessions), sum(succeeded), sum(revenue)
FROM link_breakdown_rollups WHERE span = 0 GROUP BY checkout_link_id, key, bucket / 4, present, value, currency
UNION ALL
SELECT checkout_link_id, key, 3, (CAST(strftime('%Y', bucket * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
		+ CAST(strftime('%m', bucket * 86400, 'unixepoch') AS INTEGER) - 1,
	present, value, currency, 0, sum(sessions), sum(succeeded), sum(revenue)
FROM link_breakdown_rollups WHERE span = 1
GROUP BY checkout_link_id, key, (CAST(strftime('%Y', bucket * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
		+ CAST(strftime('%m', bucket * 86400, 'unixepoch') AS INTEGER) - 1, present, value, currency
UNION ALL
SELECT checkout_link_id, key, 4, ((CAST(strftime('%Y', bucket * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
		+ CAST(strftime('%m', bucket * 86400, 'unixepoch') AS INTEGER) - 1) * 4
		+ min((CAST(strftime('%d', bucket * 86400, 'unixepoch') AS INTEGER) - 1) / 8, 3),
	present, value, currency, 0, sum(sessions), sum(succeeded), sum(revenue)
FROM link_breakdown_rollups WHERE span = 1
GROUP BY checkout_link_id, key, ((CAST(strftime('%Y', bucket * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
		+ CAST(strftime('%m', bucket * 86400, 'unixepoch') AS INTEGER) - 1) * 4
		+ min((CAST(strftime('%d', bucket * 86400, 'unixepoch') AS INTEGER) - 1) / 8, 3), present, value, currency;
