package dashboard_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// formValues is what a browser would post for the form with the action, as the
// page shows it: inputs, checked boxes, text areas and selected options.
func formValues(t *testing.T, doc *webtest.Elem, action string) url.Values {
	t.Helper()
	form := webtest.OnlyOne(t, doc, webtest.WithAttrs("form", "action", action), "form "+action)
	v := url.Values{}
	for _, e := range form.All(func(e *webtest.Elem) bool { return e.Attr["name"] != "" }) {
		name := e.Attr["name"]
		switch {
		case e.Tag == "input" && (e.Attr["type"] == "checkbox" || e.Attr["type"] == "radio"):
			if e.Has("checked") {
				v.Add(name, e.Attr["value"])
			}
		case e.Tag == "input":
			v.Add(name, e.Attr["value"])
		case e.Tag == "textarea":
			v.Add(name, e.AllText())
		case e.Tag == "select":
			v.Add(name, e.Selected())
		}
	}
	return v
}

// rowIDs returns the values of the hidden inputs named name, in page order.
func rowIDs(doc *webtest.Elem, name string) []string {
	var ids []string
	for _, e := range doc.All(webtest.WithAttrs("input", "name", name)) {
		ids = append(ids, e.Attr["value"])
	}
	return ids
}

type apiField struct {
	ID         string         `json:"id"`
	Slug       string         `json:"slug"`
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
}

func fieldBySlug(t *testing.T, in *paylinktest.Instance, slug string) *apiField {
	t.Helper()
	var list struct{ Items []apiField }
	in.Must(t, "GET", "/v1/custom-fields/?limit=100", in.Token, nil, 200, &list)
	for i := range list.Items {
		if list.Items[i].Slug == slug {
			return &list.Items[i]
		}
	}
	return nil
}

