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

// TestBrowserMerchantManagesBenefits: in Chromium a merchant creates a license
// key benefit (a too-short description is refused next to its label), attaches
// it to a product, and after a purchase disables the key from the License keys
// page: the public validation then answers 404. Both engines.
func TestBrowserMerchantManagesBenefits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := browsertest.New(t)
		in := paylinktest.Start(t, u, nil)
		dashSignInBrowser(t, ctx, in)

		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="Benefits"]`)))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="New benefit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#description")))
		browsertest.Eval[string](t, ctx, pickSelect("type", "license_keys"))
		wantShown(t, ctx, "license key", []string{"prefix", "ttl", "activation_limit"}, "note", "prefix", "ttl", "activation_limit")
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#description"), "Pr"),
			chromedp.SendKeys(chromedp.CSS("#prefix"), "pro"),
			chromedp.SendKeys(chromedp.CSS("#activation_limit"), "2"),
			chromedp.Click(chromedp.Search(`//button[normalize-space()="Save"]`)))
		browsertest.Until(t, ctx, `document.getElementById("description-error")`)
		if msg := browsertest.Text(t, ctx, "#description-error"); !strings.Contains(msg, "3 characters") {
			t.Errorf("a 2-character description: %q", msg)
		}
		browsertest.Eval[string](t, ctx, `document.getElementById("description").value = ""`)
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#description"), "Pro key"),
			chromedp.Click(chromedp.Search(`//button[normalize-space()="Save"]`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "done=benefit-created") })
		if row := browsertest.Text(t, ctx, "tbody"); !strings.Contains(row, "Pro key") || !strings.Contains(row, "prefix PRO") ||
			!strings.Contains(row, "2 activations") {
			t.Errorf("benefits list: %q", row)
		}

		product := webtest.ProductID(t, in, "Starter Kit")
		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/dashboard/products/"+product),
			chromedp.WaitVisible(chromedp.CSS("#benefits-heading")))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()="Choose the benefits"]`)),
			chromedp.WaitVisible(chromedp.Search(`//label[normalize-space()="Pro key"]`)))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//label[normalize-space()="Pro key"]`)),
			chromedp.Click(chromedp.Search(`//button[normalize-space()="Save"]`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "done=product-benefits-saved") })
		var p struct {
			Benefits []struct{ Description string }
		}
		in.Must(t, "GET", "/v1/products/"+product, in.Token, nil, 200, &p)
		if len(p.Benefits) != 1 || p.Benefits[0].Description != "Pro key" {
			t.Fatalf("product benefits after the form: %+v", p.Benefits)
		}

		var c struct {
			ClientSecret string `json:"client_secret"`
		}
		in.Must(t, "POST", "/v1/checkouts/", in.Token, map[string]any{"products": []string{product},
			"custom_field_data": map[string]any{"company": "Acme"}}, 201, &c)
		dashBuy(t, in, c.ClientSecret, "keys@example.com", "Kay")
		var keys struct {
			Items []struct{ Key, Status string }
		}
		in.Must(t, "GET", "/v1/license-keys/", in.Token, nil, 200, &keys)
		if len(keys.Items) != 1 {
			t.Fatalf("%d keys after the purchase", len(keys.Items))
		}
		validate := map[string]any{"key": keys.Items[0].Key, "organization_id": in.OrgID}
		in.Must(t, "POST", "/v1/customer-portal/license-keys/validate", "", validate, 200, nil)

		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//nav[@aria-label="Dashboard"]//a[normalize-space()="License keys"]`)),
			chromedp.WaitVisible(chromedp.CSS("tbody")))
		if row := browsertest.Text(t, ctx, "tbody"); !strings.Contains(row, "keys@example.com") || !strings.Contains(row, "granted") {
			t.Errorf("license keys list: %q", row)
		}
		browsertest.Screenshot(t, ctx, "dashboard-license-keys")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.Search(`//button[normalize-space()="Disable"]`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "done=license-key-saved") })
		if row := browsertest.Text(t, ctx, "tbody"); !strings.Contains(row, "disabled") {
			t.Errorf("after Disable: %q", row)
		}
		in.Must(t, "POST", "/v1/customer-portal/license-keys/validate", "", validate, 404, nil)
	})
}
