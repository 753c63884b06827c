// Package ratelimit counts calls in token buckets (golang.org/x/time/rate), one
// per key (a client's address group, a license key's hash), held in the memory
// of one process. Buckets left unused for a while are dropped, so a flood of
// keys cannot grow it without bound.
package ratelimit

import (
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/paylink/paylink"
)

// idleAfter is how long an unused bucket is kept: a full bucket is no different
// from a new one by then.
const idleAfter = 10 * time.Minute

// maxBuckets bounds the map between sweeps: past it, the buckets that are full
// again (no different from a new one) are dropped at once.
const maxBuckets = 1 << 18

// Keyed holds the buckets of many keys. The zero value is ready to use and safe
// for concurrent use.
type Keyed struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	used time.Time
}

// Take takes one token at now from key's bucket, which refills perSecond tokens
// a second and holds burst (a new key starts full). When the bucket is empty it
// takes nothing and returns false and how long until a token is back.
func (k *Keyed) Take(key string, perSecond float64, burst int, now time.Time) (ok bool, wait time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.buckets == nil {
		k.buckets = map[string]*bucket{}
	}
	if now.Sub(k.swept) > idleAfter {
		for name, b := range k.buckets {
			if now.Sub(b.used) > idleAfter {
				delete(k.buckets, name)
			}
		}
		k.swept = now
	}
	b := k.buckets[key]
	if b == nil && len(k.buckets) >= maxBuckets {
		for name, o := range k.buckets {
			if o.l.TokensAt(now) >= float64(o.l.Burst()) {
				delete(k.buckets, name)
			}
		}
	}
	if b == nil {
		b = &bucket{l: rate.NewLimiter(rate.Limit(perSecond), burst)}
		k.buckets[key] = b
	}
	b.used = now
	if b.l.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - b.l.TokensAt(now)
	return false, time.Duration(missing / perSecond * float64(time.Second))
}

// Error is the 429 to answer when a bucket is empty: what was limited, and
// the wait rounded up to whole seconds (at least one) in RetryAfter, which the
// API sends as the Retry-After header.
func Error(what string, wait time.Duration) *paylink.Error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return &paylink.Error{Code: paylink.ERateLimited, RetryAfter: time.Duration(secs) * time.Second,
		Message: "too many " + what + "; try again in " + strconv.Itoa(secs) + "s"}
}