func TestDashboardCustomFields(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	b := dashSignedIn(t, in, in.SignIn)

	_, doc := b.Get("/dashboard/custom-fields/new")
	for _, label := range []string{"Type", "Name", "Slug", "Label", "Help text", "Minimum length", "Options", "Earliest date"} {
		if doc.Control(label) == nil {
			t.Errorf("the new field form has no control labelled %q", label)
		}
	}
	// Errors come back at their fields, an option's with its line.
	status, doc := b.Post("/dashboard/custom-fields", url.Values{"type": {"select"}, "name": {"Size"}, "slug": {"Bad slug"},
		"options": {"s = Small\nm =\n"}})
	if status != http.StatusUnprocessableEntity || doc.ByID("slug-error") == nil ||
		!strings.Contains(doc.ByID("options-error").AllText(), "Line 2") {
		t.Fatalf("bad field: %d", status)
	}
	if doc.Control("Name").Attr["value"] != "Size" {
		t.Fatal("the rejected form lost the name")
	}
	status, doc = b.Post("/dashboard/custom-fields", url.Values{"type": {"number"}, "name": {"Seats"}, "slug": {"seats"}, "ge": {"ten"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(doc.ByID("ge-error").AllText(), "whole number") {
		t.Fatalf("a bound that is not a number: %d", status)
	}
	// Created: a text field and a choice list.
	b.Post("/dashboard/custom-fields", url.Values{"type": {"text"}, "name": {"Company"}, "slug": {"company-name"}, "min_length": {"2"}})
	if b.Last.Request.URL.RawQuery != "done=field-created" {
		t.Fatalf("create: ended at %s", b.Last.Request.URL)
	}
	b.Post("/dashboard/custom-fields", url.Values{"type": {"select"}, "name": {"Size"}, "slug": {"tshirt-size"}, "options": {"s = Small\nM\n"}})
	company, size := fieldBySlug(t, in, "company-name"), fieldBySlug(t, in, "tshirt-size")
	if company == nil || company.Properties["min_length"] != float64(2) || size == nil {
		t.Fatalf("created fields: %+v %+v", company, size)
	}
	if opts, _ := size.Properties["options"].([]any); len(opts) != 2 || opts[0].(map[string]any)["value"] != "s" ||
		opts[0].(map[string]any)["label"] != "Small" || opts[1].(map[string]any)["value"] != "M" {
		t.Fatalf("options %v", size.Properties["options"])
	}
	// Edited; a save from a form opened before an API change is refused.
	edit := "/dashboard/custom-fields/" + company.ID
	_, doc = b.Get(edit)
	if doc.Control("Name").Attr["value"] != "Company" || doc.Control("Minimum length").Attr["value"] != "2" {
		t.Fatal("the edit form does not show the field")
	}
	form := formValues(t, doc, edit)
	form.Set("name", "Company name")
	b.Post(edit, form)
	if b.Last.Request.URL.RawQuery != "done=field-saved" || fieldBySlug(t, in, "company-name").Name != "Company name" {
		t.Fatalf("save: ended at %s", b.Last.Request.URL)
	}
	_, doc = b.Get(edit)
	stale := formValues(t, doc, edit)
	in.Must(t, "PATCH", "/v1/custom-fields/"+company.ID, in.Token, map[string]any{"type": "text", "name": "From the API"}, 200, nil)
	stale.Set("name", "From the dashboard")
	if status, doc := b.Post(edit, stale); status != http.StatusConflict || doc.ByID("form-stale") == nil ||
		fieldBySlug(t, in, "company-name").Name != "From the API" {
		t.Fatalf("stale save: %d", status)
	}

	// Attached to a product, in an order set with the arrows, one required.
	product := dashProductID(t, b, "Starter Kit")
	productEdit := "/dashboard/products/" + product
	_, doc = b.Get(productEdit)
	before := func(rows []string, a, b string) bool {
		return slices.Index(rows, a) >= 0 && slices.Index(rows, a) < slices.Index(rows, b)
	}
	if got := rowIDs(doc, "field_order"); !before(got, company.ID, size.ID) {
		t.Fatalf("field rows %v", got)
	}
	form = formValues(t, doc, productEdit)
	form["field"] = []string{company.ID, size.ID}
	form.Set("required-"+company.ID, "1")
	form.Set("move", "up:"+size.ID)
	status, doc = b.Post(productEdit, form)
	if got := rowIDs(doc, "field_order"); status != 200 || !before(got, size.ID, company.ID) {
		t.Fatalf("move up: %d, rows %v", status, got)
	}
	if !doc.ByID("field-"+size.ID).Has("checked") || !doc.ByID("required-"+company.ID).Has("checked") {
		t.Fatal("moving a field lost what was ticked")
	}
	b.Post(productEdit, formValues(t, doc, productEdit))
	if b.Last.Request.URL.RawQuery != "done=product-saved" {
		t.Fatalf("save product: ended at %s", b.Last.Request.URL)
	}
	var prod struct {
		Attached []struct {
			ID       string `json:"custom_field_id"`
			Required bool   `json:"required"`
			Order    int    `json:"order"`
		} `json:"attached_custom_fields"`
	}
	in.Must(t, "GET", "/v1/products/"+product, in.Token, nil, 200, &prod)
	if a := prod.Attached; len(a) != 2 || a[0].ID != size.ID || a[0].Required || a[1].ID != company.ID || !a[1].Required {
		t.Fatalf("attached %+v", a)
	}
	// Deleted: gone from the list and from the product.
	b.Post(edit+"/delete", url.Values{})
	if b.Last.Request.URL.RawQuery != "done=field-deleted" || fieldBySlug(t, in, "company-name") != nil {
		t.Fatalf("delete: ended at %s", b.Last.Request.URL)
	}
	in.Must(t, "GET", "/v1/products/"+product, in.Token, nil, 200, &prod)
	if len(prod.Attached) != 1 || prod.Attached[0].ID != size.ID {
		t.Fatalf("after delete attached %+v", prod.Attached)
	}
}

func TestDashboardDiscountEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		b := dashSignedIn(t, in, in.SignIn)
		starter, pro := dashProductID(t, b, "Starter Kit"), dashProductID(t, b, "Pro Plan")
		// Created restricted to one product.
		b.Post("/dashboard/discounts", url.Values{"name": {"Kit only"}, "code": {"KIT5"}, "type": {"fixed"}, "amount": {"5"},
			"currency": {"usd"}, "duration": {"once"}, "product": {starter}})
		if b.Last.Request.URL.RawQuery != "done=discount-created" {
			t.Fatalf("create: ended at %s", b.Last.Request.URL)
		}
		type apiDiscount struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Code     *string
			Amount   int64 `json:"amount"`
			Products []struct {
				ID string `json:"id"`
			} `json:"products"`
			MaxRedemptions *int `json:"max_redemptions"`
		}
		var list struct{ Items []apiDiscount }
		in.Must(t, "GET", "/v1/discounts/?limit=100", in.Token, nil, 200, &list)
		var d *apiDiscount
		for i := range list.Items {
			if list.Items[i].Name == "Kit only" {
				d = &list.Items[i]
			}
		}
		if d == nil || d.Amount != 500 || len(d.Products) != 1 || d.Products[0].ID != starter {
			t.Fatalf("created discount %+v", d)
		}
		// Edited: renamed, restricted to the other product, capped, code cleared.
		edit := "/dashboard/discounts/" + d.ID
		_, doc := b.Get(edit)
		if doc.Control("Amount off").Attr["value"] != "5.00" || !doc.ByID("product-"+starter).Has("checked") {
			t.Fatal("the edit form does not show the discount")
		}
		form := formValues(t, doc, edit)
		form.Set("name", "Plan only")
		form.Set("code", "")
		form.Set("max_redemptions", "10")
		form["product"] = []string{pro}
		b.Post(edit, form)
		if b.Last.Request.URL.RawQuery != "done=discount-saved" {
			t.Fatalf("save: ended at %s", b.Last.Request.URL)
		}
		var got apiDiscount
		in.Must(t, "GET", "/v1/discounts/"+d.ID, in.Token, nil, 200, &got)
		if got.Name != "Plan only" || got.Code != nil || got.MaxRedemptions == nil || *got.MaxRedemptions != 10 ||
			len(got.Products) != 1 || got.Products[0].ID != pro {
			t.Fatalf("after edit %+v", got)
		}
		// A bad value comes back at its field; a stale form is refused.
		_, doc = b.Get(edit)
		form = formValues(t, doc, edit)
		bad := formValues(t, doc, edit)
		bad.Set("amount", "five")
		if status, doc := b.Post(edit, bad); status != http.StatusUnprocessableEntity || doc.ByID("d-amount-error") == nil {
			t.Fatalf("bad amount: %d", status)
		}
		in.Must(t, "PATCH", "/v1/discounts/"+d.ID, in.Token, map[string]any{"name": "From the API"}, 200, nil)
		form.Set("name", "From the dashboard")
		if status, doc := b.Post(edit, form); status != http.StatusConflict || doc.ByID("form-stale") == nil {
			t.Fatalf("stale save: %d", status)
		}
		in.Must(t, "GET", "/v1/discounts/"+d.ID, in.Token, nil, 200, &got)
		if got.Name != "From the API" {
			t.Fatalf("the stale save overwrote the API's change: %q", got.Name)
		}
	})
}
