package checkoutpage_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// TestCheckoutPageRenders checks the page a customer meets, on the parsed
// document: every control labelled as people and screen readers expect, the
// link's prefill in place, the sandbox's test banner, and no inline code.
func TestCheckoutPageRenders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		in := paylinktest.Start(t, dbURL, nil)
		s := webtest.NewShopper(t, in)
		q := url.Values{"customer_email": {"ada@example.com"}, "custom_field_data.company": {"Acme"}, "utm_source": {"news"}}
		doc := s.Visit(in.LinkURL + "?" + q.Encode())

		if got := doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "shop-name" }); got == nil || got.AllText() != "Demo Store" {
			t.Errorf("the organization's name is not shown")
		}
		for i, name := range []string{"Starter Kit", "Pro Plan", "Tip Jar"} {
			c := doc.Control(name)
			if c == nil || c.Attr["type"] != "radio" || c.Attr["name"] != "product_id" {
				t.Fatalf("no radio labelled %q", name)
			}
			if c.Has("checked") != (i == 0) {
				t.Errorf("%s checked=%v", name, c.Has("checked"))
			}
			if !strings.Contains(c.Attr["aria-describedby"], c.Attr["id"]+"-price") {
				t.Errorf("%s: the price does not describe the radio", name)
			}
		}
		if got := doc.ByID("product-1-price").AllText(); got != "$9.00 / month" {
			t.Errorf("Pro Plan price %q, want $9.00 / month", got)
		}
		if got := doc.ByID("product-2-price").AllText(); got != "Pay what you want, from $2.00" {
			t.Errorf("Tip Jar price %q", got)
		}
		wantValue := map[string]string{"Email": "ada@example.com", "Company": "Acme", "Name": "", "Discount code": "",
			"Card number": "", "Expiry": "", "CVC": ""}
		for label, want := range wantValue {
			c := doc.Control(label)
			if c == nil {
				t.Errorf("no control labelled %q", label)
				continue
			}
			if c.Attr["value"] != want {
				t.Errorf("%s = %q, want %q", label, c.Attr["value"], want)
			}
		}
		if c := doc.Control("Email"); c.Attr["type"] != "email" || c.Attr["autocomplete"] != "email" || !c.Has("required") {
			t.Errorf("Email input %v", c.Attr)
		}
		country := doc.Control("Billing country")
		if country == nil || country.Tag != "select" || country.Find(func(e *webtest.Elem) bool { return e.Attr["value"] == "US" }) == nil {
			t.Errorf("Billing country is not a select of countries")
		}
		if doc.Control("Amount") != nil {
			t.Errorf("an Amount field for a fixed price")
		}
		banner := doc.Find(func(e *webtest.Elem) bool { return e.Attr["class"] == "testmode" })
		cards := doc.ByID("test-cards")
		if banner == nil || !strings.Contains(banner.AllText(), "Test mode") || cards == nil ||
			!strings.Contains(cards.AllText(), "4242 4242 4242 4242") || !strings.Contains(cards.AllText(), "4000 0000 0000 0002") {
			t.Errorf("the sandbox's test-mode banner and test cards are missing")
		}
		if pay := doc.ByID("pay"); pay == nil || pay.AllText() != "Pay $29.00" || pay.Attr["value"] != "pay" {
			t.Errorf("pay button %+v", pay)
		}
		if got := doc.ByID("total").AllText(); got != "$29.00" {
			t.Errorf("summary total %q", got)
		}
		for _, e := range doc.All(func(e *webtest.Elem) bool { return true }) {
			if e.Tag == "style" || e.Has("style") || e.Tag == "script" && e.Attr["src"] == "" {
				t.Errorf("inline style or script: <%s %v>", e.Tag, e.Attr)
			}
			if strings.HasPrefix(e.Attr["src"], "http") || strings.HasPrefix(e.Attr["href"], "http") && e.Tag == "link" {
				t.Errorf("external asset: <%s %v>", e.Tag, e.Attr)
			}
			if e.Tag == "input" && e.Attr["type"] != "hidden" && e.Attr["type"] != "radio" && e.Attr["type"] != "checkbox" {
				if doc.Find(func(l *webtest.Elem) bool { return l.Tag == "label" && l.Attr["for"] == e.Attr["id"] }) == nil {
					t.Errorf("input %s has no label", e.Attr["name"])
				}
			}
		}
		resp, _ := s.Do("GET", in.URL+"/checkout/"+s.Secret, nil, nil)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("CSP %q", csp)
		}
	})
}

