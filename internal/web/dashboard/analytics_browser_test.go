package dashboard_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestBrowserOverviewAndLinkAnalytics: after two visits of the demo link (one
// paid) the Overview, the landing page, shows the revenue and order with a
// chart of 30 bars and its table, and the link's analytics page shows the
// funnel, the charts and the utm_source breakdown; at 1280 and 375 px neither
// page scrolls sideways. The CSV download carries the same numbers.
func TestBrowserOverviewAndLinkAnalytics(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	var links struct {
		Items []struct{ ID, URL string }
	}
	in.Must(t, "GET", "/v1/checkout-links/", in.Token, nil, 200, &links)
	link := links.Items[0]
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var secrets []string
	for _, src := range []string{"newsletter", "ads"} {
		req, _ := http.NewRequest("GET", link.URL+"?utm_source="+src, nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 Firefox/130.0")
		res, err := noFollow.Do(req)
		if err != nil || res.StatusCode != 303 {
			t.Fatalf("visit: %v %v", res, err)
		}
		res.Body.Close()
		loc := res.Header.Get("Location")
		secrets = append(secrets, strings.SplitN(loc[strings.LastIndex(loc, "/")+1:], "?", 2)[0])
	}
	dashBuy(t, in, secrets[0], "ana@example.com", "Ana")
	var order struct {
		Items []struct {
			NetAmount int64 `json:"net_amount"`
		}
	}
	in.Must(t, "GET", "/v1/orders/", in.Token, nil, 200, &order)
	dashSignInBrowser(t, ctx, in)

	for _, width := range []int64{1280, 375} {
		browsertest.Viewport(t, ctx, width, 900, width < 600)
		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
		if h := browsertest.Text(t, ctx, "h1"); h != "Overview" {
			t.Fatalf("landing page %q", h)
		}
		cards := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll(".card.metric h2")).map(function (h) { return h.textContent })`)
		if strings.Join(cards, "|") != "Revenue|Orders|New subscriptions|MRR|Checkout conversion" {
			t.Fatalf("overview cards %v", cards)
		}
		revenue := browsertest.Text(t, ctx, ".card.metric .metric-value")
		want := fmt.Sprintf("%d.%02d", order.Items[0].NetAmount/100, order.Items[0].NetAmount%100)
		if !strings.Contains(revenue, want) || browsertest.Text(t, ctx, ".card.metric:nth-child(2) .metric-value") != "1" {
			t.Fatalf("revenue %q (want %s), orders %q", revenue, want, browsertest.Text(t, ctx, ".card.metric:nth-child(2) .metric-value"))
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelector(".card.metric svg.chart").querySelectorAll("rect").length`); n != 30 {
			t.Fatalf("the revenue chart has %d bars, want 30", n)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelector(".card.metric table.chart-table").querySelectorAll("tbody tr").length`); n != 30 {
			t.Fatalf("the revenue table has %d rows, want 30", n)
		}
		if s := browsertest.Eval[float64](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); s > 0 {
			t.Errorf("overview at %dpx scrolls %.0fpx sideways", width, s)
		}
		browsertest.Screenshot(t, ctx, fmt.Sprintf("dashboard-overview-%d", width))

		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/links/"+link.ID+"/analytics"), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
		funnel := browsertest.Text(t, ctx, "table.funnel")
		for _, row := range []string{"Visits\t2", "Sessions\t2", "Confirmed\t1", "Succeeded\t1"} {
			if !strings.Contains(strings.ReplaceAll(funnel, "\n", "\t"), row) && !strings.Contains(funnel, strings.ReplaceAll(row, "\t", "")) {
				t.Fatalf("funnel %q lacks %q", funnel, row)
			}
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".card.metric svg.chart").length`); n != 3 {
			t.Fatalf("%d link charts, want sessions, succeeded and revenue", n)
		}
		sources := browsertest.Text(t, ctx, "#bd-utm_source + .table-wrap tbody")
		if !strings.Contains(sources, "newsletter") || !strings.Contains(sources, "ads") {
			t.Fatalf("utm_source breakdown %q", sources)
		}
		if s := browsertest.Eval[float64](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); s > 0 {
			t.Errorf("link analytics at %dpx scrolls %.0fpx sideways", width, s)
		}
		browsertest.Screenshot(t, ctx, fmt.Sprintf("dashboard-link-analytics-%d", width))
	}
	// The links list counts the same visits (people only) and leads to the analytics.
	browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/links"), chromedp.WaitVisible(chromedp.CSS(".dash-main h1")))
	if stats := strings.Join(strings.Fields(browsertest.Text(t, ctx, "dl.stats")), " "); !strings.HasPrefix(strings.ToLower(stats), "visits 2 sessions 2 orders 1") {
		t.Fatalf("links list stats %q", stats)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("a[href='/dashboard/links/`+link.ID+`/analytics']").length`); n != 1 {
		t.Fatalf("%d analytics links on the list", n)
	}
	csv := browsertest.Eval[string](t, ctx, `(function () { var x = new XMLHttpRequest(); x.open("GET", "/dashboard/links/`+link.ID+`/analytics.csv", false); x.send(); return x.responseText })()`)
	if !strings.HasPrefix(csv, "period,visits,bot_visits") || !strings.Contains(csv, "utm_source,newsletter,1,1,1.0000") || !strings.Contains(csv, "utm_source,ads,1,0,0.0000") {
		t.Fatalf("csv:\n%s", csv)
	}
}
