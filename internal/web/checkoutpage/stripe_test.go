package checkoutpage_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// The Content-Security-Policy of every page, and of the checkout page in Stripe mode.
const (
	strictCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self' https:"
	stripeCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' https://js.stripe.com; " +
		"frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; frame-ancestors 'none'; form-action 'self' https:"
)

var partial = http.Header{"X-Paylink-Partial": {"1"}}

// payFields is a pay as checkout.js posts it in Stripe mode, with a token.
func payFields(token string) url.Values {
	return url.Values{"action": {"pay"}, "country": {"US"}, "payment_element": {"complete"}, "confirmation_token": {token}}
}

// TestCheckoutPageStripeMode checks the page in Stripe mode on the parsed
// document: Stripe.js and the Payment Element's mount point, the publishable
// key and the amounts for Elements, a CSP that allows exactly Stripe's hosts,
// no card fields of ours, no Pay button without JavaScript (free checkouts
// still work), and a pay that posts a confirmation token.
func TestCheckoutPageStripeMode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		f := newFakeStripe(t)
		in := paylinktest.Start(t, dbURL, f.env())

		t.Run("Renders", func(t *testing.T) {
			s := webtest.NewShopper(t, in)
			doc := s.Visit(in.LinkURL + "?customer_email=ada@example.com")
			scripts := doc.All(webtest.IsTag("script"))
			if len(scripts) != 2 || scripts[0].Attr["src"] != "https://js.stripe.com/basil/stripe.js" || scripts[1].Attr["src"] != "/static/checkout.js" {
				t.Fatalf("scripts: want Stripe.js, then checkout.js; got %d", len(scripts))
			}
			form := doc.ByID("checkout-form")
			want := map[string]string{"data-stripe-key": testPublishableKey, "data-total": "2900", "data-currency": "usd", "data-recurring": "false"}
			for k, v := range want {
				if form.Attr[k] != v {
					t.Errorf("form %s=%q, want %q", k, form.Attr[k], v)
				}
			}
			mount := doc.ByID("payment-element")
			if mount == nil || len(mount.Children) != 0 || mount.Attr["aria-labelledby"] != "payment-heading" {
				t.Fatalf("no empty Payment Element mount point labelled by the Payment heading")
			}
			for _, label := range []string{"Card number", "Expiry", "CVC"} {
				if doc.Control(label) != nil {
					t.Errorf("a sandbox %s field in Stripe mode", label)
				}
			}
			if in := doc.Find(func(e *webtest.Elem) bool { return strings.HasPrefix(e.Attr["name"], "card_") }); in != nil {
				t.Errorf("a card input in Stripe mode: %v", in.Attr)
			}
			if pay := doc.ByID("pay"); pay == nil || !pay.Has("hidden") || pay.AllText() != "Pay $29.00" {
				t.Errorf("the Pay button must wait, hidden, for Stripe.js")
			}
			if msg := doc.ByID("needs-js"); msg == nil || !strings.Contains(msg.AllText(), "This checkout needs JavaScript to take card payments") {
				t.Errorf("no message for a browser without JavaScript")
			}
			if cards := doc.ByID("test-cards").AllText(); !strings.Contains(cards, "4000 0025 0000 3155") || !strings.Contains(cards, "3-D Secure") ||
				doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "testmode" }) == nil {
				t.Errorf("Stripe's test keys: no test banner or test cards")
			}
			if doc.ByID("payment-pending") != nil {
				t.Errorf("a pending payment on a fresh page")
			}
			for _, e := range doc.All(func(*webtest.Elem) bool { return true }) {
				if e.Tag == "script" && e.Attr["src"] == "" || e.Has("style") || e.Tag == "style" {
					t.Errorf("inline code: <%s %v>", e.Tag, e.Attr)
				}
			}
			resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil)
			if got := resp.Header.Get("Content-Security-Policy"); got != stripeCSP {
				t.Errorf("CSP\n got %s\nwant %s", got, stripeCSP)
			}
			// Other pages keep the strict policy.
			resp, _ = s.Do("GET", in.URL+"/buy/nope", nil, nil)
			if got := resp.Header.Get("Content-Security-Policy"); got != strictCSP {
				t.Errorf("another page's CSP %q", got)
			}
		})

		t.Run("RecurringSavesTheCard", func(t *testing.T) {
			s := webtest.NewShopper(t, in)
			doc := s.Visit(webtest.CreateLink(t, in, webtest.ProductID(t, in, "Pro Plan"), "") + "?customer_email=sub@example.com")
			if got := doc.ByID("checkout-form").Attr["data-recurring"]; got != "true" {
				t.Errorf("data-recurring=%q for a subscription", got)
			}
			if !strings.Contains(doc.AllText(), "keeps them for the renewals") {
				t.Errorf("the page does not say the card is kept for renewals")
			}
			resp, _, body := s.Post(payFields("ctoken_sub"), nil)
			forms, _ := f.charges()
			if resp.StatusCode != 303 || forms[len(forms)-1].Get("setup_future_usage") != "off_session" {
				t.Fatalf("pay a subscription: %d %s", resp.StatusCode, body)
			}
		})

		t.Run("WithoutJavaScript", func(t *testing.T) {
			before, _ := f.charges()
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL + "?customer_email=nojs@example.com")
			// What a browser without JavaScript posts; card fields are not ours to read.
			resp, doc, _ := s.Post(url.Values{"action": {"pay"}, "country": {"US"}, "card_number": {"4242424242424242"},
				"card_expiry": {"12 / 34"}, "card_cvc": {"123"}}, nil)
			if resp.StatusCode != 422 {
				t.Fatalf("pay without JavaScript: %d", resp.StatusCode)
			}
			if e := doc.ByID("payment-element-error"); e == nil || e.Has("hidden") || !strings.Contains(e.AllText(), "This checkout needs JavaScript to take card payments") {
				t.Errorf("the Payment Element's problem does not say JavaScript is needed")
			}
			if sum := doc.ByID("error-summary"); sum == nil || sum.Find(func(e *webtest.Elem) bool { return e.Attr["href"] == "#payment-element" }) == nil {
				t.Errorf("the error summary does not point to the Payment Element")
			}
			if after, _ := f.charges(); len(after) != len(before) {
				t.Errorf("Stripe was asked to charge without a token")
			}
			s.Page(200) // still open

			free := webtest.NewShopper(t, in)
			doc = free.Visit(webtest.CreateLink(t, in, webtest.ProductID(t, in, "Free Sampler"), ""))
			if doc.ByID("payment-element") != nil || doc.ByID("pay").Has("hidden") || doc.ByID("needs-js") != nil {
				t.Errorf("a free checkout must not need JavaScript")
			}
			resp, _, body := free.Post(url.Values{"action": {"pay"}, "customer_email": {"free@example.com"}}, nil)
			if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
				t.Errorf("free checkout without JavaScript: %d %s", resp.StatusCode, body)
			}
		})

		t.Run("EveryProblemAtOnce", func(t *testing.T) {
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL)
			resp, doc, _ := s.Post(url.Values{"action": {"pay"}, "payment_element": {"incomplete"}}, partial)
			if resp.StatusCode != 422 || doc.ByID("email-error") == nil || doc.ByID("country-error") == nil ||
				!strings.Contains(doc.ByID("payment-element-error").AllText(), "Check your card details") {
				t.Fatalf("pay with an incomplete card and nothing else: %d", resp.StatusCode)
			}
			// The card is fine; the token waits for the billing country.
			resp, doc, _ = s.Post(url.Values{"action": {"pay"}, "payment_element": {"complete"}, "customer_email": {"p@example.com"}}, partial)
			if e := doc.ByID("payment-element-error"); resp.StatusCode != 422 || doc.ByID("country-error") == nil || !e.Has("hidden") || e.AllText() != "" {
				t.Errorf("a complete card without a country: %d, payment error %q", resp.StatusCode, e.AllText())
			}
			resp, doc, _ = s.Post(payFields("tok_visa"), partial)
			if resp.StatusCode != 422 || !strings.Contains(doc.ByID("payment-element-error").AllText(), "could not be read") {
				t.Errorf("a token that is not a confirmation token: %d", resp.StatusCode)
			}
		})

		t.Run("PaysWithConfirmationToken", func(t *testing.T) {
			f.setStatus("succeeded")
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL + "?customer_email=tok@example.com")
			resp, _, body := s.Post(payFields("ctoken_1PagePay"), partial)
			to := resp.Header.Get("X-Paylink-Redirect")
			if resp.StatusCode != 200 || !strings.HasSuffix(to, "/checkout/"+s.Secret+"/success") {
				t.Fatalf("pay: %d %q %s", resp.StatusCode, to, body)
			}
			forms, _ := f.charges()
			last := forms[len(forms)-1]
			if last.Get("confirmation_token") != "ctoken_1PagePay" || last.Get("amount") != "2900" || last.Get("currency") != "usd" {
				t.Errorf("PaymentIntent: %v", last)
			}
			if o := webtest.OrderOf(t, in, s.Secret); o.TotalAmount != 2900 {
				t.Errorf("order total %d", o.TotalAmount)
			}
		})
	})
}

// TestCheckoutPageSandboxHasNoStripe: in the sandbox nothing of Stripe's is on
// the page and the CSP stays strict.
func TestCheckoutPageSandboxHasNoStripe(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	s := webtest.NewShopper(t, in)
	doc := s.Visit(in.LinkURL)
	if doc.ByID("payment-element") != nil || doc.ByID("needs-js") != nil || doc.ByID("checkout-form").Has("data-stripe-key") {
		t.Errorf("Stripe's Payment Element in the sandbox")
	}
	for _, e := range doc.All(webtest.IsTag("script")) {
		if strings.Contains(e.Attr["src"], "stripe") {
			t.Errorf("Stripe.js in the sandbox")
		}
	}
	if doc.Control("Card number") == nil || doc.ByID("pay").Has("hidden") {
		t.Errorf("the sandbox's card form and Pay button are missing")
	}
	resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil)
	if got := resp.Header.Get("Content-Security-Policy"); got != strictCSP {
		t.Errorf("sandbox CSP %q", got)
	}
}
