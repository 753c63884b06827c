package api_test

import (
	"fmt"
	"testing"
)

// TestCheckoutKeepsItsPrice changes a product's price after a session opened on
// it: the session keeps what the customer was shown, a confirm charges nothing
// and answers 422 at product_price_id, and only once an update has shown the new
// total (or the confirm names the new price) is it charged (issue 10 item 1).
func TestCheckoutKeepsItsPrice(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		var p map[string]any
		s.in.Must(t, "POST", "/v1/products/", s.token, map[string]any{"name": "Ebook",
			"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 1000, "price_currency": "usd"}}}, 201, &p)
		id := p["id"].(string)
		open := func() (string, string) {
			c := s.create(t, map[string]any{"products": []string{id}, "customer_email": "ann@example.com",
				"customer_billing_address": map[string]any{"country": "DE"}})
			return c["id"].(string), c["client_secret"].(string)
		}
		first, secret := open()
		other, otherSecret := open()
		s.in.Must(t, "PATCH", "/v1/products/"+id, s.token, map[string]any{
			"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 1500, "price_currency": "usd"}}}, 200, &p)
		newPrice := p["prices"].([]any)[0].(map[string]any)["id"].(string)

		if pub := s.client(t, "GET", secret, "", nil, 200); pub["total_amount"] != 1000.0 {
			t.Fatalf("the session after the price change shows %v, want what it was opened with", pub["total_amount"])
		}
		confirm := map[string]any{"confirmation_token_id": "tok_visa"}
		s.want422(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", confirm, []any{"body", "product_price_id"})
		if n := s.orderCount(t, first); n != 0 {
			t.Fatalf("a confirm at a changed price made %d orders", n)
		}
		// An update shows the new total; the confirm after it charges it.
		if pub := s.client(t, "PATCH", secret, "", map[string]any{}, 200); pub["total_amount"] != 1500.0 || pub["product_price_id"] != newPrice {
			t.Fatalf("after an update: %v %v, want 1500 at the new price", pub["total_amount"], pub["product_price_id"])
		}
		s.client(t, "POST", secret, "/confirm", confirm, 200)
		// A confirm that names the new price accepts it.
		confirm["product_price_id"] = newPrice
		s.client(t, "POST", otherSecret, "/confirm", confirm, 200)
		for _, c := range []string{first, other} {
			var orders pageOf
			s.in.Must(t, "GET", "/v1/orders/?checkout_id="+c, s.token, nil, 200, &orders)
			if orders.Pagination.TotalCount != 1 || orders.Items[0]["total_amount"] != 1500.0 {
				t.Errorf("orders of %s: %v, want one of 15.00", c, orders.Items)
			}
		}
	})
}

// orderCount is how many orders the checkout made.
func (s *coShop) orderCount(t *testing.T, checkoutID string) int {
	t.Helper()
	var orders pageOf
	s.in.Must(t, "GET", fmt.Sprintf("/v1/orders/?checkout_id=%s", checkoutID), s.token, nil, 200, &orders)
	return orders.Pagination.TotalCount
}
