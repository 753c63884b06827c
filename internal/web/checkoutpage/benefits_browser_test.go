package checkoutpage_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestSuccessPageShowsBenefits buys a product with a note and a license key in
// Chromium: the success page shows the note rendered from Markdown (its raw HTML
// dropped, never run) and the key with a copy button, and the key validates
// through the public call. Both engines.
func TestSuccessPageShowsBenefits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		in := paylinktest.Start(t, u, nil)
		browser := browsertest.New(t)
		var note, keys, product struct{ ID string }
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "custom", "description": "Welcome",
			"properties": map[string]any{"note": "Read **the guide**.\n\n<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"}},
			201, &note)
		in.Must(t, "POST", "/v1/benefits/", in.Token, map[string]any{"type": "license_keys", "description": "Your license",
			"properties": map[string]any{"prefix": "pro"}}, 201, &keys)
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Pro App",
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 4900}}}, 201, &product)
		in.Must(t, "POST", "/v1/products/"+product.ID+"/benefits", in.Token, map[string]any{"benefits": []string{note.ID, keys.ID}}, 200, nil)
		link := webtest.CreateLink(t, in, product.ID, "")

		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, link+"?customer_email=buyer@example.com")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		browsertest.Until(t, ctx, `document.querySelector(".co-benefits")`)
		if bold := browsertest.Text(t, ctx, ".co-note strong"); bold != "the guide" {
			t.Errorf("the note's **the guide** shows as %q, want bold text", bold)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll(".co-note script, .co-note img").length + (window.pwned || 0)`); n != 0 {
			t.Errorf("the note's raw HTML reached the page (%d)", n)
		}
		key := browsertest.Text(t, ctx, ".co-key-value")
		if !strings.HasPrefix(key, "PRO-") || len(key) != len("PRO-")+36 {
			t.Fatalf("license key shown as %q", key)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector(".co-copy").dataset.copy`); got != key {
			t.Errorf("the copy button copies %q, want the key", got)
		}
		browsertest.Screenshot(t, ctx, "success-benefits")

		var v struct {
			Key    string
			Status string
		}
		in.Must(t, "POST", "/v1/customer-portal/license-keys/validate", "", map[string]any{"key": key,
			"organization_id": in.OrgID}, 200, &v)
		if v.Key != key || v.Status != "granted" {
			t.Errorf("validate: %+v", v)
		}
	})
}
