package ratelimit

import (
	"testing"
	"time"
)

func TestTakeRefusesAnEmptyBucketAndSaysHowLong(t *testing.T) {
	var k Keyed
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 4 {
		if ok, _ := k.Take("a", 2, 4, now); !ok {
			t.Fatalf("call %d of a burst of 4 refused", i+1)
		}
	}
	ok, wait := k.Take("a", 2, 4, now)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("fifth call: ok %v, wait %v; want refused, 500ms", ok, wait)
	}
	if ok, _ := k.Take("b", 2, 4, now); !ok {
		t.Fatal("another key shares the bucket")
	}
	if ok, _ := k.Take("a", 2, 4, now.Add(wait)); !ok {
		t.Fatal("refused after the wait it named")
	}
	// A bucket unused past idleAfter is dropped when the map is swept.
	k.Take("c", 2, 4, now.Add(2*idleAfter))
	if _, kept := k.buckets["a"]; kept {
		t.Error("an idle bucket is kept")
	}
	if e := Error("calls", 1200*time.Millisecond); e.RetryAfter != 2*time.Second {
		t.Errorf("RetryAfter %v, want 2s (rounded up)", e.RetryAfter)
	}
}
