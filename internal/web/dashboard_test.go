package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// signedIn follows a one-time sign-in URL, sets the password and returns the
// browser, now on the products page.
func dashSignedIn(t *testing.T, in *paylinktest.Instance, signInURL string) *dashBrowser {
	t.Helper()
	b := newDashBrowser(t, in)
	if status, doc := b.get(signInURL); status != 200 || onlyOne(t, doc, isTag("h1"), "h1").text() != "Set your password" {
		t.Fatalf("welcome page: %d", status)
	}
	status, doc := b.post(signInURL, url.Values{"password": {dashPassword}, "confirm": {dashPassword}})
	if status != 200 || !strings.HasSuffix(b.last.Request.URL.Path, "/dashboard/products") {
		t.Fatalf("set password: %d at %s", status, b.last.Request.URL)
	}
	if got := onlyOne(t, doc, isTag("h1"), "h1").text(); got != "Products" {
		t.Fatalf("after setting the password the page is %q", got)
	}
	return b
}

// newUser runs `paylink user create` for another organization and returns its
// one-time sign-in URL.
func dashNewUser(t *testing.T, in *paylinktest.Instance, org, email string) string {
	t.Helper()
	in.NewOrg(t, org)
	var out, errb bytes.Buffer
	err := cli.Run(context.Background(), []string{"user", "create", "--database", in.DatabaseURL, "--org",
		strings.ToLower(strings.ReplaceAll(org, " ", "-")), "--email", email, "--public-url", in.URL},
		func(string) string { return "" }, &out, &errb)
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

func TestDashboardSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)

		// The session cookie: HttpOnly, SameSite=Lax, scoped to the dashboard.
		var session *http.Cookie
		for _, c := range b.last.Request.Response.Cookies() {
			if c.Name == "paylink_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/dashboard" || session.Secure {
			t.Fatalf("session cookie %+v", session)
		}
		// The one-time link is used up.
		if status, _ := newDashBrowser(t, in).get(in.SignIn); status != http.StatusGone {
			t.Fatalf("second use of the sign-in link: %d, want 410", status)
		}
		// A form post without the session's CSRF token is refused.
		if status, _ := b.post("/dashboard/tokens", url.Values{"csrf": {"forged"}, "comment": {"x"}}); status != http.StatusForbidden {
			t.Fatalf("forged CSRF token: %d, want 403", status)
		}
		// Sign out: the dashboard sends the browser to sign in again.
		b.get("/dashboard/products")
		if status, doc := b.post("/dashboard/sign-out", url.Values{}); status != 200 || onlyOne(t, doc, withAttrs("p", "class", "notice"), "notice").text() != "You have signed out." {
			t.Fatalf("sign-out: %d", status)
		}
		if _, doc := b.get("/dashboard/orders"); !strings.HasSuffix(b.last.Request.URL.Path, "/dashboard/sign-in") ||
			onlyOne(t, doc, withAttrs("input", "name", "next"), "next input").Attr["value"] != "/dashboard/orders" {
			t.Fatalf("signed out, /dashboard/orders ended at %s", b.last.Request.URL)
		}
		// Wrong password: 401 and a message; the right one: in.
		status, doc := b.post("/dashboard/sign-in", url.Values{"email": {"demo@example.com"}, "password": {"wrong password!"}})
		if status != http.StatusUnauthorized || !strings.Contains(onlyOne(t, doc, withAttrs("p", "role", "alert"), "alert").text(), "not right") {
			t.Fatalf("wrong password: %d", status)
		}
		if status, _ := b.post("/dashboard/sign-in", url.Values{"email": {"nobody@example.com"}, "password": {dashPassword}}); status != http.StatusUnauthorized {
			t.Fatalf("unknown email: %d", status)
		}
		status, doc = b.post("/dashboard/sign-in", url.Values{"email": {"DEMO@example.com"}, "password": {dashPassword}, "next": {"/dashboard/orders"}})
		if status != 200 || onlyOne(t, doc, isTag("h1"), "h1").text() != "Orders" {
			t.Fatalf("sign-in: %d at %s", status, b.last.Request.URL)
		}
		// The sign-in form itself is CSRF-protected (a cross-site login is refused).
		if status, _ := newDashBrowser(t, in).post("/dashboard/sign-in", url.Values{"csrf": {"x"}, "email": {"demo@example.com"}, "password": {dashPassword}}); status != http.StatusForbidden {
			t.Fatalf("sign-in without the form cookie: %d, want 403", status)
		}
	})
}

