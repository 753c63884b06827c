package webhook

import (
	"math/rand/v2"
	"time"
)

// The retry schedule. A failed attempt n (1-based; a non-2xx answer, a network
// error, a timeout or a refused address) is retried after
//
//	min(RetryBase·2^(n−1), RetryCap) + a random 0–25 % of that
//
// With the defaults the nominal waits are 30 s, 1 m, 2 m, 4 m, 8 m, 16 m, 32 m,
// 1 h 4 m, 2 h 8 m, 4 h 16 m, then 6 h three times: the 14th and last attempt
// (MaxAttempts) comes 26 h 31 m 30 s after the first at the earliest — jitter
// only adds — so every event is tried for more than 24 hours. The jitter spreads
// the retries of many events to an endpoint that was down, so it is not hit by
// all of them at once when it comes back.
var (
	// RetryBase is the wait after the first failed attempt. Tests shorten it;
	// production leaves it alone.
	RetryBase = 30 * time.Second
)

const (
	// RetryCap is the longest nominal wait between two attempts.
	RetryCap = 6 * time.Hour
	// MaxAttempts is how many times one webhook event is tried per delivery job.
	MaxAttempts = 14
	// DisableAfter is how long an endpoint may fail without a single success
	// before paylink disables it.
	DisableAfter = 72 * time.Hour
)

// Backoff returns the nominal wait after failed attempt n (1-based), before jitter.
func Backoff(n int) time.Duration {
	d := RetryBase
	for i := 1; i < n && d < RetryCap; i++ {
		d *= 2
	}
	return min(d, RetryCap)
}

// NextRetry returns when attempt n+1 should run after attempt n failed at now.
func NextRetry(n int, now time.Time) time.Time {
	d := Backoff(n)
	return now.Add(d + time.Duration(rand.Int64N(int64(d)/4+1)))
}
