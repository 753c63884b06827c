// Package tokens is the one home of the writes to organization access tokens:
// the dashboard and the command line issue and revoke them through it.
package tokens

import (
	"context"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Service issues and revokes access tokens.
type Service struct {
	Store *store.Store
	Now   func() time.Time // the clock; paylink.Now when nil
}

func (s *Service) now() time.Time { return paylink.Clock(s.Now).Read() }

// Create issues a token of orgID with the comment and scopes (all when none are
// given) and returns it in plain text: the only time it is shown, since the
// store keeps a hash. An unknown scope is EInvalid, located at "scopes".
func (s *Service) Create(ctx context.Context, orgID, comment string, scopes []string) (string, error) {
	if len(scopes) == 0 {
		scopes = paylink.AllScopes
	}
	var probs paylink.Problems
	for i, sc := range scopes {
		if !paylink.ValidScope(sc) {
			probs.Add("unknown scope; known scopes: "+strings.Join(paylink.AllScopes, ", "), sc, "body", "scopes", i)
		}
	}
	if err := probs.Err(); err != nil {
		return "", err
	}
	token := paylink.NewSecret(paylink.PrefixAccessToken)
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		return tx.AccessTokenCreate(ctx, &paylink.AccessToken{OrganizationID: orgID, Comment: comment, Scopes: scopes}, token)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Revoke revokes one of the organization's tokens at once; ENotFound for an
// unknown, revoked or other organization's token.
func (s *Service) Revoke(ctx context.Context, orgID, id string) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return tx.AccessTokenRevoke(ctx, orgID, id, s.now()) })
}
