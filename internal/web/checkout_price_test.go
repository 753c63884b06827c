package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
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
		s := newShopper(t, in)
		doc := s.visit(createLink(t, in, p.ID, "") + "?customer_email=ann@example.com")
		if pay := doc.byID("pay").text(); pay != "Pay $10.00" {
			t.Fatalf("before the change: %q", pay)
		}
		in.Must(t, "PATCH", "/v1/products/"+p.ID, in.Token, map[string]any{
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1500}}}, 200, nil)

		resp, doc, body := s.pay("4242 4242 4242 4242", url.Values{"shown_total": {"1000"}})
		if resp.StatusCode != 200 || doc == nil {
			t.Fatalf("pay at the old price: %d %s", resp.StatusCode, body)
		}
		notice := doc.find(func(e *elem) bool { return e.Attr["class"] == "co-notice" })
		if notice == nil || !strings.Contains(notice.text(), "changed") || !strings.Contains(notice.text(), "$15.00") {
			t.Fatalf("no note of the new price: %s", doc.text())
		}
		if pay, total := doc.byID("pay").text(), doc.byID("total").text(); pay != "Pay $15.00" || total != "$15.00" {
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

		resp, _, _ = s.pay("4242 4242 4242 4242", url.Values{"shown_total": {"1500"}})
		if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "/success") {
			t.Fatalf("pay at the new total: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if o := orderOf(t, in, s.secret); o.TotalAmount != 1500 {
			t.Errorf("order total %d, want 1500", o.TotalAmount)
		}

		// Any update of an open page moves to a changed price, and says so.
		s = newShopper(t, in)
		s.visit(createLink(t, in, p.ID, "") + "?customer_email=bo@example.com")
		in.Must(t, "PATCH", "/v1/products/"+p.ID, in.Token, map[string]any{
			"prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 2000}}}, 200, nil)
		_, doc, _ = s.post(url.Values{"action": {"update"}, "customer_name": {"Bo"}}, nil)
		notice = doc.find(func(e *elem) bool { return e.Attr["class"] == "co-notice" })
		if notice == nil || !strings.Contains(notice.text(), "$20.00") || doc.byID("pay").text() != "Pay $20.00" {
			t.Errorf("an update after a price change: %s", doc.text())
		}
	})
}
