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

// TestBrowserMerchantSeesWebhookDeliveries: a merchant creates an endpoint in the
// dashboard, a purchase goes through the API, and its order.paid delivery shows
// up in the endpoint's log.
func TestBrowserMerchantSeesWebhookDeliveries(t *testing.T) {
	ctx := browsertest.New(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), []string{"PAYLINK_WEBHOOK_ALLOW_PRIVATE=true"})
	sink := newHookSink(t, 200, `{"received":true}`)
	dashSignInBrowser(t, ctx, in)

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Webhooks"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/dashboard/webhooks") })
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#w-url"), sink.srv.URL+"/paylink"),
		chromedp.SendKeys(chromedp.CSS("#w-name"), "Fulfilment"),
		chromedp.Click(chromedp.CSS(`input[name=events][value="order.paid"]`)),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Create endpoint"]`)),
		chromedp.WaitVisible(chromedp.CSS("#new-secret")))
	if secret := dashRead(t, ctx, chromedp.Value(chromedp.CSS("#new-secret"))); !strings.HasPrefix(secret, "pl_whs_") {
		t.Fatalf("the new endpoint's secret %q", secret)
	}
	browsertest.Screenshot(t, ctx, "dashboard-webhooks")

	var created struct {
		ClientSecret string `json:"client_secret"`
	}
	in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{webtest.ProductID(t, in, "Starter Kit")}}, 201, &created)
	dashBuy(t, in, created.ClientSecret, "ada@example.com", "Ada Lovelace")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()="Open the endpoint and its delivery log"]`)))
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/dashboard/webhooks/") })
	row := `(function(){var r=document.querySelector("table.deliveries tbody tr"); return r ? r.innerText.replace(/\s+/g," ") : ""})()`
	var got string
	for deadline := time.Now().Add(30 * time.Second); ; {
		if got = browsertest.Eval[string](t, ctx, row); got != "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
		browsertest.Do(t, ctx, chromedp.Reload())
	}
	for _, want := range []string{"order.paid", "Succeeded", "200", `{"received":true}`, "Redeliver"} {
		if !strings.Contains(got, want) {
			t.Errorf("the delivery log row lacks %q: %q", want, got)
		}
	}
	browsertest.Screenshot(t, ctx, "dashboard-webhook-deliveries")
}
