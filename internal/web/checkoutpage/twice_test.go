package checkoutpage_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutPagePayTwice presses Pay again while the first payment is being
// charged (a double click, a resent form): the second post charges nothing and
// waits for the first one's outcome, then shows it, the success page or the
// decline. Stripe holds the charge so that the two posts surely overlap.
func TestCheckoutPagePayTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		f := newFakeStripe(t)
		in := paylinktest.Start(t, dbURL, f.env())
		for _, tc := range []struct{ name, status string }{{"Paid", "succeeded"}, {"Declined", "requires_payment_method"}} {
			t.Run(tc.name, func(t *testing.T) {
				f.setStatus(tc.status)
				s := webtest.NewShopper(t, in)
				s.Visit(in.LinkURL + "?customer_email=twice@example.com")
				before, _ := f.charges()
				release := sync.OnceFunc(f.holdCharges())
				defer release() // a failed check must not leave the first pay hanging
				post := func(token string) chan *http.Response {
					out := make(chan *http.Response, 1)
					go func() {
						resp, _, body := s.Post(payFields(token), partial)
						resp.Header.Set("X-Test-Body", strings.Join(strings.Fields(body), " "))
						out <- resp
					}()
					return out
				}
				first := post("ctoken_first")
				for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
					if resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil); resp.StatusCode == 303 {
						break // confirmed: being charged
					}
					if time.Now().After(deadline) {
						t.Fatal("the first pay never confirmed the session")
					}
				}
				second := post("ctoken_second")
				select {
				case resp := <-second:
					t.Fatalf("the second pay answered %d before the first was decided", resp.StatusCode)
				case <-time.After(300 * time.Millisecond):
				}
				release()
				for i, resp := range []*http.Response{<-first, <-second} {
					body := resp.Header.Get("X-Test-Body")
					switch tc.status {
					case "succeeded":
						if resp.StatusCode != 200 || !strings.HasSuffix(resp.Header.Get("X-Paylink-Redirect"), "/checkout/"+s.Secret+"/success") {
							t.Errorf("pay %d: %d, redirect %q; want the success page", i+1, resp.StatusCode, resp.Header.Get("X-Paylink-Redirect"))
						}
					default:
						if resp.StatusCode != 402 || !strings.Contains(body, "did not go through") || !strings.Contains(body, "No money was taken") {
							t.Errorf("pay %d: %d; want the decline: %s", i+1, resp.StatusCode, body)
						}
					}
				}
				if after, _ := f.charges(); len(after) != len(before)+1 {
					t.Errorf("%d PaymentIntents for two presses of Pay, want 1", len(after)-len(before))
				}
				if tc.status == "succeeded" {
					webtest.OrderOf(t, in, s.Secret) // exactly one: OrderByCheckout is unique per session
				}
			})
		}
	})
}

// TestCheckoutPagePayWhileLocked presses Pay while another post of the page
// holds the session's row (PostgreSQL answers a locked row at once): the pay
// waits for it and goes through, instead of an error page.
func TestCheckoutPagePayWhileLocked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		s := webtest.NewShopper(t, in)
		s.Visit(in.LinkURL + "?customer_email=locked@example.com&custom_field_data.company=Acme")
		ctx := context.Background()
		st, err := store.Open(ctx, in.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		locked, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- st.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE checkouts SET modified_at = modified_at WHERE client_secret = $1`, s.Secret); err != nil {
					return err
				}
				close(locked)
				time.Sleep(400 * time.Millisecond)
				return nil
			})
		}()
		<-locked
		resp, _, body := s.Pay("4242 4242 4242 4242", nil)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
			t.Fatalf("pay while the session was locked: %d %s", resp.StatusCode, body)
		}
		webtest.OrderOf(t, in, s.Secret)
	})
}
