package checkoutpage_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestPriceChangeInBrowser changes the price of the product on an open page:
// Pay shows the new total with a note instead of charging it, and the next Pay
// charges it (issue 10 item 1).
func TestPriceChangeInBrowser(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	browser := browsertest.New(t)
	var p struct{ ID string }
	in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Ebook",
		"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1000}}}, 201, &p)
	ctx := browsertest.NewTab(t, browser)
	webtest.OpenCheckout(t, ctx, webtest.CreateLink(t, in, p.ID, "")+"?customer_email=ann@example.com")
	if pay := browsertest.Text(t, ctx, "#pay"); pay != "Pay $10.00" {
		t.Fatalf("before the change: %q", pay)
	}
	in.Must(t, "PATCH", "/v1/products/"+p.ID, in.Token, map[string]any{
		"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1500}}}, 200, nil)
	webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
	browsertest.Until(t, ctx, `document.querySelector(".co-notice") && document.getElementById("pay").textContent.trim() === "Pay $15.00"`)
	if n := browsertest.Text(t, ctx, ".co-notice"); !strings.Contains(n, "The price of Ebook changed") || !strings.Contains(n, "$15.00") {
		t.Errorf("notice %q", n)
	}
	browsertest.Screenshot(t, ctx, "checkout-price-changed")
	webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
	browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
	if o := webtest.OrderOf(t, in, webtest.SecretOf(t, browsertest.Eval[string](t, ctx, `location.pathname`))); o.TotalAmount != 1500 {
		t.Errorf("order total %d, want 1500", o.TotalAmount)
	}
}
