package account

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Dashboard sign-in is throttled, never locked: wrong passwords slow down the
// address they come from, for that account (after pairFreeTries) and for every
// account (after addressFreeTries, against spraying), each further try waiting
// twice as long as the last, up to maxBackoff. The owner signing in from their
// own address is not slowed by someone guessing elsewhere, and an emailed
// sign-in link always works. Counts start again after a quiet throttleWindow.
const (
	pairFreeTries    = 5
	addressFreeTries = 20
	maxBackoff       = 15 * time.Minute
	throttleWindow   = time.Hour
)

// SignIn is a signed-in browser: the session token for its cookie.
type SignIn struct {
	User  *store.User
	Token string
}

// SignIn checks an email and password from the address addr (the client's IP)
// and, when they are right, starts a dashboard session of ttl. A wrong email or
// password is EUnauthorized, the same for both; a throttled try is ERateLimited,
// its message saying when to try again, and its password is not checked.
func (s *Service) SignIn(ctx context.Context, email, password, addr, sessionPrefix string, ttl time.Duration) (*SignIn, error) {
	now := s.Now.Read()
	group := paylink.AddressGroup(addr)
	// The second key is the typed email's, whether or not an account has it, so
	// the throttle answers alike for both and tells nothing of who has one.
	keys := []string{"a:" + group, "u:" + strings.ToLower(strings.TrimSpace(email)) + ":" + group}
	var out *SignIn
	var wrong bool
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		user, err := tx.UserByEmail(ctx, email)
		if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
			return err
		}
		states := make([]*store.SignInThrottle, len(keys))
		for i, k := range keys {
			if states[i], err = tx.SignInThrottleLock(ctx, k, now); err != nil {
				return err
			}
			if t := states[i]; t.BlockedUntil != nil && now.Before(*t.BlockedUntil) {
				return throttled(t.BlockedUntil.Sub(now))
			}
		}
		hash := dummyHash // the same work whether or not the account exists
		if user != nil {
			hash = user.PasswordHash
		}
		if len(password) > PasswordMaxLen*4 || !CheckPassword(hash, password) || user == nil {
			wrong = true
			for i, k := range keys {
				if err := tx.SignInThrottleSave(ctx, k, failed(states[i], now, []int{addressFreeTries, pairFreeTries}[i])); err != nil {
					return err
				}
			}
			return nil
		}
		if err := tx.SignInThrottleClear(ctx, keys[1]); err != nil {
			return err
		}
		token := paylink.NewSecret(sessionPrefix)
		if err := tx.UserSessionCreate(ctx, &store.UserSession{UserID: user.ID, CSRF: paylink.NewSecret(""), ExpiresAt: now.Add(ttl)}, token); err != nil {
			return err
		}
		out = &SignIn{User: user, Token: token}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if wrong {
		return nil, paylink.Errorf(paylink.EUnauthorized, "The email or the password is not right.")
	}
	return out, nil
}

// failed counts one more wrong password against t: past free tries, the next
// try waits 1 s, 2 s, 4 s … up to maxBackoff.
func failed(t *store.SignInThrottle, now time.Time, free int) *store.SignInThrottle {
	n := t.Failures + 1
	if now.Sub(t.LastFailureAt) > throttleWindow {
		n = 1
	}
	next := &store.SignInThrottle{Failures: n, LastFailureAt: now}
	if over := n - free; over > 0 {
		wait := maxBackoff
		if over < 20 {
			wait = min(time.Duration(math.Pow(2, float64(over-1)))*time.Second, maxBackoff)
		}
		until := now.Add(wait)
		next.BlockedUntil = &until
	}
	return next
}

func throttled(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	when := fmt.Sprintf("%d seconds", secs)
	if secs >= 90 {
		when = fmt.Sprintf("%d minutes", (secs+59)/60)
	}
	return &paylink.Error{Code: paylink.ERateLimited, Message: "Too many wrong passwords from your address. Try again in " + when + "."}
}
