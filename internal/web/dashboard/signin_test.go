package dashboard_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// signedIn follows a one-time sign-in URL, sets the password and returns the
// browser, now on the Overview, the landing page.
func dashSignedIn(t *testing.T, in *paylinktest.Instance, signInURL string) *webtest.DashBrowser {
	t.Helper()
	b := webtest.NewDashBrowser(t, in)
	if status, doc := b.Get(signInURL); status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != "Set your password" {
		t.Fatalf("welcome page: %d", status)
	}
	status, doc := b.Post(signInURL, url.Values{"password": {dashPassword}, "confirm": {dashPassword}})
	if status != 200 || !strings.HasSuffix(b.Last.Request.URL.Path, "/dashboard/overview") {
		t.Fatalf("set password: %d at %s", status, b.Last.Request.URL)
	}
	if got := webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText(); got != "Overview" {
		t.Fatalf("after setting the password the page is %q", got)
	}
	return b
}

// newUser runs `paylink user create` for another organization and returns its
// one-time sign-in URL.
func dashNewUser(t *testing.T, in *paylinktest.Instance, org, email string) string {
	t.Helper()
	in.NewOrg(t, org)
	var out, errb bytes.Buffer
	err := cli.Run(context.Background(), []string{"user", "create", "--database", in.DatabaseURL, "--org",
		strings.ToLower(strings.ReplaceAll(org, " ", "-")), "--email", email, "--public-url", in.URL},
		func(string) string { return "" }, &out, &errb)
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

func TestDashboardSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)

		// The session cookie: HttpOnly, SameSite=Lax, scoped to the dashboard.
		var session *http.Cookie
		for _, c := range b.Last.Request.Response.Cookies() {
			if c.Name == "paylink_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/dashboard" || session.Secure {
			t.Fatalf("session cookie %+v", session)
		}
		// The one-time link is used up.
		if status, _ := webtest.NewDashBrowser(t, in).Get(in.SignIn); status != http.StatusGone {
			t.Fatalf("second use of the sign-in link: %d, want 410", status)
		}
		// A form post without the session's CSRF token is refused.
		if status, _ := b.Post("/dashboard/tokens", url.Values{"csrf": {"forged"}, "comment": {"x"}}); status != http.StatusForbidden {
			t.Fatalf("forged CSRF token: %d, want 403", status)
		}
		// Sign out: the dashboard sends the browser to sign in again.
		b.Get("/dashboard/products")
		if status, doc := b.Post("/dashboard/sign-out", url.Values{}); status != 200 || webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "class", "notice"), "notice").AllText() != "You have signed out." {
			t.Fatalf("sign-out: %d", status)
		}
		if _, doc := b.Get("/dashboard/orders"); !strings.HasSuffix(b.Last.Request.URL.Path, "/dashboard/sign-in") ||
			webtest.OnlyOne(t, doc, webtest.WithAttrs("input", "name", "next"), "next input").Attr["value"] != "/dashboard/orders" {
			t.Fatalf("signed out, /dashboard/orders ended at %s", b.Last.Request.URL)
		}
		// Wrong password: 401 and a message; the right one: in.
		status, doc := b.Post("/dashboard/sign-in", url.Values{"email": {"demo@example.com"}, "password": {"wrong password!"}})
		if status != http.StatusUnauthorized || !strings.Contains(webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "role", "alert"), "alert").AllText(), "not right") {
			t.Fatalf("wrong password: %d", status)
		}
		if status, _ := b.Post("/dashboard/sign-in", url.Values{"email": {"nobody@example.com"}, "password": {dashPassword}}); status != http.StatusUnauthorized {
			t.Fatalf("unknown email: %d", status)
		}
		status, doc = b.Post("/dashboard/sign-in", url.Values{"email": {"DEMO@example.com"}, "password": {dashPassword}, "next": {"/dashboard/orders"}})
		if status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != "Orders" {
			t.Fatalf("sign-in: %d at %s", status, b.Last.Request.URL)
		}
		// The sign-in form itself is CSRF-protected (a cross-site login is refused).
		if status, _ := webtest.NewDashBrowser(t, in).Post("/dashboard/sign-in", url.Values{"csrf": {"x"}, "email": {"demo@example.com"}, "password": {dashPassword}}); status != http.StatusForbidden {
			t.Fatalf("sign-in without the form cookie: %d, want 403", status)
		}
	})
}

func TestDashboardWelcomeRejectsShortPassword(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := webtest.NewDashBrowser(t, in)
	b.Get(in.SignIn)
	status, doc := b.Post(in.SignIn, url.Values{"password": {"short"}, "confirm": {"short"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "role", "alert"), "alert").AllText(), "at least 10") {
		t.Fatalf("short password: %d", status)
	}
	if webtest.OnlyOne(t, doc, webtest.WithAttrs("input", "id", "password"), "password input").Attr["aria-invalid"] != "true" {
		t.Fatal("the password input is not marked invalid")
	}
	status, doc = b.Post(in.SignIn, url.Values{"password": {dashPassword}, "confirm": {dashPassword + "x"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "role", "alert"), "alert").AllText(), "do not match") {
		t.Fatalf("mismatched passwords: %d", status)
	}
	// The link was not used up by the failed attempts.
	dashSignedIn(t, in, in.SignIn)
}

func TestDashboardNeedsSignIn(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	c := in.Client // does not follow redirects
	for _, path := range []string{"/dashboard/products", "/dashboard/links", "/dashboard/links/new", "/dashboard/orders",
		"/dashboard/tokens", "/dashboard/customers"} {
		resp, err := c.Get(in.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dashboard/sign-in") {
			t.Errorf("GET %s signed out: %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, err := c.PostForm(in.URL+"/dashboard/tokens", url.Values{"comment": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST signed out: %d, want a redirect to sign in", resp.StatusCode)
	}
}

// Wrong passwords slow down the address they come from (internal/account has the
// rules and the other addresses); the page says when to try again.
func TestDashboardSignInThrottlesWrongPasswords(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	dashSignedIn(t, in, in.SignIn)
	b := webtest.NewDashBrowser(t, in)
	b.Get("/dashboard/sign-in")
	for i := 0; i < 6; i++ {
		if status, _ := b.Post("/dashboard/sign-in", url.Values{"email": {"demo@example.com"}, "password": {"guess number " + string(rune('a'+i))}}); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, status)
		}
	}
	status, doc := b.Post("/dashboard/sign-in", url.Values{"email": {"demo@example.com"}, "password": {dashPassword}})
	if status != http.StatusTooManyRequests || !strings.Contains(webtest.OnlyOne(t, doc, webtest.WithAttrs("p", "role", "alert"), "alert").AllText(), "Try again in") {
		t.Fatalf("the right password right after 6 wrong ones from one address: %d, want 429", status)
	}
}
