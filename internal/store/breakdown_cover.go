package store

import "time"

// The buckets LinkBreakdown reads (issue 14, migration 0036). A range of slots
// is a signed sum of buckets of link_breakdown_rollups' spans: the whole months
// inside it, and each edge either as the finer buckets it holds or as its
// bucket less the finer buckets of the part outside the range, whichever takes
// fewer buckets (not counting those past the fold's marker, which hold no
// rows). November in Berlin is then October's last hour, plus November, less
// its last hour; November 9 to December 8, asked on December 8, November less
// its first block, plus an hour, and December: one row per value and bucket,
// so about as many rows at a million sessions as at ten thousand, where reading
// its whole UTC days and its edges by quarter hour took one row per value and
// day.

// coarser lists the spans from the widest; each one's edges are edges of the
// next (UTC months start on blocks, blocks on days, days on hours, hours on
// slots).
var coarser = []int{spanMonth, spanBlock, spanDay, spanHour, spanSlot}

// bucketOf is the bucket of span that slot falls in.
func bucketOf(span int, slot int64) int64 {
	switch span {
	case spanDay:
		return floorDiv(slot*SlotSeconds, DaySeconds)
	case spanHour:
		return floorDiv(slot*SlotSeconds, 3600)
	case spanMonth:
		t := time.Unix(slot*SlotSeconds, 0).UTC()
		return int64(t.Year()-1970)*12 + int64(t.Month()) - 1
	case spanBlock:
		t := time.Unix(slot*SlotSeconds, 0).UTC()
		return (int64(t.Year()-1970)*12+int64(t.Month())-1)*4 + int64(min((t.Day()-1)/8, 3))
	}
	return slot
}

// bucketStart is the first slot of span's bucket b.
func bucketStart(span int, b int64) int64 {
	switch span {
	case spanDay:
		return b * DaySeconds / SlotSeconds
	case spanHour:
		return b * 3600 / SlotSeconds
	case spanMonth:
		return SlotOf(time.Date(1970+int(floorDiv(b, 12)), time.Month(b-12*floorDiv(b, 12)+1), 1, 0, 0, 0, 0, time.UTC))
	case spanBlock:
		m := floorDiv(b, 4)
		return bucketStart(spanMonth, m) + (b-4*m)*8*DaySeconds/SlotSeconds
	}
	return b
}

// bucketTerm is a bucket counted coef times.
type bucketTerm struct {
	span   int
	bucket int64
	coef   int64
}

// coverSlots is [lo, hi) as signed buckets: the sum of their rows times their
// coefficients is the sum of the range's slots. Buckets that start at or after
// empty (the fold's marker: the slots not folded yet, only minutes of them
// folded by the time the buckets are read) cost nothing in the choice, so a
// range that ends in the future reads its last month, not its days.
func coverSlots(lo, hi, empty int64) []bucketTerm {
	c := coverer{empty}
	return c.cover(lo, hi, 0)
}

type coverer struct{ empty int64 }

// cost is how many of ts hold rows.
func (c coverer) cost(ts []bucketTerm) int {
	n := 0
	for _, t := range ts {
		if bucketStart(t.span, t.bucket) < c.empty {
			n++
		}
	}
	return n
}

// cover is [lo, hi) in buckets of coarser[level:].
func (c coverer) cover(lo, hi int64, level int) []bucketTerm {
	if lo >= hi {
		return nil
	}
	span := coarser[level]
	if span == spanSlot {
		out := make([]bucketTerm, 0, hi-lo)
		for s := lo; s < hi; s++ {
			out = append(out, bucketTerm{spanSlot, s, 1})
		}
		return out
	}
	first, last := bucketOf(span, lo), bucketOf(span, hi-1)
	if first == last {
		return c.edge(lo, hi, level, first)
	}
	out := c.edge(lo, bucketStart(span, first+1), level, first)
	for b := first + 1; b < last; b++ {
		out = append(out, bucketTerm{span, b, 1})
	}
	return append(out, c.edge(bucketStart(span, last), hi, level, last)...)
}

// edge is [lo, hi), a part of span's bucket b, as the finer buckets it holds
// or as b less the finer buckets of the rest of b, whichever costs less.
func (c coverer) edge(lo, hi int64, level int, b int64) []bucketTerm {
	span := coarser[level]
	start, end := bucketStart(span, b), bucketStart(span, b+1)
	if lo == start && hi == end {
		return []bucketTerm{{span, b, 1}}
	}
	inside := c.cover(lo, hi, level+1)
	outside := append(c.cover(start, lo, level+1), c.cover(hi, end, level+1)...)
	whole := []bucketTerm{{span, b, 1}}
	if in, out := c.cost(inside), c.cost(whole)+c.cost(outside); out > in || out == in && len(outside)+1 >= len(inside) {
		return inside
	}
	out := []bucketTerm{{span, b, 1}}
	for _, t := range outside {
		t.coef = -t.coef
		out = append(out, t)
	}
	return out
}
