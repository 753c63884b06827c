package checkoutpage_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// The whole story after a sale, in a real browser against a real SMTP server: a
// subscription bought on the checkout page with a discount code sends its
// receipt; the customer signs in to the portal with the code emailed to them,
// cancels at the period's end, is told so by email, and the merchant sees it.
func TestBrowserSubscriptionReceiptArrives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		mp := mailpit.Start(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_SMTP_URL=" + mp.SMTPURL()})
		ctx := browsertest.New(t)
		webtest.OpenCheckout(t, ctx, in.LinkURL+"?customer_email=sub@example.com&discount_code=LAUNCH20")
		webtest.ClickLabel(t, ctx, "Pro Plan")
		browsertest.Until(t, ctx, `document.querySelector(".co-renewal")`)
		webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
		browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })

		m := mp.WaitFor(t, 1)[0]
		if m.To[0].Address != "sub@example.com" || m.Subject != "Your receipt from Demo Store: $7.20" {
			t.Fatalf("received %q to %v", m.Subject, m.To)
		}
		for _, want := range []string{"Pro Plan (every month)", "Amount:   $9.00", "Discount: -$1.80 (Launch 20% off)", "Total:    $7.20"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("receipt lacks %q:\n%s", want, m.Text)
			}
		}

		browsertest.Do(t, ctx, chromedp.Navigate(in.URL+portal.PortalPath("demo")), chromedp.WaitVisible(`#email`))
		browsertest.Do(t, ctx, chromedp.SendKeys(`#email`, "sub@example.com"), chromedp.Submit(`#email`), chromedp.WaitVisible(`#code`))
		codeMail := mp.WaitFor(t, 2)[0]
		code := regexp.MustCompile(`\b\d{6}\b`).FindString(codeMail.Text)
		if codeMail.To[0].Address != "sub@example.com" || code == "" {
			t.Fatalf("the portal's code email %q to %v:\n%s", codeMail.Subject, codeMail.To, codeMail.Text)
		}
		browsertest.Do(t, ctx, chromedp.SendKeys(`#code`, code), chromedp.Submit(`#code`), chromedp.WaitVisible(`.portal-who`))
		if text := browsertest.Text(t, ctx, "main"); !strings.Contains(text, "Pro Plan") || !strings.Contains(text, "Active") {
			t.Fatalf("the portal after signing in: %s", text)
		}
		browsertest.Do(t, ctx, chromedp.Click(`//button[normalize-space()="Cancel subscription"]`),
			chromedp.WaitVisible(`//button[contains(., "Yes, cancel")]`))
		browsertest.Do(t, ctx, chromedp.Click(`//button[contains(., "Yes, cancel")]`), chromedp.WaitVisible(`.portal-notice`))
		if text := browsertest.Text(t, ctx, "main"); !strings.Contains(text, "Ends on") || !strings.Contains(text, "Resume subscription") {
			t.Errorf("the portal after canceling: %s", text)
		}
		if told := mp.WaitFor(t, 3)[0]; told.To[0].Address != "sub@example.com" || !strings.Contains(told.Text, "Pro Plan") {
			t.Errorf("the cancellation email %q:\n%s", told.Subject, told.Text)
		}

		var subs struct {
			Items []struct {
				CancelAtPeriodEnd bool    `json:"cancel_at_period_end"`
				EndsAt            *string `json:"ends_at"`
				Customer          struct {
					Email string `json:"email"`
				} `json:"customer"`
			} `json:"items"`
		}
		in.Must(t, "GET", "/v1/subscriptions/", in.Token, nil, 200, &subs)
		seen := false
		for _, s := range subs.Items {
			seen = seen || s.Customer.Email == "sub@example.com" && s.CancelAtPeriodEnd && s.EndsAt != nil
		}
		if !seen {
			t.Fatalf("the merchant does not see the cancellation: %+v", subs.Items)
		}
	})
}
