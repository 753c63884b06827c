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

// dashActions are the labels of the Actions links of a detail page.
func dashActions(doc *webtest.Elem) []string {
	var out []string
	if s := doc.Find(webtest.WithAttrs("section", "aria-labelledby", "actions-heading")); s != nil {
		for _, a := range s.All(webtest.IsTag("a")) {
			out = append(out, a.AllText())
		}
	}
	return out
}

// The subscription page cancels at period end (with a reason), takes it back and
// revokes, each through a confirmation page whose form carries the CSRF token;
// the page then shows the cancellation's dates and reason. What the API says
// agrees, and another organization cannot even open the confirmation pages.
func TestDashboardSubscriptionCancelUncancelRevoke(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		_, planOrder := dashPurchases(t, in)
		var order struct {
			SubscriptionID string `json:"subscription_id"`
		}
		in.Must(t, "GET", "/v1/orders/"+planOrder, in.Token, nil, 200, &order)
		id := order.SubscriptionID
		page := "/dashboard/subscriptions/" + id
		var sub map[string]any
		in.Must(t, "GET", "/v1/subscriptions/"+id, in.Token, nil, 200, &sub)
		b := dashSignedIn(t, in, in.SignIn)

		_, doc := b.Get(page)
		if got := strings.Join(dashActions(doc), "|"); got != "Cancel at the end of the period…|Revoke now…" {
			t.Fatalf("actions of an active subscription: %q", got)
		}
		if dashFact(t, doc, "Cancels at period end") != "No" || dashFact(t, doc, "Ends") != "—" {
			t.Fatal("an active subscription shows a cancellation")
		}
		doc = dashFollow(t, b, doc, "Cancel at the end of the period…", page+"/cancel")
		if got := webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText(); got != "Cancel at the end of the period?" {
			t.Fatalf("confirmation page %q", got)
		}
		if !strings.Contains(doc.AllText(), "stays active until") || !strings.Contains(doc.AllText(), "ann@example.com") {
			t.Fatalf("the confirmation page does not say what happens: %s", doc.AllText())
		}

		// Without the form's CSRF token nothing happens.
		if status, _ := b.Post(page+"/cancel", url.Values{"csrf": {"forged"}}); status != http.StatusForbidden {
			t.Fatalf("a post without the CSRF token: %d", status)
		}
		// A reason that is not one of the list comes back at the field, in words.
		status, doc := b.Post(page+"/cancel", url.Values{"reason": {"bored"}, "comment": {"Meh"}})
		if status != http.StatusUnprocessableEntity || !strings.HasPrefix(fieldError(t, doc, "Reason (optional)"), "Must be one of") {
			t.Fatalf("a bad reason: %d", status)
		}
		if doc.Control("Customer's comment (optional)").AllText() != "Meh" {
			t.Fatal("the comment typed was lost")
		}
		in.Must(t, "GET", "/v1/subscriptions/"+id, in.Token, nil, 200, &sub)
		if sub["cancel_at_period_end"] != false {
			t.Fatal("a rejected form canceled the subscription")
		}

		status, doc = b.Post(page+"/cancel", url.Values{"reason": {"too_expensive"}, "comment": {"Too <b>much</b>"}})
		if status != 200 || b.Last.Request.URL.Path != page || !strings.Contains(doc.AllText(), "The subscription ends at the end of its period.") {
			t.Fatalf("cancel: %d at %s", status, b.Last.Request.URL)
		}
		if dashFact(t, doc, "Cancels at period end") != "Yes" || dashFact(t, doc, "Ends") == "—" ||
			dashFact(t, doc, "Cancellation reason") != "Too expensive" || dashFact(t, doc, "Customer's comment") != "Too <b>much</b>" {
			t.Fatal("the page does not show the cancellation")
		}
		if got := strings.Join(dashActions(doc), "|"); got != "Keep renewing…|Revoke now…" {
			t.Fatalf("actions of a canceled subscription: %q", got)
		}
		in.Must(t, "GET", "/v1/subscriptions/"+id, in.Token, nil, 200, &sub)
		if sub["cancel_at_period_end"] != true || sub["customer_cancellation_reason"] != "too_expensive" || sub["ends_at"] != sub["current_period_end"] {
			t.Fatalf("the API after the dashboard's cancel: %v", sub)
		}
		if _, list := b.Get("/dashboard/subscriptions"); !strings.Contains(list.AllText(), "Ends ") {
			t.Error("the subscriptions list does not say that it ends instead of renewing")
		}
		// The cancel page of a subscription canceled since (another tab) says so and offers no form.
		status, doc = b.Get(page + "/cancel")
		if status != http.StatusConflict || doc.Find(webtest.WithAttrs("form", "action", page+"/cancel")) != nil {
			t.Fatalf("a stale cancel page: %d", status)
		}

		_, doc = b.Get(page)
		doc = dashFollow(t, b, doc, "Keep renewing…", page+"/uncancel")
		if !strings.Contains(doc.AllText(), "renews then") {
			t.Fatalf("uncancel page: %s", doc.AllText())
		}
		if status, doc = b.Post(page+"/uncancel", url.Values{}); status != 200 || dashFact(t, doc, "Cancels at period end") != "No" ||
			dashFact(t, doc, "Cancellation reason") != "—" {
			t.Fatalf("uncancel: %d", status)
		}

		_, doc = b.Get(page)
		dashFollow(t, b, doc, "Revoke now…", page+"/revoke")
		status, doc = b.Post(page+"/revoke", url.Values{"reason": {"unused"}})
		if status != 200 || !strings.Contains(doc.AllText(), "The subscription has ended.") || dashFact(t, doc, "Ended") == "—" {
			t.Fatalf("revoke: %d", status)
		}
		if len(dashActions(doc)) != 0 {
			t.Fatalf("an ended subscription offers %v", dashActions(doc))
		}
		in.Must(t, "GET", "/v1/subscriptions/"+id, in.Token, nil, 200, &sub)
		if sub["status"] != "canceled" || sub["ended_at"] == nil || sub["customer_cancellation_reason"] != "unused" {
			t.Fatalf("the API after the dashboard's revoke: %v", sub)
		}
		if status, _ := b.Post(page+"/revoke", url.Values{}); status != http.StatusConflict {
			t.Fatalf("a second revoke: %d", status)
		}

		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "owner@other.example"))
		for _, path := range []string{page + "/cancel", page + "/uncancel", page + "/revoke"} {
			if status, _ := other.Get(path); status != http.StatusNotFound {
				t.Errorf("GET %s of another organization: %d", path, status)
			}
			if status, _ := other.Post(path, url.Values{}); status != http.StatusNotFound {
				t.Errorf("POST %s of another organization: %d", path, status)
			}
		}
	})
}
