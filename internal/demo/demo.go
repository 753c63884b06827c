// Package demo seeds an empty database with an organization a newcomer can try
// paylink with: products of each price kind, a discount with a code, a custom
// field, a checkout link, an API token and a dashboard user.
package demo

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// Result is what the seed prints for the operator.
type Result struct {
	OrgID   string
	Token   string // plain API token, shown once
	LinkURL string // the demo checkout link, "" until links exist
	SignIn  string // one-time dashboard sign-in URL, "" until the dashboard exists
}

// Seed creates the demo organization when the database has no organization yet.
// It returns nil when there was something already.
func Seed(ctx context.Context, s *store.Store, publicURL string) (*Result, error) {
	var res *Result
	err := s.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.OrganizationCount(ctx)
		if err != nil || n > 0 {
			return err
		}
		org := &paylink.Organization{Name: "Demo Store", Slug: "demo"}
		if err := tx.OrganizationCreate(ctx, org); err != nil {
			return err
		}
		token := paylink.NewSecret(paylink.PrefixAccessToken)
		if err := tx.AccessTokenCreate(ctx, &paylink.AccessToken{OrganizationID: org.ID, Comment: "demo", Scopes: paylink.AllScopes}, token); err != nil {
			return err
		}
		res = &Result{OrgID: org.ID, Token: token}
		for _, seed := range seeders {
			if err := seed(ctx, tx, org, publicURL, res); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// seeders add the demo data of each area, in order (catalog before links).
var seeders []func(ctx context.Context, tx *store.Tx, org *paylink.Organization, publicURL string, res *Result) error
