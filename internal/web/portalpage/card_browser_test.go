package portalpage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestBrowserPortalUpdateCardOnPhone: at 375 px a signed-in customer opens
// "Update payment method" on their subscription, is told in place what is
// wrong with a card that will not do (a typo, then a declined test card), then
// saves a good one: the portal says so, shows the card the subscription renews
// with, and the subscription now renews with it. Nothing scrolls sideways.
func TestBrowserPortalUpdateCardOnPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		p.portal.Methods = payment.NewSandbox()
		ctx := browsertest.New(t)
		browsertest.Viewport(t, ctx, 375, 812, true)
		fits := func(page string) {
			t.Helper()
			if d := browsertest.Eval[float64](t, ctx, sidewaysJS); d > 0 {
				t.Errorf("%s at 375px scrolls %.0fpx sideways", page, d)
			}
			browsertest.Screenshot(t, ctx, "portal-card-375-"+page)
		}
		base := p.url + portal.PortalPath(p.org.Slug)
		browsertest.Do(t, ctx, chromedp.Navigate(base), chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, "ann@example.com"), chromedp.Submit(`#email`), chromedp.WaitVisible(`#code`))
		browsertest.Do(t, ctx, chromedp.SendKeys(`#code`, p.code("ann@example.com")), chromedp.Submit(`#code`),
			chromedp.WaitVisible(`.portal-who`))

		form := "#card-" + p.annSub.ID
		number, expiry, cvc := "#card-number-"+p.annSub.ID, "#card-expiry-"+p.annSub.ID, "#card-cvc-"+p.annSub.ID
		browsertest.Do(t, ctx, chromedp.Click(form+` summary`), chromedp.WaitVisible(number))
		fits("open")
		browsertest.Do(t, ctx, chromedp.SendKeys(number, "4242 4242"), chromedp.SendKeys(expiry, "12 / 40"),
			chromedp.SendKeys(cvc, "123"), chromedp.Click(form+` button[type=submit]`), chromedp.WaitVisible(number+`-error`))
		if msg := browsertest.Text(t, ctx, number+"-error"); !strings.Contains(msg, "12 to 19 digits") {
			t.Errorf("a short number: %q", msg)
		}
		browsertest.Do(t, ctx, chromedp.SendKeys(number, "4000 0000 0000 9995"), chromedp.SendKeys(expiry, "12 / 40"),
			chromedp.SendKeys(cvc, "123"), chromedp.Click(form+` button[type=submit]`), chromedp.WaitVisible(form+` .portal-problem`))
		if msg := browsertest.Text(t, ctx, form+" .portal-problem"); msg != "Your card has insufficient funds." {
			t.Errorf("a declined card: %q", msg)
		}
		fits("declined")
		browsertest.Do(t, ctx, chromedp.SendKeys(number, "5555 5555 5555 4444"), chromedp.SendKeys(expiry, "12 / 40"),
			chromedp.SendKeys(cvc, "123"), chromedp.Click(form+` button[type=submit]`), chromedp.WaitVisible(`.portal-notice`))
		if text := browsertest.Text(t, ctx, ".portal-notice"); !strings.Contains(text, "Your new card is saved") {
			t.Errorf("after saving: %q", text)
		}
		browsertest.Do(t, ctx, chromedp.Click(form+` summary`), chromedp.WaitVisible(form+` .portal-card-now`))
		if text := browsertest.Text(t, ctx, form+" .portal-card-now"); text != "Renews with Mastercard •••• 4444." {
			t.Errorf("the card shown: %q", text)
		}
		fits("saved")
		var sub *paylink.Subscription
		p.st.Read(context.Background(), func(tx *store.Tx) error {
			var err error
			sub, err = tx.SubscriptionGet(context.Background(), p.org.ID, p.annSub.ID)
			return err
		})
		if sub.PaymentMethodRef == nil || *sub.PaymentMethodRef != "tok_mastercard" {
			t.Fatalf("the subscription renews with %v", sub.PaymentMethodRef)
		}
	})
}
