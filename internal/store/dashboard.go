package store

import "context"

// LinkCounts are the traffic of one checkout link as the dashboard lists it.
type LinkCounts struct {
	Visits    int // people's visits: the sessions plus the visits that opened none
	BotVisits int // previews and crawlers: counted apart, never given a session
	Sessions  int // checkout sessions the link's visits opened
	Orders    int // orders attributed to the link
}

// CheckoutLinkCounts returns the counts of the organization's links with the ids
// (other organizations' ids are left out), keyed by link id, from the row
// counters (rollups.go): a few rows per link, whatever its traffic.
func (tx *Tx) CheckoutLinkCounts(ctx context.Context, orgID string, ids []string) (map[string]LinkCounts, error) {
	out := make(map[string]LinkCounts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var args Args
	org := args.Add(orgID)
	count := func(what string) string {
		return `(SELECT coalesce(sum(r.n), 0) FROM row_counts r WHERE r.name = 'link:' || l.id || ':` + what + `')`
	}
	rows, err := tx.QueryContext(ctx, `SELECT l.id, `+count("visits")+`, `+count("bots")+`, `+count("sessions")+`, `+count("orders")+`
		FROM checkout_links l WHERE l.organization_id = `+org+` AND l.id IN `+args.In(ids), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c LinkCounts
		if err := rows.Scan(&id, &c.Visits, &c.BotVisits, &c.Sessions, &c.Orders); err != nil {
			return nil, err
		}
		c.Visits += c.Sessions
		out[id] = c
	}
	return out, rows.Err()
}
