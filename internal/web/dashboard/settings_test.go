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

// dashSettingsForm is a valid Settings form with a shop name that is markup.
func dashSettingsForm() url.Values {
	return url.Values{"name": {"Ann's <b>Shop</b>"}, "email": {"help@example.com"},
		"terms_url": {"https://example.com/terms"}, "privacy_url": {"https://example.com/privacy?a=1&b=2"}}
}

func TestDashboardSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		status, doc := b.Get("/dashboard/settings")
		if status != 200 || doc.Control("Shop name").Attr["value"] != "Demo Store" || doc.Control("Support email (optional)") == nil {
			t.Fatalf("settings page: %d", status)
		}
		nav := webtest.OnlyOne(t, doc, webtest.WithAttrs("nav", "aria-label", "Dashboard"), "navigation")
		if current := nav.Find(webtest.WithAttrs("a", "aria-current", "page")); current == nil || current.AllText() != "Settings" {
			t.Error("the navigation does not mark Settings as current")
		}
		// Bad values: each error at its field, what was typed kept, nothing saved.
		status, doc = b.Post("/dashboard/settings", url.Values{"name": {" "}, "email": {"help@"},
			"terms_url": {"javascript:alert(1)"}, "privacy_url": {"example.com/privacy"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad settings: %d", status)
		}
		for _, id := range []string{"name", "email", "terms_url", "privacy_url"} {
			if doc.ByID(id).Attr["aria-invalid"] != "true" || doc.ByID(id+"-error") == nil {
				t.Errorf("no error at %s", id)
			}
		}
		if doc.ByID("terms_url").Attr["value"] != "javascript:alert(1)" {
			t.Error("the rejected form lost what was typed")
		}
		// A form without the session's token is refused.
		forged := dashSettingsForm()
		forged.Set("csrf", "forged")
		if status, _ := b.Post("/dashboard/settings", forged); status != http.StatusForbidden {
			t.Fatalf("forged CSRF token: %d", status)
		}
		var org struct {
			Name  string  `json:"name"`
			Email *string `json:"email"`
		}
		in.Must(t, "GET", "/v1/organizations/"+in.OrgID, in.Token, nil, 200, &org)
		if org.Name != "Demo Store" || org.Email != nil {
			t.Fatalf("a refused form changed the organization: %+v", org)
		}

		b.Post("/dashboard/settings", dashSettingsForm())
		if b.Last.Request.URL.RawQuery != "done=settings-saved" {
			t.Fatalf("save: ended at %s", b.Last.Request.URL)
		}
		in.Must(t, "GET", "/v1/organizations/"+in.OrgID, in.Token, nil, 200, &org)
		if org.Name != "Ann's <b>Shop</b>" || org.Email == nil || *org.Email != "help@example.com" {
			t.Fatalf("the API after a save: %+v", org)
		}

		// The checkout page: the name at the top (as text), the footer's links.
		shopper := webtest.NewShopper(t, in)
		page := shopper.Visit(in.LinkURL + "?customer_email=ann@example.com")
		if got := page.Find(webtest.WithAttrs("span", "class", "shop-name")).AllText(); got != "Ann's <b>Shop</b>" {
			t.Errorf("shop name on the checkout page %q", got)
		}
		if page.Find(webtest.IsTag("b")) != nil {
			t.Error("the shop name became markup")
		}
		foot := webtest.OnlyOne(t, page, webtest.IsTag("footer"), "footer")
		for href, text := range map[string]string{"mailto:help@example.com": "help@example.com",
			"https://example.com/terms": "Terms", "https://example.com/privacy?a=1&b=2": "Privacy"} {
			if a := foot.Find(webtest.WithAttrs("a", "href", href)); a == nil || a.AllText() != text {
				t.Errorf("the footer has no link %q to %s", text, href)
			}
		}
		// The success page's footer says where to write, too.
		if resp, _, _ := shopper.Pay("4242 4242 4242 4242", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("pay: %d", resp.StatusCode)
		}
		_, body := shopper.Do("GET", in.URL+"/checkout/"+shopper.Secret+"/success", nil, nil)
		foot = webtest.OnlyOne(t, webtest.ParsePage(t, body), webtest.IsTag("footer"), "footer on the success page")
		if foot.Find(webtest.WithAttrs("a", "href", "mailto:help@example.com")) == nil {
			t.Error("the success page's footer has no support email")
		}
	})
}

// The sites that may embed the checkout are a setting: saved normalized with the
// rest, a bad one refused at its field with nothing saved.
func TestDashboardSettingsEmbedHosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		if _, doc := b.Get("/dashboard/settings"); doc.Control("Sites that may embed the checkout (optional)") == nil {
			t.Fatal("no embed hosts field")
		}
		api := in.API(in.Token)
		form := dashSettingsForm()
		form.Set("embed_hosts", "https://Shop.example/, http://127.0.0.1:5000")
		b.Post("/dashboard/settings", form)
		if b.Last.Request.URL.RawQuery != "done=settings-saved" {
			t.Fatalf("save: ended at %s", b.Last.Request.URL)
		}
		org := ok(api.Organizations(t.Context(), nil))(t).Items[0]
		if strings.Join(org.EmbedHosts, " ") != "https://shop.example http://127.0.0.1:5000" {
			t.Fatalf("embed hosts after the save: %v", org.EmbedHosts)
		}
		if _, doc := b.Get("/dashboard/settings"); doc.ByID("embed_hosts").Attr["value"] != "https://shop.example http://127.0.0.1:5000" {
			t.Fatalf("the form shows %q", doc.ByID("embed_hosts").Attr["value"])
		}
		form.Set("name", "Renamed")
		form.Set("embed_hosts", "https://ok.example https://shop.example/checkout *")
		status, doc := b.Post("/dashboard/settings", form)
		if status != http.StatusUnprocessableEntity || doc.ByID("embed_hosts").Attr["aria-invalid"] != "true" || doc.ByID("embed_hosts-error") == nil {
			t.Fatalf("bad embed hosts: %d", status)
		}
		if org := ok(api.Organizations(t.Context(), nil))(t).Items[0]; org.Name == "Renamed" || len(org.EmbedHosts) != 2 {
			t.Fatalf("a refused form saved something: %q %v", org.Name, org.EmbedHosts)
		}
	})
}

func ok[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
