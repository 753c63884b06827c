package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// dashXSS is metadata that would run script if a page did not escape it.
const dashXSS = `<script>alert("x")</script>`

// dashPurchases has one customer buy the Poster (a custom field answer) and the
// Pro Plan (a subscription) through links whose metadata is hostile markup, and
// returns the two orders' ids.
func dashPurchases(t *testing.T, in *paylinktest.Instance) (posterOrder, planOrder string) {
	t.Helper()
	cat := webtest.DemoCatalog(t, in)
	pay := func(productID, query string) string {
		link := webtest.CreateLinkWith(t, in, []string{productID}, map[string]any{"label": "Shop <b>link</b>",
			"metadata": map[string]any{"<i>key</i>": dashXSS}})
		s := webtest.NewShopper(t, in)
		s.Visit(link + "?customer_email=ann@example.com&customer_name=Ann%20Lee" + query)
		if resp, _, body := s.Pay("4242 4242 4242 4242", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("pay: %d\n%s", resp.StatusCode, body)
		}
		return webtest.OrderOf(t, in, s.Secret).ID
	}
	return pay(cat.Poster, "&custom_field_data.size=l"), pay(webtest.ProductID(t, in, "Pro Plan"), "")
}

// dashFollow finds the link with the text on the page, follows it and returns the
// new page; the link must go to a path that starts with prefix.
func dashFollow(t *testing.T, b *webtest.DashBrowser, doc *webtest.Elem, text, prefix string) *webtest.Elem {
	t.Helper()
	a := doc.Find(func(e *webtest.Elem) bool {
		return e.Tag == "a" && e.AllText() == text && strings.HasPrefix(e.Attr["href"], prefix)
	})
	if a == nil {
		t.Fatalf("no link %q to %s… on %s", text, prefix, b.Last.Request.URL.Path)
	}
	status, next := b.Get(a.Attr["href"])
	if status != 200 {
		t.Fatalf("GET %s: %d", a.Attr["href"], status)
	}
	return next
}

// dashFact returns the text of the detail page's value labelled label.
func dashFact(t *testing.T, doc *webtest.Elem, label string) string {
	t.Helper()
	for _, d := range doc.All(webtest.IsTag("div")) {
		if dt := d.Find(webtest.IsTag("dt")); dt != nil && dt.AllText() == label && len(d.Children) == 2 {
			return d.Find(webtest.IsTag("dd")).AllText()
		}
	}
	t.Fatalf("no %q on the page", label)
	return ""
}

func TestDashboardDetailPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		poster, plan := dashPurchases(t, in)
		b := dashSignedIn(t, in, in.SignIn)

		// The orders list links each row to its order.
		_, doc := b.Get("/dashboard/orders")
		row := doc.Find(func(e *webtest.Elem) bool {
			return e.Tag == "tr" && e.Find(webtest.WithAttrs("a", "href", "/dashboard/orders/"+poster)) != nil
		})
		if row == nil {
			t.Fatal("the orders list does not link the Poster order")
		}
		status, doc := b.Get("/dashboard/orders/" + poster)
		if status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != "Order $15.00" {
			t.Fatalf("order page: %d", status)
		}
		for label, want := range map[string]string{"Total": "$15.00", "Subtotal": "$15.00", "Billing reason": "Purchase",
			"Product": "Poster", "Checkout link": "Shop <b>link</b>", "Subscription": "None", "Billing name": "Ann Lee",
			"Receipt": "RCPT-0001"} {
			if got := dashFact(t, doc, label); got != want {
				t.Errorf("order %s: %q, want %q", label, got, want)
			}
		}
		// Metadata and custom field answers are shown, as text.
		text := doc.AllText()
		if !strings.Contains(text, dashXSS) || !strings.Contains(text, "<i>key</i>") || !strings.Contains(text, "size") {
			t.Errorf("the order page does not show its metadata and custom field data: %s", text)
		}
		if doc.Find(func(e *webtest.Elem) bool { return e.Tag == "script" && strings.Contains(e.AllText(), "alert") }) != nil ||
			doc.Find(webtest.IsTag("i")) != nil || doc.Find(webtest.IsTag("b")) != nil {
			t.Fatal("metadata or a label became markup")
		}
		// Order → checkout → back to its order.
		co := dashFollow(t, b, doc, dashFact(t, doc, "Checkout"), "/dashboard/checkouts/")
		if dashFact(t, co, "Total") != "$15.00" || dashFact(t, co, "Customer email") != "ann@example.com" ||
			!strings.Contains(co.AllText(), "succeeded") {
			t.Errorf("checkout page: %s", co.AllText())
		}
		coPath := b.Last.Request.URL.Path
		dashFollow(t, b, co, "$15.00 order", "/dashboard/orders/"+poster)

		// The subscription's order → its subscription → its customer, who has both orders.
		_, doc = b.Get("/dashboard/orders/" + plan)
		sub := dashFollow(t, b, doc, dashFact(t, doc, "Subscription"), "/dashboard/subscriptions/")
		subPath := b.Last.Request.URL.Path
		if got := dashFact(t, sub, "Amount per period"); got != "$9.00 / month" {
			t.Errorf("subscription amount %q", got)
		}
		if sub.Find(webtest.WithAttrs("a", "href", "/dashboard/orders/"+plan)) == nil {
			t.Error("the subscription page does not list its order")
		}
		cust := dashFollow(t, b, sub, "ann@example.com", "/dashboard/customers/")
		for _, id := range []string{poster, plan} {
			if cust.Find(webtest.WithAttrs("a", "href", "/dashboard/orders/"+id)) == nil {
				t.Errorf("the customer page does not list order %s", id)
			}
		}
		if cust.Find(func(e *webtest.Elem) bool {
			return e.Tag == "a" && strings.HasPrefix(e.Attr["href"], "/dashboard/subscriptions/")
		}) == nil {
			t.Error("the customer page does not list the subscription")
		}
		custPath := b.Last.Request.URL.Path

		// Another organization's dashboard: every one of these is a 404.
		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "bob@example.com"))
		for _, path := range []string{"/dashboard/orders/" + poster, custPath, subPath, coPath, "/dashboard/orders/not-an-id",
			"/dashboard/subscriptions/" + strings.Repeat("0", 36)} {
			if status, _ := other.Get(path); status != http.StatusNotFound {
				t.Errorf("another organization's GET %s: %d, want 404", path, status)
			}
		}
		// The customers list links to the customer; the checkouts list to the
		// checkout and its customer.
		_, doc = b.Get("/dashboard/customers")
		if doc.Find(webtest.WithAttrs("a", "href", custPath)) == nil {
			t.Error("the customers list does not link to the customer")
		}
		_, doc = b.Get("/dashboard/checkouts")
		if doc.Find(webtest.WithAttrs("a", "href", coPath)) == nil || doc.Find(webtest.WithAttrs("a", "href", custPath)) == nil {
			t.Error("the checkouts list does not link to the checkout and its customer")
		}
	})
}
