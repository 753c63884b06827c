package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
)

// LinkSlot is what one link saw in one slot (SlotSeconds): its visits (the
// sessions opened in the slot plus the visits link_visit_counts counted without
// one), its bot and blocked visits, and how far the sessions got.
type LinkSlot struct {
	Slot                             int64
	Visits, BotVisits, BlockedVisits int64
	Sessions, Confirmed, Succeeded   int64
}

// LinkSlotMoney is, per currency, the orders of the sessions a link opened in
// one slot: their net amounts and what was refunded of them.
type LinkSlotMoney struct {
	Slot              int64
	Currency          string
	Revenue, Refunded int64
}

// LinkAnalyticsRaw is the link's slots of [from, to) counted from the raw rows
// (sessions, orders) instead of the rollups: put in a range's periods, what
// LinkAnalytics must always give (TestRollupsMatchRawRows); linear in the
// range's sessions.
func (tx *Tx) LinkAnalyticsRaw(ctx context.Context, linkID string, from, to time.Time) ([]LinkSlot, []LinkSlotMoney, error) {
	bySlot := map[int64]*LinkSlot{}
	slot := func(n int64) *LinkSlot {
		if bySlot[n] == nil {
			bySlot[n] = &LinkSlot{Slot: n}
		}
		return bySlot[n]
	}
	err := each(ctx, tx, func(r scanner) error {
		var n int64
		var v, b, bl int64
		if err := r.Scan(&n, &v, &b, &bl); err != nil {
			return err
		}
		s := slot(n)
		s.Visits, s.BotVisits, s.BlockedVisits = v, b, bl
		return nil
	}, `SELECT slot, sum(visits), sum(bot_visits), sum(blocked_visits) FROM link_visit_counts
		WHERE checkout_link_id = $1 AND slot >= $2 AND slot < $3 GROUP BY slot`, linkID, SlotOf(from), SlotOf(to))
	if err != nil {
		return nil, nil, err
	}
	cSlot := tx.Engine().slotOf("c.created_at")
	err = each(ctx, tx, func(r scanner) error {
		var n, ses, conf, succ int64
		if err := r.Scan(&n, &ses, &conf, &succ); err != nil {
			return err
		}
		s := slot(n)
		s.Sessions, s.Confirmed, s.Succeeded = ses, conf, succ
		s.Visits += ses // every session is the visit that opened it
		return nil
	}, `SELECT `+cSlot+`, count(*), count(c.confirmed_at), sum(CASE WHEN c.status = 'succeeded' THEN 1 ELSE 0 END)
		FROM checkouts c WHERE c.checkout_link_id = $1 AND c.created_at >= $2 AND c.created_at < $3
		GROUP BY 1`, linkID, from, to)
	if err != nil {
		return nil, nil, err
	}
	var money []LinkSlotMoney
	err = each(ctx, tx, func(r scanner) error {
		var m LinkSlotMoney
		if err := r.Scan(&m.Slot, &m.Currency, &m.Revenue, &m.Refunded); err != nil {
			return err
		}
		money = append(money, m)
		return nil
	}, `SELECT `+cSlot+`, o.currency, sum(o.net_amount), sum(o.refunded_amount)
		FROM orders o JOIN checkouts c ON c.id = o.checkout_id
		WHERE c.checkout_link_id = $1 AND c.created_at >= $2 AND c.created_at < $3 GROUP BY 1, 2`, linkID, from, to)
	if err != nil {
		return nil, nil, err
	}
	out := make([]LinkSlot, 0, len(bySlot))
	for _, s := range bySlot {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b LinkSlot) int { return cmp.Compare(a.Slot, b.Slot) })
	return out, money, nil
}

// LinkBreakdownRow is, for one value of a metadata key (nil: the key is
// absent) and one currency of orders (nil: sessions without an order), the
// link's sessions opened in the range.
type LinkBreakdownRow struct {
	Value, Currency     *string
	Sessions, Succeeded int64
	Revenue             int64
}

