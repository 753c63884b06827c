package dashboard_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestBrowserDetailPages: from the orders list a merchant opens an order, sees
// its amounts, metadata (hostile markup, shown as text) and custom field answer,
// and goes on to its customer and from there to the subscription, which it
// cancels at the end of its period through the confirmation page.
func TestBrowserDetailPages(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	poster, _ := dashPurchases(t, in)
	dashSignInBrowser(t, ctx, in)

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Orders"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/orders") })
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/dashboard/orders/`+poster+`"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/orders/"+poster) })
	if got := browsertest.Text(t, ctx, "h1"); got != "Order $15.00" {
		t.Fatalf("order page heading %q", got)
	}
	meta := browsertest.Text(t, ctx, `section[aria-labelledby="metadata-heading"]`)
	if !strings.Contains(meta, dashXSS) || !strings.Contains(meta, "<i>key</i>") {
		t.Errorf("metadata section %q", meta)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("main script, main i").length`); n != 0 {
		t.Fatalf("metadata became %d elements", n)
	}
	if fields := browsertest.Text(t, ctx, `section[aria-labelledby="fields-heading"]`); !strings.Contains(fields, "size") {
		t.Errorf("custom fields section %q", fields)
	}
	browsertest.Screenshot(t, ctx, "dashboard-order")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//dl[@class="facts"]//a[normalize-space()="ann@example.com"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/customers/") })
	if got := browsertest.Text(t, ctx, "h1"); got != "ann@example.com" {
		t.Fatalf("customer page heading %q", got)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('main table a[href^="/dashboard/orders/"]').length`); n != 2 {
		t.Fatalf("the customer page links %d orders, want 2", n)
	}
	browsertest.Screenshot(t, ctx, "dashboard-customer")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`main table a[href^="/dashboard/subscriptions/"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/subscriptions/") })
	if got := browsertest.Text(t, ctx, "h1"); got != "Subscription $9.00 / month" {
		t.Fatalf("subscription page heading %q", got)
	}
	subPage := browsertest.WaitURL(t, ctx, func(string) bool { return true })

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()="Cancel at the end of the period…"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/cancel") })
	if got := browsertest.Text(t, ctx, "h1"); got != "Cancel at the end of the period?" {
		t.Fatalf("confirmation page heading %q", got)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID("reason"), "too_expensive"),
		chromedp.SendKeys(chromedp.ID("comment"), "Too much for me"))
	browsertest.Screenshot(t, ctx, "dashboard-subscription-cancel")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Cancel at period end"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasPrefix(u, subPage+"?done=") })
	if notice := browsertest.Text(t, ctx, ".notice"); notice != "The subscription ends at the end of its period." {
		t.Fatalf("notice %q", notice)
	}
	if facts := browsertest.Text(t, ctx, "dl.facts"); !strings.Contains(facts, "Too expensive") || !strings.Contains(facts, "Too much for me") {
		t.Fatalf("the subscription's facts after the cancel: %q", facts)
	}
	if actions := browsertest.Text(t, ctx, `section[aria-labelledby="actions-heading"]`); !strings.Contains(actions, "Keep renewing…") {
		t.Fatalf("actions after the cancel: %q", actions)
	}
	browsertest.Screenshot(t, ctx, "dashboard-subscription-canceled")
}
