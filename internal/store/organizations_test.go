package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestOrganizationsAndTokens(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := &paylink.Organization{Name: "Acme", Slug: "acme"}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.OrganizationCreate(ctx, org) }); err != nil {
			t.Fatal(err)
		}
		err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.OrganizationCreate(ctx, &paylink.Organization{Name: "Other", Slug: "acme"})
		})
		if !paylink.IsCode(err, paylink.EConflict) {
			t.Fatalf("duplicate slug: got %v, want conflict", err)
		}
		plain := paylink.NewSecret(paylink.PrefixAccessToken)
		err = s.InTx(ctx, func(tx *store.Tx) error {
			return tx.AccessTokenCreate(ctx, &paylink.AccessToken{OrganizationID: org.ID, Scopes: []string{"products:read"}}, plain)
		})
		if err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.OrganizationGetBySlug(ctx, "acme")
			if err != nil || got.ID != org.ID || !got.CreatedAt.Equal(org.CreatedAt) || got.CreatedAt.Location() != time.UTC {
				t.Fatalf("get by slug: %+v %v (want created %v)", got, err, org.CreatedAt)
			}
			if _, err := tx.OrganizationGet(ctx, paylink.NewID()); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("unknown id: %v", err)
			}
			tok, err := tx.AccessTokenByPlain(ctx, plain)
			if err != nil || tok.OrganizationID != org.ID || len(tok.Scopes) != 1 {
				t.Fatalf("token: %+v %v", tok, err)
			}
			if _, err := tx.AccessTokenByPlain(ctx, plain+"x"); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("bad token: %v", err)
			}
			return nil
		})
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			toks, _ := tx.AccessTokenList(ctx, org.ID)
			return tx.AccessTokenRevoke(ctx, org.ID, toks[0].ID, paylink.Now())
		}); err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if _, err := tx.AccessTokenByPlain(ctx, plain); !paylink.IsCode(err, paylink.EUnauthorized) {
				t.Fatalf("revoked token still works: %v", err)
			}
			return nil
		})
	})
}
