package api_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

type catalogList struct {
	Items      []map[string]any `json:"items"`
	Pagination struct {
		TotalCount int `json:"total_count"`
		MaxPage    int `json:"max_page"`
	} `json:"pagination"`
}

// catalogNames lists the names of a page, in order.
func catalogNames(t *testing.T, in *paylinktest.Instance, token, path string) []string {
	t.Helper()
	var l catalogList
	in.Must(t, "GET", path, token, nil, 200, &l)
	out := []string{}
	for _, it := range l.Items {
		out = append(out, it["name"].(string))
	}
	return out
}

// checkProduct checks what Polar's Product schema requires of every product and
// returns its one price.
func checkProduct(t *testing.T, p map[string]any, orgID string) map[string]any {
	t.Helper()
	for _, k := range []string{"id", "created_at", "modified_at", "trial_interval", "trial_interval_count", "name", "description",
		"visibility", "recurring_interval", "recurring_interval_count", "meter_interval", "meter_interval_count",
		"is_recurring", "is_archived", "organization_id", "metadata", "prices", "benefits", "medias", "attached_custom_fields"} {
		if _, ok := p[k]; !ok {
			t.Fatalf("product lacks %s: %v", k, p)
		}
	}
	if _, err := time.Parse(time.RFC3339, p["created_at"].(string)); err != nil {
		t.Fatalf("created_at: %v", err)
	}
	if p["organization_id"] != orgID || p["visibility"] != "public" || p["trial_interval"] != nil || p["meter_interval"] != nil ||
		len(p["benefits"].([]any)) != 0 || len(p["medias"].([]any)) != 0 || p["is_recurring"] != (p["recurring_interval"] != nil) {
		t.Fatalf("product: %v", p)
	}
	prices := p["prices"].([]any)
	if len(prices) != 1 {
		t.Fatalf("want one price, got %v", prices)
	}
	pr := prices[0].(map[string]any)
	for _, k := range []string{"created_at", "modified_at", "id", "source", "amount_type", "price_currency", "tax_behavior",
		"is_archived", "product_id"} {
		if _, ok := pr[k]; !ok {
			t.Fatalf("price lacks %s: %v", k, pr)
		}
	}
	wantType := map[bool]string{true: "recurring", false: "one_time"}[p["is_recurring"] == true]
	if pr["source"] != "catalog" || pr["product_id"] != p["id"] || pr["is_archived"] != false || pr["tax_behavior"] != nil ||
		pr["type"] != wantType || pr["recurring_interval"] != p["recurring_interval"] {
		t.Fatalf("price: %v", pr)
	}
	return pr
}

func TestProductsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		orgID, tok := in.NewOrg(t, "Product Shop") // empty, unlike the demo organization
		create := func(body map[string]any) map[string]any {
			t.Helper()
			var p map[string]any
			in.Must(t, "POST", "/v1/products/", tok, body, 201, &p)
			return p
		}
		ebook := create(map[string]any{"name": "E-book", "description": "In PDF", "organization_id": orgID,
			"metadata": map[string]any{"sku": "EB-1", "n": 3, "ratio": 0.5, "ok": true},
			"prices":   []any{map[string]any{"amount_type": "fixed", "price_amount": 1500, "price_currency": "usd"}}})
		if pr := checkProduct(t, ebook, orgID); pr["amount_type"] != "fixed" || pr["price_amount"] != 1500.0 || pr["price_currency"] != "usd" ||
			ebook["description"] != "In PDF" || ebook["is_recurring"] != false || ebook["modified_at"] != nil ||
			!reflect.DeepEqual(ebook["metadata"], map[string]any{"sku": "EB-1", "n": 3.0, "ratio": 0.5, "ok": true}) {
			t.Fatalf("one-time fixed: %v", ebook)
		}
		club := create(map[string]any{"name": "Club", "recurring_interval": "month",
			"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 900}}})
		if checkProduct(t, club, orgID); club["recurring_interval"] != "month" || club["recurring_interval_count"] != 1.0 || club["is_recurring"] != true {
			t.Fatalf("recurring: %v", club)
		}
		tips := create(map[string]any{"name": "Tip jar", "recurring_interval": "week", "recurring_interval_count": 2,
			"prices": []any{map[string]any{"amount_type": "custom", "minimum_amount": 500, "maximum_amount": 10000, "preset_amount": 2000}}})
		if pr := checkProduct(t, tips, orgID); pr["amount_type"] != "custom" || pr["minimum_amount"] != 500.0 ||
			pr["maximum_amount"] != 10000.0 || pr["preset_amount"] != 2000.0 || tips["recurring_interval_count"] != 2.0 {
			t.Fatalf("pay what you want: %v", tips)
		}
		pwyw0 := create(map[string]any{"name": "Donation", "prices": []any{map[string]any{"amount_type": "custom", "minimum_amount": 0}}})
		if pr := checkProduct(t, pwyw0, orgID); pr["minimum_amount"] != 0.0 || pr["maximum_amount"] != nil || pr["preset_amount"] != nil {
			t.Fatalf("free or pay what you want: %v", pr)
		}
		free := create(map[string]any{"name": "Sampler", "prices": []any{map[string]any{"amount_type": "free"}}})
		if pr := checkProduct(t, free, orgID); pr["amount_type"] != "fixed" || pr["price_amount"] != 0.0 {
			t.Fatalf("free: %v", pr)
		}
		for _, p := range []map[string]any{ebook, club, tips, pwyw0, free} {
			var got map[string]any
			in.Must(t, "GET", "/v1/products/"+p["id"].(string), tok, nil, 200, &got)
			if !reflect.DeepEqual(got, p) {
				t.Fatalf("get differs from create:\n%v\n%v", got, p)
			}
		}

		// Lists: pages, sorting, filters.
		var page catalogList
		in.Must(t, "GET", "/v1/products/?limit=2&page=3", tok, nil, 200, &page)
		if len(page.Items) != 1 || page.Pagination.TotalCount != 5 || page.Pagination.MaxPage != 3 {
			t.Fatalf("page 3: %+v", page)
		}
		lists := []struct {
			query string
			want  []string
		}{
			{"", []string{"Sampler", "Donation", "Tip jar", "Club", "E-book"}},
			{"?sorting=name", []string{"Club", "Donation", "E-book", "Sampler", "Tip jar"}},
			{"?sorting=-name", []string{"Tip jar", "Sampler", "E-book", "Donation", "Club"}},
			{"?sorting=created_at", []string{"E-book", "Club", "Tip jar", "Donation", "Sampler"}},
			{"?sorting=-price_amount&sorting=name", []string{"E-book", "Club", "Tip jar", "Donation", "Sampler"}},
			{"?sorting=price_amount_type,name", []string{"Donation", "Tip jar", "Club", "E-book", "Sampler"}},
			{"?is_recurring=true&sorting=name", []string{"Club", "Tip jar"}},
			{"?is_recurring=false&sorting=name", []string{"Donation", "E-book", "Sampler"}},
			{"?query=JAR", []string{"Tip jar"}},
			{"?id=" + club["id"].(string) + "&id=" + strings.ToUpper(ebook["id"].(string)) + "&sorting=name", []string{"Club", "E-book"}},
			{"?organization_id=" + orgID + "&query=club", []string{"Club"}},
			{"?organization_id=" + in.OrgID, []string{}},
			{"?visibility=private", []string{}},
			{"?visibility=public&visibility=draft&query=club", []string{"Club"}},
			{"?benefit_id=" + orgID, []string{}},
		}
		for _, c := range lists {
			if got := catalogNames(t, in, tok, "/v1/products/"+c.query); !reflect.DeepEqual(got, c.want) {
				t.Errorf("list %s: got %v, want %v", c.query, got, c.want)
			}
		}

		// Updates: fields, price kept and replaced, archive.
		id := ebook["id"].(string)
		oldPrice := ebook["prices"].([]any)[0].(map[string]any)
		var p map[string]any
		in.Must(t, "PATCH", "/v1/products/"+id, tok, map[string]any{"name": "E-book 2", "description": nil,
			"metadata": map[string]any{"sku": "EB-2"}}, 200, &p)
		if p["name"] != "E-book 2" || p["description"] != nil || !reflect.DeepEqual(p["metadata"], map[string]any{"sku": "EB-2"}) ||
			p["modified_at"] == nil || !reflect.DeepEqual(p["prices"], ebook["prices"]) {
			t.Fatalf("update fields: %v", p)
		}
		in.Must(t, "PATCH", "/v1/products/"+id, tok, map[string]any{"prices": []any{map[string]any{"id": oldPrice["id"]}}}, 200, &p)
		if !reflect.DeepEqual(p["prices"], ebook["prices"]) {
			t.Fatalf("kept price: %v", p["prices"])
		}
		in.Must(t, "PATCH", "/v1/products/"+id, tok, map[string]any{"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 2500, "price_currency": "eur"}}}, 200, &p)
		if pr := checkProduct(t, p, orgID); pr["id"] == oldPrice["id"] || pr["price_amount"] != 2500.0 || pr["price_currency"] != "eur" {
			t.Fatalf("replaced price: %v", pr)
		}
		in.Must(t, "PATCH", "/v1/products/"+id, tok, map[string]any{"is_archived": true, "recurring_interval": nil}, 200, &p)
		if p["is_archived"] != true || p["name"] != "E-book 2" {
			t.Fatalf("archive: %v", p)
		}
		if got := catalogNames(t, in, tok, "/v1/products/?is_archived=true"); !reflect.DeepEqual(got, []string{"E-book 2"}) {
			t.Fatalf("archived list: %v", got)
		}
		if got := catalogNames(t, in, tok, "/v1/products/?is_archived=false&sorting=name"); len(got) != 4 {
			t.Fatalf("live list: %v", got)
		}

		// Custom fields attached in order, replaced, detached.
		var size, terms map[string]any
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "select", "slug": "size", "name": "Size",
			"properties": map[string]any{"options": []any{map[string]any{"value": "s", "label": "Small"}}}}, 201, &size)
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "checkbox", "slug": "terms", "name": "Terms", "properties": map[string]any{}}, 201, &terms)
		withFields := create(map[string]any{"name": "Shirt", "prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 2000}},
			"attached_custom_fields": []any{map[string]any{"custom_field_id": terms["id"], "required": true},
				map[string]any{"custom_field_id": size["id"], "required": false}}})
		att := withFields["attached_custom_fields"].([]any)
		a0, a1 := att[0].(map[string]any), att[1].(map[string]any)
		if len(att) != 2 || a0["custom_field_id"] != terms["id"] || a0["required"] != true || a0["order"] != 0.0 ||
			!reflect.DeepEqual(a0["custom_field"], terms) || a1["custom_field_id"] != size["id"] || a1["order"] != 1.0 {
			t.Fatalf("attached fields: %v", att)
		}
		sid := withFields["id"].(string)
		in.Must(t, "PATCH", "/v1/products/"+sid, tok, map[string]any{"attached_custom_fields": []any{
			map[string]any{"custom_field_id": size["id"], "required": true}}}, 200, &p)
		if att := p["attached_custom_fields"].([]any); len(att) != 1 || att[0].(map[string]any)["required"] != true {
			t.Fatalf("replaced fields: %v", att)
		}
		in.Must(t, "DELETE", "/v1/custom-fields/"+size["id"].(string), tok, nil, 204, nil)
		in.Must(t, "GET", "/v1/products/"+sid, tok, nil, 200, &p)
		if att := p["attached_custom_fields"].([]any); len(att) != 0 {
			t.Fatalf("a deleted field is still attached: %v", att)
		}
	})
}
