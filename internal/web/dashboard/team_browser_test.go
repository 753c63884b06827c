package dashboard_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestBrowserTeam: a merchant invites a colleague from the Team page, gets the
// one-time sign-in link to send (with a Copy button), sees them listed as
// invited, and removes them after confirming.
func TestBrowserTeam(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	dashSignInBrowser(t, ctx, in)

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Team"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/team") })
	if got := browsertest.Text(t, ctx, "tbody"); !strings.Contains(got, "demo@example.com (you)") {
		t.Fatalf("members: %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#invite-email"), "bob@example"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Invite"]`)))
	browsertest.Until(t, ctx, `document.getElementById("invite-email-error") !== null`)
	webtest.TypeInto(t, ctx, "Email", "bob@example.com")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Invite"]`)))
	browsertest.Until(t, ctx, `document.getElementById("invite-link") !== null`)
	link := browsertest.Eval[string](t, ctx, `document.getElementById("invite-link").value`)
	if !strings.HasPrefix(link, in.URL+"/dashboard/welcome/pl_si_") {
		t.Fatalf("invite link %q", link)
	}
	if !browsertest.Eval[bool](t, ctx, `!document.querySelector('button[data-copy="invite-link"]').hidden`) {
		t.Error("no Copy button for the link")
	}
	if got := browsertest.Text(t, ctx, "#invite-heading"); got != "bob@example.com is invited" {
		t.Errorf("invite heading %q", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-team-invite")

	browsertest.Eval[bool](t, ctx, `window.confirm = function () { return true; }, true`)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//tr[th[contains(., "bob@example.com")]]//button[starts-with(normalize-space(), "Remove")]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/team?done=member-removed") })
	if got := browsertest.Text(t, ctx, "tbody"); strings.Contains(got, "bob@example.com") {
		t.Fatalf("Bob is still listed: %q", got)
	}
}
