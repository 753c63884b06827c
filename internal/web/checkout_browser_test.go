package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestCheckoutInBrowser drives the checkout page in Chromium (issue 4, browser
// tests 2, 4, 5, 6 and 7), one tab per subtest, against one running paylink.
func TestCheckoutInBrowser(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	browser := browsertest.New(t)
	cat := demoCatalog(t, in)

	t.Run("PrefilledPurchaseWithJavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		q := url.Values{"customer_email": {"ada@example.com"}, "utm_source": {"newsletter"},
			"custom_field_data.company": {"Acme Ltd"}}
		openCheckout(t, ctx, in.LinkURL+"?"+q.Encode())
		if got := fieldValue(t, ctx, "Email"); got != "ada@example.com" {
			t.Errorf("Email = %q, want the customer_email of the link", got)
		}
		if got := fieldValue(t, ctx, "Company"); got != "Acme Ltd" {
			t.Errorf("Company = %q, want the custom_field_data.company of the link", got)
		}
		if !isChecked(t, ctx, "Starter Kit") {
			t.Errorf("Starter Kit is not the product chosen first")
		}
		browsertest.Screenshot(t, ctx, "checkout")

		clickLabel(t, ctx, "Tip Jar") // pay what you want: the Amount field appears without a reload
		browsertest.Until(t, ctx, `document.getElementById("amount")`)
		if got := fieldValue(t, ctx, "Amount"); got != "5.00" {
			t.Errorf("Amount = %q, want the preset 5.00", got)
		}
		if hint := browsertest.Text(t, ctx, "#amount-hint"); !strings.Contains(hint, "$2.00") || !strings.Contains(hint, "$500.00") {
			t.Errorf("amount hint %q does not show the minimum and maximum", hint)
		}
		typeInto(t, ctx, "Amount", "12.50")
		browsertest.Until(t, ctx, `document.getElementById("pay").textContent.trim() === "Pay $12.50"`)
		if total := browsertest.Text(t, ctx, "#total"); total != "$12.50" {
			t.Errorf("summary total %q, want $12.50", total)
		}
		browsertest.Screenshot(t, ctx, "checkout-pay-what-you-want")
		payInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Payment successful" {
			t.Errorf("success heading %q", h)
		}
		if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, "Tip Jar") || !strings.Contains(body, "$12.50") {
			t.Errorf("success page does not show the order:\n%s", body)
		}
		browsertest.Screenshot(t, ctx, "success")
		secret := secretOf(t, browsertest.Eval[string](t, ctx, `location.pathname`))
		o := orderOf(t, in, secret)
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
		link := createLink(t, in, cat.Poster, shop.URL+"/thanks?checkout={CHECKOUT_ID}")
		ctx := browsertest.NewTab(t, browser)
		openCheckout(t, ctx, link+"?customer_email=bo@example.com&custom_field_data.size=l&utm_source=shop")
		if got := fieldValue(t, ctx, "Size"); got != "l" {
			t.Errorf("Size = %q, want l from the link", got)
		}
		payInBrowser(t, ctx, "4242424242424242")
		u := browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasPrefix(u, shop.URL) })
		mu.Lock()
		got := landed
		mu.Unlock()
		id := strings.TrimPrefix(got, "/thanks?checkout=")
		if id == got || len(id) != 36 {
			t.Fatalf("landed on %s (server saw %q), want /thanks?checkout=<checkout id>", u, got)
		}
		o := orderByCheckoutID(t, in, id)
		if o.Metadata["utm_source"] != "shop" || o.CustomFieldData["size"] != "l" || o.TotalAmount != 1500 {
			t.Errorf("order %+v: want utm_source=shop, size=l, 1500", o)
		}
	})

	t.Run("DeclinedThenRetry", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		openCheckout(t, ctx, in.LinkURL+"?customer_email=dee@example.com")
		payInBrowser(t, ctx, "4000 0000 0000 0002")
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
		typeInto(t, ctx, "Card number", "4242 4242 4242 4242")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Payment successful" {
			t.Errorf("after the retry: heading %q", h)
		}
	})

	t.Run("ExpiredStartAgain", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		openCheckout(t, ctx, in.LinkURL+"?customer_email=eve@example.com&utm_campaign=spring")
		first := browsertest.Eval[string](t, ctx, `location.pathname`)
		expire(t, in, secretOf(t, first))
		browsertest.Do(t, ctx, chromedp.Reload())
		if h := browsertest.Text(t, ctx, "h1"); h != "This checkout has expired" {
			t.Fatalf("expired heading %q", h)
		}
		browsertest.Screenshot(t, ctx, "checkout-expired")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`main a.button`)))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.Contains(u, "/checkout/") && !strings.Contains(u, first) })
		browsertest.Until(t, ctx, `document.getElementById("checkout-form")`)
		if got := fieldValue(t, ctx, "Email"); got != "eve@example.com" {
			t.Errorf("after Start again: Email = %q, want the link's original customer_email", got)
		}
	})

	t.Run("PhoneWidthNoSidewaysScroll", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.Viewport(t, ctx, 375, 812, true)
		openCheckout(t, ctx, in.LinkURL+"?customer_email=narrow@example.com")
		noOverflow(t, ctx, "checkout")
		clickLabel(t, ctx, "Tip Jar")
		browsertest.Until(t, ctx, `document.getElementById("amount")`)
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay"))) // errors on every card field
		browsertest.Until(t, ctx, `document.getElementById("error-summary")`)
		noOverflow(t, ctx, "checkout with errors")
		browsertest.Screenshot(t, ctx, "checkout-375")
		payInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		noOverflow(t, ctx, "success")
		browsertest.Screenshot(t, ctx, "success-375")
	})

	t.Run("PurchaseWithoutJavaScript", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.DisableJavaScript(t, ctx)
		openCheckout(t, ctx, in.LinkURL+"?customer_email=nojs@example.com")
		if browsertest.Eval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
			t.Fatal("checkout.js ran although JavaScript is disabled")
		}
		clickLabel(t, ctx, "Tip Jar")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=update]`)))
		browsertest.Until(t, ctx, `document.getElementById("amount") && document.readyState === "complete"`)
		typeInto(t, ctx, "Amount", "7")
		payInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, "$7.00") {
			t.Errorf("success page without JavaScript does not show $7.00:\n%s", body)
		}
		browsertest.Screenshot(t, ctx, "success-no-javascript")
	})
}

// open loads a link (or a checkout page) and waits for the checkout form.
func openCheckout(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(u))
	browsertest.Until(t, ctx, `document.getElementById("checkout-form") && document.readyState === "complete"`)
}

// idOf returns the id of the control whose label starts with text.
func idOf(t *testing.T, ctx context.Context, text string) string {
	t.Helper()
	id := browsertest.Eval[string](t, ctx, fmt.Sprintf(`(function(){
		var l = Array.prototype.find.call(document.querySelectorAll("label"), function (l) { return l.textContent.trim().indexOf(%q) === 0; });
		return l ? l.htmlFor : "";})()`, text))
	if id == "" {
		t.Fatalf("no control labelled %q", text)
	}
	return id
}

func fieldValue(t *testing.T, ctx context.Context, label string) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).value`, idOf(t, ctx, label)))
}

