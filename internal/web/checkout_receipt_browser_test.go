package web_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A subscription bought on the checkout page, with a discount code, sends its
// receipt: the customer finds it in their inbox with what the page charged.
func TestBrowserSubscriptionReceiptArrives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		mp := mailpit.Start(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_SMTP_URL=" + mp.SMTPURL()})
		ctx := browsertest.New(t)
		openCheckout(t, ctx, in.LinkURL+"?customer_email=sub@example.com&discount_code=LAUNCH20")
		clickLabel(t, ctx, "Pro Plan")
		browsertest.Until(t, ctx, `document.querySelector(".co-renewal")`)
		payInBrowser(t, ctx, "4242 4242 4242 4242")
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
	})
}
