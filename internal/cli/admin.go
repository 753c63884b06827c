package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/tokens"
)

// openStore opens the database and applies paylink's and River's migrations.
func openStore(ctx context.Context, url string) (*store.Store, error) {
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	db := databaseFlag(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(stdout, "migrated")
	return nil
}

func orgCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("org create", stderr)
	db := databaseFlag(fs, getenv)
	name := fs.String("name", "", "organization name (required)")
	slug := fs.String("slug", "", "URL slug (default: made from the name)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return fmt.Errorf("org create: --name is required")
	}
	if *slug == "" {
		*slug = paylink.Slugify(*name)
	} else if !paylink.ValidSlug(*slug) {
		return fmt.Errorf("org create: --slug %q: use lower-case letters, digits and dashes", *slug)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	org := &paylink.Organization{Name: strings.TrimSpace(*name), Slug: *slug}
	err = s.InTx(ctx, func(tx *store.Tx) error { return tx.OrganizationCreate(ctx, org) })
	if paylink.IsCode(err, paylink.EConflict) {
		return fmt.Errorf("org create: the slug %q is taken; choose another with --slug", *slug)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, org.ID)
	return nil
}

func tokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("token create", stderr)
	db := databaseFlag(fs, getenv)
	slug := fs.String("org", "", "organization slug (required)")
	scopes := fs.String("scopes", "", "comma-separated scopes (default: all)")
	comment := fs.String("comment", "", "a note to recognise the token by")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" {
		return fmt.Errorf("token create: --org is required")
	}
	var list []string // none: all scopes
	if *scopes != "" {
		for _, sc := range strings.Split(*scopes, ",") {
			list = append(list, strings.TrimSpace(sc))
		}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var org *paylink.Organization
	err = s.Read(ctx, func(tx *store.Tx) (err error) {
		org, err = tx.OrganizationGetBySlug(ctx, *slug)
		return err
	})
	if paylink.IsCode(err, paylink.ENotFound) {
		return fmt.Errorf("token create: no organization with the slug %q", *slug)
	}
	if err != nil {
		return err
	}
	token, err := (&tokens.Service{Store: s}).Create(ctx, org.ID, *comment, list)
	var e *paylink.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return fmt.Errorf("token create: scope %q: %s", e.Fields[0].Input, e.Fields[0].Msg)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}
