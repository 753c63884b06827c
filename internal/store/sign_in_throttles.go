package store

import (
	"context"
	"time"
)

// SignInThrottle is the state of one sign-in throttle key (see internal/account).
type SignInThrottle struct {
	Failures      int
	BlockedUntil  *time.Time
	LastFailureAt time.Time
}

// SignInThrottleLock returns the key's state (no failures for a new key), locked
// until the transaction ends so that concurrent attempts count one after
// another: the row is made first, so even the very first attempts of a burst
// wait for each other.
func (tx *Tx) SignInThrottleLock(ctx context.Context, key string, now time.Time) (*SignInThrottle, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_throttles (key, failures, last_failure_at)
		VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`, key, now); err != nil {
		return nil, err
	}
	var t SignInThrottle
	if err := tx.QueryRowContext(ctx, `SELECT failures, blocked_until, last_failure_at FROM sign_in_throttles
		WHERE key = $1`+tx.store.Engine.ForUpdate(false), key).Scan(&t.Failures, &t.BlockedUntil, &t.LastFailureAt); err != nil {
		return nil, err
	}
	t.LastFailureAt, t.BlockedUntil = t.LastFailureAt.UTC(), utcPtr(t.BlockedUntil)
	return &t, nil
}

// SignInThrottleSave writes the key's state.
func (tx *Tx) SignInThrottleSave(ctx context.Context, key string, t *SignInThrottle) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_throttles (key, failures, blocked_until, last_failure_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
		blocked_until = excluded.blocked_until, last_failure_at = excluded.last_failure_at`,
		key, t.Failures, t.BlockedUntil, t.LastFailureAt)
	return err
}

// SignInThrottleClear forgets the key (a right password from that address).
func (tx *Tx) SignInThrottleClear(ctx context.Context, key string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttles WHERE key = $1`, key)
	return err
}
