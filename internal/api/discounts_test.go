package api_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

type discountList struct {
	Items      []map[string]any `json:"items"`
	Pagination struct {
		TotalCount int `json:"total_count"`
		MaxPage    int `json:"max_page"`
	} `json:"pagination"`
}

func discountNames(l discountList) []string {
	var out []string
	for _, d := range l.Items {
		out = append(out, d["name"].(string))
	}
	return out
}

// discountProduct creates a product through the store, so these tests do not
// depend on the products API.
func discountProduct(t *testing.T, s *store.Store, orgID, name string) string {
	t.Helper()
	p := &paylink.Product{OrganizationID: orgID, Name: name, Metadata: paylink.Metadata{"k": "v"},
		Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 1000}}}
	if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.ProductCreate(context.Background(), p) }); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func TestDiscountsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		orgID, tok := in.NewOrg(t, "Discount Shop") // not the demo organization: it has a discount of its own
		s := storetest.Open(t, db)
		prodA, prodB := discountProduct(t, s, orgID, "Course"), discountProduct(t, s, orgID, "Ebook")

		// One discount of each type × duration; every response is a valid Polar Discount.
		bodies := []map[string]any{
			{"name": "P once", "type": "percentage", "duration": "once", "basis_points": 2500, "metadata": map[string]any{"campaign": "launch"}},
			{"name": "P forever", "type": "percentage", "duration": "forever", "basis_points": 10000, "code": "Forever100", "products": []string{prodB, prodA}},
			{"name": "P repeating", "type": "percentage", "duration": "repeating", "duration_in_months": 3, "basis_points": 1},
			{"name": "F once", "type": "fixed", "duration": "once", "amount": 500, "currency": "usd", "max_redemptions": 10,
				"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T01:00:00+01:00"},
			{"name": "F forever", "type": "fixed", "duration": "forever", "amounts": map[string]any{"eur": 700}},
			{"name": "F repeating", "type": "fixed", "duration": "repeating", "duration_in_months": 12, "amount": 99_999_999, "code": "YEAR1"},
		}
		made := map[string]map[string]any{}
		for _, b := range bodies {
			var d map[string]any
			in.Must(t, "POST", "/v1/discounts/", tok, b, 201, &d)
			checkDiscountShape(t, d, b)
			if d["organization_id"] != orgID || d["redemptions_count"] != 0.0 || d["modified_at"] != nil {
				t.Fatalf("%s: %v", b["name"], d)
			}
			made[b["name"].(string)] = d
		}
		if fo := made["F once"]; fo["starts_at"] != "2026-01-01T00:00:00Z" || fo["ends_at"] != "2027-01-01T00:00:00Z" || fo["max_redemptions"] != 10.0 {
			t.Fatalf("dates and cap: %v", fo)
		}
		if ff := made["F forever"]; ff["amount"] != 700.0 || ff["currency"] != "eur" {
			t.Fatalf("amounts: %v", ff)
		}
		if pf := made["P forever"]; pf["code"] != "Forever100" || len(pf["products"].([]any)) != 2 ||
			pf["products"].([]any)[0].(map[string]any)["id"] != prodB || pf["products"].([]any)[0].(map[string]any)["name"] != "Ebook" {
			t.Fatalf("products: %v", pf)
		}
		if po := made["P once"]; !reflect.DeepEqual(po["metadata"], map[string]any{"campaign": "launch"}) || len(po["products"].([]any)) != 0 {
			t.Fatalf("metadata: %v", po)
		}
		for name, d := range made {
			var got map[string]any
			in.Must(t, "GET", "/v1/discounts/"+d["id"].(string), tok, nil, 200, &got)
			if !reflect.DeepEqual(got, d) {
				t.Fatalf("get %s:\n got %v\nwant %v", name, got, d)
			}
		}

		// List: pages, sorting, search, organization filter.
		var l discountList
		in.Must(t, "GET", "/v1/discounts/?limit=4&page=2", tok, nil, 200, &l)
		if len(l.Items) != 2 || l.Pagination.TotalCount != 6 || l.Pagination.MaxPage != 2 {
			t.Fatalf("page 2: %+v", l)
		}
		in.Must(t, "GET", "/v1/discounts/", tok, nil, 200, &l)
		if got := discountNames(l); got[0] != "F repeating" || got[5] != "P once" {
			t.Fatalf("default order is newest first: %v", got)
		}
		in.Must(t, "GET", "/v1/discounts/?sorting=-name", tok, nil, 200, &l)
		if got := fmt.Sprint(discountNames(l)); got != "[P repeating P once P forever F repeating F once F forever]" {
			t.Fatalf("-name: %s", got)
		}
		in.Must(t, "GET", "/v1/discounts/?sorting=code&limit=2", tok, nil, 200, &l)
		if got := fmt.Sprint(discountNames(l)); got != "[P forever F repeating]" {
			t.Fatalf("code: %s", got)
		}
		in.Must(t, "GET", "/v1/discounts/?query=year", tok, nil, 200, &l)
		if got := fmt.Sprint(discountNames(l)); got != "[F repeating]" {
			t.Fatalf("query by code: %s", got)
		}
		in.Must(t, "GET", "/v1/discounts/?query=ONCE&sorting=name", tok, nil, 200, &l)
		if got := fmt.Sprint(discountNames(l)); got != "[F once P once]" {
			t.Fatalf("query by name: %s", got)
		}
		in.Must(t, "GET", "/v1/discounts/?organization_id="+orgID+"&sorting=redemptions_count&sorting=-ends_at", tok, nil, 200, &l)
		if l.Pagination.TotalCount != 6 {
			t.Fatalf("own organization filter: %+v", l.Pagination)
		}
		in.Must(t, "GET", "/v1/discounts/?organization_id="+paylink.NewID(), tok, nil, 200, &l)
		if len(l.Items) != 0 || l.Pagination.TotalCount != 0 {
			t.Fatalf("other organization filter: %+v", l)
		}
		for _, q := range []string{"sorting=price", "organization_id=nope", "limit=101", "page=0"} {
			in.Must(t, "GET", "/v1/discounts/?"+q, tok, nil, 422, nil)
		}

		// Update, then clear with nulls; fields not sent stay.
		id := made["P once"]["id"].(string)
		var d map[string]any
		in.Must(t, "PATCH", "/v1/discounts/"+id, tok, map[string]any{"name": "P once v2", "code": "launch30",
			"basis_points": 3000, "max_redemptions": 100, "metadata": map[string]any{"campaign": "v2"}, "products": []string{prodA},
			"type": "percentage", "duration": "once"}, 200, &d)
		if d["name"] != "P once v2" || d["code"] != "launch30" || d["basis_points"] != 3000.0 || d["max_redemptions"] != 100.0 ||
			d["modified_at"] == nil || len(d["products"].([]any)) != 1 || d["metadata"].(map[string]any)["campaign"] != "v2" {
			t.Fatalf("update: %v", d)
		}
		var got map[string]any
		in.Must(t, "GET", "/v1/discounts/"+id, tok, nil, 200, &got)
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("get after update:\n got %v\nwant %v", got, d)
		}
		in.Must(t, "PATCH", "/v1/discounts/"+id, tok, map[string]any{"code": nil, "max_redemptions": nil, "products": []string{}}, 200, &d)
		if d["code"] != nil || d["max_redemptions"] != nil || d["name"] != "P once v2" || len(d["products"].([]any)) != 0 {
			t.Fatalf("clear: %v", d)
		}

		// Once redeemed, the value is fixed; the name is not.
		fixedID := made["F repeating"]["id"].(string)
		if err := s.InTx(context.Background(), func(tx *store.Tx) error { return tx.DiscountRedeem(context.Background(), fixedID) }); err != nil {
			t.Fatal(err)
		}
		discount422(t, in, tok, "PATCH", "/v1/discounts/"+fixedID, map[string]any{"amount": 100}, "body", "amount")
		discount422(t, in, tok, "PATCH", "/v1/discounts/"+fixedID, map[string]any{"duration_in_months": 6}, "body", "duration_in_months")
		in.Must(t, "PATCH", "/v1/discounts/"+fixedID, tok, map[string]any{"name": "Renamed", "amount": 99_999_999}, 200, &d)
		if d["redemptions_count"] != 1.0 || d["name"] != "Renamed" {
			t.Fatalf("redeemed update: %v", d)
		}

		// Delete: then 404 everywhere, gone from the list, code free again.
		foreverID := made["P forever"]["id"].(string)
		in.Must(t, "DELETE", "/v1/discounts/"+foreverID, tok, nil, 204, nil)
		in.Must(t, "GET", "/v1/discounts/"+foreverID, tok, nil, 404, nil)
		in.Must(t, "PATCH", "/v1/discounts/"+foreverID, tok, map[string]any{"name": "x"}, 404, nil)
		in.Must(t, "DELETE", "/v1/discounts/"+foreverID, tok, nil, 404, nil)
		in.Must(t, "GET", "/v1/discounts/", tok, nil, 200, &l)
		if l.Pagination.TotalCount != 5 {
			t.Fatalf("after delete: %+v", l.Pagination)
		}
		in.Must(t, "POST", "/v1/discounts/", tok, map[string]any{"name": "Reuse", "type": "percentage", "duration": "once",
			"basis_points": 5, "code": "FOREVER100"}, 201, nil)
	})
}

