package portalpage_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/stripemock"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestBrowserPortalUpdateCardStripe drives static/portal.js in Stripe mode in
// Chromium, with the tests' fake Stripe.js (webtest.FakeStripeJS) and stripe-mock
// behind paylink: opening "Update payment method" mounts the Payment Element in
// setup mode; Save posts a confirmation token, which becomes the
// subscription's payment method. A card whose bank asks for 3-D Secure gets
// Stripe.js's next action, and once it is finished the page confirms the
// SetupIntent: the subscription then renews with that card.
func TestBrowserPortalUpdateCardStripe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		var ask3DS atomic.Bool
		var customerID, orgID atomic.Value
		proxy := stripemock.NewProxy(t, stripemock.Hooks{
			Rewrite: func(r *http.Request, form url.Values, out []byte) []byte {
				if !strings.HasPrefix(r.URL.Path, "/v1/setup_intents") {
					return out
				}
				var si map[string]any
				json.Unmarshal(out, &si) //nolint:errcheck
				status := "succeeded"
				if r.Method == http.MethodPost && ask3DS.Load() {
					status = "requires_action"
				}
				si["status"], si["payment_method"], si["last_setup_error"] = status, "pm_from_token", nil
				if r.Method == http.MethodGet { // what the SetupIntent was made with
					si["metadata"] = map[string]any{"organization_id": orgID.Load(), "customer_id": customerID.Load()}
				}
				b, _ := json.Marshal(si)
				return b
			},
		})
		p := newPortalShopOn(t, db, web.Site{StripePublishableKey: "pk_test_portal"})
		s, err := payment.NewStripe(payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_portal",
			WebhookSecret: "whsec_x", APIBase: proxy.URL})
		if err != nil {
			t.Fatal(err)
		}
		p.portal.Methods = s
		customerID.Store(p.ann.ID)
		orgID.Store(p.org.ID)

		ctx := browsertest.New(t)
		var down atomic.Bool
		webtest.ServeFakeStripeJS(t, ctx, &down)
		base := p.url + portal.PortalPath(p.org.Slug)
		browsertest.Do(t, ctx, chromedp.Navigate(base), chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, "ann@example.com"), chromedp.Submit(`#email`), chromedp.WaitVisible(`#code`))
		browsertest.Do(t, ctx, chromedp.SendKeys(`#code`, p.code("ann@example.com")), chromedp.Submit(`#code`),
			chromedp.WaitVisible(`.portal-who`))

		form := "#card-" + p.annSub.ID
		browsertest.Do(t, ctx, chromedp.Click(form+` summary`))
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1 && document.getElementById("fake-card-1")`)
		got := browsertest.Eval[string](t, ctx, `JSON.stringify([__stripe.key, __stripe.elements[0], __stripe.type])`)
		if want := `["pk_test_portal",{"mode":"setup","currency":"usd","paymentMethodTypes":["card"]},"payment"]`; got != want {
			t.Errorf("Stripe.js setup\n got %s\nwant %s", got, want)
		}
		browsertest.Do(t, ctx, chromedp.Click(form+` button[type=submit]`), chromedp.WaitVisible(`.portal-notice`))
		if text := browsertest.Text(t, ctx, ".portal-notice"); !strings.Contains(text, "Your new card is saved") {
			t.Errorf("after saving: %q", text)
		}
		if ref := p.subscription(t).PaymentMethodRef; ref == nil || !strings.HasSuffix(*ref, "/pm_from_token") {
			t.Fatalf("the subscription renews with %v", ref)
		}

		// 3-D Secure: the page gets the SetupIntent's client secret, Stripe.js
		// shows the bank's step, then the form confirms the SetupIntent.
		ask3DS.Store(true)
		browsertest.Do(t, ctx, chromedp.Navigate(base), chromedp.WaitVisible(`.portal-who`), chromedp.Click(form+` summary`))
		browsertest.Until(t, ctx, `window.__stripe && __stripe.mounts === 1`)
		browsertest.Do(t, ctx, chromedp.Click(form+` button[type=submit]`))
		browsertest.Until(t, ctx, `window.__stripe && __stripe.nextActions.length === 1`)
		if secret := browsertest.Eval[string](t, ctx, `__stripe.nextActions[0]`); !strings.Contains(secret, "_secret_") {
			t.Fatalf("handleNextAction got %q", secret)
		}
		browsertest.Eval[chromedp.Void](t, ctx, `window.__finish3DS()`)
		browsertest.Do(t, ctx, chromedp.WaitVisible(`.portal-notice`))
		if text := browsertest.Text(t, ctx, ".portal-notice"); !strings.Contains(text, "Your new card is saved") {
			t.Errorf("after 3-D Secure: %q", text)
		}
	})
}
