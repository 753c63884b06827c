package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

const rightPassword = "correct horse battery"

func signInUser(t *testing.T, s *store.Store, email string) {
	t.Helper()
	org := storetest.Org(t, s, "Acme "+email)
	if err := s.InTx(context.Background(), func(tx *store.Tx) error {
		u := &store.User{OrganizationID: org.ID, Email: email}
		if err := tx.UserCreate(context.Background(), u); err != nil {
			return err
		}
		return tx.UserSetPassword(context.Background(), u.ID, account.HashPassword(rightPassword))
	}); err != nil {
		t.Fatal(err)
	}
}

// Wrong passwords slow down the address they come from; the owner, from their own
// address, still signs in at once (10 wrong passwords used to lock the account for
// everyone for 15 minutes).
func TestSignInThrottlesTheGuesserNotTheOwner(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		svc := &account.Service{Store: s, Now: func() time.Time { return now }}
		signInUser(t, s, "ann@example.com")
		try := func(pw, addr string) error {
			_, err := svc.SignIn(ctx, "ann@example.com", pw, addr, "pl_ds_", time.Hour)
			return err
		}
		for i := range 6 {
			if err := try("wrong guess", "203.0.113.9:4000"); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("wrong password %d: %v, want unauthorized", i+1, err)
			}
		}
		if err := try(rightPassword, "203.0.113.9:4001"); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("the guesser's address after 6 wrong passwords: %v, want rate limited", err)
		}
		if err := try(rightPassword, "198.51.100.7:5000"); err != nil {
			t.Fatalf("the owner from their own address: %v", err)
		}
		now = now.Add(1100 * time.Millisecond) // the first wait is 1 s, the next 2 s
		if err := try("wrong again", "203.0.113.9:4002"); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("after the wait: %v, want a checked (wrong) password", err)
		}
		now = now.Add(1100 * time.Millisecond)
		if err := try(rightPassword, "203.0.113.9:4003"); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("the second wait is longer: %v, want rate limited", err)
		}
		now = now.Add(time.Second)
		if in, err := try2(svc, ctx, rightPassword, "203.0.113.9:4004"); err != nil || in.Token == "" {
			t.Fatalf("the right password after the waits: %v", err)
		}

		// An email no account has is throttled alike, so the answers tell nothing
		// of which emails have accounts.
		for i := range 7 {
			_, err := svc.SignIn(ctx, "nobody@example.com", "wrong guess", "198.51.100.99:1", "pl_ds_", time.Hour)
			want := paylink.EUnauthorized
			if i == 6 {
				want = paylink.ERateLimited
			}
			if !paylink.IsCode(err, want) {
				t.Fatalf("unknown email, try %d: %v, want %s", i+1, err, want)
			}
		}

		// Spraying many accounts from one address slows that address for all of them.
		for i := range 20 {
			if _, err := svc.SignIn(ctx, "nobody"+string(rune('a'+i))+"@example.com", "x", "192.0.2.50:1", "pl_ds_", time.Hour); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("spray %d: %v", i+1, err)
			}
		}
		if _, err := svc.SignIn(ctx, "nobodyz@example.com", "x", "192.0.2.50:1", "pl_ds_", time.Hour); !paylink.IsCode(err, paylink.EUnauthorized) {
			t.Fatalf("the 21st spray is still checked: %v", err)
		}
		if err := try(rightPassword, "192.0.2.50:2"); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("a spraying address: %v, want rate limited", err)
		}
	})
}

func try2(svc *account.Service, ctx context.Context, pw, addr string) (*account.SignIn, error) {
	return svc.SignIn(ctx, "ann@example.com", pw, addr, "pl_ds_", time.Hour)
}

// Concurrent guesses from one address count one after another: exactly the free
// tries and the one that starts the wait are checked, however many arrive at once,
// on PostgreSQL with several connections too.
func TestSignInThrottleHoldsUnderConcurrency(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		svc := &account.Service{Store: s, Now: func() time.Time { return now }}
		signInUser(t, s, "bo@example.com")
		var mu sync.Mutex
		counts := map[paylink.Code]int{}
		var wg sync.WaitGroup
		for range 24 {
			wg.Go(func() {
				_, err := svc.SignIn(ctx, "bo@example.com", "a guess", "203.0.113.77:1", "pl_ds_", time.Hour)
				mu.Lock()
				counts[paylink.ErrorCode(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if counts[paylink.EUnauthorized] != 6 || counts[paylink.ERateLimited] != 18 {
			t.Fatalf("24 concurrent guesses: %v, want 6 checked and 18 refused", counts)
		}
	})
}
