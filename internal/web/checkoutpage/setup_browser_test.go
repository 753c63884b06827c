package checkoutpage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/browsertest"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// createFullDiscount creates a 100 % discount with the code and duration.
func createFullDiscount(t *testing.T, in *paylinktest.Instance, code, duration string) {
	t.Helper()
	in.Must(t, "POST", "/v1/discounts/", in.Token, map[string]any{"name": "All of it " + duration, "code": code,
		"type": "percentage", "basis_points": 10000, "duration": duration}, 201, nil)
}

// subscriptionsOf returns the organization's subscriptions, from the store.
func subscriptionsOf(t *testing.T, in *paylinktest.Instance) []*paylink.Subscription {
	t.Helper()
	var subs []*paylink.Subscription
	webtest.WithStore(t, in, func(tx *store.Tx) error {
		var err error
		subs, _, err = tx.SubscriptionList(context.Background(), store.SubscriptionListParams{OrganizationID: in.OrgID})
		return err
	})
	return subs
}

// A subscription whose first month is free (100 % once) asks for the card, says
// that nothing is charged today and that the card is kept for the renewals,
// and saves it; a 100 % forever discount asks for no card at all.
func TestCheckoutFreeFirstPeriodInBrowser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		browser := browsertest.New(t)
		plan := webtest.ProductID(t, in, "Pro Plan")
		createFullDiscount(t, in, "FIRSTFREE", "once")
		createFullDiscount(t, in, "ALWAYSFREE", "forever")
		link := webtest.CreateLinkWith(t, in, []string{plan}, nil)

		t.Run("OnceSavesTheCard", func(t *testing.T) {
			ctx := browsertest.NewTab(t, browser)
			webtest.OpenCheckout(t, ctx, link+"?discount_code=FIRSTFREE&customer_email=ada@example.com")
			if total := browsertest.Text(t, ctx, "#total"); total != "$0.00" {
				t.Errorf("total %q, want $0.00", total)
			}
			if r := browsertest.Text(t, ctx, ".co-renewal"); !strings.HasPrefix(r, "Then $9.00 every month") {
				t.Errorf("renewal line %q", r)
			}
			if !browsertest.Eval[bool](t, ctx, `!!document.getElementById("card-number") && !document.querySelector(".co-free")`) {
				t.Fatalf("no card form for a subscription whose renewals cost money")
			}
			if pay := browsertest.Text(t, ctx, "#pay"); pay != "Start subscription, pay nothing today" {
				t.Errorf("Pay button %q", pay)
			}
			if note := browsertest.Text(t, ctx, ".co-fineprint"); !strings.HasPrefix(note, "Nothing is charged today. Your card is saved as a payment method, to charge the renewals") {
				t.Errorf("fine print %q", note)
			}
			browsertest.Screenshot(t, ctx, "checkout-free-first-month")
			webtest.PayInBrowser(t, ctx, "4000 0000 0000 0002") // declined: a setup fails as a charge would
			browsertest.Until(t, ctx, `document.querySelector(".has-error #card-number")`)
			if e := browsertest.Text(t, ctx, "#card-number-error"); !strings.Contains(e, "declined") {
				t.Errorf("declined card: %q", e)
			}
			webtest.PayInBrowser(t, ctx, "4242 4242 4242 4242")
			browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
			if h := browsertest.Text(t, ctx, "h1"); h != "You're all set" {
				t.Errorf("success heading %q (nothing was paid)", h)
			}
			subs := subscriptionsOf(t, in)
			if len(subs) != 1 || subs[0].PaymentMethodRef == nil || *subs[0].PaymentMethodRef != "tok_visa" || subs[0].Amount != 900 {
				t.Fatalf("subscription: %+v", subs)
			}
		})

		t.Run("ForeverNeedsNoCard", func(t *testing.T) {
			ctx := browsertest.NewTab(t, browser)
			webtest.OpenCheckout(t, ctx, link+"?discount_code=ALWAYSFREE&customer_email=bo@example.com")
			if !browsertest.Eval[bool](t, ctx, `!document.getElementById("card-number") && !!document.querySelector(".co-free")`) {
				t.Fatalf("a subscription free forever shows a card form")
			}
			browsertest.Do(t, ctx, chromedp.Click(chromedp.ID("pay")))
			browsertest.WaitURL(t, ctx, func(u string) bool { return strings.HasSuffix(u, "/success") })
			if subs := subscriptionsOf(t, in); len(subs) != 2 {
				t.Fatalf("subscriptions: %d", len(subs))
			}
		})
	})
}
