package checkoutpage_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// In Stripe mode a subscription whose first month is free takes the card in a
// Payment Element made in setup mode; paylink confirms a SetupIntent (no
// PaymentIntent), 3-D Secure is finished with handleNextAction on the
// SetupIntent's secret, and the subscription keeps the saved card.
func TestCheckoutStripeFreeFirstPeriodInBrowser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		f := newFakeStripe(t)
		in := paylinktest.Start(t, db, f.env())
		browser := browsertest.New(t)
		var down atomic.Bool
		createFullDiscount(t, in, "FIRSTFREE", "once")
		link := webtest.CreateLinkWith(t, in, []string{webtest.ProductID(t, in, "Pro Plan")}, nil)

		ctx := browsertest.NewTab(t, browser)
		webtest.ServeFakeStripeJS(t, ctx, &down)
		webtest.OpenCheckout(t, ctx, link+"?discount_code=FIRSTFREE&customer_email=ada@example.com")
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1 && !document.getElementById("pay").hidden`)
		if got := browsertest.Eval[string](t, ctx, `JSON.stringify(__stripe.elements)`); got != `[{"mode":"setup","currency":"usd","paymentMethodTypes":["card"]}]` {
			t.Errorf("Elements %s, want one in setup mode", got)
		}
		if pay := browsertest.Text(t, ctx, "#pay"); pay != "Start subscription, pay nothing today" {
			t.Errorf("Pay button %q", pay)
		}
		if note := browsertest.Text(t, ctx, ".co-fineprint"); !strings.HasPrefix(note, "Nothing is charged today. Your card details go straight to Stripe") {
			t.Errorf("fine print %q", note)
		}

		f.setStatus("requires_action")
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.ID(webtest.IDOf(t, ctx, "Billing country")), "US"), chromedp.Click(chromedp.ID("pay")))
		browsertest.Until(t, ctx, `__stripe.nextActions.length === 1`)
		if s := browsertest.Text(t, ctx, "#payment-pending"); !strings.HasPrefix(s, "Your bank asks you to confirm your card (nothing is charged today).") {
			t.Errorf("pending notice during 3-D Secure %q", s)
		}
		if s := browsertest.Eval[string](t, ctx, `__stripe.nextActions[0]`); !strings.HasPrefix(s, "seti_page1_secret_") {
			t.Errorf("handleNextAction got %q, want the SetupIntent's client secret", s)
		}
		setups := f.setupForms()
		if charges, _ := f.charges(); len(charges) != 0 || len(setups) != 1 {
			t.Fatalf("%d PaymentIntents and %d SetupIntents for a first month that costs nothing", len(charges), len(setups))
		}
		if setups[0].Get("confirmation_token") != "ctoken_browser1" || setups[0].Get("usage") != "off_session" {
			t.Errorf("SetupIntent %v", setups[0])
		}
		f.setStatus("succeeded")
		browsertest.Eval[chromedp.Void](t, ctx, `window.__finish3DS()`)
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
		subs := subscriptionsOf(t, in)
		if len(subs) != 1 || subs[0].PaymentMethodRef == nil || !strings.HasSuffix(*subs[0].PaymentMethodRef, "pm_from_token") {
			t.Fatalf("subscription: %+v", subs)
		}
	})
}
