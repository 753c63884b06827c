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

// dashProductID returns the id of the demo product with the name, from the products page.
func dashProductID(t *testing.T, b *webtest.DashBrowser, name string) string {
	t.Helper()
	_, doc := b.Get("/dashboard/products")
	a := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "a" && e.AllText() == name })
	if a == nil {
		t.Fatalf("no product %q on the products page", name)
	}
	return strings.TrimPrefix(a.Attr["href"], "/dashboard/products/")
}

// dashMetaKeys returns the Key inputs of the metadata editor's rows.
func dashMetaKeys(t *testing.T, doc *webtest.Elem) []*webtest.Elem {
	return webtest.OnlyOne(t, doc, func(e *webtest.Elem) bool { return e.Has("data-meta-rows") }, "metadata rows").All(webtest.WithAttrs("input", "name", "meta_key"))
}

func TestDashboardProducts(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)

	// A rejected form keeps what was typed and says what is wrong, next to the field.
	status, doc := b.Post("/dashboard/products", url.Values{"name": {"E"}, "amount_type": {"fixed"}, "currency": {"usd"}, "amount": {"12.345"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad product: %d", status)
	}
	name := doc.Control("Name")
	if name == nil || name.Attr["value"] != "E" || name.Attr["aria-invalid"] != "true" || doc.ByID("name-error") == nil {
		t.Fatalf("name input after a rejected form: %+v", name)
	}
	if got := doc.ByID("amount-error").AllText(); !strings.Contains(got, "2 decimals") {
		t.Errorf("amount error %q", got)
	}
	// Created: listed with its price.
	b.Post("/dashboard/products", url.Values{"name": {"Field Guide"}, "description": {"Pocket edition"},
		"amount_type": {"fixed"}, "currency": {"eur"}, "amount": {"12.50"}})
	if b.Last.Request.URL.RawQuery != "done=product-created" {
		t.Fatalf("create: ended at %s", b.Last.Request.URL)
	}
	id := dashProductID(t, b, "Field Guide")
	var api struct {
		Name   string `json:"name"`
		Prices []struct {
			AmountType  string `json:"amount_type"`
			PriceAmount int64  `json:"price_amount"`
			Currency    string `json:"price_currency"`
		} `json:"prices"`
		IsArchived bool `json:"is_archived"`
	}
	in.Must(t, "GET", "/v1/products/"+id, in.Token, nil, 200, &api)
	if len(api.Prices) != 1 || api.Prices[0].PriceAmount != 1250 || api.Prices[0].Currency != "eur" {
		t.Fatalf("created product: %+v", api)
	}
	// Edit the price to pay-what-you-want, then archive.
	_, doc = b.Get("/dashboard/products/" + id)
	if doc.Control("Price").Attr["value"] != "12.50" {
		t.Fatalf("edit form price %q", doc.Control("Price").Attr["value"])
	}
	b.Post("/dashboard/products/"+id, url.Values{"name": {"Field Guide"}, "amount_type": {"custom"}, "currency": {"eur"},
		"minimum": {"5"}, "preset": {"15"}})
	if b.Last.Request.URL.RawQuery != "done=product-saved" {
		t.Fatalf("save: ended at %s", b.Last.Request.URL)
	}
	b.Post("/dashboard/products/"+id+"/archive", url.Values{"archived": {"1"}})
	in.Must(t, "GET", "/v1/products/"+id, in.Token, nil, 200, &api)
	if !api.IsArchived || api.Prices[0].AmountType != "custom" {
		t.Fatalf("after edit and archive: %+v", api)
	}
	if _, doc := b.Get("/dashboard/products"); doc.Find(func(e *webtest.Elem) bool { return e.AllText() == "Field Guide" }) != nil {
		t.Error("an archived product is listed by default")
	}
}

func TestDashboardLinkForm(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	starter, pro := dashProductID(t, b, "Starter Kit"), dashProductID(t, b, "Pro Plan")

	_, doc := b.Get("/dashboard/links/new")
	for _, label := range []string{"Label", "Starter Kit", "Allow discount codes", "Preset discount", "Success URL",
		"Return URL", "Active", "Inactive message", "Expiry date", "Max completions"} {
		if doc.Control(label) == nil {
			t.Errorf("the New Link form has no control labelled %q", label)
		}
	}
	keys := dashMetaKeys(t, doc)
	if len(keys) != 3 {
		t.Fatalf("%d empty metadata rows, want 3", len(keys))
	}
	// Without JavaScript, a product's up arrow comes back unsaved with the product moved.
	form := url.Values{"label": {"No-script link"}, "product": {starter, pro}, "order": {starter, pro},
		"meta_key": {"a", "", "b"}, "meta_value": {"1", "", "2"}, "allow_discount_codes": {"1"}, "active": {"1"}}
	form.Set("move", "up:"+pro)
	status, doc := b.Post("/dashboard/links", form)
	rows := doc.All(webtest.WithAttrs("input", "name", "order"))
	if status != 200 || len(rows) < 2 || rows[0].Attr["value"] != pro || rows[1].Attr["value"] != starter {
		t.Fatalf("move up: %d, rows %v", status, rows)
	}
	if doc.Control("Label").Attr["value"] != "No-script link" || !doc.ByID("product-"+pro).Has("checked") {
		t.Fatal("moving a product lost the typed values")
	}
	form.Del("move")
	form["order"] = []string{pro, starter}
	// Without JavaScript, "Add row" comes back with what was typed and one more row.
	form.Set("action", "add_row")
	status, doc = b.Post("/dashboard/links", form)
	keys = dashMetaKeys(t, doc)
	if status != 200 || len(keys) != 3 || keys[0].Attr["value"] != "a" || keys[1].Attr["value"] != "b" || keys[2].Attr["value"] != "" {
		t.Fatalf("add row: %d, %d rows", status, len(keys))
	}
	if doc.Control("Label").Attr["value"] != "No-script link" || !doc.ByID("product-"+pro).Has("checked") {
		t.Fatal("add row lost the typed values")
	}
	// Errors come back next to their fields.
	bad := url.Values{"label": {"Bad"}, "success_url": {"ftp://x"}, "max_completions": {"0"},
		"meta_key": {"k", "k"}, "meta_value": {"1", "2"}}
	status, doc = b.Post("/dashboard/links", bad)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad link: %d", status)
	}
	for _, id := range []string{"products-error", "success_url-error", "max_completions-error"} {
		if doc.ByID(id) == nil {
			t.Errorf("no %s on the rejected form", id)
		}
	}
	if doc.Find(func(e *webtest.Elem) bool {
		return e.Attr["class"] == "field-error" && strings.Contains(e.AllText(), "already used")
	}) == nil {
		t.Error("a metadata key used twice is not reported")
	}
	// Saved: products in the order of their rows.
	form.Del("action")
	b.Post("/dashboard/links", form)
	if b.Last.Request.URL.RawQuery != "done=link-created" {
		t.Fatalf("create link: ended at %s", b.Last.Request.URL)
	}
	var links struct {
		Items []struct {
			ID       string         `json:"id"`
			Label    string         `json:"label"`
			Metadata map[string]any `json:"metadata"`
			Products []struct {
				ID string `json:"id"`
			} `json:"products"`
		} `json:"items"`
	}
	in.Must(t, "GET", "/v1/checkout-links/?limit=100", in.Token, nil, 200, &links)
	var linkID string
	for _, l := range links.Items {
		if l.Label == "No-script link" {
			linkID = l.ID
			if len(l.Products) != 2 || l.Products[0].ID != pro || l.Products[1].ID != starter || l.Metadata["a"] != "1" || l.Metadata["b"] != "2" {
				t.Fatalf("saved link %+v", l)
			}
		}
	}
	if linkID == "" {
		t.Fatal("the link was not saved")
	}
	// Edit: remove a metadata row without JavaScript, then save a new label.
	_, doc = b.Get("/dashboard/links/" + linkID)
	if doc.Control("Label").Attr["value"] != "No-script link" {
		t.Fatal("the edit form does not show the label")
	}
	edit := url.Values{"label": {"Renamed"}, "product": {pro}, "meta_key": {"a", "b"}, "meta_value": {"1", "2"}, "active": {"1"}}
	edit.Set("remove_row", "0")
	_, doc = b.Post("/dashboard/links/"+linkID, edit)
	if keys := dashMetaKeys(t, doc); keys[0].Attr["value"] != "b" {
		t.Fatalf("remove row: first key is %q", keys[0].Attr["value"])
	}
	edit.Del("remove_row")
	edit["meta_key"], edit["meta_value"] = []string{"b"}, []string{"2"}
	b.Post("/dashboard/links/"+linkID, edit)
	var got struct {
		Label    string         `json:"label"`
		Metadata map[string]any `json:"metadata"`
		Active   bool           `json:"active"`
		URL      string         `json:"url"`
	}
	in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 200, &got)
	if got.Label != "Renamed" || len(got.Metadata) != 1 || got.Metadata["b"] != "2" {
		t.Fatalf("after edit: %+v", got)
	}
	// Deactivate, rotate, delete.
	oldURL := got.URL
	b.Post("/dashboard/links/"+linkID+"/active", url.Values{"active": {"0"}})
	b.Post("/dashboard/links/"+linkID+"/rotate", url.Values{})
	in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 200, &got)
	if got.Active || got.URL == oldURL {
		t.Fatalf("after deactivate and rotate: %+v", got)
	}
	b.Post("/dashboard/links/"+linkID+"/delete", url.Values{})
	in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 404, nil)
	if b.Last.Request.URL.RawQuery != "done=link-deleted" {
		t.Fatalf("delete: ended at %s", b.Last.Request.URL)
	}
}

func TestDashboardTenantIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		demo := dashSignedIn(t, in, in.SignIn)
		starter := dashProductID(t, demo, "Starter Kit")
		linkID := demoLinkID(t, in)

		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "owner@other.example"))
		if _, doc := other.Get("/dashboard/links"); doc.Find(webtest.WithAttrs("input", "class", "link-url")) != nil {
			t.Fatal("another organization's links are listed")
		}
		if _, doc := other.Get("/dashboard/products"); strings.Contains(doc.AllText(), "Starter Kit") {
			t.Fatal("another organization's products are listed")
		}
		for _, path := range []string{"/dashboard/links/" + linkID, "/dashboard/products/" + starter} {
			if status, _ := other.Get(path); status != http.StatusNotFound {
				t.Errorf("GET %s of another organization: %d, want 404", path, status)
			}
		}
		for _, path := range []string{"/dashboard/links/" + linkID + "/delete", "/dashboard/links/" + linkID + "/rotate",
			"/dashboard/links/" + linkID + "/active", "/dashboard/products/" + starter + "/archive"} {
			if status, _ := other.Post(path, url.Values{"active": {"0"}, "archived": {"1"}}); status != http.StatusNotFound {
				t.Errorf("POST %s of another organization: %d, want 404", path, status)
			}
		}
		// A link of the other organization can't use the demo's product.
		status, doc := other.Post("/dashboard/links", url.Values{"label": {"Steal"}, "product": {starter}})
		if status != http.StatusUnprocessableEntity || doc.ByID("products-error") == nil {
			t.Errorf("a link with another organization's product: %d", status)
		}
		// Nothing changed for the demo organization.
		var link struct {
			Active bool `json:"active"`
		}
		in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 200, &link)
		if !link.Active {
			t.Fatal("another organization deactivated the demo link")
		}
	})
}

func TestDashboardEscapesUserData(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	b.Get("/dashboard/links/new")
	b.Post("/dashboard/links", url.Values{"label": {evil}, "product": {dashProductID(t, b, "Starter Kit")},
		"meta_key": {"note"}, "meta_value": {evil}})
	if b.Last.Request.URL.RawQuery != "done=link-created" {
		t.Fatalf("create: ended at %s", b.Last.Request.URL)
	}
	_, doc := b.Get("/dashboard/links")
	if n := len(doc.All(webtest.IsTag("script"))); n != 1 { // dashboard.js only
		t.Fatalf("%d script elements on the links page, want 1", n)
	}
	if doc.Find(func(e *webtest.Elem) bool { return e.Tag == "img" && e.Has("onerror") }) != nil {
		t.Fatal("user data became an element")
	}
	if doc.Find(func(e *webtest.Elem) bool { return e.Tag == "h2" && e.AllText() == evil }) == nil {
		t.Fatal("the label is not shown as text")
	}
}
