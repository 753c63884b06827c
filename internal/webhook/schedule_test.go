package webhook

import (
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, 64 * time.Minute, 128 * time.Minute, 256 * time.Minute,
		6 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	var total time.Duration
	for n := 1; n < MaxAttempts; n++ {
		if got := Backoff(n); got != want[n-1] {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want[n-1])
		}
		total += Backoff(n)
	}
	if total < 24*time.Hour {
		t.Fatalf("the %d attempts span only %v; they must span at least 24h", MaxAttempts, total)
	}
	if total != 26*time.Hour+31*time.Minute+30*time.Second {
		t.Fatalf("span %v differs from the documented 26h31m30s", total)
	}
	if Backoff(100) != RetryCap {
		t.Fatalf("Backoff(100) = %v, want the cap", Backoff(100))
	}
}

func TestNextRetryJitter(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := map[time.Duration]bool{}
	for range 200 {
		d := NextRetry(3, now).Sub(now)
		if d < 2*time.Minute || d > 2*time.Minute+30*time.Second {
			t.Fatalf("NextRetry(3) waits %v, want 2m to 2m30s", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Fatalf("no jitter: %d distinct waits in 200", len(seen))
	}
}
