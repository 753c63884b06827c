package store

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestCoverSlots checks that the signed buckets of a range count every slot of
// it once and no other, and that a month-long range in a zone off UTC takes a
// handful of buckets.
func TestCoverSlots(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := SlotOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for range 300 {
		lo := base + r.Int64N(96*400)
		hi := lo + 1 + r.Int64N(96*100)
		if r.IntN(4) == 0 {
			hi = lo + 1 + r.Int64N(200)
		}
		count := map[int64]int64{}
		for _, term := range coverSlots(lo, hi, lo+r.Int64N(hi-lo+200)) {
			start, end := bucketStart(term.span, term.bucket), bucketStart(term.span, term.bucket+1)
			for s := start; s < end; s++ {
				if bucketOf(term.span, s) != term.bucket {
					t.Fatalf("span %d bucket %d: slot %d is in bucket %d", term.span, term.bucket, s, bucketOf(term.span, s))
				}
				count[s] += term.coef
			}
		}
		for s, n := range count {
			if in := s >= lo && s < hi; in && n != 1 || !in && n != 0 {
				t.Fatalf("[%d, %d): slot %d counted %d times", lo, hi, s, n)
			}
		}
		for s := lo; s < hi; s++ {
			if count[s] != 1 {
				t.Fatalf("[%d, %d): slot %d counted %d times", lo, hi, s, count[s])
			}
		}
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, berlin)
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, berlin)
	if terms := coverSlots(SlotOf(from), SlotOf(to), SlotOf(to)); len(terms) > 4 {
		t.Errorf("November in Berlin: %d buckets %v", len(terms), terms)
	}
	from, to = time.Date(2026, 11, 1, 0, 0, 0, 0, berlin), time.Date(2026, 11, 30, 0, 0, 0, 0, berlin)
	if terms := coverSlots(SlotOf(from), SlotOf(to), SlotOf(to)); len(terms) > 4 {
		t.Errorf("November 1-29 in Berlin: %d buckets %v", len(terms), terms)
	}
	// Across a month's end: the months less their first blocks, give or take an hour.
	from, to = time.Date(2026, 11, 9, 0, 0, 0, 0, berlin), time.Date(2026, 12, 9, 0, 0, 0, 0, berlin)
	if terms := coverSlots(SlotOf(from), SlotOf(to), SlotOf(to)+1000); len(terms) > 5 {
		t.Errorf("November 9 to December 8 in Berlin: %d buckets %v", len(terms), terms)
	}
	// Ending today: the buckets past the marker cost nothing.
	c := coverer{SlotOf(time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC))}
	if terms := c.cover(SlotOf(from), SlotOf(to), 0); c.cost(terms) > 5 {
		t.Errorf("November 9 to today, December 8, in Berlin: %d buckets with rows %v", c.cost(terms), terms)
	}
}