func isChecked(t *testing.T, ctx context.Context, label string) bool {
	t.Helper()
	return browsertest.Eval[bool](t, ctx, fmt.Sprintf(`document.getElementById(%q).checked`, idOf(t, ctx, label)))
}

// click clicks the control labelled label, as a person would.
func clickLabel(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID(idOf(t, ctx, label))))
}

// fill replaces the text of the control labelled label by typing.
func typeInto(t *testing.T, ctx context.Context, label, text string) {
	t.Helper()
	id := idOf(t, ctx, label)
	// chromedp.Clear resets the value attribute only (not what was typed), and
	// chromedp.SetValue cannot set "" (v0.23 drops the empty argument).
	browsertest.Eval[chromedp.Void](t, ctx, fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID(id), text))
}

// payWith fills the card form and the billing country, and clicks Pay.
func payInBrowser(t *testing.T, ctx context.Context, card string) {
	t.Helper()
	typeInto(t, ctx, "Card number", card)
	typeInto(t, ctx, "Expiry", "12 / 34")
	typeInto(t, ctx, "CVC", "123")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID(idOf(t, ctx, "Billing country")), "US"))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
}

func noOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w := browsertest.Eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if w[0] > w[1] {
		t.Errorf("%s at 375px: scrollWidth %d > clientWidth %d (sideways scroll)", what, w[0], w[1])
	}
}

func secretOf(t *testing.T, path string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(path, "/checkout/")
	if !ok {
		t.Fatalf("not a checkout page: %s", path)
	}
	secret, _, _ := strings.Cut(rest, "/")
	return secret
}

// expire moves a session's expiry into the past, as time would.
func expire(t *testing.T, in *paylinktest.Instance, secret string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, in.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.DB.ExecContext(ctx, `UPDATE checkouts SET expires_at = $1 WHERE client_secret = $2`,
		time.Now().UTC().Add(-time.Minute), secret)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("expire %s: %d rows", secret, n)
	}
}
