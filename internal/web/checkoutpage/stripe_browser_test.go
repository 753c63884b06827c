package checkoutpage_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutStripeInBrowser drives checkout.js in Stripe mode in Chromium,
// with a fake Stripe.js (a test against real Stripe needs the internet): the
// Payment Element mounted once and kept across form swaps, Elements told the
// new total and the future usage, a new confirmation token per attempt, 3-D
// Secure finished then polled to success, a failed 3-D Secure shown with a
// retry, and the page without JavaScript or without Stripe.js.
func TestCheckoutStripeInBrowser(t *testing.T) {
	f := newFakeStripe(t)
	in := paylinktest.Start(t, storetest.SQLiteURL(t), f.env())
	browser := browsertest.New(t)
	var down atomic.Bool

	t.Run("ThreeDSecure", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.ServeFakeStripeJS(t, ctx, &down)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=ada@example.com")
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1 && document.getElementById("fake-card-1")`)
		if !browsertest.Eval[bool](t, ctx, `!document.getElementById("pay").hidden && document.getElementById("needs-js").hidden`) {
			t.Errorf("with Stripe.js, Pay must show and the no-JavaScript message hide")
		}
		got := browsertest.Eval[string](t, ctx, `JSON.stringify([__stripe.key, __stripe.elements[0], __stripe.type, __stripe.createOpts])`)
		want := fmt.Sprintf(`[%q,{"mode":"payment","amount":2900,"currency":"usd","paymentMethodTypes":["card"]},"payment",`+
			`{"fields":{"billingDetails":{"address":{"country":"never"}}}}]`, testPublishableKey)
		if got != want {
			t.Errorf("Stripe.js setup\n got %s\nwant %s", got, want)
		}

		// A discount swaps the form in: the card stays, Elements learns the total.
		browsertest.Eval[chromedp.Void](t, ctx, `document.getElementById("fake-card-1").typed = "4242"`)
		webtest.TypeInto(t, ctx, "Discount code", "LAUNCH20")
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("discount-code"), kb.Enter))
		browsertest.Until(t, ctx, `document.getElementById("total").textContent.trim() === "$23.20"`)
		if !browsertest.Eval[bool](t, ctx, `__stripe.mounts === 1 && document.getElementById("fake-card-1").typed === "4242" && !document.getElementById("pay").hidden`) {
			t.Errorf("the swap lost the Payment Element (mounts %d)", browsertest.Eval[int](t, ctx, `__stripe.mounts`))
		}
		if got := browsertest.Eval[string](t, ctx, `JSON.stringify(__stripe.updates)`); got != `[{"amount":2320}]` {
			t.Errorf("elements.update calls %s", got)
		}

		f.setStatus("requires_action")
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID(webtest.IDOf(t, ctx, "Billing country")), "US"), chromedp.Click(chromedp.ID("pay")))
		browsertest.Until(t, ctx, `__stripe.nextActions.length === 1`)
		if s := browsertest.Eval[string](t, ctx, `__stripe.nextActions[0]`); !strings.HasPrefix(s, "pi_page") || !strings.Contains(s, "_secret_") {
			t.Errorf("handleNextAction got %q", s)
		}
		forms, _ := f.charges()
		last := forms[len(forms)-1]
		if last.Get("confirmation_token") != "ctoken_browser1" || last.Get("amount") != "2320" {
			t.Errorf("PaymentIntent %v", last)
		}
		params := browsertest.Eval[string](t, ctx, `JSON.stringify(__stripe.params[0])`)
		if params != `{"payment_method_data":{"billing_details":{"address":{"country":"US"},"email":"ada@example.com"}}}` {
			t.Errorf("createConfirmationToken params %s", params)
		}
		if text := browsertest.Text(t, ctx, "#payment-pending"); !strings.Contains(text, "Your bank asks you to confirm") {
			t.Errorf("pending text %q", text)
		}
		browsertest.Screenshot(t, ctx, "checkout-stripe-3ds")
		f.setStatus("succeeded")
		browsertest.Eval[chromedp.Void](t, ctx, `window.__finish3DS()`)
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		if h := browsertest.Text(t, ctx, "h1"); h != "Payment successful" {
			t.Errorf("success heading %q", h)
		}
	})

	t.Run("ThreeDSecureFailsThenRetry", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.ServeFakeStripeJS(t, ctx, &down)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=retry@example.com")
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1`)
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID(webtest.IDOf(t, ctx, "Billing country")), "US"))
		f.setStatus("requires_action")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
		browsertest.Until(t, ctx, `__stripe.nextActions.length === 1`)
		f.setStatus("requires_payment_method")
		browsertest.Eval[chromedp.Void](t, ctx, `window.__finish3DS()`)
		browsertest.Until(t, ctx, `!document.getElementById("payment-element-error").hidden`)
		if e := browsertest.Text(t, ctx, "#payment-element-error"); !strings.Contains(e, "unable to authenticate") {
			t.Errorf("decline %q", e)
		}
		if !browsertest.Eval[bool](t, ctx, `document.getElementById("fake-card-1") && !document.getElementById("pay").hidden && !document.getElementById("payment-pending")`) {
			t.Errorf("after the decline the card form and Pay must be back")
		}
		f.setStatus("succeeded")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		forms, _ := f.charges()
		if got := forms[len(forms)-1].Get("confirmation_token"); got != "ctoken_browser2" {
			t.Errorf("the retry's token %q, want a new one", got)
		}
	})

	t.Run("RecurringProductRemakesElements", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		webtest.ServeFakeStripeJS(t, ctx, &down)
		link := webtest.CreateLinkWith(t, in, []string{webtest.ProductID(t, in, "Starter Kit"), webtest.ProductID(t, in, "Pro Plan"), webtest.ProductID(t, in, "Free Sampler")}, nil)
		webtest.OpenCheckout(t, ctx, link)
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1`)
		webtest.ClickLabel(t, ctx, "Pro Plan")
		browsertest.Until(t, ctx, `__stripe.elements.length === 2 && __stripe.mounts === 2`)
		got := browsertest.Eval[string](t, ctx, `JSON.stringify(__stripe.elements[1])`)
		if got != `{"mode":"payment","amount":900,"currency":"usd","paymentMethodTypes":["card"],"setupFutureUsage":"off_session"}` {
			t.Errorf("Elements for a subscription: %s", got)
		}
		webtest.ClickLabel(t, ctx, "Free Sampler")
		browsertest.Until(t, ctx, `!document.getElementById("payment-element") && __stripe.destroyed >= 2`)
		if browsertest.Eval[bool](t, ctx, `document.getElementById("pay").hidden`) {
			t.Errorf("a free product hides Pay")
		}
	})

	t.Run("WithoutJavaScriptOrStripe", func(t *testing.T) {
		ctx := browsertest.NewTab(t, browser)
		browsertest.DisableJavaScript(t, ctx)
		webtest.OpenCheckout(t, ctx, in.LinkURL)
		if !browsertest.Eval[bool](t, ctx, `document.getElementById("pay").offsetParent === null && document.getElementById("needs-js").offsetParent !== null && document.getElementById("test-cards").offsetParent === null`) {
			t.Errorf("without JavaScript: Pay must be hidden and the message shown")
		}
		browsertest.Screenshot(t, ctx, "checkout-stripe-nojs")

		ctx = browsertest.NewTab(t, browser)
		down.Store(true)
		defer down.Store(false)
		webtest.ServeFakeStripeJS(t, ctx, &down)
		webtest.OpenCheckout(t, ctx, in.LinkURL)
		browsertest.Until(t, ctx, `document.getElementById("needs-js").textContent.indexOf("could not load") >= 0`)
		if !browsertest.Eval[bool](t, ctx, `document.getElementById("pay").hidden`) {
			t.Errorf("Pay shows although Stripe.js did not load")
		}
	})
}
