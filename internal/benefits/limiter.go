package benefits

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/paylink/paylink"
)

// The public license key calls are rate limited per key and per client address,
// in each process, so they cannot be used to guess keys: a guesser gets
// AddressRate calls a second from one address, and no key is tried more than
// KeyRate times a second whoever asks (bursts of twice the rate).
const (
	DefaultAddressRate = 100
	DefaultKeyRate     = 20
	idleAfter          = 10 * time.Minute // a bucket unused this long is dropped
)

// rates are the configured per-address and per-key rates.
func (s *Service) rates() (perAddress, perKey int) {
	perAddress, perKey = DefaultAddressRate, DefaultKeyRate
	if s.AddressRate > 0 {
		perAddress = s.AddressRate
	}
	if s.KeyRate > 0 {
		perKey = s.KeyRate
	}
	return perAddress, perKey
}

// limiter holds the token buckets of keys and addresses.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	used time.Time
}

// allow takes a token from the bucket of the key's hash and of the address;
// ERateLimited (429) when either is empty.
func (l *limiter) allow(keyHash, addr string, perAddress, perKey int, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	if now.Sub(l.swept) > idleAfter {
		for k, b := range l.buckets {
			if now.Sub(b.used) > idleAfter {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	ok := l.take("k:"+keyHash, rate.Limit(perKey), 2*perKey, now)
	if addr != "" {
		ok = l.take("a:"+addr, rate.Limit(perAddress), 2*perAddress, now) && ok
	}
	if !ok {
		return paylink.Errorf(paylink.ERateLimited, "too many license key requests; try again in a moment")
	}
	return nil
}

func (l *limiter) take(name string, r rate.Limit, burst int, now time.Time) bool {
	b := l.buckets[name]
	if b == nil {
		b = &bucket{l: rate.NewLimiter(r, burst)}
		l.buckets[name] = b
	}
	b.used = now
	return b.l.AllowN(now, 1)
}
