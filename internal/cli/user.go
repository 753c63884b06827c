package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/account"
	"github.com/paylink/paylink/internal/store"
)

// userCreate adds a dashboard user to an organization and prints a one-time URL
// where they set their password. For an email that already belongs to the
// organization it prints a fresh URL instead: the way to reset a password.
func userCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("user create", stderr)
	db := databaseFlag(fs, getenv)
	slug := fs.String("org", "", "organization slug (required)")
	email := fs.String("email", "", "the user's email (required)")
	publicURL := fs.String("public-url", envOr(getenv, "PAYLINK_PUBLIC_URL", defaultPublicURL),
		"public base URL the sign-in link starts with (PAYLINK_PUBLIC_URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("user create: --org is required")
	}
	if !strings.HasPrefix(*publicURL, "http://") && !strings.HasPrefix(*publicURL, "https://") {
		return fmt.Errorf("user create: --public-url %q: must start with http:// or https://", *publicURL)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var out *account.UserLink
	err = s.InTx(ctx, func(tx *store.Tx) error {
		org, err := tx.OrganizationGetBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		out, err = account.UserWithSignInLink(ctx, tx, account.UserLinkParams{OrganizationID: org.ID,
			Email: *email, PublicURL: *publicURL, Existing: true})
		return err
	})
	var conflict *paylink.Error
	switch {
	case paylink.IsCode(err, paylink.ENotFound):
		return fmt.Errorf("user create: no organization with the slug %q", *slug)
	case paylink.IsCode(err, paylink.EInvalid):
		return fmt.Errorf("user create: --email %q: give one plain email address, like ann@example.com", *email)
	case errors.As(err, &conflict) && conflict.Code == paylink.EConflict:
		return fmt.Errorf("user create: %s", conflict.Message)
	case err != nil:
		return err
	}
	if out.Existed {
		fmt.Fprintf(stderr, "%s already exists; this new link lets them set a new password\n", out.User.Email)
	}
	fmt.Fprintln(stdout, out.Link)
	return nil
}
