package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// dashUserID reads the id of the dashboard user with the email.
func dashUserID(t *testing.T, in *paylinktest.Instance, email string) string {
	t.Helper()
	var id string
	webtest.WithStore(t, in, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(context.Background(), email)
		if err == nil {
			id = u.ID
		}
		return err
	})
	return id
}

// dashInvite invites the email from the Team page and returns the sign-in link shown.
func dashInvite(t *testing.T, b *webtest.DashBrowser, email string) string {
	t.Helper()
	b.Get("/dashboard/team")
	status, doc := b.Post("/dashboard/team", url.Values{"email": {email}})
	link := doc.ByID("invite-link")
	if status != 200 || link == nil {
		t.Fatalf("invite %s: %d", email, status)
	}
	return link.Attr["value"]
}

func TestDashboardTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		_, doc := b.Get("/dashboard/team")
		nav := webtest.OnlyOne(t, doc, webtest.WithAttrs("nav", "aria-label", "Dashboard"), "navigation")
		if current := nav.Find(webtest.WithAttrs("a", "aria-current", "page")); current == nil || current.AllText() != "Team" {
			t.Error("the navigation does not mark Team as current")
		}
		rows := doc.All(func(e *webtest.Elem) bool { return e.Tag == "tr" && e.Find(webtest.IsTag("td")) != nil })
		if len(rows) != 1 || !strings.Contains(rows[0].AllText(), "demo@example.com (you)") || rows[0].Find(webtest.IsTag("form")) != nil {
			t.Fatalf("the team of the demo: %d rows, a Remove button for yourself?", len(rows))
		}
		// Refused invitations: the error at the field, nobody added.
		otherSignIn := dashNewUser(t, in, "Other Shop", "carol@example.com")
		for email, want := range map[string]string{"not-an-email": "email address", "demo@example.com": "already a member",
			"carol@example.com": "another organization"} {
			status, doc := b.Post("/dashboard/team", url.Values{"email": {email}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(doc.ByID("invite-email-error").AllText(), want) ||
				doc.ByID("invite-email").Attr["value"] != email {
				t.Errorf("invite %q: %d, want 422 with %q", email, status, want)
			}
			if who := webtest.OnlyOne(t, doc, webtest.WithAttrs("span", "class", "who"), "signed-in email").AllText(); who != "demo@example.com" {
				t.Errorf("after a refused invite the header says you are %q", who)
			}
		}
		if status, _ := b.Post("/dashboard/team", url.Values{"email": {"eve@example.com"}, "csrf": {"forged"}}); status != http.StatusForbidden {
			t.Fatalf("invite with a forged CSRF token: %d", status)
		}

		link := dashInvite(t, b, "Bob@Example.com")
		if !strings.HasPrefix(link, in.URL+"/dashboard/welcome/pl_si_") || b.Last.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("invite link %q, Cache-Control %q", link, b.Last.Header.Get("Cache-Control"))
		}
		if _, doc := b.Get("/dashboard/team"); doc.ByID("invite-link") != nil || strings.Contains(doc.AllText(), link) ||
			!strings.Contains(doc.AllText(), "bob@example.com") || !strings.Contains(doc.AllText(), "Invited") {
			t.Fatal("the team page after the invite: the link shown again, or Bob not listed as invited")
		}
		// Bob follows the link into this organization's dashboard.
		bob := dashSignedIn(t, in, link)
		if _, doc := bob.Get("/dashboard/team"); webtest.OnlyOne(t, doc, webtest.WithAttrs("span", "class", "org"), "org").AllText() != "Demo Store" {
			t.Fatal("Bob is not in the demo organization")
		}

		// Nobody removes themselves, nor another organization's user.
		demoID, carolID := dashUserID(t, in, "demo@example.com"), dashUserID(t, in, "carol@example.com")
		if status, _ := b.Post("/dashboard/team/"+demoID+"/remove", url.Values{}); status != http.StatusForbidden {
			t.Errorf("remove yourself: %d, want 403", status)
		}
		for _, id := range []string{carolID, "not-an-id"} {
			if status, _ := b.Post("/dashboard/team/"+id+"/remove", url.Values{}); status != http.StatusNotFound {
				t.Errorf("remove %s: %d, want 404", id, status)
			}
		}
		if carol := dashSignedIn(t, in, otherSignIn); carol == nil {
			t.Fatal("another organization's user lost access")
		}

		// Removing Bob ends his session at once.
		_, doc = b.Get("/dashboard/team")
		form := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "form" && strings.Contains(e.AllText(), "bob@example.com") })
		b.Post(form.Attr["action"], url.Values{})
		if b.Last.Request.URL.RawQuery != "done=member-removed" {
			t.Fatalf("remove Bob: ended at %s", b.Last.Request.URL)
		}
		if _, doc := b.Get("/dashboard/team"); strings.Contains(doc.AllText(), "bob@example.com") {
			t.Error("Bob is still listed")
		}
		if bob.Get("/dashboard/products"); !strings.HasSuffix(bob.Last.Request.URL.Path, "/dashboard/sign-in") {
			t.Fatalf("a removed member's browser still opens the dashboard: %s", bob.Last.Request.URL)
		}
		again := webtest.NewDashBrowser(t, in)
		again.Get("/dashboard/sign-in")
		if status, _ := again.Post("/dashboard/sign-in", url.Values{"email": {"bob@example.com"}, "password": {dashPassword}}); status != http.StatusUnauthorized {
			t.Errorf("a removed member signs in with their password: %d", status)
		}
		if status, _ := webtest.NewDashBrowser(t, in).Get(link); status != http.StatusGone {
			t.Errorf("the used link of a removed member: %d", status)
		}
		// An invitee removed before they used their link: the link is dead.
		dan := dashInvite(t, b, "dan@example.com")
		_, doc = b.Get("/dashboard/team")
		form = doc.Find(func(e *webtest.Elem) bool { return e.Tag == "form" && strings.Contains(e.AllText(), "dan@example.com") })
		b.Post(form.Attr["action"], url.Values{})
		if status, _ := webtest.NewDashBrowser(t, in).Get(dan); status != http.StatusGone {
			t.Errorf("the unused link of a removed invitee: %d, want 410", status)
		}
	})
}
