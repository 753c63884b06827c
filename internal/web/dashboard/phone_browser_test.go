package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// dashLayoutJS measures a dashboard page: how far the page scrolls sideways, the
// gap between the navigation and the content, the navigation's height, and each
// table that is wider than its box with whether that box scrolls it.
const dashLayoutJS = `(function () {
  var d = document.documentElement, nav = document.querySelector(".dash-nav"), main = document.querySelector(".dash-main");
  var wide = [];
  document.querySelectorAll(".table-wrap").forEach(function (w) {
    if (w.scrollWidth > w.clientWidth) wide.push({scrolls: getComputedStyle(w).overflowX === "auto" || getComputedStyle(w).overflowX === "scroll", right: w.getBoundingClientRect().right});
  });
  return {sideways: d.scrollWidth - d.clientWidth, gap: main.getBoundingClientRect().top - nav.getBoundingClientRect().bottom,
    nav: nav.getBoundingClientRect().height, wide: wide.length, wideScroll: wide.every(function (w) { return w.scrolls && w.right <= d.clientWidth + 0.5; })};
})()`

type dashLayout struct {
	Sideways, Gap, Nav float64
	Wide               int
	WideScroll         bool
}

// TestBrowserDashboardOnPhone: at 375 px every dashboard page, with long values in
// its rows, fits the screen: a wide table scrolls inside its own box, the page
// never scrolls sideways, and the content starts right under the navigation.
func TestBrowserDashboardOnPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		ctx := browsertest.New(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
		sink := newHookSink(t, 200, `{"received":true}`)
		var endpoint struct{ ID string }
		in.Must(t, "POST", "/v1/webhooks/endpoints", in.Token, map[string]any{"format": "raw", "events": []string{"order.paid", "checkout.created"},
			"url": sink.srv.URL + "/a/rather/long/path/to/the/fulfilment/service/that/receives/paylink/events"}, 201, &endpoint)
		var created struct {
			ClientSecret string `json:"client_secret"`
		}
		in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{webtest.ProductID(t, in, "Starter Kit")},
			"metadata": map[string]any{"order_reference_from_the_shop": "INV-2026-000123456789", "fulfilment_warehouse": "north-east-distribution-centre"}}, 201, &created)
		dashBuy(t, in, created.ClientSecret, "a.rather.long.customer.address@subdomain.example.com", "Alexandria Ocasio-Featherstonehaugh")
		dashSignInBrowser(t, ctx, in)

		browsertest.Viewport(t, ctx, 375, 812, true)
		pages := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll(".dash-nav a")).map(function (a) { return a.getAttribute("href") })`)
		if len(pages) < 10 {
			t.Fatalf("the navigation lists %v", pages)
		}
		pages = append(pages, "/dashboard/webhooks/"+endpoint.ID)
		// The purchase's receipt, kept in the Emails log: its page, with the HTML part's frame.
		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/emails"), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
		pages = append(pages, browsertest.Eval[string](t, ctx, `document.querySelector(".dash-main td a[href^='/dashboard/emails/']").getAttribute("href")`))
		wide := 0
		for _, path := range pages {
			browsertest.Do(t, ctx, chromedp.Navigate(in.URL+path), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
			if strings.HasPrefix(path, "/dashboard/webhooks/") { // the delivery log fills in a moment
				for deadline := time.Now().Add(20 * time.Second); browsertest.Eval[int](t, ctx, `document.querySelectorAll("table.deliveries tbody tr").length`) == 0 && time.Now().Before(deadline); {
					time.Sleep(300 * time.Millisecond)
					browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
				}
			}
			l := browsertest.Eval[dashLayout](t, ctx, dashLayoutJS)
			if l.Sideways > 0 {
				t.Errorf("%s at 375px scrolls %.0fpx sideways", path, l.Sideways)
			}
			if l.Gap > 1 || l.Nav > 80 {
				t.Errorf("%s at 375px: the navigation is %.0fpx high and %.0fpx above the content, want a slim bar right above it", path, l.Nav, l.Gap)
			}
			if !l.WideScroll {
				t.Errorf("%s at 375px: a table wider than the screen does not scroll inside its own box", path)
			}
			wide += l.Wide
			shot := strings.ReplaceAll(strings.TrimPrefix(path, "/dashboard/"), "/", "-")
			if strings.HasPrefix(path, "/dashboard/webhooks/") {
				shot = "webhook-endpoint"
			}
			if strings.HasPrefix(path, "/dashboard/emails/") {
				shot = "email"
				// The HTML part renders in its frame, within the phone's width.
				for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
					if browsertest.Eval[bool](t, ctx, `(function () { var d = document.querySelector("iframe.email-html").contentDocument;
					  return !!d && !!d.body && d.body.innerText.indexOf("Starter Kit") >= 0 })()`) {
						break
					}
				}
				if w := browsertest.Eval[float64](t, ctx, `(function () { var d = document.querySelector("iframe.email-html").contentDocument;
				  return d && d.body && d.body.innerText.indexOf("Starter Kit") >= 0 ? d.documentElement.scrollWidth - d.documentElement.clientWidth : -1 })()`); w != 0 {
					t.Errorf("the email's HTML part at 375px: %.0f (-1: not shown; more: scrolls sideways)", w)
				}
			}
			browsertest.Screenshot(t, ctx, "dashboard-375-"+shot)
		}
		if wide < 5 {
			t.Errorf("only %d tables are wider than a phone: the test data no longer tests the overflow", wide)
		}
	})
}