// LinkBreakdownRaw is LinkBreakdown from the raw rows: it groups the link's
// sessions opened in [from, to) by the text of their metadata's key and their
// order's currency.
func (tx *Tx) LinkBreakdownRaw(ctx context.Context, linkID, key string, from, to time.Time) ([]LinkBreakdownRow, error) {
	args := Args{linkID, from, to}
	value := tx.Engine().metadataText("c", key, &args)
	return queryAll(ctx, tx, func(r scanner) (LinkBreakdownRow, error) {
		var b LinkBreakdownRow
		var v, cur sql.NullString
		err := r.Scan(&v, &cur, &b.Sessions, &b.Succeeded, &b.Revenue)
		if v.Valid {
			b.Value = &v.String
		}
		if cur.Valid {
			b.Currency = &cur.String
		}
		return b, err
	}, `SELECT `+value+`, o.currency, count(*), sum(CASE WHEN c.status = 'succeeded' THEN 1 ELSE 0 END),
		coalesce(sum(o.net_amount), 0)
		FROM checkouts c LEFT JOIN orders o ON o.checkout_id = c.id
		WHERE c.checkout_link_id = $1 AND c.created_at >= $2 AND c.created_at < $3 GROUP BY 1, 2`, args...)
}

// LinkAnalytics returns, for each period of r in which the link saw anything,
// its counts and money from link_visit_counts and the rollups (rollups.go) as
// one LinkSlot at the period's first slot, in period order: the same sums as
// LinkAnalyticsRaw's slots put in r's periods (a slot belongs to the period it
// starts in). The database sums each period's slots, so its cost follows the
// range's slots and the answer its periods, not the sessions. It does not
// check the link's organization: the caller has read the link.
func (tx *Tx) LinkAnalytics(ctx context.Context, linkID string, r *paylink.AnalyticsRange) ([]LinkSlot, []LinkSlotMoney, error) {
	var periods []string
	for i, start := range r.Starts {
		lo, hi := -floorDiv(-start.Unix(), SlotSeconds), SlotOf(r.End)
		if i+1 < len(r.Starts) {
			hi = -floorDiv(-r.Starts[i+1].Unix(), SlotSeconds)
		}
		if lo < hi {
			periods = append(periods, "("+strconv.FormatInt(lo, 10)+", "+strconv.FormatInt(hi, 10)+")")
		}
	}
	if len(periods) == 0 {
		return nil, nil, nil
	}
	// column1 and column2 are a VALUES list's names on both engines.
	join := ` FROM (VALUES ` + strings.Join(periods, ", ") + `) p JOIN %s r ON r.checkout_link_id = $1
		AND r.slot >= p.column1 AND r.slot < p.column2 GROUP BY p.column1`
	bySlot := map[int64]*LinkSlot{}
	slot := func(n int64) *LinkSlot {
		if bySlot[n] == nil {
			bySlot[n] = &LinkSlot{Slot: n}
		}
		return bySlot[n]
	}
	err := each(ctx, tx, func(r scanner) error {
		var n, v, b, bl int64
		if err := r.Scan(&n, &v, &b, &bl); err != nil {
			return err
		}
		s := slot(n)
		s.Visits, s.BotVisits, s.BlockedVisits = v, b, bl
		return nil
	}, `SELECT p.column1, sum(r.visits), sum(r.bot_visits), sum(r.blocked_visits)`+strings.Replace(join, "%s", "link_visit_counts", 1), linkID)
	if err != nil {
		return nil, nil, err
	}
	err = each(ctx, tx, func(r scanner) error {
		var n, ses, conf, succ int64
		if err := r.Scan(&n, &ses, &conf, &succ); err != nil {
			return err
		}
		s := slot(n)
		s.Sessions, s.Confirmed, s.Succeeded = ses, conf, succ
		s.Visits += ses // every session is the visit that opened it
		return nil
	}, `SELECT p.column1, sum(r.sessions), sum(r.confirmed), sum(r.succeeded)`+strings.Replace(join, "%s", "link_rollups", 1), linkID)
	if err != nil {
		return nil, nil, err
	}
	money, err := queryAll(ctx, tx, func(r scanner) (LinkSlotMoney, error) {
		var m LinkSlotMoney
		err := r.Scan(&m.Slot, &m.Currency, &m.Revenue, &m.Refunded)
		return m, err
	}, `SELECT p.column1, r.currency, sum(r.revenue), sum(r.refunded)`+strings.Replace(join, "%s", "link_money_rollups", 1)+`, r.currency`, linkID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]LinkSlot, 0, len(bySlot))
	for _, s := range bySlot {
		if *s != (LinkSlot{Slot: s.Slot}) {
			out = append(out, *s)
		}
	}
	slices.SortFunc(out, func(a, b LinkSlot) int { return cmp.Compare(a.Slot, b.Slot) })
	return out, money, nil
}

