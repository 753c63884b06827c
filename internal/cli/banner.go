package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/paylink/paylink/internal/demo"
	"github.com/paylink/paylink/internal/store"
)

// bannerOrgs is how many organizations the restart banner names; more are counted.
const bannerOrgs = 5

// printBanner tells the operator where paylink runs and how to get in: on a
// freshly seeded database the demo's sign-in link and token; on an existing one
// the command that makes a one-time sign-in link (for a new user, or a password
// reset), with the real slug of each organization and the flags this server
// runs with, since no link printed at an earlier start is still usable.
func printBanner(ctx context.Context, w io.Writer, s *store.Store, cfg *Config, seeded *demo.Result) error {
	fmt.Fprintf(w, "paylink is running at %s\n", cfg.PublicURL)
	if seeded != nil {
		if seeded.SignIn != "" {
			fmt.Fprintf(w, "  Dashboard sign-in: %s\n", seeded.SignIn)
		}
		fmt.Fprintf(w, "  API token:         %s\n", seeded.Token)
		if seeded.LinkURL != "" {
			fmt.Fprintf(w, "  Demo link:         %s\n", seeded.LinkURL)
		}
		return nil
	}
	var slugs []string
	var total int
	err := s.Read(ctx, func(tx *store.Tx) (err error) {
		if total, err = tx.OrganizationCount(ctx); err != nil {
			return err
		}
		slugs, err = tx.OrganizationSlugs(ctx, bannerOrgs)
		return err
	})
	if err != nil {
		return fmt.Errorf("list organizations: %w", err)
	}
	fmt.Fprintf(w, "  Dashboard:         %s/dashboard\n", cfg.PublicURL)
	flags := cliFlags(cfg)
	if len(slugs) == 0 {
		fmt.Fprintf(w, "  No organization yet. Create one, then a dashboard user:\n")
		fmt.Fprintf(w, "    paylink org create%s --name NAME [--slug SLUG]\n", flags)
		fmt.Fprintf(w, "    paylink user create%s --org SLUG --email EMAIL\n", flags)
		return nil
	}
	fmt.Fprintf(w, "  To sign in, get a one-time link (a new user, or a new password for an existing one):\n")
	for _, slug := range slugs {
		fmt.Fprintf(w, "    paylink user create%s --org %s --email EMAIL\n", flags, slug)
	}
	if total > len(slugs) {
		fmt.Fprintf(w, "    (and %d more organizations: use the slug of yours)\n", total-len(slugs))
	}
	return nil
}

// cliFlags are the --database and --public-url flags that make another
// command act on this server's database and print this server's URLs; empty
// where the command's default is the same. A password in the database URL is
// shown as xxxxx.
func cliFlags(cfg *Config) string {
	var b strings.Builder
	if cfg.DatabaseURL != defaultDatabase {
		shown := cfg.DatabaseURL
		if u, err := url.Parse(shown); err == nil && u.User != nil {
			shown = u.Redacted()
		}
		b.WriteString(" --database " + shellQuote(shown))
	}
	if cfg.PublicURL != defaultPublicURL {
		b.WriteString(" --public-url " + shellQuote(cfg.PublicURL))
	}
	return b.String()
}

// shellQuote single-quotes s when a POSIX shell would otherwise split or expand it.
func shellQuote(s string) string {
	if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
