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

func TestDashboardTokens(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	b.Get("/dashboard/tokens")
	if status, doc := b.Post("/dashboard/tokens", url.Values{"comment": {""}}); status != http.StatusUnprocessableEntity ||
		doc.ByID("token-error") == nil {
		t.Fatalf("token without a name: %d", status)
	}
	status, doc := b.Post("/dashboard/tokens", url.Values{"comment": {"Reporting"}, "access": {"read"}})
	token := doc.ByID("new-token")
	if status != 200 || token == nil || !strings.HasPrefix(token.Attr["value"], "pl_oat_") {
		t.Fatalf("create token: %d", status)
	}
	if got := b.Last.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("the page showing a token has Cache-Control %q", got)
	}
	plain := token.Attr["value"]
	in.Must(t, "GET", "/v1/orders/", plain, nil, 200, nil)
	in.Must(t, "POST", "/v1/discounts/", plain, map[string]any{}, 403, nil) // read only
	// Shown once: the list does not show it again.
	if _, doc := b.Get("/dashboard/tokens"); doc.ByID("new-token") != nil || strings.Contains(doc.AllText(), plain) {
		t.Fatal("the token is shown again")
	}
	form := doc.Find(func(e *webtest.Elem) bool {
		return e.Tag == "form" && strings.HasSuffix(e.Attr["action"], "/revoke") && strings.Contains(e.AllText(), "Reporting")
	})
	if form == nil {
		t.Fatal("no Revoke button for the new token")
	}
	b.Post(form.Attr["action"], url.Values{})
	in.Must(t, "GET", "/v1/orders/", plain, nil, 401, nil)
}

func TestDashboardPages(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	// A visit of the demo link opens a checkout, listed with its link.
	resp, err := in.Client.Get(in.LinkURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	b := dashSignedIn(t, in, in.SignIn)
	for path, heading := range map[string]string{"/dashboard/discounts": "Discounts", "/dashboard/custom-fields": "Custom fields",
		"/dashboard/checkouts": "Checkouts", "/dashboard/orders": "Orders", "/dashboard/subscriptions": "Subscriptions",
		"/dashboard/customers": "Customers", "/dashboard/tokens": "API tokens", "/dashboard/links": "Checkout Links"} {
		status, doc := b.Get(path)
		if status != 200 || webtest.OnlyOne(t, doc, webtest.IsTag("h1"), "h1").AllText() != heading {
			t.Errorf("GET %s: %d", path, status)
		}
		nav := webtest.OnlyOne(t, doc, webtest.WithAttrs("nav", "aria-label", "Dashboard"), "navigation")
		current := nav.Find(webtest.WithAttrs("a", "aria-current", "page"))
		if current == nil || current.AllText() != heading {
			t.Errorf("GET %s: the navigation does not mark %q as current", path, heading)
		}
	}
	_, doc := b.Get("/dashboard/checkouts")
	row := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "tr" && strings.Contains(e.AllText(), "Demo: homepage") })
	if row == nil || !strings.Contains(row.AllText(), "open") || !strings.Contains(row.AllText(), "Starter Kit") {
		t.Fatal("the demo link's checkout is not listed")
	}
	_, doc = b.Get("/dashboard/discounts")
	if doc.Find(func(e *webtest.Elem) bool { return e.Tag == "code" && e.AllText() == "LAUNCH20" }) == nil {
		t.Fatal("the demo discount code is not listed")
	}
	b.Post("/dashboard/discounts", url.Values{"name": {"Friends"}, "code": {"FRIENDS10"}, "type": {"percentage"},
		"percent": {"12.5"}, "duration": {"once"}})
	if _, doc = b.Get("/dashboard/discounts"); !strings.Contains(doc.AllText(), "12.5% off") {
		t.Fatal("the new discount is not listed as 12.5% off")
	}
	status, doc := b.Post("/dashboard/discounts", url.Values{"name": {"Again"}, "code": {"friends10"}, "type": {"percentage"},
		"percent": {"10"}, "duration": {"once"}})
	if status != http.StatusUnprocessableEntity || doc.ByID("d-code-error") == nil {
		t.Fatalf("a taken code: %d", status)
	}
}
