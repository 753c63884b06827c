package cli

import (
	"context"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/web"
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
	addr, err := mail.ParseAddress(strings.TrimSpace(*email))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 {
		return fmt.Errorf("user create: --email %q: give one plain email address, like ann@example.com", *email)
	}
	if !strings.HasPrefix(*publicURL, "http://") && !strings.HasPrefix(*publicURL, "https://") {
		return fmt.Errorf("user create: --public-url %q: must start with http:// or https://", *publicURL)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var link string
	err = s.InTx(ctx, func(tx *store.Tx) error {
		org, err := tx.OrganizationGetBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, addr.Address)
		switch {
		case paylink.IsCode(err, paylink.ENotFound):
			u = &store.User{OrganizationID: org.ID, Email: addr.Address}
			if err := tx.UserCreate(ctx, u); err != nil {
				return err
			}
		case err != nil:
			return err
		case u.OrganizationID != org.ID:
			return fmt.Errorf("user create: %s already belongs to another organization", u.Email)
		default:
			fmt.Fprintf(stderr, "%s already exists; this new link lets them set a new password\n", u.Email)
		}
		link, err = web.NewSignInLink(ctx, tx, u.ID, strings.TrimRight(*publicURL, "/"))
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return fmt.Errorf("user create: no organization with the slug %q", *slug)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, link)
	return nil
}