// TestCheckoutCustomFieldTypes renders each custom field type with its label,
// its control and its required mark, and enforces required fields on pay.
func TestCheckoutCustomFieldTypes(t *testing.T) {
	in := paylinktest.Start(t, storetest.SQLiteURL(t), nil)
	ids := map[string]string{}
	for _, f := range []map[string]any{
		{"type": "text", "slug": "notes", "name": "Notes", "properties": map[string]any{"textarea": true, "max_length": 200}},
		{"type": "number", "slug": "seats", "name": "Seats", "properties": map[string]any{"ge": 1, "le": 50}},
		{"type": "date", "slug": "start", "name": "Start date", "properties": map[string]any{}},
		{"type": "checkbox", "slug": "terms", "name": "I accept the terms", "properties": map[string]any{}},
		{"type": "select", "slug": "level", "name": "Level", "properties": map[string]any{"options": []map[string]string{
			{"value": "beginner", "label": "Beginner"}, {"value": "expert", "label": "Expert"}}}},
	} {
		var out struct{ ID string }
		in.Must(t, "POST", "/v1/custom-fields/", in.Token, f, 201, &out)
		ids[f["slug"].(string)] = out.ID
	}
	var product struct{ ID string }
	in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{
		"name": "Workshop", "prices": []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 4000}},
		"attached_custom_fields": []map[string]any{
			{"custom_field_id": ids["notes"], "required": false}, {"custom_field_id": ids["seats"], "required": true},
			{"custom_field_id": ids["start"], "required": false}, {"custom_field_id": ids["terms"], "required": true},
			{"custom_field_id": ids["level"], "required": true}},
	}, 201, &product)
	s := webtest.NewShopper(t, in)
	doc := s.Visit(webtest.CreateLink(t, in, product.ID, "") + "?customer_email=w@example.com&custom_field_data.level=expert")

	want := []struct{ label, tag, typ string }{
		{"Notes", "textarea", ""}, {"Seats", "input", "number"}, {"Start date", "input", "date"},
		{"I accept the terms", "input", "checkbox"}, {"Level", "select", ""},
	}
	for _, w := range want {
		c := doc.Control(w.label)
		if c == nil || c.Tag != w.tag || c.Attr["type"] != w.typ {
			t.Errorf("%s: control %+v, want <%s type=%q>", w.label, c, w.tag, w.typ)
		}
	}
	if c := doc.Control("Seats"); c.Attr["min"] != "1" || c.Attr["max"] != "50" || !c.Has("required") {
		t.Errorf("Seats attributes %v", c.Attr)
	}
	if doc.Control("Notes").Has("required") || !doc.Control("I accept the terms").Has("required") {
		t.Errorf("required attributes do not follow the product's settings")
	}
	if l := doc.Find(func(e *webtest.Elem) bool { return e.Tag == "label" && e.Attr["for"] == "cf-seats" }); !strings.Contains(l.AllText(), "*") {
		t.Errorf("Seats label %q has no required mark", l.AllText())
	}
	if got := doc.Control("Level").Selected(); got != "expert" {
		t.Errorf("Level = %q, want expert from the link", got)
	}
	if doc.Control("Discount code") == nil {
		t.Errorf("links allow discount codes by default")
	}

	resp, doc, _ := s.Pay("4242 4242 4242 4242", url.Values{"custom_field_data.seats": {"80"}})
	if resp.StatusCode != 422 {
		t.Fatalf("pay with seats=80 and terms unchecked: %d", resp.StatusCode)
	}
	if e := doc.ByID("cf-seats-error"); e == nil || !strings.Contains(e.AllText(), "Seats must be at most 50") {
		t.Errorf("Seats error %v", e)
	}
	if e := doc.ByID("cf-terms-error"); e == nil || doc.Control("I accept the terms").Attr["aria-invalid"] != "true" {
		t.Errorf("the unchecked required box has no error")
	}
	if v := doc.Control("Seats").Attr["value"]; v != "80" {
		t.Errorf("Seats shows %q, want what the customer typed", v)
	}
	resp, _, _ = s.Pay("4242 4242 4242 4242", url.Values{"custom_field_data.seats": {"3"}, "custom_field_data.terms": {"true"},
		"custom_field_data.start": {"2031-05-01"}, "custom_field_data.level": {"beginner"}})
	if resp.StatusCode != 303 {
		t.Fatalf("pay with every required field: %d", resp.StatusCode)
	}
	o := webtest.OrderOf(t, in, s.Secret)
	if o.CustomFieldData["terms"] != true || o.CustomFieldData["level"] != "beginner" || o.CustomFieldData["start"] != "2031-05-01" {
		t.Errorf("order custom_field_data %v", o.CustomFieldData)
	}
}
