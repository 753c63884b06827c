package demo

import (
	"context"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/store"
)

// DemoEmail is the demo dashboard user's email.
const DemoEmail = "demo@example.com"

// Runs after seedCatalog: Go runs the init functions of a package's files in the
// order of their names, and catalog.go sorts before user.go.
func init() {
	seeders = append(seeders, seedUser)
}

// seedUser creates the demo dashboard user, without a password, and a one-time
// link where they set one and are signed in.
func seedUser(ctx context.Context, tx *store.Tx, org *paylink.Organization, publicURL string, res *Result) error {
	out, err := account.UserWithSignInLink(ctx, tx, account.UserLinkParams{OrganizationID: org.ID,
		Email: DemoEmail, PublicURL: publicURL})
	if err != nil {
		return err
	}
	res.SignIn = out.Link
	return nil
}
