package store

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// SlotSeconds is the width of the time slots visits are counted in: a quarter
// hour, so that the period boundaries of every IANA zone (all offsets are whole
// quarter hours) fall on slot boundaries.
const SlotSeconds = 900

// SlotOf is the slot t falls in.
func SlotOf(t time.Time) int64 { return floorDiv(t.Unix(), SlotSeconds) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// VisitKind says how a visit that opened no session is counted.
type VisitKind int

const (
	VisitPerson  VisitKind = iota // a person's request that failed before its session was written
	VisitBot                      // a bot, link preview, prefetch or HEAD request
	VisitBlocked                  // a person's request to an inactive, expired or sold-out link
)

// VisitCount is a link visit without a session, counted by VisitsCreate in the
// batch (a visit that opens a session is counted by its session).
type VisitCount struct {
	LinkID string
	Kind   VisitKind
	At     time.Time
}

// visitShards is how many rows a link's slot is spread over: each batch adds to
// one picked at random, so two writers of one link rarely wait on one row lock.
const visitShards = 8

// visitTally is one (link, slot) row of a batch's counts.
type visitTally struct {
	link                  string
	slot                  int64
	visits, bots, blocked int64
}

// tallyVisits sums the counted visits per link and slot, sorted by link and
// slot so concurrent batches lock rows in one order. A visit that opened a
// session is not among them: its session row is its count (LinkAnalytics adds
// the sessions to the visits), so the common batch writes no counter at all.
func tallyVisits(counts []VisitCount) []visitTally {
	type key struct {
		link string
		slot int64
	}
	m := map[key]*visitTally{}
	add := func(link string, at time.Time) *visitTally {
		k := key{link, SlotOf(at)}
		t := m[k]
		if t == nil {
			t = &visitTally{link: k.link, slot: k.slot}
			m[k] = t
		}
		return t
	}
	for _, c := range counts {
		t := add(c.LinkID, c.At)
		switch c.Kind {
		case VisitBot:
			t.bots++
		case VisitBlocked:
			t.blocked++
		default:
			t.visits++
		}
	}
	out := make([]visitTally, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b visitTally) int {
		if c := strings.Compare(a.link, b.link); c != 0 {
			return c
		}
		return int(a.slot - b.slot)
	})
	return out
}

func randomShard() int16 { return int16(rand.IntN(visitShards)) }

// visitCountUpsert adds one tally to its row (the same text on both engines).
const visitCountUpsert = `INSERT INTO link_visit_counts AS t (checkout_link_id, slot, shard, visits, bot_visits, blocked_visits)
	VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (checkout_link_id, slot, shard) DO UPDATE SET visits = t.visits + excluded.visits,
		bot_visits = t.bot_visits + excluded.bot_visits, blocked_visits = t.blocked_visits + excluded.blocked_visits`
