package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestCheckoutPageStates covers what a link's settings and a session's state
// change on the pages: success_url, return_url, a preset discount on a link
// without codes, a free product, expiry with Start again, and unknown secrets.
func TestCheckoutPageStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		starter := productID(t, in, "Starter Kit")

		t.Run("SuccessURLGetsTheCheckoutID", func(t *testing.T) {
			link := createLinkWith(t, in, []string{starter}, map[string]any{"success_url": "https://shop.example/thanks/{CHECKOUT_ID}?x=1"})
			s := newShopper(t, in)
			s.visit(link + "?customer_email=su@example.com")
			resp, _, _ := s.pay("4242424242424242", nil)
			loc := resp.Header.Get("Location")
			id := strings.TrimSuffix(strings.TrimPrefix(loc, "https://shop.example/thanks/"), "?x=1")
			if resp.StatusCode != 303 || len(id) != 36 || orderByCheckoutID(t, in, id).TotalAmount != 2900 {
				t.Fatalf("pay: %d Location %q", resp.StatusCode, loc)
			}
			resp, _ = s.do("GET", resp.Request.URL.String(), nil, nil)
			if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
				t.Errorf("the page of a paid session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
		})

		t.Run("PresetDiscountWithoutCodes", func(t *testing.T) {
			link := createLinkWith(t, in, []string{starter}, map[string]any{"allow_discount_codes": false,
				"discount_id": discountID(t, in, "LAUNCH20"), "return_url": "https://shop.example/back"})
			s := newShopper(t, in)
			doc := s.visit(link + "?customer_email=pre@example.com&discount_code=OTHER")
			if doc.control("Discount code") != nil {
				t.Errorf("a Discount code input on a link that does not allow codes")
			}
			applied := doc.byID("discount-applied")
			if applied == nil || !strings.Contains(applied.text(), "Launch 20% off (LAUNCH20) applied") || applied.find(isTag("button")) != nil {
				t.Fatalf("the preset discount is not shown as applied (without a Remove button)")
			}
			if doc.byID("total").text() != "$23.20" || doc.byID("pay").text() != "Pay $23.20" {
				t.Errorf("total %s", doc.byID("total").text())
			}
			if single := doc.find(func(e *elem) bool { return e.Attr["class"] == "co-single" }); single == nil || doc.control("Starter Kit") != nil {
				t.Errorf("one product should show as a plain line, not a radio group")
			}
			resp, _, _ := s.pay("4242 4242 4242 4242", nil)
			_, body := s.do("GET", resp.Header.Get("Location"), nil, nil)
			doc = parsePage(t, body)
			ret := doc.find(func(e *elem) bool { return e.Tag == "a" && e.text() == "Return to the seller" })
			if ret == nil || ret.Attr["href"] != "https://shop.example/back" {
				t.Errorf("no Return to the seller link to the return_url")
			}
			if !strings.Contains(doc.text(), "−$5.80") || !strings.Contains(doc.text(), "Total paid $23.20") {
				t.Errorf("success page summary: %s", doc.text())
			}
		})

		t.Run("FreeProduct", func(t *testing.T) {
			link := createLinkWith(t, in, []string{productID(t, in, "Free Sampler")}, nil)
			s := newShopper(t, in)
			doc := s.visit(link)
			if doc.byID("pay").text() != "Get it free" || doc.control("Card number") != nil || doc.control("Billing country").has("required") {
				t.Errorf("a free product asks for payment")
			}
			resp, doc, _ := s.post(url.Values{"action": {"pay"}}, nil)
			if resp.StatusCode != 422 || doc.byID("email-error") == nil || doc.byID("card-number-error") != nil {
				t.Errorf("free without an email: %d", resp.StatusCode)
			}
			resp, _, _ = s.post(url.Values{"action": {"pay"}, "customer_email": {"free@example.com"}}, nil)
			_, body := s.do("GET", resp.Header.Get("Location"), nil, nil)
			if h := parsePage(t, body).find(isTag("h1")).text(); resp.StatusCode != 303 || h != "You're all set" {
				t.Errorf("free checkout: %d, heading %q", resp.StatusCode, h)
			}
		})

		t.Run("ExpiredThenStartAgain", func(t *testing.T) {
			s := newShopper(t, in)
			query := "customer_email=eve%40example.com&utm_campaign=spring"
			s.visit(in.LinkURL + "?" + query)
			expire(t, in, s.secret)
			doc := s.page(410)
			if h := doc.find(isTag("h1")).text(); h != "This checkout has expired" {
				t.Errorf("heading %q", h)
			}
			again := doc.find(func(e *elem) bool { return e.Tag == "a" && e.text() == "Start again" })
			if again == nil || again.Attr["href"] != "/checkout/"+s.secret+"/restart" {
				t.Fatalf("no Start again link")
			}
			resp, _ := s.do("GET", in.URL+again.Attr["href"], nil, nil)
			if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != in.LinkURL+"?"+query {
				t.Fatalf("Start again: %d %q, want the link with the original query", resp.StatusCode, loc)
			}
			if resp, _, _ := s.pay("4242 4242 4242 4242", nil); resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/checkout/"+s.secret) {
				t.Errorf("paying an expired session: %d %s, want back to its page", resp.StatusCode, resp.Header.Get("Location"))
			}
		})

		t.Run("UnknownSecret", func(t *testing.T) {
			s := newShopper(t, in)
			for _, p := range []string{"/checkout/pl_c_doesnotexist", "/checkout/nope", "/checkout/pl_c_doesnotexist/success", "/checkout/pl_c_x/restart"} {
				resp, body := s.do("GET", in.URL+p, nil, nil)
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
	s := newShopper(t, in)
	s.visit(in.LinkURL + "?customer_email=eve%40example.com&custom_field_data.company=Eve+Co")
	first := s.secret
	expire(t, in, first)
	resp, _ := s.do("GET", in.URL+"/checkout/"+first+"/restart", nil, nil)
	doc := s.visit(resp.Header.Get("Location"))
	if s.secret == first {
		t.Fatalf("Start again reopened the expired session")
	}
	if doc.control("Email").Attr["value"] != "eve@example.com" || doc.control("Company").Attr["value"] != "Eve Co" {
		t.Errorf("the new session lost the link's prefill")
	}
}
