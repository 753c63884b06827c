package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func cliRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cli.Run(context.Background(), args, func(string) string { return "" }, &out, &errb)
	return strings.TrimSpace(out.String()), errb.String(), err
}

func TestUserCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		for _, slug := range []string{"acme", "other"} {
			if _, _, err := cliRun(t, "org", "create", "--database", db, "--name", slug); err != nil {
				t.Fatal(err)
			}
		}
		url, _, err := cliRun(t, "user", "create", "--database", db, "--org", "acme", "--email", "Ann@Example.com",
			"--public-url", "https://pay.example.com/")
		if err != nil || !strings.HasPrefix(url, "https://pay.example.com/dashboard/welcome/pl_si_") || strings.Contains(url, "\n") {
			t.Fatalf("user create: %q %v", url, err)
		}
		// Again for the same organization: a fresh link (a password reset).
		again, note, err := cliRun(t, "user", "create", "--database", db, "--org", "acme", "--email", "ann@example.com",
			"--public-url", "https://pay.example.com")
		if err != nil || again == url || !strings.HasPrefix(again, "https://pay.example.com/dashboard/welcome/") || !strings.Contains(note, "already exists") {
			t.Fatalf("user create again: %q %q %v", again, note, err)
		}
		s := storetest.Open(t, db)
		s.Read(context.Background(), func(tx *store.Tx) error {
			u, err := tx.UserByEmail(context.Background(), "ann@example.com")
			if err != nil || u.PasswordHash != "" {
				t.Fatalf("stored user %+v %v", u, err)
			}
			return nil
		})
		for _, args := range [][]string{
			{"--org", "other", "--email", "ann@example.com"}, // another organization's user
			{"--org", "nope", "--email", "bob@example.com"},
			{"--org", "acme", "--email", "not an email"},
			{"--org", "acme", "--email", "Bob <bob@example.com>"},
			{"--org", "acme"},
			{"--email", "bob@example.com"},
			{"--org", "acme", "--email", "bob@example.com", "--public-url", "ftp://x"},
		} {
			if out, _, err := cliRun(t, append([]string{"user", "create", "--database", db}, args...)...); err == nil || out != "" {
				t.Errorf("user create %v: %q, want an error and nothing on stdout", args, out)
			}
		}
	})
}
