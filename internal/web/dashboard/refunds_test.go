package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// confirmForm returns the values the confirmation step posts back.
func confirmForm(t *testing.T, doc *webtest.Elem) url.Values {
	t.Helper()
	v := url.Values{}
	for _, in := range doc.All(webtest.WithAttrs("input", "type", "hidden")) {
		v.Set(in.Attr["name"], in.Attr["value"])
	}
	if v.Get("confirm") != "yes" {
		t.Fatalf("no confirmation form on the page: %s", doc.AllText())
	}
	return v
}

// A refund from the order's page: the form's mistakes in its own words, a
// confirmation step that refunds nothing yet, then the refund, its history and
// the order's new status; another organization cannot refund the order.
func TestDashboardRefund(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		poster, _ := dashPurchases(t, in)
		b := dashSignedIn(t, in, in.SignIn)
		path := "/dashboard/orders/" + poster

		_, doc := b.Get(path)
		if amount := doc.ByID("refund-amount"); amount == nil || amount.Attr["value"] != "15.00" ||
			!strings.Contains(doc.AllText(), "$15.00 is left to refund") {
			t.Fatalf("the order page has no Refund form for all of it: %s", doc.AllText())
		}
		for _, tc := range []struct{ amount, want string }{
			{"abc", "Enter an amount like 29.00"},
			{"", "Enter the amount to refund."},
			{"20", "at most 15.00 USD is left to refund"},
		} {
			status, doc := b.Post(path+"/refund", url.Values{"amount": {tc.amount}, "reason": {"other"}})
			msg := doc.ByID("refund-amount-error")
			if status != http.StatusUnprocessableEntity || msg == nil || !strings.Contains(msg.AllText(), tc.want) {
				t.Fatalf("amount %q: %d %v", tc.amount, status, doc.AllText())
			}
		}
		status, doc := b.Post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"nope"}})
		if msg := doc.ByID("refund-reason-error"); status != http.StatusUnprocessableEntity || msg == nil {
			t.Fatalf("an unknown reason: %d %s", status, doc.AllText())
		}
		if status, _ := b.Post(path+"/refund", url.Values{"csrf": {"forged"}, "amount": {"5"}, "reason": {"other"},
			"confirm": {"yes"}}); status != http.StatusForbidden {
			t.Fatalf("a forged CSRF token: %d", status)
		}

		// The review step shows what will happen and refunds nothing yet.
		status, doc = b.Post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"duplicate"}, "comment": {dashXSS}})
		if status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != "Refund $5.00?" ||
			!strings.Contains(doc.AllText(), "ann@example.com") || !strings.Contains(doc.AllText(), "Duplicate") {
			t.Fatalf("confirmation step: %d %s", status, doc.AllText())
		}
		form := confirmForm(t, doc)
		if _, page := b.Get(path); dashFact(t, page, "Refunded") != "$0.00" {
			t.Fatal("the review step refunded")
		}

		// Another organization's dashboard cannot refund the order.
		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "bob@example.com"))
		if status, _ := other.Post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"other"}, "confirm": {"yes"}}); status != http.StatusNotFound {
			t.Fatalf("another organization's refund: %d", status)
		}

		status, doc = b.Post(path+"/refund", form)
		if status != 200 || !strings.Contains(b.Last.Request.URL.String(), "done=refund-created") {
			t.Fatalf("confirm: %d %s", status, b.Last.Request.URL)
		}
		if got := dashFact(t, doc, "Refunded"); got != "$5.00" {
			t.Errorf("Refunded %q", got)
		}
		// A double click on the confirmation (the same form again) refunds once.
		if _, doc := b.Post(path+"/refund", form); dashFact(t, doc, "Refunded") != "$5.00" {
			t.Fatalf("the confirmation posted twice refunded twice: %s", dashFact(t, doc, "Refunded"))
		}
		if badge := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "span" && strings.Contains(e.Attr["class"], "badge") }); badge == nil || badge.AllText() != "partially refunded" {
			t.Errorf("status badge: %v", badge)
		}
		text := doc.AllText()
		if !strings.Contains(text, "Duplicate") || !strings.Contains(text, dashXSS) || doc.Find(func(e *webtest.Elem) bool {
			return e.Tag == "script" && strings.Contains(e.AllText(), "alert")
		}) != nil {
			t.Errorf("the refunds history: %s", text)
		}
		if _, list := b.Get("/dashboard/orders"); !strings.Contains(list.AllText(), "$5.00 refunded") {
			t.Errorf("the orders list does not show the refund: %s", list.AllText())
		}
		_, doc = b.Get(path)
		if amount := doc.ByID("refund-amount"); amount == nil || amount.Attr["value"] != "10.00" {
			t.Fatalf("the form does not offer the $10.00 left: %v", amount)
		}

		// The rest: the order is refunded and the form is gone.
		_, doc = b.Post(path+"/refund", url.Values{"amount": {"10.00"}, "reason": {"customer_request"}})
		_, doc = b.Post(path+"/refund", confirmForm(t, doc))
		if doc.ByID("refund-amount") != nil || dashFact(t, doc, "Refunded") != "$15.00" || !strings.Contains(doc.AllText(), "refunded") {
			t.Fatalf("after the full refund: %s", doc.AllText())
		}
		// Another refund of a refunded order is refused in words, not a 500.
		status, doc = b.Post(path+"/refund", url.Values{"amount": {"1"}, "reason": {"other"}})
		if status != http.StatusUnprocessableEntity && status != http.StatusOK || !strings.Contains(doc.AllText(), "already fully refunded") {
			t.Fatalf("a second confirmation: %d %s", status, doc.AllText())
		}
	})
}
