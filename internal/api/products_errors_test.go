package api_test

import (
	"fmt"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// catalog422 sends body with the token and wants a 422 with a problem located at
// loc, and a message for it.
func catalog422(t *testing.T, in *paylinktest.Instance, token, method, path string, body any, loc ...any) {
	t.Helper()
	var e struct {
		Detail []struct {
			Loc  []any  `json:"loc"`
			Type string `json:"type"`
			Msg  string `json:"msg"`
		} `json:"detail"`
	}
	in.Must(t, method, path, token, body, 422, &e)
	for _, d := range e.Detail {
		if fmt.Sprintf("%v", d.Loc) == fmt.Sprintf("%v", loc) && d.Msg != "" && d.Type != "" {
			return
		}
	}
	t.Fatalf("%s %s %v: want a problem at %v, got %+v", method, path, body, loc, e.Detail)
}

func fixedPrice(amount any) []any {
	return []any{map[string]any{"amount_type": "fixed", "price_amount": amount}}
}

func TestProductsAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		orgID, tok := in.NewOrg(t, "Strict Shop")
		otherID, otherTok := in.NewOrg(t, "Rival Shop")
		var mine, theirs, field, theirField map[string]any
		in.Must(t, "POST", "/v1/products/", tok, map[string]any{"name": "Mine", "recurring_interval": "month", "prices": fixedPrice(1000)}, 201, &mine)
		in.Must(t, "POST", "/v1/products/", otherTok, map[string]any{"name": "Theirs", "prices": fixedPrice(1000)}, 201, &theirs)
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "checkbox", "slug": "terms", "name": "Terms", "properties": map[string]any{}}, 201, &field)
		in.Must(t, "POST", "/v1/custom-fields/", otherTok, map[string]any{"type": "checkbox", "slug": "terms", "name": "Terms", "properties": map[string]any{}}, 201, &theirField)
		mineID := mine["id"].(string)
		oldPrice := mine["prices"].([]any)[0].(map[string]any)["id"]
		in.Must(t, "PATCH", "/v1/products/"+mineID, tok, map[string]any{"prices": fixedPrice(2000)}, 200, nil)

		ok := map[string]any{"name": "Fine", "prices": fixedPrice(100)}
		with := func(k string, v any) map[string]any {
			b := map[string]any{}
			for key, val := range ok {
				b[key] = val
			}
			b[k] = v
			return b
		}
		price := func(kv ...any) map[string]any {
			b := map[string]any{"amount_type": "custom"}
			for i := 0; i < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return with("prices", []any{b})
		}
		creates := []struct {
			name string
			body any
			loc  []any
		}{
			{"missing name", map[string]any{"prices": fixedPrice(100)}, []any{"body", "name"}},
			{"short name", with("name", "ab"), []any{"body", "name"}},
			{"long name", with("name", fmt.Sprintf("%065d", 0)), []any{"body", "name"}},
			{"missing prices", map[string]any{"name": "Fine"}, []any{"body", "prices"}},
			{"no price", with("prices", []any{}), []any{"body", "prices"}},
			{"two prices", with("prices", append(fixedPrice(100), fixedPrice(200)...)), []any{"body", "prices"}},
			{"negative price", with("prices", fixedPrice(-1)), []any{"body", "prices", 0, "price_amount"}},
			{"price below the currency minimum", with("prices", fixedPrice(10)), []any{"body", "prices", 0, "price_amount"}},
			{"price over the cap", with("prices", fixedPrice(100_000_000)), []any{"body", "prices", 0, "price_amount"}},
			{"fixed without amount", with("prices", []any{map[string]any{"amount_type": "fixed"}}), []any{"body", "prices", 0, "price_amount"}},
			{"missing amount_type", with("prices", []any{map[string]any{"price_amount": 100}}), []any{"body", "prices", 0, "amount_type"}},
			{"upper-case currency", with("prices", []any{map[string]any{"amount_type": "fixed", "price_amount": 100, "price_currency": "USD"}}), []any{"body", "prices", 0, "price_currency"}},
			{"tax behavior", with("prices", []any{map[string]any{"amount_type": "fixed", "price_amount": 100, "tax_behavior": "inclusive"}}), []any{"body", "prices", 0, "tax_behavior"}},
			{"metered price", with("prices", []any{map[string]any{"amount_type": "metered_unit", "meter_id": orgID, "unit_amount": "1"}}), []any{"body", "prices", 0, "amount_type"}},
			{"seat price", with("prices", []any{map[string]any{"amount_type": "seat_based"}}), []any{"body", "prices", 0, "amount_type"}},
			{"custom minimum below floor", price("minimum_amount", 10), []any{"body", "prices", 0, "minimum_amount"}},
			{"custom maximum below minimum", price("minimum_amount", 1000, "maximum_amount", 500), []any{"body", "prices", 0, "maximum_amount"}},
			{"custom preset above maximum", price("maximum_amount", 1000, "preset_amount", 2000), []any{"body", "prices", 0, "preset_amount"}},
			{"custom preset below minimum", price("minimum_amount", 1000, "preset_amount", 500), []any{"body", "prices", 0, "preset_amount"}},
			{"bad interval", with("recurring_interval", "fortnight"), []any{"body", "recurring_interval"}},
			{"count too large", map[string]any{"name": "Fine", "prices": fixedPrice(100), "recurring_interval": "day", "recurring_interval_count": 1000}, []any{"body", "recurring_interval_count"}},
			{"count without interval", with("recurring_interval_count", 2), []any{"body", "recurring_interval_count"}},
			{"trial", with("trial_interval", "day"), []any{"body", "trial_interval"}},
			{"meter interval", with("meter_interval", "month"), []any{"body", "meter_interval"}},
			{"private", with("visibility", "private"), []any{"body", "visibility"}},
			{"medias that are no image", with("medias", []any{orgID}), []any{"body", "medias", 0}},
			{"bad metadata", with("metadata", map[string]any{"key": ""}), []any{"body", "metadata", "key"}},
			{"another organization", with("organization_id", otherID), []any{"body", "organization_id"}},
			{"another organization's field", with("attached_custom_fields", []any{map[string]any{"custom_field_id": theirField["id"], "required": true}}),
				[]any{"body", "attached_custom_fields", 0, "custom_field_id"}},
			{"field twice", with("attached_custom_fields", []any{map[string]any{"custom_field_id": field["id"], "required": true},
				map[string]any{"custom_field_id": field["id"], "required": false}}), []any{"body", "attached_custom_fields", 1, "custom_field_id"}},
			{"attachment without required", with("attached_custom_fields", []any{map[string]any{"custom_field_id": field["id"]}}),
				[]any{"body", "attached_custom_fields", 0, "required"}},
			{"name of the wrong type", with("name", 42), []any{"body", "name"}},
			{"malformed JSON", `{"name": "x",`, []any{"body"}},
		}
		for _, c := range creates {
			t.Run(c.name, func(t *testing.T) { catalog422(t, in, tok, "POST", "/v1/products/", c.body, c.loc...) })
		}

		updates := []struct {
			name string
			body any
			loc  []any
		}{
			{"interval change", map[string]any{"recurring_interval": "year"}, []any{"body", "recurring_interval"}},
			{"to one-time", map[string]any{"recurring_interval": nil}, []any{"body", "recurring_interval"}},
			{"count change", map[string]any{"recurring_interval_count": 2}, []any{"body", "recurring_interval_count"}},
			{"archived price kept", map[string]any{"prices": []any{map[string]any{"id": oldPrice}}}, []any{"body", "prices", 0, "id"}},
			{"another product's price", map[string]any{"prices": []any{map[string]any{"id": theirs["prices"].([]any)[0].(map[string]any)["id"]}}}, []any{"body", "prices", 0, "id"}},
			{"no price", map[string]any{"prices": []any{}}, []any{"body", "prices"}},
			{"short name", map[string]any{"name": " x "}, []any{"body", "name"}},
			{"another organization's field", map[string]any{"attached_custom_fields": []any{map[string]any{"custom_field_id": theirField["id"], "required": false}}},
				[]any{"body", "attached_custom_fields", 0, "custom_field_id"}},
		}
		for _, c := range updates {
			t.Run("update "+c.name, func(t *testing.T) { catalog422(t, in, tok, "PATCH", "/v1/products/"+mineID, c.body, c.loc...) })
		}

		for q, loc := range map[string][]any{
			"is_archived=maybe": {"query", "is_archived"}, "is_recurring=2": {"query", "is_recurring"},
			"sorting=price": {"query", "sorting"}, "limit=101": {"query", "limit"}, "page=0": {"query", "page"},
			"id=nope": {"query", "id"}, "organization_id=nope": {"query", "organization_id"},
			"visibility=hidden": {"query", "visibility"}, "metadata[sku]=x": {"query", "metadata"},
		} {
			catalog422(t, in, tok, "GET", "/v1/products/?"+q, nil, loc...)
		}

		// A product that failed validation left nothing behind.
		if got := catalogNames(t, in, tok, "/v1/products/"); len(got) != 1 || got[0] != "Mine" {
			t.Fatalf("products after the failures: %v", got)
		}

		// Authentication, scopes and tenant isolation.
		in.Must(t, "GET", "/v1/products/", "", nil, 401, nil)
		in.Must(t, "POST", "/v1/products/", "pl_oat_nope", ok, 401, nil)
		_, reader := in.NewOrg(t, "Reader Shop", "products:read")
		in.Must(t, "GET", "/v1/products/", reader, nil, 200, nil)
		in.Must(t, "POST", "/v1/products/", reader, ok, 403, nil)
		in.Must(t, "PATCH", "/v1/products/"+mineID, reader, map[string]any{"name": "Nope"}, 403, nil)
		in.Must(t, "GET", "/v1/products/"+mineID, otherTok, nil, 404, nil)
		in.Must(t, "PATCH", "/v1/products/"+mineID, otherTok, map[string]any{"name": "Stolen"}, 404, nil)
		in.Must(t, "GET", "/v1/products/"+theirs["id"].(string), tok, nil, 404, nil)
		in.Must(t, "GET", "/v1/products/not-a-uuid", tok, nil, 404, nil)
		in.Must(t, "PATCH", "/v1/products/"+orgID, tok, map[string]any{"name": "Ghost"}, 404, nil)
		var p map[string]any
		in.Must(t, "GET", "/v1/products/"+mineID, tok, nil, 200, &p)
		if p["name"] != "Mine" {
			t.Fatalf("another organization renamed the product: %v", p["name"])
		}
	})
}
