package dashboard_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestBrowserRefund: a merchant refunds part of an order from its page: the
// review step says what will happen, the confirmation refunds it, and the page
// shows the refund and what is left.
func TestBrowserRefund(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	poster, _ := dashPurchases(t, in)
	dashSignInBrowser(t, ctx, in)

	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/orders/"+poster),
		chromedp.SetValue(chromedp.ID("refund-amount"), "4.50"),
		chromedp.SetValue(chromedp.ID("refund-reason"), "service_disruption"),
		chromedp.SendKeys(chromedp.ID("refund-comment"), "Late delivery"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Review refund"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/orders/"+poster+"/refund") })
	if got := browsertest.Text(t, ctx, "h1"); got != "Refund $4.50?" {
		t.Fatalf("review heading %q", got)
	}
	browsertest.Screenshot(t, ctx, "dashboard-refund-confirm")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Refund $4.50"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "done=refund-created") })
	refunds := strings.ToLower(browsertest.Text(t, ctx, `main`))
	for _, want := range []string{"refund made", "service disruption", "late delivery", "$10.50 is left to refund", "partially refunded"} {
		if !strings.Contains(refunds, want) {
			t.Errorf("the order page after the refund lacks %q", want)
		}
	}
	browsertest.Screenshot(t, ctx, "dashboard-order-refunded")
}
