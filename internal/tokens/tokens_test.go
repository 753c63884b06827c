package tokens_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/tokens"
)

// A token is issued with its scopes, works until revoked, and only its own
// organization can revoke it; an unknown scope is refused.
func TestIssueAndRevoke(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := &paylink.Organization{Name: "A", Slug: "a"}, &paylink.Organization{Name: "B", Slug: "b"}
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.OrganizationCreate(ctx, org); err != nil {
				return err
			}
			return tx.OrganizationCreate(ctx, other)
		}); err != nil {
			t.Fatal(err)
		}
		svc := &tokens.Service{Store: s}
		if _, err := svc.Create(ctx, org.ID, "bad", []string{"products:read", "nope"}); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("unknown scope: %v", err)
		}
		plain, err := svc.Create(ctx, org.ID, "ci", []string{"products:read"})
		if err != nil {
			t.Fatal(err)
		}
		var tok *paylink.AccessToken
		lookup := func() error {
			return s.Read(ctx, func(tx *store.Tx) (err error) { tok, err = tx.AccessTokenByPlain(ctx, plain); return err })
		}
		if err := lookup(); err != nil || tok.OrganizationID != org.ID || len(tok.Scopes) != 1 {
			t.Fatalf("issued token: %+v %v", tok, err)
		}
		if err := svc.Revoke(ctx, other.ID, tok.ID); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("revoked by another organization: %v", err)
		}
		if err := svc.Revoke(ctx, org.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := lookup(); err == nil {
			t.Fatal("a revoked token still works")
		}
	})
}
