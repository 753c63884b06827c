package checkoutpage_test

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestPurchaseDeliversAKeyAFileAndANote is issue 13's story in Chromium: a
// product with a license key, a file and a note is bought on the page; the
// success page shows all three; the file downloads from its link with the
// uploaded bytes (SHA-256 equal) and the key validates through the public
// call; the customer portal (opened from a customer session) shows the three
// too, with a link of its own. A refund with revoke_benefits then makes the key
// fail validation, the success page's download link answer 403 and the portal
// show nothing to download. Both engines.
func TestPurchaseDeliversAKeyAFileAndANote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		in := paylinktest.Start(t, u, nil)
		browser := browsertest.New(t)
		content := make([]byte, 6<<20+12345) // two parts
		for i := range content {
			content[i] = byte(i*7 + i>>9)
		}
		file := in.Upload(t, in.Token, "downloadable", "pro-app-2.1.zip", "application/zip", content)
		var note, keys, files, product struct{ ID string }
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "custom", "description": "Welcome",
			"properties": map[string]any{"note": "Start with **the guide**."}}, 201, &note)
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "license_keys", "description": "Your license",
			"properties": map[string]any{"prefix": "pro"}}, 201, &keys)
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "downloadables", "description": "The app",
			"properties": map[string]any{"files": []any{file["id"]}}}, 201, &files)
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Pro App",
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 4900}}}, 201, &product)
		in.Must(t, "POST", "/v1/products/"+product.ID+"/benefits", in.Token,
			map[string]any{"benefits": []string{note.ID, keys.ID, files.ID}}, 200, nil)
		link := webtest.CreateLink(t, in, product.ID, "")

		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, link+"?customer_email=buyer@example.com")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		browsertest.Until(t, ctx, `document.querySelectorAll(".co-benefit").length === 3`)
		if bold := browsertest.Text(t, ctx, ".co-note strong"); bold != "the guide" {
			t.Errorf("the note shows %q in bold, want the guide", bold)
		}
		key := browsertest.Text(t, ctx, ".co-key-value")
		if !strings.HasPrefix(key, "PRO-") {
			t.Fatalf("license key shown as %q", key)
		}
		if name := browsertest.Text(t, ctx, ".co-file"); !strings.Contains(name, "pro-app-2.1.zip") {
			t.Errorf("the file's link says %q, want its name", name)
		}
		href := browsertest.Eval[string](t, ctx, `document.querySelector(".co-file").href`)
		if !strings.HasPrefix(href, in.URL+"/files/download/") {
			t.Fatalf("the file's link is %q, want a signed download URL of paylink", href)
		}
		browsertest.Screenshot(t, ctx, "success-delivery")

		got := browsertest.Download(t, ctx, ".co-file")
		if sha256.Sum256(got) != sha256.Sum256(content) {
			t.Fatalf("downloaded %d bytes whose SHA-256 differs from the %d uploaded", len(got), len(content))
		}
		validate := func() int {
			code, _ := in.Do(t, "POST", "/v1/customer-portal/license-keys/validate", "",
				map[string]any{"key": key, "organization_id": in.OrgID})
			return code
		}
		if code := validate(); code != http.StatusOK {
			t.Fatalf("validating the key from the page: %d", code)
		}

		// The customer portal lists the same, with fresh links.
		var customers struct {
			Items []struct{ ID string } `json:"items"`
		}
		in.Must(t, "GET", "/v1/customers/?email=buyer@example.com", in.Token, nil, 200, &customers)
		if len(customers.Items) != 1 {
			t.Fatalf("%d customers", len(customers.Items))
		}
		var sess struct {
			URL string `json:"customer_portal_url"`
		}
		in.Must(t, "POST", "/v1/customer-sessions/", in.Token, map[string]any{"customer_id": customers.Items[0].ID}, 201, &sess)
		portalTab := browsertest.NewTab(t, browser)
		browsertest.Do(t, portalTab, chromedp.Navigate(sess.URL))
		browsertest.Until(t, portalTab, `document.querySelectorAll(".co-benefit").length === 3`)
		if got := browsertest.Text(t, portalTab, ".co-key-value"); got != key {
			t.Errorf("the portal shows the key %q, want %q", got, key)
		}
		if got := browsertest.Download(t, portalTab, ".co-file"); sha256.Sum256(got) != sha256.Sum256(content) {
			t.Fatalf("the portal's download: %d bytes whose SHA-256 differs from the upload", len(got))
		}
		browsertest.Screenshot(t, portalTab, "portal-delivery")

		var orders struct {
			Items []struct{ ID string } `json:"items"`
		}
		in.Must(t, "GET", "/v1/orders/?product_id="+product.ID, in.Token, nil, 200, &orders)
		if len(orders.Items) != 1 {
			t.Fatalf("%d orders", len(orders.Items))
		}
		in.Must(t, "POST", "/v1/refunds/", in.Token, map[string]any{"order_id": orders.Items[0].ID,
			"reason": "customer_request", "amount": 4900, "revoke_benefits": true}, 201, nil)
		if code := validate(); code != http.StatusNotFound {
			t.Errorf("validating the refunded key: %d, want 404", code)
		}
		resp, err := in.Client.Get(href)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusGone {
			t.Errorf("the download link after the refund answers %d, want 403 or 410", resp.StatusCode)
		}
		browsertest.Do(t, portalTab, chromedp.Reload())
		browsertest.Until(t, portalTab, `document.readyState === "complete" && document.getElementById("portal-heading") !== null`)
		if n := browsertest.Eval[int](t, portalTab, `document.querySelectorAll(".co-benefit, .co-file").length`); n != 0 {
			t.Errorf("after the refund the portal still shows %d benefits or files", n)
		}
	})
}
