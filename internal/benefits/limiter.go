package benefits

import (
	"time"

	"github.com/paylink/paylink/internal/ratelimit"
)

// The public license key calls are rate limited per key and per client address,
// in each process, so they cannot be used to guess keys: a guesser gets
// AddressRate calls a second from one address, and no key is tried more than
// KeyRate times a second whoever asks (bursts of twice the rate).
const (
	DefaultAddressRate = 100
	DefaultKeyRate     = 20
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
type limiter struct{ buckets ratelimit.Keyed }

// allow takes a token from the bucket of the address and then of the key's
// hash; ERateLimited (429, with the wait) when either is empty. An address over
// its limit is refused before the key's bucket is made, so a flood of guessed
// keys from one address adds no buckets.
func (l *limiter) allow(keyHash, addr string, perAddress, perKey int, now time.Time) error {
	if addr != "" {
		if ok, wait := l.buckets.Take("a:"+addr, float64(perAddress), 2*perAddress, now); !ok {
			return ratelimit.Error("license key requests", wait)
		}
	}
	if ok, wait := l.buckets.Take("k:"+keyHash, float64(perKey), 2*perKey, now); !ok {
		return ratelimit.Error("license key requests", wait)
	}
	return nil
}
