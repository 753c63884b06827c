package cli_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestRestartBanner: a start on a database that has organizations already prints,
// besides where paylink runs, the command that lets someone into the dashboard
// again, with every organization's real slug and the flags this server runs
// with; run as printed (with an email), it makes a sign-in link to this server.
func TestRestartBanner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		for _, name := range []string{"Acme", "Other Shop"} {
			if _, _, err := cliRun(t, "org", "create", "--database", db, "--name", name); err != nil {
				t.Fatal(err)
			}
		}
		in := paylinktest.Start(t, db, nil)
		if in.SignIn != "" || in.Token != "" {
			t.Fatalf("an existing database was seeded again:\n%s", in.Stdout)
		}
		if !strings.Contains(in.Stdout, "  Dashboard:         "+in.URL+"/dashboard\n") {
			t.Errorf("no dashboard URL in\n%s", in.Stdout)
		}
		var cmds [][]string
		for _, line := range strings.Split(in.Stdout, "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "paylink user create "); ok {
				cmds = append(cmds, shellWords(rest))
			}
		}
		if len(cmds) != 2 {
			t.Fatalf("want one user create line per organization, got\n%s", in.Stdout)
		}
		for i, slug := range []string{"acme", "other-shop"} {
			args := strings.Join(cmds[i], " ")
			if !strings.Contains(args, "--org "+slug+" ") || !strings.HasSuffix(args, "--email EMAIL") {
				t.Fatalf("line %d: %q, want --org %s and --email EMAIL", i, args, slug)
			}
			cmd := append([]string{"user", "create"}, cmds[i]...)
			cmd[len(cmd)-1] = "ann" + slug + "@example.com"
			link, _, err := cliRun(t, cmd...)
			if err != nil || !strings.HasPrefix(link, in.URL+"/dashboard/welcome/") {
				t.Fatalf("the printed command %v: %q %v", cmd, link, err)
			}
		}
	})
}

// TestEmptyBanner: with --demo=false an empty database stays empty, and the banner
// says how to make the first organization and user.
func TestEmptyBanner(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil, "--demo=false")
	if !strings.Contains(in.Stdout, "paylink org create --database ") || !strings.Contains(in.Stdout, "paylink user create --database ") {
		t.Errorf("no first-organization hint in\n%s", in.Stdout)
	}
}

// shellWords splits a printed command line as a POSIX shell would, for the
// single quotes the banner uses.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	in, started := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			in, started = !in, true
		case r == ' ' && !in:
			if started {
				words = append(words, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if started {
		words = append(words, cur.String())
	}
	return words
}
