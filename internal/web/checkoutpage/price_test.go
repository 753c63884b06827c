package checkoutpage_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutPagePriceChanged changes the product's price while its page is
// open: Pay charges nothing and shows the new total with a note, and the next
// Pay charges that total (issue 10 item 1).
func TestCheckoutPagePriceChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		var p struct{ ID string }
		in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{"name": "Ebook",
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1000}}}, 201, &p)
		s := webtest.NewShopper(t, in)
		doc := s.Visit(webtest.CreateLink(t, in, p.ID, "") + "?customer_email=ann@example.com")
		if pay := doc.ByID("pay").AllText(); pay != "Pay $10.00" {
			t.Fatalf("before the change: %q", pay)
		}
		in.Must(t, "PATCH", "/v1/products/"+p.ID, in.Token, map[string]any{
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1500}}}, 200, nil)

		resp, doc, body := s.Pay("4242 4242 4242 4242", url.Values{"shown_total": {"1000"}})
		if resp.StatusCode != 200 || doc == nil {
			t.Fatalf("pay at the old price: %d %s", resp.StatusCode, body)
		}
		notice := doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "co-notice" })
		if notice == nil || !strings.Contains(notice.AllText(), "changed") || !strings.Contains(notice.AllText(), "$15.00") {
			t.Fatalf("no note of the new price: %s", doc.AllText())
		}
		if pay, total := doc.ByID("pay").AllText(), doc.ByID("total").AllText(); pay != "Pay $15.00" || total != "$15.00" {
			t.Errorf("after the change: Pay %q, total %q; want $15.00", pay, total)
		}
		var orders struct {
			Pagination struct {
				TotalCount int `json:"total_count"`
			} `json:"pagination"`
		}
		in.Must(t, "GET", "/v1/orders/?product_id="+p.ID, in.Token, nil, 200, &orders)
		if orders.Pagination.TotalCount != 0 {
			t.Fatalf("the pay at the old price made an order")
		}

		resp, _, _ = s.Pay("4242 4242 4242 4242", url.Values{"shown_total": {"1500"}})
		if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
			t.Fatalf("pay at the new total: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if o := webtest.OrderOf(t, in, s.Secret); o.TotalAmount != 1500 {
			t.Errorf("order total %d, want 1500", o.TotalAmount)
		}

		// Any update of an open page moves to a changed price, and says so.
		s = webtest.NewShopper(t, in)
		s.Visit(webtest.CreateLink(t, in, p.ID, "") + "?customer_email=bo@example.com")
		in.Must(t, "PATCH", "/v1/products/"+p.ID, in.Token, map[string]any{
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 2000}}}, 200, nil)
		_, doc, _ = s.Post(url.Values{"action": {"update"}, "customer_name": {"Bo"}}, nil)
		notice = doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "co-notice" })
		if notice == nil || !strings.Contains(notice.AllText(), "$20.00") || doc.ByID("pay").AllText() != "Pay $20.00" {
			t.Errorf("an update after a price change: %s", doc.AllText())
		}
	})
}
