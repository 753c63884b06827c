package checkoutpage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// pending returns the page's pending payment, failing the test without one.
func pending(t *testing.T, doc *webtest.Elem, status string) *webtest.Elem {
	t.Helper()
	p := doc.ByID("payment-pending")
	if p == nil || p.Attr["data-intent-status"] != status || !strings.HasSuffix(p.Attr["data-poll"], "/payment") {
		t.Fatalf("no pending payment with status %s", status)
	}
	return p
}

// TestCheckoutPageStripePending covers payments that wait: 3-D Secure (the
// client secret rendered for Stripe.js, a reload during it, success and
// failure found by the poll, a retry) and processing, settled at Stripe.
func TestCheckoutPageStripePending(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		f := newFakeStripe(t)
		in := paylinktest.Start(t, dbURL, f.env())

		t.Run("ThreeDSecureSucceeds", func(t *testing.T) {
			f.setStatus("requires_action")
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL + "?customer_email=3ds@example.com")
			resp, doc, body := s.Post(payFields("ctoken_3ds"), partial)
			if resp.StatusCode != 200 || resp.Header.Get("X-Paylink-Redirect") != "" {
				t.Fatalf("pay: %d %s", resp.StatusCode, body)
			}
			p := pending(t, doc, "requires_action")
			if !strings.HasPrefix(p.Attr["data-client-secret"], "pi_page") || !strings.Contains(p.Attr["data-client-secret"], "_secret_") ||
				!strings.Contains(p.AllText(), "Your bank asks you to confirm this payment") || p.Attr["role"] != "status" {
				t.Errorf("pending payment %v %q", p.Attr, p.AllText())
			}
			// The customer reloads during 3-D Secure: the page looks the payment up and shows it again.
			before := f.lookupCount()
			doc = s.Page(200)
			if pending(t, doc, "requires_action").Attr["data-client-secret"] == "" || f.lookupCount() != before+1 {
				t.Errorf("a reload during 3-D Secure lost the client secret (lookups %d → %d)", before, f.lookupCount())
			}
			if resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret+"/success", nil, nil); resp.StatusCode != 303 ||
				resp.Header.Get("Location") != "/checkout/"+s.Secret {
				t.Errorf("the success page of a payment waiting for the bank: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp, _ := s.Poll(); resp.StatusCode != 202 {
				t.Errorf("poll while the bank waits: %d", resp.StatusCode)
			}
			if resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret+"/payment", nil, nil); resp.StatusCode != 303 {
				t.Errorf("the poll address opened by a person: %d", resp.StatusCode)
			}
			f.setStatus("succeeded") // the customer passed 3-D Secure
			resp, _ = s.Poll()
			if to := resp.Header.Get("X-Paylink-Redirect"); resp.StatusCode != 200 || !strings.HasSuffix(to, "/checkout/"+s.Secret+"/success") {
				t.Fatalf("poll after 3-D Secure: %d %q", resp.StatusCode, to)
			}
			if o := webtest.OrderOf(t, in, s.Secret); o.TotalAmount != 2900 {
				t.Errorf("order total %d", o.TotalAmount)
			}
			if forms, _ := f.charges(); len(forms) == 0 || forms[len(forms)-1].Get("use_stripe_sdk") != "true" {
				t.Errorf("the PaymentIntent does not let Stripe.js handle the next action")
			}
		})

		t.Run("ThreeDSecureFailsThenRetry", func(t *testing.T) {
			f.setStatus("requires_action")
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL + "?customer_email=fail3ds@example.com")
			_, doc, _ := s.Post(payFields("ctoken_fail"), partial)
			pending(t, doc, "requires_action")
			f.setStatus("requires_payment_method") // the customer failed 3-D Secure
			resp, doc := s.Poll()
			if resp.StatusCode != 402 || doc == nil {
				t.Fatalf("poll after a failed 3-D Secure: %d", resp.StatusCode)
			}
			e := doc.ByID("payment-element-error")
			if e == nil || !strings.Contains(e.AllText(), "We are unable to authenticate your payment method.") || !strings.Contains(e.AllText(), "No money was taken") {
				t.Errorf("decline message %q", e.AllText())
			}
			if h := doc.ByID("error-summary").Find(webtest.IsTag("h2")).AllText(); h != "Your payment did not go through" || doc.ByID("payment-pending") != nil {
				t.Errorf("error summary %q", h)
			}
			s.Page(200) // open again

			// A new attempt, with a new token, while Stripe still answers the first
			// one's lookups as failed: the failed ref must not fail the new attempt.
			release := f.holdCharges()
			lookups := f.lookupCount()
			done := make(chan int, 1)
			go func() {
				resp, _, _ := s.Post(payFields("ctoken_retry"), partial)
				done <- resp.StatusCode
			}()
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil); resp.StatusCode == 303 {
					break // confirmed: being charged
				}
				if time.Now().After(deadline) {
					t.Fatal("the retry never confirmed the session")
				}
			}
			if f.lookupCount() != lookups {
				t.Errorf("the page looked up the failed attempt's PaymentIntent while the new one was charged")
			}
			f.setStatus("succeeded")
			release()
			if got := <-done; got != 200 {
				t.Fatalf("retry: %d", got)
			}
			_, keys := f.charges()
			if n := len(keys); n < 2 || !strings.HasSuffix(keys[n-2], ":0") || !strings.HasSuffix(keys[n-1], ":1") {
				t.Errorf("idempotency keys %v", keys)
			}
			if o := webtest.OrderOf(t, in, s.Secret); o.TotalAmount != 2900 {
				t.Errorf("order total %d", o.TotalAmount)
			}
		})

		t.Run("Processing", func(t *testing.T) {
			f.setStatus("processing")
			s := webtest.NewShopper(t, in)
			s.Visit(in.LinkURL + "?customer_email=slow@example.com")
			_, doc, _ := s.Post(payFields("ctoken_slow"), nil) // a plain post (checkout.js's fallback) gets the whole page
			p := pending(t, doc, "processing")
			if p.Has("data-client-secret") || !strings.Contains(p.AllText(), "Processing your payment") || doc.ByID("checkout-form") == nil {
				t.Errorf("processing: %v %q", p.Attr, p.AllText())
			}
			if resp, _ := s.Poll(); resp.StatusCode != 202 {
				t.Errorf("poll while processing: %d", resp.StatusCode)
			}
			resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil)
			if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
				t.Fatalf("page while processing: %d", resp.StatusCode)
			}
			_, body := s.Do("GET", in.URL+"/checkout/"+s.Secret+"/success", nil, nil)
			if h := webtest.ParsePage(t, body).Find(webtest.IsTag("h1")).AllText(); h != "Your payment is being processed" {
				t.Errorf("success page while processing: %q", h)
			}
			f.setStatus("succeeded")
			_, body = s.Do("GET", in.URL+"/checkout/"+s.Secret+"/success", nil, nil)
			if h := webtest.ParsePage(t, body).Find(webtest.IsTag("h1")).AllText(); h != "Payment successful" {
				t.Errorf("success page once Stripe is done: %q", h)
			}
		})
	})
}
