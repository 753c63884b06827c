package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/paylink/paylink"
)

// The fold of link_breakdown_rollups (migration 0032, issue 14): the visit
// batch does not add its sessions to the breakdown (four keys and two spans a
// value were most of what counting cost it); BreakdownFold, a periodic job,
// adds each closed slot's sessions, as they are then, and moves the marker
// (breakdown_fold.slot, the first slot not folded). The rollups hold exactly
// the slots before the marker: every later change of a session of a folded
// slot (CheckoutSave, an order's money, a late visit) is counted by its writer
// (foldedBreakdown), one of a slot not folded is left to the fold.
// LinkBreakdown adds the raw rows of the slots from the marker on.

// foldChunk is the most slots one fold transaction folds (four hours). Every
// write that counts a session of a folded slot reads the marker FOR SHARE, so
// a fold holds them back while it runs: after a downtime the missed slots are
// folded a few hours at a time, each in a short transaction of its own.
const foldChunk = 16

// BreakdownFold folds the slots that closed by now and were not folded yet; it
// returns how many. Runs in several processes at once are safe: the marker's
// lock serializes them, and a run that waited finds the slots folded.
func (s *Store) BreakdownFold(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for {
		n, err := s.foldChunk(ctx, now)
		total += n
		if err != nil || n < foldChunk {
			return total, err
		}
	}
}

// foldChunk folds at most foldChunk of the slots BreakdownFold folds, in one
// transaction, and returns how many.
func (s *Store) foldChunk(ctx context.Context, now time.Time) (int64, error) {
	var slots int64
	err := s.InTx(ctx, func(tx *Tx) error {
		slots = 0
		var marker int64
		err := tx.QueryRowContext(ctx, `SELECT slot FROM breakdown_fold WHERE id = 1`+tx.Engine().ForUpdate(false)).Scan(&marker)
		if err != nil {
			return err
		}
		end := min(SlotOf(now), marker+foldChunk)
		if end <= marker {
			return nil
		}
		slots = end - marker
		c := tx.deltas()
		c.folding = true
		for _, key := range BreakdownKeys {
			if err := tx.foldKey(ctx, c, key, marker, end); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE breakdown_fold SET slot = $1 WHERE id = 1`, end)
		return err
	})
	return slots, err
}

// foldKey adds the breakdown by key of the sessions of slots [lo, hi) to c.
func (tx *Tx) foldKey(ctx context.Context, c *counts, key string, lo, hi int64) error {
	args := Args{time.Unix(lo*SlotSeconds, 0).UTC(), time.Unix(hi*SlotSeconds, 0).UTC(), lo, hi}
	value := tx.Engine().metadataText("c", key, &args)
	return each(ctx, tx, func(r scanner) error {
		var link string
		var slot, sessions, succeeded, revenue int64
		var v, cur sql.NullString
		if err := r.Scan(&link, &slot, &v, &cur, &sessions, &succeeded, &revenue); err != nil {
			return err
		}
		for _, span := range breakdownSpans {
			k := breakdownKey{link: link, key: key, span: span, bucket: bucketOf(span, slot), present: v.Valid, value: v.String}
			c.addBreakdown(k, breakdownDelta{sessions: sessions, succeeded: succeeded})
			if cur.Valid {
				k.currency = cur.String
				c.addBreakdown(k, breakdownDelta{revenue: revenue})
			}
		}
		return nil
	}, `SELECT c.checkout_link_id, `+tx.Engine().slotOf("c.created_at")+`, `+value+`, o.currency, count(*),
		sum(CASE WHEN c.status = '`+paylink.CheckoutSucceeded+`' THEN 1 ELSE 0 END), coalesce(sum(o.net_amount), 0)
		FROM checkouts c LEFT JOIN orders o ON o.checkout_id = c.id
		WHERE c.checkout_link_id IN (SELECT checkout_link_id FROM link_rollups WHERE slot >= $3 AND slot < $4)
			AND c.created_at >= $1 AND c.created_at < $2
		GROUP BY 1, 2, 3, 4`, args...)
}

func (c *counts) addBreakdown(k breakdownKey, d breakdownDelta) {
	sum := c.breakdown[k]
	if sum == nil {
		sum = &breakdownDelta{}
		c.breakdown[k] = sum
	}
	sum.sessions += d.sessions
	sum.succeeded += d.succeeded
	sum.revenue += d.revenue
}