// checkDiscountShape checks the fields that decide which of Polar's four
// Discount schemas a response matches.
func checkDiscountShape(t *testing.T, d, body map[string]any) {
	t.Helper()
	for _, k := range []string{"created_at", "modified_at", "id", "metadata", "name", "code", "starts_at", "ends_at",
		"max_redemptions", "redemptions_count", "organization_id", "products", "type", "duration"} {
		if _, ok := d[k]; !ok {
			t.Fatalf("%s: no %s in %v", body["name"], k, d)
		}
	}
	_, hasMonths := d["duration_in_months"]
	if hasMonths != (body["duration"] == "repeating") || (hasMonths && d["duration_in_months"] != toFloat(body["duration_in_months"])) {
		t.Fatalf("%s: duration_in_months %v", body["name"], d)
	}
	_, hasBP := d["basis_points"]
	_, hasAmounts := d["amounts"]
	_, hasAmount := d["amount"]
	_, hasCurrency := d["currency"]
	if body["type"] == "percentage" {
		if !hasBP || hasAmounts || hasAmount || hasCurrency || d["basis_points"] != toFloat(body["basis_points"]) {
			t.Fatalf("%s: percentage fields %v", body["name"], d)
		}
		return
	}
	amounts, _ := d["amounts"].(map[string]any)
	if hasBP || len(amounts) != 1 || amounts[d["currency"].(string)] != d["amount"] {
		t.Fatalf("%s: fixed fields %v", body["name"], d)
	}
}

func toFloat(v any) any {
	if n, ok := v.(int); ok {
		return float64(n)
	}
	return v
}
