package checkoutpage_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutInBrowser drives the checkout page in Chromium (issue 4, browser
// tests 2, 4, 5, 6 and 7), one tab per subtest, against one running paylink.
func TestCheckoutInBrowser(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	browser := browsertest.New(t)
	cat := webtest.DemoCatalog(t, in)

	t.Run("PrefilledPurchaseWithJavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		q := url.Values{"customer_email": {"ada@example.com"}, "utm_source": {"newsletter"},
			"custom_field_data.company": {"Acme Ltd"}}
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?"+q.Encode())
		if got := webtest.FieldValue(t, ctx, "Email"); got != "ada@example.com" {
			t.Errorf("Email = %q, want the customer_email of the link", got)
		}
		if got := webtest.FieldValue(t, ctx, "Company"); got != "Acme Ltd" {
			t.Errorf("Company = %q, want the custom_field_data.company of the link", got)
		}
		if !webtest.IsChecked(t, ctx, "Starter Kit") {
			t.Errorf("Starter Kit is not the product chosen first")
		}
		browsertest.Screenshot(t, ctx, "checkout")

		webtest.ClickLabel(t, ctx, "Tip Jar") // pay what you want: the Amount field appears without a reload
		browsertest.Until(t, ctx, `document.getElementById("amount")`)
		if got := webtest.FieldValue(t, ctx, "Amount"); got != "5.00" {
			t.Errorf("Amount = %q, want the preset 5.00", got)
		}
		if hint := browsertest.Text(t, ctx, "#amount-hint"); !strings.Contains(hint, "$2.00") || !strings.Contains(hint, "$500.00") {
			t.Errorf("amount hint %q does not show the minimum and maximum", hint)
		}
		webtest.TypeInto(t, ctx, "Amount", "12.50")
		browsertest.Until(t, ctx, `document.getElementById("pay").textContent.trim() === "Pay $12.50"`)
		if total := browsertest.Text(t, ctx, "#total"); total != "$12.50" {
			t.Errorf("summary total %q, want $12.50", total)
		}
		browsertest.Screenshot(t, ctx, "checkout-pay-what-you-want")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Payment successful" {
			t.Errorf("success heading %q", h)
		}
		if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, "Tip Jar") || !strings.Contains(body, "$12.50") {
			t.Errorf("success page does not show the order:\n%s", body)
		}
		browsertest.Screenshot(t, ctx, "success")
		secret := webtest.SecretOf(t, browsertest.Eval[string](t, ctx, `location.pathname`))
		o := webtest.OrderOf(t, in, secret)
		if o.Amount != 1250 || o.Metadata["utm_source"] != "newsletter" || o.Metadata["source"] != "demo" {
			t.Errorf("order %+v: want 1250 with utm_source=newsletter and the link's source=demo", o)
		}
	})

	t.Run("SuccessURLWithCheckoutID", func(t *testing.T) {
		var mu sync.Mutex
		var landed string
		shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/thanks" {
				http.NotFound(w, r)
				return
			}
			mu.Lock()
			landed = r.URL.String()
			mu.Unlock()
			fmt.Fprint(w, "<!doctype html><title>Thanks</title><h1>Thanks from the shop</h1>")
		}))
		defer shop.Close()
		link := webtest.CreateLink(t, in, cat.Poster, shop.URL+"/thanks?checkout={CHECKOUT_ID}")
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, link+"?customer_email=bo@example.com&custom_field_data.size=l&utm_source=shop")
		if got := webtest.FieldValue(t, ctx, "Size"); got != "l" {
			t.Errorf("Size = %q, want l from the link", got)
		}
		webtest.PayInBrowser(t, ctx, "4242424242424242")
		u := browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasPrefix(u, shop.URL) })
		mu.Lock()
		got := landed
		mu.Unlock()
		id := strings.TrimPrefix(got, "/thanks?checkout=")
		if id == got || len(id) != 36 {
			t.Fatalf("landed on %s (server saw %q), want /thanks?checkout=<checkout id>", u, got)
		}
		o := webtest.OrderByCheckoutID(t, in, id)
		if o.Metadata["utm_source"] != "shop" || o.CustomFieldData["size"] != "l" || o.TotalAmount != 1500 {
			t.Errorf("order %+v: want utm_source=shop, size=l, 1500", o)
		}

		// Without JavaScript the form post itself redirects: the page's CSP
		// form-action must let it go to the (plain http) success_url.
		ctx = browsertest.NewTab(t, browser)
		browsertest.DisableJavaScript(t, ctx)
		webtest.OpenCheckout(t, ctx, link+"?customer_email=nojs@example.com&custom_field_data.size=s")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasPrefix(u, shop.URL+"/thanks?checkout=") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Thanks from the shop" {
			t.Errorf("without JavaScript the success_url shows %q", h)
		}
	})

	t.Run("DeclinedThenRetry", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=dee@example.com")
		webtest.TypeInto(t, ctx, "Discount code", "launch20\n") // Enter applies the code, without a reload
		browsertest.Until(t, ctx, `document.getElementById("discount-applied")`)
		if pay := browsertest.Text(t, ctx, "#pay"); pay != "Pay $23.20" {
			t.Errorf("with LAUNCH20: %q, want Pay $23.20", pay)
		}
		browsertest.Screenshot(t, ctx, "checkout-discount")
		webtest.PayInBrowser(t, ctx, "4000 0000 0000 0002")
		browsertest.Until(t, ctx, `document.getElementById("card-number-error")`)
		msg := browsertest.Text(t, ctx, "#card-number-error")
		if !strings.Contains(msg, "declined") {
			t.Errorf("card error %q does not say the card was declined", msg)
		}
		a := browsertest.Eval[map[string]string](t, ctx, `(function(){var e=document.getElementById("card-number");
			return {focus: document.activeElement.id, invalid: e.getAttribute("aria-invalid"), describedby: e.getAttribute("aria-describedby")}})()`)
		if a["focus"] != "card-number" || a["invalid"] != "true" || !strings.Contains(a["describedby"], "card-number-error") {
			t.Errorf("card number after a decline: %v; want focus, aria-invalid and the error in aria-describedby", a)
		}
		if strings.Contains(browsertest.Text(t, ctx, "#error-summary"), "0002") {
			t.Errorf("the page shows the card number back")
		}
		browsertest.Screenshot(t, ctx, "checkout-declined")
		webtest.TypeInto(t, ctx, "Card number", "4242 4242 4242 4242")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Payment successful" {
			t.Errorf("after the retry: heading %q", h)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+"/checkout/pl_c_nosuchsession"))
		if h := browsertest.Text(t, ctx, "h1"); h != "Link not found" {
			t.Errorf("unknown checkout heading %q", h)
		}
		browsertest.Screenshot(t, ctx, "checkout-not-found")
	})

	t.Run("ExpiredStartAgain", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=eve@example.com&utm_campaign=spring")
		first := browsertest.Eval[string](t, ctx, `location.pathname`)
		webtest.Expire(t, in, webtest.SecretOf(t, first))
		browsertest.Do(t, ctx, chromedp.Reload())
		if h := browsertest.Text(t, ctx, "h1"); h != "This checkout has expired" {
			t.Fatalf("expired heading %q", h)
		}
		browsertest.Screenshot(t, ctx, "checkout-expired")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`main a.button`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/checkout/") && !strings.Contains(u, first) })
		browsertest.Until(t, ctx, `document.getElementById("checkout-form")`)
		if got := webtest.FieldValue(t, ctx, "Email"); got != "eve@example.com" {
			t.Errorf("after Start again: Email = %q, want the link's original customer_email", got)
		}
	})

	t.Run("PhoneWidthNoSidewaysScroll", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.Viewport(t, ctx, 375, 812, true)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=narrow@example.com")
		webtest.NoOverflow(t, ctx, "checkout")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("order-bar"))) // the order is collapsed on a phone
		webtest.ClickLabel(t, ctx, "Tip Jar")
		browsertest.Until(t, ctx, `document.getElementById("amount")`)
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay"))) // errors on every card field
		browsertest.Until(t, ctx, `document.getElementById("error-summary")`)
		webtest.NoOverflow(t, ctx, "checkout with errors")
		browsertest.Screenshot(t, ctx, "checkout-375")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		webtest.NoOverflow(t, ctx, "success")
		browsertest.Screenshot(t, ctx, "success-375")
	})

	t.Run("KeyboardAndContrast", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=keys@example.com")
		browsertest.Eval[chromedp.Void](t, ctx, `(function(){var p=document.createElement("p");p.id="probe";p.textContent="faint";
			p.style.color="#aaaaaa";document.querySelector(".co-pay").appendChild(p)})()`)
		if bad := browsertest.Eval[[]string](t, ctx, webtest.ContrastJS); len(bad) != 1 || !strings.Contains(bad[0], "faint") {
			t.Fatalf("the contrast check does not catch grey on white: %v", bad)
		}
		browsertest.Eval[chromedp.Void](t, ctx, `document.getElementById("probe").remove()`)
		webtest.LowContrast(t, ctx, "checkout")
		browsertest.Do(t, ctx, chromedp.Focus(chromedp.ID(webtest.IDOf(t, ctx, "Starter Kit"))), chromedp.KeyEvent(kb.ArrowDown))
		browsertest.Until(t, ctx, `document.querySelector(".co-renewal")`)
		if !webtest.IsChecked(t, ctx, "Pro Plan") || browsertest.Eval[string](t, ctx, `document.activeElement.id`) != webtest.IDOf(t, ctx, "Pro Plan") {
			t.Errorf("the arrow key did not choose Pro Plan and keep the focus on it")
		}
		if r := browsertest.Text(t, ctx, ".co-renewal"); !strings.Contains(r, "$9.00 every month") {
			t.Errorf("renewal line %q", r)
		}
		// Tab walks the form in reading order, from the product list to Pay.
		order := browsertest.Eval[[]string](t, ctx, `Array.prototype.filter.call(document.querySelectorAll("#checkout-form input, #checkout-form select, #checkout-form button, #checkout-form a"),
			function (e) { return e.type !== "hidden" && e.tabIndex >= 0 && e.offsetParent !== null && !(e.type === "radio" && !e.checked); }).map(function (e) { return e.id || e.name || e.textContent.trim(); })`)
		tabbed := []string{}
		for range order {
			browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Tab))
			tabbed = append(tabbed, browsertest.Eval[string](t, ctx, `document.activeElement.id || document.activeElement.name || document.activeElement.textContent.trim()`))
		}
		if got, want := strings.Join(tabbed[:len(order)-1], ","), strings.Join(order[1:], ","); got != want || len(order) < 10 {
			t.Errorf("Tab order\n%s\nwant\n%s", got, want)
		}
		webtest.TypeInto(t, ctx, "Card number", "4242")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
		browsertest.Until(t, ctx, `document.getElementById("error-summary")`)
		webtest.LowContrast(t, ctx, "checkout with errors")
	})

	t.Run("PurchaseWithoutJavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.DisableJavaScript(t, ctx)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=nojs@example.com")
		if browsertest.Eval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
			t.Fatal("checkout.js ran although JavaScript is disabled")
		}
		webtest.ClickLabel(t, ctx, "Tip Jar")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
		browsertest.Until(t, ctx, `document.getElementById("amount") && document.readyState === "complete"`)
		webtest.TypeInto(t, ctx, "Amount", "7")
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, "$7.00") {
			t.Errorf("success page without JavaScript does not show $7.00:\n%s", body)
		}
		browsertest.Screenshot(t, ctx, "success-no-javascript")
	})
}
