package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestUsers(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Acme")
		u := &store.User{OrganizationID: org.ID, Email: "  Ann@Example.com "}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.UserCreate(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		if u.Email != "ann@example.com" {
			t.Fatalf("email stored as %q, want lower case and trimmed", u.Email)
		}
		err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.UserCreate(ctx, &store.User{OrganizationID: org.ID, Email: "ANN@example.com"})
		})
		if !paylink.IsCode(err, paylink.EConflict) {
			t.Fatalf("duplicate email: %v, want conflict", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.UserByEmail(ctx, "ann@EXAMPLE.com")
			if err != nil || got.ID != u.ID || got.OrganizationID != org.ID || got.PasswordHash != "" {
				t.Fatalf("by email: %+v %v", got, err)
			}
			if _, err := tx.UserByEmail(ctx, "bob@example.com"); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("unknown email: %v", err)
			}
			return nil
		})
	})
}

func TestUserSessions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Acme")
		u := &store.User{OrganizationID: org.ID, Email: "ann@example.com"}
		now := paylink.Now()
		live, old := paylink.NewSecret("t_"), paylink.NewSecret("t_")
		err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.UserCreate(ctx, u); err != nil {
				return err
			}
			if err := tx.UserSessionCreate(ctx, &store.UserSession{UserID: u.ID, CSRF: "c1", ExpiresAt: now.Add(time.Hour)}, live); err != nil {
				return err
			}
			return tx.UserSessionCreate(ctx, &store.UserSession{UserID: u.ID, CSRF: "c2", ExpiresAt: now.Add(-time.Second)}, old)
		})
		if err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			sess, user, err := tx.UserSessionByToken(ctx, live, now)
			if err != nil || sess.CSRF != "c1" || user.ID != u.ID || user.OrganizationID != org.ID {
				t.Fatalf("live session: %+v %+v %v", sess, user, err)
			}
			if _, _, err := tx.UserSessionByToken(ctx, old, now); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("expired session: %v, want unauthorized", err)
			}
			if _, _, err := tx.UserSessionByToken(ctx, live+"x", now); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("unknown session: %v, want unauthorized", err)
			}
			return nil
		})
		// Setting a password ends every session of the user.
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.UserSetPassword(ctx, u.ID, "hash") }); err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if _, _, err := tx.UserSessionByToken(ctx, live, now); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("session survived a password change: %v", err)
			}
			got, _ := tx.UserGet(ctx, u.ID)
			if got.PasswordHash != "hash" {
				t.Fatalf("password hash %q", got.PasswordHash)
			}
			return nil
		})
		// Sign-out deletes the session.
		again := paylink.NewSecret("t_")
		s.InTx(ctx, func(tx *store.Tx) error {
			return tx.UserSessionCreate(ctx, &store.UserSession{UserID: u.ID, CSRF: "c3", ExpiresAt: now.Add(time.Hour)}, again)
		})
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.UserSessionDelete(ctx, again, now) }); err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if _, _, err := tx.UserSessionByToken(ctx, again, now); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("signed-out session still works: %v", err)
			}
			return nil
		})
	})
}

func TestUserSignInTokens(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Acme")
		u := &store.User{OrganizationID: org.ID, Email: "ann@example.com"}
		now := paylink.Now()
		tok, expired := paylink.NewSecret("s_"), paylink.NewSecret("s_")
		err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.UserCreate(ctx, u); err != nil {
				return err
			}
			if err := tx.UserSignInTokenCreate(ctx, u.ID, tok, now.Add(time.Hour)); err != nil {
				return err
			}
			return tx.UserSignInTokenCreate(ctx, u.ID, expired, now.Add(-time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		use := func(token string) (*store.User, error) {
			var got *store.User
			err := s.InTx(ctx, func(tx *store.Tx) (err error) {
				got, err = tx.UserSignInTokenUse(ctx, token, now)
				return err
			})
			return got, err
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if got, err := tx.UserSignInTokenPeek(ctx, tok, now); err != nil || got.ID != u.ID {
				t.Fatalf("peek: %+v %v", got, err)
			}
			if _, err := tx.UserSignInTokenPeek(ctx, expired, now); !paylink.IsCode(err, paylink.EGone) {
				t.Fatalf("peek expired: %v, want gone", err)
			}
			return nil
		})
		if got, err := use(tok); err != nil || got.ID != u.ID {
			t.Fatalf("use: %+v %v", got, err)
		}
		if _, err := use(tok); !paylink.IsCode(err, paylink.EGone) {
			t.Fatalf("second use: %v, want gone", err)
		}
		if _, err := use(expired); !paylink.IsCode(err, paylink.EGone) {
			t.Fatalf("expired use: %v, want gone", err)
		}
		if _, err := use("nope"); !paylink.IsCode(err, paylink.EGone) {
			t.Fatalf("unknown token: %v, want gone", err)
		}
	})
}
