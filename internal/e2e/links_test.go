package e2e_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// shop is a merchant with a catalog and a link, all made through the API.
type shop struct {
	in                         *paylinktest.Instance
	token                      string
	api                        *client.Client // the merchant's
	anon                       *client.Client // the customer's: no token
	kit, tip, plan, discountID string
	link                       *client.CheckoutLink
}

func newShop(t *testing.T, db string, env ...string) *shop {
	t.Helper()
	in := paylinktest.Start(t, db, env)
	s := &shop{in: in, anon: in.API("")}
	_, s.token = in.NewOrg(t, "Link Shop")
	s.api = in.API(s.token)
	ctx := t.Context()
	f := ok(s.api.CreateCustomField(ctx, &client.CustomFieldCreate{Type: "text", Slug: "company", Name: "Company"}))(t)
	s.kit = ok(s.api.CreateProduct(ctx, &client.ProductCreate{Name: "Kit",
		Prices:               []client.PriceCreate{{AmountType: "fixed", PriceAmount: 2000, PriceCurrency: "usd"}},
		AttachedCustomFields: []client.AttachedCustomFieldCreate{{CustomFieldID: f.ID, Required: true}}}))(t).ID
	s.tip = ok(s.api.CreateProduct(ctx, &client.ProductCreate{Name: "Tip",
		Prices:               []client.PriceCreate{{AmountType: "custom", MinimumAmount: new(int64(100)), MaximumAmount: new(int64(10000)), PriceCurrency: "usd"}},
		AttachedCustomFields: []client.AttachedCustomFieldCreate{{CustomFieldID: f.ID, Required: false}}}))(t).ID
	s.plan = ok(s.api.CreateProduct(ctx, &client.ProductCreate{Name: "Plan", RecurringInterval: new("month"),
		Prices: []client.PriceCreate{{AmountType: "fixed", PriceAmount: 900, PriceCurrency: "usd"}}}))(t).ID
	s.discountID = ok(s.api.CreateDiscount(ctx, &client.DiscountCreate{Name: "Ten", Type: "percentage", BasisPoints: 1000,
		Duration: "forever", Code: "TEN"}))(t).ID
	s.link = ok(s.api.CreateCheckoutLink(ctx, &client.CheckoutLinkCreate{Label: new("Spring"), Products: []string{s.kit, s.tip, s.plan},
		Metadata: client.Metadata{"campaign": "spring", "utm_source": "merchant-wins"}, SuccessURL: new("https://shop.example/thanks?c={CHECKOUT_ID}")}))(t)
	return s
}

// pay confirms the session with a test card, with the confirmation's other fields.
func (s *shop) pay(t *testing.T, secret string, in client.CheckoutConfirm) *client.Checkout {
	t.Helper()
	in.ConfirmationTokenID = "tok_visa"
	return ok(s.anon.ConfirmClientCheckout(t.Context(), secret, &in))(t)
}

// visit follows a link URL with the query and returns the 303's checkout secret and the remaining query.
func (s *shop) visit(t *testing.T, query string) (secret string, remaining url.Values) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.link.URL+"?"+query, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1")
	resp, err := s.in.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("visit: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.Path, "/checkout/pl_c_") {
		t.Fatalf("visit: Location %q", resp.Header.Get("Location"))
	}
	return strings.TrimPrefix(loc.Path, "/checkout/"), loc.Query()
}

func TestPurchaseThroughLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		secret, rest := s.visit(t, "product_id="+s.tip+"&amount=2500&customer_email=ann%40example.com&utm_source=news&utm_campaign=launch"+
			"&reference_id=aff-7&custom_field_data.company=Acme&discount_code=nope&theme=dark")
		if rest.Get("theme") != "dark" || rest.Get("utm_source") != "" {
			t.Fatalf("unconsumed parameters: %v", rest)
		}
		ctx := t.Context()
		c := ok(s.anon.ClientCheckout(ctx, secret))(t)
		if c.ProductID != s.tip || c.Amount != 2500 || deref(c.CustomerEmail) != "ann@example.com" || c.DiscountID != nil {
			t.Fatalf("prefilled session: %v %v %v %v", c.ProductID, c.Amount, c.CustomerEmail, c.DiscountID)
		}
		// The customer switches to the kit, applies the code, and pays.
		c = ok(s.anon.UpdateClientCheckout(ctx, secret, &client.CheckoutUpdate{ProductID: &s.kit, DiscountCode: new("ten")}))(t)
		if c.Amount != 2000 || c.TotalAmount != 1800 {
			t.Fatalf("after switch: amount %v total %v", c.Amount, c.TotalAmount)
		}
		c = ok(s.anon.UpdateClientCheckout(ctx, secret, &client.CheckoutUpdate{ProductID: &s.tip, Amount: new(int64(3000))}))(t)
		if c.Amount != 3000 || c.TotalAmount != 2700 {
			t.Fatalf("pay what you want with the code: amount %v total %v", c.Amount, c.TotalAmount)
		}
		s.pay(t, secret, client.CheckoutConfirm{CustomerBillingAddress: &client.Address{Country: "FR"}})
		// Confirm answers "confirmed" (the SDK's CheckoutPublicConfirmed); the payment went through at once.
		if c = ok(s.anon.ClientCheckout(ctx, secret))(t); c.Status != "succeeded" {
			t.Fatalf("confirm: status %v", c.Status)
		}
		orders := ok(s.api.Orders(ctx, nil))(t)
		if len(orders.Items) != 1 {
			t.Fatalf("orders: %d", len(orders.Items))
		}
		o := orders.Items[0]
		want := client.Metadata{"campaign": "spring", "utm_source": "merchant-wins", "utm_campaign": "launch", "reference_id": "aff-7"}
		for k, v := range want {
			if o.Metadata[k] != v {
				t.Errorf("order metadata %s = %v, want %v (all: %v)", k, o.Metadata[k], v, o.Metadata)
			}
		}
		if deref(o.CheckoutLinkID) != s.link.ID || o.TotalAmount != 2700 || o.CustomFieldData["company"] != "Acme" {
			t.Fatalf("order: link %v total %v fields %v", o.CheckoutLinkID, o.TotalAmount, o.CustomFieldData)
		}
	})
}

func TestRecurringPurchaseThroughLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		secret, _ := s.visit(t, "product_id="+s.plan+"&utm_medium=email&reference_id=r-9")
		s.pay(t, secret, client.CheckoutConfirm{CustomerEmail: new("bo@example.com"), CustomerBillingAddress: &client.Address{Country: "US"}})
		subs := ok(s.api.Subscriptions(t.Context(), nil))(t)
		if len(subs.Items) != 1 {
			t.Fatalf("subscriptions: %d", len(subs.Items))
		}
		meta := subs.Items[0].Metadata
		if meta["campaign"] != "spring" || meta["utm_medium"] != "email" || meta["reference_id"] != "r-9" || subs.Items[0].Status != "active" {
			t.Fatalf("subscription: %+v", subs.Items[0])
		}
	})
}

func TestVisitsOfBotsAndBrokenLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		ctx := t.Context()
		linkURL := s.link.URL
		count := func() int { return ok(s.api.Checkouts(ctx, nil))(t).Pagination.TotalCount }
		for _, tc := range []struct {
			name   string
			method string
			header map[string]string
		}{
			{"slack", "GET", map[string]string{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}},
			{"prefetch", "GET", map[string]string{"Sec-Purpose": "prefetch", "User-Agent": "Mozilla/5.0 Chrome/120"}},
			{"head", "HEAD", nil},
		} {
			req, _ := http.NewRequest(tc.method, linkURL+"?utm_source=x", nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := s.in.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || (tc.method == "GET" && !strings.Contains(string(body), `property="og:title"`)) {
				t.Fatalf("%s: status %d, body %q", tc.name, resp.StatusCode, body)
			}
		}
		if n := count(); n != 0 {
			t.Fatalf("previews created %v sessions", n)
		}
		get := func(u string) (int, string) {
			resp, err := s.in.Client.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		if code, _ := get(s.in.URL + "/buy/pl_cl_doesnotexist0000000000000000"); code != 404 {
			t.Fatalf("unknown link: %d", code)
		}
		id := s.link.ID
		ok(s.api.UpdateCheckoutLink(ctx, id, &client.CheckoutLinkUpdate{Active: new(false), InactiveMessage: new("Back in <May>")}))(t)
		if code, body := get(linkURL); code != 410 || !strings.Contains(body, "Back in &lt;May&gt;") {
			t.Fatalf("inactive link: %d %q", code, body)
		}
		ok(s.api.UpdateCheckoutLink(ctx, id, &client.CheckoutLinkUpdate{Active: new(true)}))(t)
		rotated := ok(s.api.RotateCheckoutLinkSecret(ctx, id))(t)
		if code, _ := get(linkURL); code != 404 {
			t.Fatalf("old URL after rotation: %d", code)
		}
		if code, _ := get(rotated.URL + "?x=1"); code != 303 {
			t.Fatalf("new URL: %d", code)
		}
		if err := s.api.DeleteCheckoutLink(ctx, id); err != nil {
			t.Fatal(err)
		}
		if code, _ := get(rotated.URL); code != 410 {
			t.Fatalf("deleted link: %d", code)
		}
		if n := count(); n != 1 {
			t.Fatalf("sessions: %v, want 1", n)
		}
	})
}