func TestDashboardWelcomeRejectsShortPassword(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := newDashBrowser(t, in)
	b.get(in.SignIn)
	status, doc := b.post(in.SignIn, url.Values{"password": {"short"}, "confirm": {"short"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(onlyOne(t, doc, withAttrs("p", "role", "alert"), "alert").text(), "at least 10") {
		t.Fatalf("short password: %d", status)
	}
	if onlyOne(t, doc, withAttrs("input", "id", "password"), "password input").Attr["aria-invalid"] != "true" {
		t.Fatal("the password input is not marked invalid")
	}
	status, doc = b.post(in.SignIn, url.Values{"password": {dashPassword}, "confirm": {dashPassword + "x"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(onlyOne(t, doc, withAttrs("p", "role", "alert"), "alert").text(), "do not match") {
		t.Fatalf("mismatched passwords: %d", status)
	}
	// The link was not used up by the failed attempts.
	dashSignedIn(t, in, in.SignIn)
}

func TestDashboardNeedsSignIn(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	c := in.Client // does not follow redirects
	for _, path := range []string{"/dashboard/products", "/dashboard/links", "/dashboard/links/new", "/dashboard/orders",
		"/dashboard/tokens", "/dashboard/customers"} {
		resp, err := c.Get(in.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dashboard/sign-in") {
			t.Errorf("GET %s signed out: %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, err := c.PostForm(in.URL+"/dashboard/tokens", url.Values{"comment": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST signed out: %d, want a redirect to sign in", resp.StatusCode)
	}
}

// productID returns the id of the demo product with the name, from the products page.
func dashProductID(t *testing.T, b *dashBrowser, name string) string {
	t.Helper()
	_, doc := b.get("/dashboard/products")
	a := doc.find(func(e *elem) bool { return e.Tag == "a" && e.text() == name })
	if a == nil {
		t.Fatalf("no product %q on the products page", name)
	}
	return strings.TrimPrefix(a.Attr["href"], "/dashboard/products/")
}

// dashMetaKeys returns the Key inputs of the metadata editor's rows.
func dashMetaKeys(t *testing.T, doc *elem) []*elem {
	return onlyOne(t, doc, func(e *elem) bool { return e.has("data-meta-rows") }, "metadata rows").all(withAttrs("input", "name", "meta_key"))
}

func TestDashboardProducts(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)

	// A rejected form keeps what was typed and says what is wrong, next to the field.
	status, doc := b.post("/dashboard/products", url.Values{"name": {"E"}, "amount_type": {"fixed"}, "currency": {"usd"}, "amount": {"12.345"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad product: %d", status)
	}
	name := doc.control("Name")
	if name == nil || name.Attr["value"] != "E" || name.Attr["aria-invalid"] != "true" || doc.byID("name-error") == nil {
		t.Fatalf("name input after a rejected form: %+v", name)
	}
	if got := doc.byID("amount-error").text(); !strings.Contains(got, "2 decimals") {
		t.Errorf("amount error %q", got)
	}
	// Created: listed with its price.
	b.post("/dashboard/products", url.Values{"name": {"Field Guide"}, "description": {"Pocket edition"},
		"amount_type": {"fixed"}, "currency": {"eur"}, "amount": {"12.50"}})
	if b.last.Request.URL.RawQuery != "done=product-created" {
		t.Fatalf("create: ended at %s", b.last.Request.URL)
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
	_, doc = b.get("/dashboard/products/" + id)
	if doc.control("Price").Attr["value"] != "12.50" {
		t.Fatalf("edit form price %q", doc.control("Price").Attr["value"])
	}
	b.post("/dashboard/products/"+id, url.Values{"name": {"Field Guide"}, "amount_type": {"custom"}, "currency": {"eur"},
		"minimum": {"5"}, "preset": {"15"}})
	if b.last.Request.URL.RawQuery != "done=product-saved" {
		t.Fatalf("save: ended at %s", b.last.Request.URL)
	}
	b.post("/dashboard/products/"+id+"/archive", url.Values{"archived": {"1"}})
	in.Must(t, "GET", "/v1/products/"+id, in.Token, nil, 200, &api)
	if !api.IsArchived || api.Prices[0].AmountType != "custom" {
		t.Fatalf("after edit and archive: %+v", api)
	}
	if _, doc := b.get("/dashboard/products"); doc.find(func(e *elem) bool { return e.text() == "Field Guide" }) != nil {
		t.Error("an archived product is listed by default")
	}
}

func TestDashboardLinkForm(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	starter, pro := dashProductID(t, b, "Starter Kit"), dashProductID(t, b, "Pro Plan")

	_, doc := b.get("/dashboard/links/new")
	for _, label := range []string{"Label", "Starter Kit", "Allow discount codes", "Preset discount", "Success URL",
		"Return URL", "Active", "Inactive message", "Expiry date", "Max completions"} {
		if doc.control(label) == nil {
			t.Errorf("the New Link form has no control labelled %q", label)
		}
	}
	keys := dashMetaKeys(t, doc)
	if len(keys) != 3 {
		t.Fatalf("%d empty metadata rows, want 3", len(keys))
	}
	// Without JavaScript, "Add row" comes back with what was typed and one more row.
	form := url.Values{"label": {"No-script link"}, "product": {starter, pro}, "position-" + starter: {"2"}, "position-" + pro: {"1"},
		"meta_key": {"a", "", "b"}, "meta_value": {"1", "", "2"}, "allow_discount_codes": {"1"}, "active": {"1"}}
	form.Set("action", "add_row")
	status, doc := b.post("/dashboard/links", form)
	keys = dashMetaKeys(t, doc)
	if status != 200 || len(keys) != 3 || keys[0].Attr["value"] != "a" || keys[1].Attr["value"] != "b" || keys[2].Attr["value"] != "" {
		t.Fatalf("add row: %d, %d rows", status, len(keys))
	}
	if doc.control("Label").Attr["value"] != "No-script link" || !doc.byID("product-"+pro).has("checked") {
		t.Fatal("add row lost the typed values")
	}
	// Errors come back next to their fields.
	bad := url.Values{"label": {"Bad"}, "success_url": {"ftp://x"}, "max_completions": {"0"},
		"meta_key": {"k", "k"}, "meta_value": {"1", "2"}}
	status, doc = b.post("/dashboard/links", bad)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad link: %d", status)
	}
	for _, id := range []string{"products-error", "success_url-error", "max_completions-error"} {
		if doc.byID(id) == nil {
			t.Errorf("no %s on the rejected form", id)
		}
	}
	if doc.find(func(e *elem) bool {
		return e.Attr["class"] == "field-error" && strings.Contains(e.text(), "already used")
	}) == nil {
		t.Error("a metadata key used twice is not reported")
	}
	// Saved: products in the order of their numbers.
	form.Del("action")
	b.post("/dashboard/links", form)
	if b.last.Request.URL.RawQuery != "done=link-created" {
		t.Fatalf("create link: ended at %s", b.last.Request.URL)
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
	_, doc = b.get("/dashboard/links/" + linkID)
	if doc.control("Label").Attr["value"] != "No-script link" {
		t.Fatal("the edit form does not show the label")
	}
	edit := url.Values{"label": {"Renamed"}, "product": {pro}, "meta_key": {"a", "b"}, "meta_value": {"1", "2"}, "active": {"1"}}
	edit.Set("remove_row", "0")
	_, doc = b.post("/dashboard/links/"+linkID, edit)
	if keys := dashMetaKeys(t, doc); keys[0].Attr["value"] != "b" {
		t.Fatalf("remove row: first key is %q", keys[0].Attr["value"])
	}
	edit.Del("remove_row")
	edit["meta_key"], edit["meta_value"] = []string{"b"}, []string{"2"}
	b.post("/dashboard/links/"+linkID, edit)
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
	b.post("/dashboard/links/"+linkID+"/active", url.Values{"active": {"0"}})
	b.post("/dashboard/links/"+linkID+"/rotate", url.Values{})
	in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 200, &got)
	if got.Active || got.URL == oldURL {
		t.Fatalf("after deactivate and rotate: %+v", got)
	}
	b.post("/dashboard/links/"+linkID+"/delete", url.Values{})
	in.Must(t, "GET", "/v1/checkout-links/"+linkID, in.Token, nil, 404, nil)
	if b.last.Request.URL.RawQuery != "done=link-deleted" {
		t.Fatalf("delete: ended at %s", b.last.Request.URL)
	}
}

func TestDashboardTenantIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		demo := dashSignedIn(t, in, in.SignIn)
		starter := dashProductID(t, demo, "Starter Kit")
		var links struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		in.Must(t, "GET", "/v1/checkout-links/", in.Token, nil, 200, &links)
		linkID := links.Items[0].ID

		other := dashSignedIn(t, in, dashNewUser(t, in, "Other Shop", "owner@other.example"))
		if _, doc := other.get("/dashboard/links"); doc.find(withAttrs("input", "class", "link-url")) != nil {
			t.Fatal("another organization's links are listed")
		}
		if _, doc := other.get("/dashboard/products"); strings.Contains(doc.text(), "Starter Kit") {
			t.Fatal("another organization's products are listed")
		}
		for _, path := range []string{"/dashboard/links/" + linkID, "/dashboard/products/" + starter} {
			if status, _ := other.get(path); status != http.StatusNotFound {
				t.Errorf("GET %s of another organization: %d, want 404", path, status)
			}
		}
		for _, path := range []string{"/dashboard/links/" + linkID + "/delete", "/dashboard/links/" + linkID + "/rotate",
			"/dashboard/links/" + linkID + "/active", "/dashboard/products/" + starter + "/archive"} {
			if status, _ := other.post(path, url.Values{"active": {"0"}, "archived": {"1"}}); status != http.StatusNotFound {
				t.Errorf("POST %s of another organization: %d, want 404", path, status)
			}
		}
		// A link of the other organization can't use the demo's product.
		status, doc := other.post("/dashboard/links", url.Values{"label": {"Steal"}, "product": {starter}})
		if status != http.StatusUnprocessableEntity || doc.byID("products-error") == nil {
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
	b.get("/dashboard/links/new")
	b.post("/dashboard/links", url.Values{"label": {evil}, "product": {dashProductID(t, b, "Starter Kit")},
		"meta_key": {"note"}, "meta_value": {evil}})
	if b.last.Request.URL.RawQuery != "done=link-created" {
		t.Fatalf("create: ended at %s", b.last.Request.URL)
	}
	_, doc := b.get("/dashboard/links")
	if n := len(doc.all(isTag("script"))); n != 1 { // dashboard.js only
		t.Fatalf("%d script elements on the links page, want 1", n)
	}
	if doc.find(func(e *elem) bool { return e.Tag == "img" && e.has("onerror") }) != nil {
		t.Fatal("user data became an element")
	}
	if doc.find(func(e *elem) bool { return e.Tag == "h2" && e.text() == evil }) == nil {
		t.Fatal("the label is not shown as text")
	}
}

func TestDashboardTokens(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)
	b.get("/dashboard/tokens")
	if status, doc := b.post("/dashboard/tokens", url.Values{"comment": {""}}); status != http.StatusUnprocessableEntity ||
		doc.byID("token-error") == nil {
		t.Fatalf("token without a name: %d", status)
	}
	status, doc := b.post("/dashboard/tokens", url.Values{"comment": {"Reporting"}, "access": {"read"}})
	token := doc.byID("new-token")
	if status != 200 || token == nil || !strings.HasPrefix(token.Attr["value"], "pl_oat_") {
		t.Fatalf("create token: %d", status)
	}
	if got := b.last.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("the page showing a token has Cache-Control %q", got)
	}
	plain := token.Attr["value"]
	in.Must(t, "GET", "/v1/orders/", plain, nil, 200, nil)
	in.Must(t, "POST", "/v1/discounts/", plain, map[string]any{}, 403, nil) // read only
	// Shown once: the list does not show it again.
	if _, doc := b.get("/dashboard/tokens"); doc.byID("new-token") != nil || strings.Contains(doc.text(), plain) {
		t.Fatal("the token is shown again")
	}
	form := doc.find(func(e *elem) bool {
		return e.Tag == "form" && strings.HasSuffix(e.Attr["action"], "/revoke") && strings.Contains(e.text(), "Reporting")
	})
	if form == nil {
		t.Fatal("no Revoke button for the new token")
	}
	b.post(form.Attr["action"], url.Values{})
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
		status, doc := b.get(path)
		if status != 200 || onlyOne(t, doc, isTag("h1"), "h1").text() != heading {
			t.Errorf("GET %s: %d", path, status)
		}
		nav := onlyOne(t, doc, withAttrs("nav", "aria-label", "Dashboard"), "navigation")
		current := nav.find(withAttrs("a", "aria-current", "page"))
		if current == nil || current.text() != heading {
			t.Errorf("GET %s: the navigation does not mark %q as current", path, heading)
		}
	}
	_, doc := b.get("/dashboard/checkouts")
	row := doc.find(func(e *elem) bool { return e.Tag == "tr" && strings.Contains(e.text(), "Demo: homepage") })
	if row == nil || !strings.Contains(row.text(), "open") || !strings.Contains(row.text(), "Starter Kit") {
		t.Fatal("the demo link's checkout is not listed")
	}
	_, doc = b.get("/dashboard/discounts")
	if doc.find(func(e *elem) bool { return e.Tag == "code" && e.text() == "LAUNCH20" }) == nil {
		t.Fatal("the demo discount code is not listed")
	}
	b.post("/dashboard/discounts", url.Values{"name": {"Friends"}, "code": {"FRIENDS10"}, "type": {"percentage"},
		"percent": {"12.5"}, "duration": {"once"}})
	if _, doc = b.get("/dashboard/discounts"); !strings.Contains(doc.text(), "12.5% off") {
		t.Fatal("the new discount is not listed as 12.5% off")
	}
	status, doc := b.post("/dashboard/discounts", url.Values{"name": {"Again"}, "code": {"friends10"}, "type": {"percentage"},
		"percent": {"10"}, "duration": {"once"}})
	if status != http.StatusUnprocessableEntity || doc.byID("d-code-error") == nil {
		t.Fatalf("a taken code: %d", status)
	}
}
