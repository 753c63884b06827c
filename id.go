package paylink

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/google/uuid"
)

// Secret prefixes. Each secret carries 256 random bits, base64url without padding.
const (
	PrefixLinkSecret     = "pl_cl_"  // checkout link client secret
	PrefixCheckoutSecret = "pl_c_"   // checkout session client secret
	PrefixAccessToken    = "pl_oat_" // organization access token
	PrefixWebhookSecret  = "pl_whs_" // webhook endpoint secret
	PrefixReceipt        = "pl_r_"   // the secret of an order's receipt page
	PrefixCustomerToken  = "pl_cst_" // customer session token (Polar's polar_cst_)
)

// NewID returns a new time-ordered UUIDv7 string.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a UUID in its canonical text form.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// NewSecret returns prefix + 32 random bytes, base64url encoded (URL-safe, unguessable).
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// NewCheckoutSecret returns a checkout session's client secret: the prefix, the
// creation time in milliseconds as 12 hex digits, then 256 random bits. The time
// part makes new secrets sort after older ones, so the unique index on them grows
// at its right edge like the time-ordered ids, instead of touching a random page
// of a large index for every new session (and writing that page to the WAL).
// It reveals only when the session was created, which the session says anyway.
func NewCheckoutSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	var ms [8]byte
	t := uint64(time.Now().UnixMilli())
	for i := range ms {
		ms[i] = byte(t >> (56 - 8*i))
	}
	return PrefixCheckoutSecret + hex.EncodeToString(ms[2:]) + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token; tokens are stored only hashed.
// A fast hash is right here: tokens carry 256 random bits, nothing to brute-force.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Now returns the current time in UTC truncated to microseconds, the precision
// both SQL engines keep, so values read back compare equal to values written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Clock is the injectable clock of a service: nil is Now; a clock of a test is
// read in UTC at the store's microsecond precision, as Now is.
type Clock func() time.Time

// Read returns the time of the clock.
func (c Clock) Read() time.Time {
	if c == nil {
		return Now()
	}
	return c().UTC().Truncate(time.Microsecond)
}
