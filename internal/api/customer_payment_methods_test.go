package api_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/web/webtest"
)

// The card a customer saves at checkout (a subscription's, in the sandbox) is
// their default payment method: the portal API lists it and the portal page
// shows it on the subscription it renews. Subscribing again with the same card
// saves it once.
func TestPortalListsTheCardSavedAtCheckout(t *testing.T) {
	eachCoShop(t, func(t *testing.T, s *coShop) {
		ann := s.buy(t, s.plan, "ann@example.com")
		s.buy(t, s.plan, "ann@example.com")
		var sess map[string]any
		s.in.Must(t, "POST", "/v1/customer-sessions/", s.token, map[string]any{"customer_id": ann}, 201, &sess)
		var methods pageOf
		s.in.Must(t, "GET", "/v1/customer-portal/customers/me/payment-methods", sess["token"].(string), nil, 200, &methods)
		if methods.Pagination.TotalCount != 1 || len(methods.Items) != 1 {
			t.Fatalf("ann's payment methods: %+v", methods)
		}
		m := methods.Items[0]
		card, _ := m["method_metadata"].(map[string]any)
		if m["customer_id"] != ann || m["is_default"] != true || m["type"] != "card" || card["brand"] != "visa" ||
			card["last4"] != "4242" || card["exp_month"] != 12.0 || card["exp_year"].(float64) < 2026 {
			t.Fatalf("ann's card: %v", m)
		}
		b := webtest.NewDashBrowser(t, s.in)
		status, doc := b.Get(sess["customer_portal_url"].(string))
		if text := doc.AllText(); status != 200 || strings.Count(text, "Renews with Visa •••• 4242.") != 2 {
			t.Fatalf("the portal page: %d %s", status, text)
		}
	})
}
