package account_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// member makes a user of the organization through the one home of sign-in links.
func member(t *testing.T, s *store.Store, orgID, email string, existing bool) (*account.UserLink, error) {
	t.Helper()
	var out *account.UserLink
	err := s.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = account.UserWithSignInLink(context.Background(), tx, account.UserLinkParams{OrganizationID: orgID,
			Email: email, PublicURL: "https://pay.example/", Existing: existing})
		return err
	})
	return out, err
}

func TestUserWithSignInLink(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org, other := storetest.Org(t, s, "Acme"), storetest.Org(t, s, "Other shop")
		ann, err := member(t, s, org.ID, " Ann@Example.com ", false)
		if err != nil || ann.Existed || ann.User.Email != "ann@example.com" ||
			!strings.HasPrefix(ann.Link, "https://pay.example/dashboard/welcome/pl_si_") {
			t.Fatalf("new user: %+v %v", ann, err)
		}
		if _, err := member(t, s, org.ID, "ann@example.com", false); !paylink.IsCode(err, paylink.EConflict) {
			t.Errorf("an existing member without Existing: %v, want EConflict", err)
		}
		again, err := member(t, s, org.ID, "ann@example.com", true)
		if err != nil || !again.Existed || again.User.ID != ann.User.ID || again.Link == ann.Link {
			t.Errorf("an existing member with Existing: %+v %v", again, err)
		}
		if _, err := member(t, s, other.ID, "ann@example.com", true); !paylink.IsCode(err, paylink.EConflict) {
			t.Errorf("another organization's user: %v, want EConflict", err)
		}
		for _, bad := range []string{"", "ann", "Ann <ann@example.com>", "a@b"} {
			if _, err := member(t, s, org.ID, bad, true); !paylink.IsCode(err, paylink.EInvalid) {
				t.Errorf("email %q: %v, want EInvalid", bad, err)
			}
		}
	})
}

func TestRemoveMember(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := &account.Service{Store: s}
		org := storetest.Org(t, s, "Acme")
		a, _ := member(t, s, org.ID, "a@example.com", false)
		if _, err := svc.RemoveMember(ctx, org.ID, a.User.ID, a.User.ID); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("remove yourself: %v, want EForbidden", err)
		}
		// Two members remove each other at the same moment: one of them stays.
		// Rounds make the two transactions overlap at least once.
		var members []*store.User
		for round := range 20 {
			o := storetest.Org(t, s, "Pair "+strings.Repeat("x", round))
			a, _ := member(t, s, o.ID, "a"+o.Slug+"@example.com", false)
			b, _ := member(t, s, o.ID, "b"+o.Slug+"@example.com", false)
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range [][2]string{{a.User.ID, b.User.ID}, {b.User.ID, a.User.ID}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = svc.RemoveMember(ctx, o.ID, pair[0], pair[1])
				}()
			}
			close(start)
			wg.Wait()
			var err error
			members, err = svc.Members(ctx, o.ID)
			if err != nil || len(members) != 1 {
				t.Fatalf("round %d, after removing each other: %d members, errors %v", round, len(members), errs)
			}
			if (errs[0] == nil) == (errs[1] == nil) || !(paylink.IsCode(errs[0], paylink.EForbidden) || paylink.IsCode(errs[1], paylink.EForbidden)) {
				t.Errorf("round %d: want one success and one EForbidden, got %v", round, errs)
			}
		}
		other := storetest.Org(t, s, "Other shop")
		c, _ := member(t, s, other.ID, "c@example.com", false)
		if _, err := svc.RemoveMember(ctx, org.ID, a.User.ID, c.User.ID); !paylink.IsCode(err, paylink.ENotFound) {
			t.Errorf("remove another organization's user: %v, want ENotFound", err)
		}
	})
}

func TestUpdateSettings(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := &account.Service{Store: s}
		org := storetest.Org(t, s, "Acme")
		if _, err := svc.UpdateSettings(ctx, org.ID, paylink.OrganizationSettings{Name: "Acme", SupportEmail: "nope"}); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("a bad email: %v", err)
		}
		got, err := svc.UpdateSettings(ctx, org.ID, paylink.OrganizationSettings{Name: " Acme Books ",
			SupportEmail: "help@acme.example", TermsURL: "https://acme.example/terms"})
		if err != nil || got.Name != "Acme Books" || got.SupportEmail != "help@acme.example" ||
			got.TermsURL != "https://acme.example/terms" || got.PrivacyURL != "" || got.ModifiedAt == nil {
			t.Fatalf("saved: %+v %v", got, err)
		}
		if _, err := svc.UpdateSettings(ctx, paylink.NewID(), paylink.OrganizationSettings{Name: "X"}); !paylink.IsCode(err, paylink.ENotFound) {
			t.Errorf("an unknown organization: %v", err)
		}
	})
}
