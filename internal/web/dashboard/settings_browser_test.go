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

// TestBrowserSettings: a merchant fixes a mistyped support email in Settings
// (the error is at the field), saves, and the checkout page shows the shop's
// new name and, in its footer, the support email and the terms and privacy links.
func TestBrowserSettings(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	dashSignInBrowser(t, ctx, in)

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Settings"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/settings") })
	webtest.TypeInto(t, ctx, "Shop name", "Lumen Press")
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), "help@lumen"),
		chromedp.SendKeys(chromedp.CSS("#terms_url"), "https://lumen.example/terms"),
		chromedp.SendKeys(chromedp.CSS("#privacy_url"), "https://lumen.example/privacy"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Save settings"]`)))
	browsertest.Until(t, ctx, `document.getElementById("email-error") !== null`)
	if got := browsertest.Text(t, ctx, "#email-error"); !strings.Contains(got, "email address") {
		t.Fatalf("email error %q", got)
	}
	if v := browsertest.Eval[string](t, ctx, `document.getElementById("privacy_url").value`); v != "https://lumen.example/privacy" {
		t.Fatalf("the rejected form lost the privacy URL: %q", v)
	}
	browsertest.Screenshot(t, ctx, "dashboard-settings-error")
	webtest.TypeInto(t, ctx, "Support email (optional)", "help@lumen.example")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Save settings"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/settings?done=settings-saved") })
	if got := browsertest.Text(t, ctx, ".notice"); got != "Settings saved." {
		t.Fatalf("notice %q", got)
	}
	if got := browsertest.Text(t, ctx, ".dash-top .org"); got != "Lumen Press" {
		t.Errorf("the dashboard's header says %q", got)
	}

	browsertest.Do(t, ctx, chromedp.Navigate(in.LinkURL))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/checkout/") })
	if got := browsertest.Text(t, ctx, ".shop-name"); got != "Lumen Press" {
		t.Errorf("checkout header %q", got)
	}
	links := browsertest.Eval[string](t, ctx, `Array.from(document.querySelectorAll("footer a")).map(a => a.textContent + "=" + a.getAttribute("href")).join(" ")`)
	if links != "help@lumen.example=mailto:help@lumen.example Terms=https://lumen.example/terms Privacy=https://lumen.example/privacy" {
		t.Errorf("checkout footer links: %s", links)
	}
	browsertest.Screenshot(t, ctx, "checkout-footer")
}
