package portalpage_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/subscriptions"
)

// sidewaysJS is how far the page scrolls sideways (0 when it fits the screen).
const sidewaysJS = `document.documentElement.scrollWidth - document.documentElement.clientWidth`

// TestBrowserPortalOnPhone: at 375 px a customer signs in to the portal with the
// emailed code, sees their orders and subscription, opens a receipt and cancels
// (after confirming), and no page scrolls sideways.
func TestBrowserPortalOnPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		p.portal.Subscriptions = &subscriptions.Service{Store: p.st}
		ctx := browsertest.New(t)
		browsertest.Viewport(t, ctx, 375, 812, true)
		fits := func(page string) {
			t.Helper()
			if d := browsertest.Eval[float64](t, ctx, sidewaysJS); d > 0 {
				t.Errorf("%s at 375px scrolls %.0fpx sideways", page, d)
			}
			browsertest.Screenshot(t, ctx, "portal-375-"+page)
		}
		base := p.url + portal.PortalPath(p.org.Slug)
		browsertest.Do(t, ctx, chromedp.Navigate(base), chromedp.WaitVisible(`#email`))
		fits("sign-in")
		browsertest.Do(t, ctx, chromedp.SendKeys(`#email`, "ann@example.com"), chromedp.Submit(`#email`),
			chromedp.WaitVisible(`#code`))
		if text := browsertest.Text(t, ctx, ".portal-notice"); !strings.Contains(text, "a sign-in code is on its way") {
			t.Fatalf("after asking for a code: %q", text)
		}
		fits("code")
		browsertest.Do(t, ctx, chromedp.SendKeys(`#code`, p.code("ann@example.com")), chromedp.Submit(`#code`),
			chromedp.WaitVisible(`.portal-who`))
		text := browsertest.Text(t, ctx, "main")
		for _, want := range []string{"Signed in as ann@example.com", "Pro Plan", "Active", "Starter Kit", p.annKit.ReceiptLabel()} {
			if !strings.Contains(text, want) {
				t.Errorf("the portal does not show %q: %s", want, text)
			}
		}
		fits("home")

		browsertest.Do(t, ctx, chromedp.Click(`//button[normalize-space()="Cancel subscription"]`),
			chromedp.WaitVisible(`//button[contains(., "Yes, cancel")]`))
		fits("confirm-cancel")
		browsertest.Do(t, ctx, chromedp.Click(`//button[contains(., "Yes, cancel")]`),
			chromedp.WaitVisible(`.portal-notice`))
		end := p.annSub.CurrentPeriodEnd.Format("January 2, 2006")
		if text := browsertest.Text(t, ctx, "main"); !strings.Contains(text, "Ends on "+end) || !strings.Contains(text, "Resume subscription") {
			t.Errorf("after canceling: %s", text)
		}

		browsertest.Do(t, ctx, chromedp.Click(`//a[normalize-space()="Receipt"]`),
			chromedp.WaitVisible(`.receipt`))
		receipt := browsertest.Text(t, ctx, ".receipt")
		if !strings.Contains(receipt, "RCPT-") || !strings.Contains(receipt, "Total paid") {
			t.Errorf("the receipt: %s", receipt)
		}
		if browsertest.Eval[bool](t, ctx, `document.querySelector("[data-print]").hidden`) {
			t.Error("the Print button stays hidden with JavaScript")
		}
		fits("receipt")
	})
}
