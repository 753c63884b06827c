package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// confirmForm returns the values the confirmation step posts back.
func confirmForm(t *testing.T, doc *elem) url.Values {
	t.Helper()
	v := url.Values{}
	for _, in := range doc.all(withAttrs("input", "type", "hidden")) {
		v.Set(in.Attr["name"], in.Attr["value"])
	}
	if v.Get("confirm") != "yes" {
		t.Fatalf("no confirmation form on the page: %s", doc.text())
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

		_, doc := b.get(path)
		if amount := doc.byID("refund-amount"); amount == nil || amount.Attr["value"] != "15.00" ||
			!strings.Contains(doc.text(), "$15.00 is left to refund") {
			t.Fatalf("the order page has no Refund form for all of it: %s", doc.text())
		}
		for _, tc := range []struct{ amount, want string }{
			{"abc", "Enter an amount like 29.00"},
			{"", "Enter the amount to refund."},
			{"20", "at most 15.00 USD is left to refund"},
		} {
			status, doc := b.post(path+"/refund", url.Values{"amount": {tc.amount}, "reason": {"other"}})
			msg := doc.byID("refund-amount-error")
			if status != http.StatusUnprocessableEntity || msg == nil || !strings.Contains(msg.text(), tc.want) {
				t.Fatalf("amount %q: %d %v", tc.amount, status, doc.text())
			}
		}
		status, doc := b.post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"nope"}})
		if msg := doc.byID("refund-reason-error"); status != http.StatusUnprocessableEntity || msg == nil {
			t.Fatalf("an unknown reason: %d %s", status, doc.text())
		}
		if status, _ := b.post(path+"/refund", url.Values{"csrf": {"forged"}, "amount": {"5"}, "reason": {"other"},
			"confirm": {"yes"}}); status != http.StatusForbidden {
			t.Fatalf("a forged CSRF token: %d", status)
		}

		// The review step shows what will happen and refunds nothing yet.
		status, doc = b.post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"duplicate"}, "comment": {dashXSS}})
		if status != 200 || onlyOne(t, doc, isTag("h1"), "h1").text() != "Refund $5.00?" ||
			!strings.Contains(doc.text(), "ann@example.com") || !strings.Contains(doc.text(), "Duplicate") {
			t.Fatalf("confirmation step: %d %s", status, doc.text())
		}
		form := confirmForm(t, doc)
		if _, page := b.get(path); dashFact(t, page, "Refunded") != "$0.00" {
			t.Fatal("the review step refunded")
		}

		// Another organization's dashboard cannot refund the order.
		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "bob@example.com"))
		if status, _ := other.post(path+"/refund", url.Values{"amount": {"5"}, "reason": {"other"}, "confirm": {"yes"}}); status != http.StatusNotFound {
			t.Fatalf("another organization's refund: %d", status)
		}

		status, doc = b.post(path+"/refund", form)
		if status != 200 || !strings.Contains(b.last.Request.URL.String(), "done=refund-created") {
			t.Fatalf("confirm: %d %s", status, b.last.Request.URL)
		}
		if got := dashFact(t, doc, "Refunded"); got != "$5.00" {
			t.Errorf("Refunded %q", got)
		}
		// A double click on the confirmation (the same form again) refunds once.
		if _, doc := b.post(path+"/refund", form); dashFact(t, doc, "Refunded") != "$5.00" {
			t.Fatalf("the confirmation posted twice refunded twice: %s", dashFact(t, doc, "Refunded"))
		}
		if badge := doc.find(func(e *elem) bool { return e.Tag == "span" && strings.Contains(e.Attr["class"], "badge") }); badge == nil || badge.text() != "partially refunded" {
			t.Errorf("status badge: %v", badge)
		}
		text := doc.text()
		if !strings.Contains(text, "Duplicate") || !strings.Contains(text, dashXSS) || doc.find(func(e *elem) bool {
			return e.Tag == "script" && strings.Contains(e.text(), "alert")
		}) != nil {
			t.Errorf("the refunds history: %s", text)
		}
		if _, list := b.get("/dashboard/orders"); !strings.Contains(list.text(), "$5.00 refunded") {
			t.Errorf("the orders list does not show the refund: %s", list.text())
		}
		_, doc = b.get(path)
		if amount := doc.byID("refund-amount"); amount == nil || amount.Attr["value"] != "10.00" {
			t.Fatalf("the form does not offer the $10.00 left: %v", amount)
		}

		// The rest: the order is refunded and the form is gone.
		_, doc = b.post(path+"/refund", url.Values{"amount": {"10.00"}, "reason": {"customer_request"}})
		_, doc = b.post(path+"/refund", confirmForm(t, doc))
		if doc.byID("refund-amount") != nil || dashFact(t, doc, "Refunded") != "$15.00" || !strings.Contains(doc.text(), "refunded") {
			t.Fatalf("after the full refund: %s", doc.text())
		}
		// Another refund of a refunded order is refused in words, not a 500.
		status, doc = b.post(path+"/refund", url.Values{"amount": {"1"}, "reason": {"other"}})
		if status != http.StatusUnprocessableEntity && status != http.StatusOK || !strings.Contains(doc.text(), "already fully refunded") {
			t.Fatalf("a second confirmation: %d %s", status, doc.text())
		}
	})
}
