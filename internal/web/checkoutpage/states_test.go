package checkoutpage_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutPageStates covers what a link's settings and a session's state
// change on the pages: success_url, return_url, a preset discount on a link
// without codes, a free product, expiry with Start again, and unknown secrets.
func TestCheckoutPageStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		starter := webtest.ProductID(t, in, "Starter Kit")

		t.Run("SuccessURLGetsTheCheckoutID", func(t *testing.T) {
			link := webtest.CreateLinkWith(t, in, []string{starter}, map[string]any{"success_url": "https://shop.example/thanks/{CHECKOUT_ID}?x=1"})
			s := webtest.NewShopper(t, in)
			s.Visit(link + "?customer_email=su@example.com")
			resp, _, _ := s.Pay("4242424242424242", nil)
			loc := resp.Header.Get("Location")
			id := strings.TrimSuffix(strings.TrimPrefix(loc, "https://shop.example/thanks/"), "?x=1")
			if resp.StatusCode != 303 || len(id) != 36 || webtest.OrderByCheckoutID(t, in, id).TotalAmount != 2900 {
				t.Fatalf("pay: %d Location %q", resp.StatusCode, loc)
			}
			resp, _ = s.Do("GET", resp.Request.URL.String(), nil, nil)
			if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
				t.Errorf("the page of a paid session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
		})

		t.Run("PresetDiscountWithoutCodes", func(t *testing.T) {
			link := webtest.CreateLinkWith(t, in, []string{starter}, map[string]any{"allow_discount_codes": false,
				"discount_id": webtest.DiscountID(t, in, "LAUNCH20"), "return_url": "https://shop.example/back"})
			s := webtest.NewShopper(t, in)
			doc := s.Visit(link + "?customer_email=pre@example.com&discount_code=OTHER")
			if doc.Control("Discount code") != nil {
				t.Errorf("a Discount code input on a link that does not allow codes")
			}
			applied := doc.ByID("discount-applied")
			if applied == nil || !strings.Contains(applied.AllText(), "Launch 20% off (LAUNCH20) applied") || applied.Find(webtest.IsTag("button")) != nil {
				t.Fatalf("the preset discount is not shown as applied (without a Remove button)")
			}
			if doc.ByID("total").AllText() != "$23.20" || doc.ByID("pay").AllText() != "Pay $23.20" {
				t.Errorf("total %s", doc.ByID("total").AllText())
			}
			if single := doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "co-single" }); single == nil || doc.Control("Starter Kit") != nil {
				t.Errorf("one product should show as a plain line, not a radio group")
			}
			resp, _, _ := s.Pay("4242 4242 4242 4242", nil)
			_, body := s.Do("GET", resp.Header.Get("Location"), nil, nil)
			doc = webtest.ParsePage(t, body)
			ret := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "a" && e.AllText() == "Return to the seller" })
			if ret == nil || ret.Attr["href"] != "https://shop.example/back" {
				t.Errorf("no Return to the seller link to the return_url")
			}
			if !strings.Contains(doc.AllText(), "−$5.80") || !strings.Contains(doc.AllText(), "Total paid $23.20") {
				t.Errorf("success page summary: %s", doc.AllText())
			}
		})

		t.Run("FreeProduct", func(t *testing.T) {
			link := webtest.CreateLinkWith(t, in, []string{webtest.ProductID(t, in, "Free Sampler")}, nil)
			s := webtest.NewShopper(t, in)
			doc := s.Visit(link)
			if doc.ByID("pay").AllText() != "Get it free" || doc.Control("Card number") != nil || doc.Control("Billing country").Has("required") {
				t.Errorf("a free product asks for payment")
			}
			resp, doc, _ := s.Post(url.Values{"action": {"pay"}}, nil)
			if resp.StatusCode != 422 || doc.ByID("email-error") == nil || doc.ByID("card-number-error") != nil {
				t.Errorf("free without an email: %d", resp.StatusCode)
			}
			resp, _, _ = s.Post(url.Values{"action": {"pay"}, "customer_email": {"free@example.com"}}, nil)
			_, body := s.Do("GET", resp.Header.Get("Location"), nil, nil)
			if h := webtest.ParsePage(t, body).Find(webtest.IsTag("h1")).AllText(); resp.StatusCode != 303 || h != "You're all set" {
				t.Errorf("free checkout: %d, heading %q", resp.StatusCode, h)
			}
		})

		t.Run("ExpiredThenStartAgain", func(t *testing.T) {
			s := webtest.NewShopper(t, in)
			query := "customer_email=eve%40example.com&utm_campaign=spring"
			s.Visit(in.LinkURL + "?" + query)
			webtest.Expire(t, in, s.Secret)
			doc := s.Page(410)
			if h := doc.Find(webtest.IsTag("h1")).AllText(); h != "This checkout has expired" {
				t.Errorf("heading %q", h)
			}
			again := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "a" && e.AllText() == "Start again" })
			if again == nil || again.Attr["href"] != "/checkout/"+s.Secret+"/restart" {
				t.Fatalf("no Start again link")
			}
			resp, _ := s.Do("GET", in.URL+again.Attr["href"], nil, nil)
			if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != in.LinkURL+"?"+query {
				t.Fatalf("Start again: %d %q, want the link with the original query", resp.StatusCode, loc)
			}
			if resp, _, _ := s.Pay("4242 4242 4242 4242", nil); resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/checkout/"+s.Secret) {
				t.Errorf("paying an expired session: %d %s, want back to its page", resp.StatusCode, resp.Header.Get("Location"))
			}
		})

		t.Run("UnknownSecret", func(t *testing.T) {
			s := webtest.NewShopper(t, in)
			for _, p := range []string{"/checkout/pl_c_doesnotexist", "/checkout/nope", "/checkout/pl_c_doesnotexist/success", "/checkout/pl_c_x/restart"} {
				resp, body := s.Do("GET", in.URL+p, nil, nil)
				if resp.StatusCode != 404 || !strings.Contains(body, "does not exist") {
					t.Errorf("GET %s: %d", p, resp.StatusCode)
				}
			}
		})
	})
}

// TestStartAgainKeepsThePrefill follows Start again to the new session's page.
func TestStartAgainKeepsThePrefill(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	s := webtest.NewShopper(t, in)
	s.Visit(in.LinkURL + "?customer_email=eve%40example.com&custom_field_data.company=Eve+Co")
	first := s.Secret
	webtest.Expire(t, in, first)
	resp, _ := s.Do("GET", in.URL+"/checkout/"+first+"/restart", nil, nil)
	doc := s.Visit(resp.Header.Get("Location"))
	if s.Secret == first {
		t.Fatalf("Start again reopened the expired session")
	}
	if doc.Control("Email").Attr["value"] != "eve@example.com" || doc.Control("Company").Attr["value"] != "Eve Co" {
		t.Errorf("the new session lost the link's prefill")
	}
}