// LinkBreakdown is LinkBreakdownRaw from link_breakdown_rollups for the slots
// folded (breakdown_fold.go), read as the few buckets coverSlots makes of
// [from, to) (from and to fall on slot boundaries), some subtracted; and from
// the raw rows for the slots not folded yet (the last few quarter hours). Its
// cost follows the values seen in those buckets and the sessions of those
// slots, not the range's sessions. One statement, so it sees the marker and the
// rollups of one moment.
func (tx *Tx) LinkBreakdown(ctx context.Context, linkID, key string, from, to time.Time) ([]LinkBreakdownRow, error) {
	var marker int64
	if err := tx.QueryRowContext(ctx, `SELECT slot FROM breakdown_fold WHERE id = 1`).Scan(&marker); err != nil {
		return nil, err
	}
	lo, hi := SlotOf(from), SlotOf(to)
	if lo >= hi {
		return nil, nil
	}
	args := Args{linkID, key}
	rows := breakdownBuckets(coverSlots(lo, hi, marker))
	if rawFrom := max(lo, marker); rawFrom < hi {
		// The marker read above is a bound (it only grows); the statement's own
		// read of it is exact.
		value := tx.Engine().metadataText("c", key, &args)
		raw := `FROM checkouts c %s WHERE c.checkout_link_id = $1 AND c.created_at >= ` + args.Add(time.Unix(rawFrom*SlotSeconds, 0).UTC()) +
			` AND c.created_at < ` + args.Add(to) + ` AND ` + tx.Engine().slotOf("c.created_at") +
			` >= (SELECT slot FROM breakdown_fold WHERE id = 1) GROUP BY 1, 2, 3`
		rows += `
		UNION ALL SELECT ` + value + ` IS NOT NULL, coalesce(` + value + `, ''), '', count(*),
			sum(CASE WHEN c.status = 'succeeded' THEN 1 ELSE 0 END), 0 ` + strings.Replace(raw, "%s", "", 1) + `
		UNION ALL SELECT ` + value + ` IS NOT NULL, coalesce(` + value + `, ''), o.currency, 0, 0, sum(o.net_amount) ` +
			strings.Replace(raw, "%s", "JOIN orders o ON o.checkout_id = c.id", 1)
	}
	return queryAll(ctx, tx, func(r scanner) (LinkBreakdownRow, error) {
		var b LinkBreakdownRow
		var present bool
		var v, cur string
		err := r.Scan(&present, &v, &cur, &b.Sessions, &b.Succeeded, &b.Revenue)
		if present {
			b.Value = &v
		}
		if cur != "" {
			b.Currency = &cur
		}
		return b, err
	}, `SELECT present, value, currency, sum(sessions), sum(succeeded), sum(revenue) FROM (`+rows+`) x
		GROUP BY present, value, currency HAVING sum(sessions) <> 0 OR sum(succeeded) <> 0 OR sum(revenue) <> 0`, args...)
}

// breakdownBuckets selects the rows of the terms' buckets (of link $1 and key
// $2), each times its coefficient: one SELECT per span and coefficient.
func breakdownBuckets(terms []bucketTerm) string {
	type group struct {
		span int
		coef int64
	}
	coefs := map[bucketTerm]int64{}
	for _, t := range terms {
		coefs[bucketTerm{span: t.span, bucket: t.bucket}] += t.coef
	}
	buckets := map[group][]string{}
	var groups []group
	for _, t := range terms {
		k := bucketTerm{span: t.span, bucket: t.bucket}
		c := coefs[k]
		if c == 0 {
			continue
		}
		delete(coefs, k)
		g := group{t.span, c}
		if buckets[g] == nil {
			groups = append(groups, g)
		}
		buckets[g] = append(buckets[g], strconv.FormatInt(t.bucket, 10))
	}
	var out []string
	for _, g := range groups {
		c := strconv.FormatInt(g.coef, 10)
		out = append(out, `SELECT present, value, currency, `+c+` * sessions AS sessions, `+c+` * succeeded AS succeeded, `+c+
			` * revenue AS revenue FROM link_breakdown_rollups WHERE checkout_link_id = $1 AND key = $2 AND span = `+
			strconv.Itoa(g.span)+` AND bucket IN (`+strings.Join(buckets[g], ", ")+`)`)
	}
	if len(out) == 0 {
		return `SELECT present, value, currency, sessions, succeeded, revenue FROM link_breakdown_rollups WHERE 1 = 0`
	}
	return strings.Join(out, "\n\t\tUNION ALL ")
}

// each runs the query and hands every row to fn.
func each(ctx context.Context, q querier, fn func(scanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
