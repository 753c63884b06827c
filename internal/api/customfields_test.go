package api_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// slugsOf lists the slugs of a page of custom fields, in order.
func slugsOf(t *testing.T, in *paylinktest.Instance, token, query string) ([]string, int) {
	t.Helper()
	var l catalogList
	in.Must(t, "GET", "/v1/custom-fields/"+query, token, nil, 200, &l)
	out := []string{}
	for _, f := range l.Items {
		out = append(out, f["slug"].(string))
	}
	return out, l.Pagination.TotalCount
}

func TestCustomFieldsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		orgID, tok := in.NewOrg(t, "Field Shop")
		otherID, otherTok := in.NewOrg(t, "Field Rival")
		bodies := []map[string]any{
			{"type": "text", "slug": "Company", "name": "Company", "organization_id": orgID, "metadata": map[string]any{"crm": "company"},
				"properties": map[string]any{"form_label": "Company", "form_help_text": "As invoiced", "form_placeholder": "ACME",
					"textarea": false, "min_length": 2, "max_length": 100}},
			{"type": "number", "slug": "seats", "name": "Seats", "properties": map[string]any{"ge": 1, "le": 50}},
			{"type": "date", "slug": "start_date", "name": "Start", "properties": map[string]any{"ge": 1767225600, "le": 1798761600}},
			{"type": "checkbox", "slug": "terms", "name": "Terms", "properties": map[string]any{"form_label": "I agree", "options": []any{}}},
			{"type": "select", "slug": "size", "name": "Size", "properties": map[string]any{
				"options": []any{map[string]any{"value": "s", "label": "Small"}, map[string]any{"value": "l", "label": "Large"}}}},
		}
		made := map[string]map[string]any{}
		for _, b := range bodies {
			var f map[string]any
			in.Must(t, "POST", "/v1/custom-fields/", tok, b, 201, &f)
			for _, k := range []string{"created_at", "modified_at", "id", "metadata", "type", "slug", "name", "organization_id", "properties"} {
				if _, ok := f[k]; !ok {
					t.Fatalf("%s lacks %s: %v", b["slug"], k, f)
				}
			}
			wantProps := b["properties"].(map[string]any)
			if b["type"] == "checkbox" {
				wantProps = map[string]any{"form_label": "I agree"} // options belong to select fields only
			}
			if f["type"] != b["type"] || f["slug"] != strings.ToLower(b["slug"].(string)) || f["organization_id"] != orgID ||
				f["modified_at"] != nil || !reflect.DeepEqual(f["properties"], numbersAsFloats(wantProps)) {
				t.Fatalf("created %s: %v", b["slug"], f)
			}
			made[f["slug"].(string)] = f
		}
		if !reflect.DeepEqual(made["company"]["metadata"], map[string]any{"crm": "company"}) {
			t.Fatalf("metadata: %v", made["company"]["metadata"])
		}
		for _, f := range made {
			var got map[string]any
			in.Must(t, "GET", "/v1/custom-fields/"+f["id"].(string), tok, nil, 200, &got)
			if !reflect.DeepEqual(got, f) {
				t.Fatalf("get differs from create:\n%v\n%v", got, f)
			}
		}

		for q, want := range map[string][]string{
			"":                            {"company", "seats", "size", "start_date", "terms"},
			"?sorting=-slug":              {"terms", "start_date", "size", "seats", "company"},
			"?sorting=type,slug":          {"terms", "start_date", "seats", "size", "company"},
			"?sorting=-created_at":        {"size", "terms", "start_date", "seats", "company"},
			"?sorting=name":               {"company", "seats", "size", "start_date", "terms"},
			"?type=select":                {"size"},
			"?type=number&type=date":      {"seats", "start_date"},
			"?type=text,checkbox":         {"company", "terms"},
			"?query=STAR":                 {"start_date"},
			"?organization_id=" + orgID:   {"company", "seats", "size", "start_date", "terms"},
			"?organization_id=" + otherID: {},
			"?limit=2&page=3":             {"terms"},
		} {
			if got, total := slugsOf(t, in, tok, q); !reflect.DeepEqual(got, want) || (q == "?limit=2&page=3" && total != 5) {
				t.Errorf("list %q: got %v (total %d), want %v", q, got, total, want)
			}
		}

		// Update: slug, name and properties replaced; the rest kept.
		id := made["company"]["id"].(string)
		var f map[string]any
		in.Must(t, "PATCH", "/v1/custom-fields/"+id, tok, map[string]any{"type": "text", "slug": "company_name", "name": "Company name",
			"properties": map[string]any{"textarea": true, "max_length": 200}}, 200, &f)
		if f["slug"] != "company_name" || f["name"] != "Company name" || f["modified_at"] == nil ||
			!reflect.DeepEqual(f["properties"], map[string]any{"textarea": true, "max_length": 200.0}) ||
			!reflect.DeepEqual(f["metadata"], made["company"]["metadata"]) {
			t.Fatalf("update: %v", f)
		}
		var got map[string]any
		in.Must(t, "GET", "/v1/custom-fields/"+id, tok, nil, 200, &got)
		if !reflect.DeepEqual(got, f) {
			t.Fatalf("get after update differs:\n%v\n%v", got, f)
		}
		in.Must(t, "PATCH", "/v1/custom-fields/"+made["size"]["id"].(string), tok, map[string]any{"type": "select", "name": "Shirt size"}, 200, &f)
		if f["slug"] != "size" || f["name"] != "Shirt size" || !reflect.DeepEqual(f["properties"], made["size"]["properties"]) {
			t.Fatalf("partial update: %v", f)
		}

		// Delete: gone, detached, slug free again; another organization's slug is its own.
		in.Must(t, "POST", "/v1/custom-fields/", otherTok, map[string]any{"type": "checkbox", "slug": "terms", "name": "Theirs", "properties": map[string]any{}}, 201, nil)
		termsID := made["terms"]["id"].(string)
		in.Must(t, "DELETE", "/v1/custom-fields/"+termsID, otherTok, nil, 404, nil)
		in.Must(t, "DELETE", "/v1/custom-fields/"+termsID, tok, nil, 204, nil)
		in.Must(t, "DELETE", "/v1/custom-fields/"+termsID, tok, nil, 404, nil)
		in.Must(t, "GET", "/v1/custom-fields/"+termsID, tok, nil, 404, nil)
		if got, total := slugsOf(t, in, tok, ""); total != 4 || strings.Contains(strings.Join(got, ","), "terms") {
			t.Fatalf("list after delete: %v", got)
		}
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "checkbox", "slug": "terms", "name": "Terms v2", "properties": map[string]any{}}, 201, nil)
	})
}

// numbersAsFloats converts the ints of a request body the way JSON decoding into
// any does, so that bodies and responses compare.
func numbersAsFloats(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			out[k] = numbersAsFloats(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = numbersAsFloats(val)
		}
		return out
	}
	return v
}

func TestCustomFieldsAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		_, tok := in.NewOrg(t, "Form Shop")
		otherID, otherTok := in.NewOrg(t, "Form Rival")
		var num, theirs map[string]any
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "number", "slug": "age", "name": "Age", "properties": map[string]any{}}, 201, &num)
		in.Must(t, "POST", "/v1/custom-fields/", tok, map[string]any{"type": "text", "slug": "note", "name": "Note", "properties": map[string]any{}}, 201, nil)
		in.Must(t, "POST", "/v1/custom-fields/", otherTok, map[string]any{"type": "text", "slug": "note", "name": "Note", "properties": map[string]any{}}, 201, &theirs)
		field := func(typ string, props map[string]any, kv ...any) map[string]any {
			b := map[string]any{"type": typ, "slug": "x", "name": "X", "properties": props}
			for i := 0; i < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
		opt := func(v, l string) map[string]any { return map[string]any{"value": v, "label": l} }
		for _, c := range []struct {
			name string
			body any
			loc  []any
		}{
			{"missing type", map[string]any{"slug": "x", "name": "X", "properties": map[string]any{}}, []any{"body", "type"}},
			{"missing slug", map[string]any{"type": "text", "name": "X", "properties": map[string]any{}}, []any{"body", "slug"}},
			{"missing name", map[string]any{"type": "text", "slug": "x", "properties": map[string]any{}}, []any{"body", "name"}},
			{"missing properties", map[string]any{"type": "text", "slug": "x", "name": "X"}, []any{"body", "properties"}},
			{"unknown type", field("file", map[string]any{}), []any{"body", "type"}},
			{"bad slug", field("text", map[string]any{}, "slug", "Not a slug!"), []any{"body", "slug"}},
			{"long slug", field("text", map[string]any{}, "slug", strings.Repeat("s", 101)), []any{"body", "slug"}},
			{"taken slug", field("checkbox", map[string]any{}, "slug", "AGE"), []any{"body", "slug"}},
			{"blank name", field("text", map[string]any{}, "name", "  "), []any{"body", "name"}},
			{"text min > max", field("text", map[string]any{"min_length": 5, "max_length": 2}), []any{"body", "properties", "max_length"}},
			{"text negative length", field("text", map[string]any{"min_length": -1}), []any{"body", "properties", "min_length"}},
			{"text length not an integer", field("text", map[string]any{"max_length": 1.5}), []any{"body", "properties", "max_length"}},
			{"number ge > le", field("number", map[string]any{"ge": 10, "le": 1}), []any{"body", "properties", "le"}},
			{"number beyond 32 bits", field("number", map[string]any{"ge": 1 << 40}), []any{"body", "properties", "ge"}},
			{"date ge > le", field("date", map[string]any{"ge": 1798761600, "le": 1767225600}), []any{"body", "properties", "le"}},
			{"select without options", field("select", map[string]any{"options": []any{}}), []any{"body", "properties", "options"}},
			{"select empty value", field("select", map[string]any{"options": []any{opt("", "A")}}), []any{"body", "properties", "options", 0, "value"}},
			{"select empty label", field("select", map[string]any{"options": []any{opt("a", "")}}), []any{"body", "properties", "options", 0, "label"}},
			{"select duplicate value", field("select", map[string]any{"options": []any{opt("a", "A"), opt("a", "B")}}), []any{"body", "properties", "options", 1, "value"}},
			{"bad metadata", field("text", map[string]any{}, "metadata", map[string]any{"k": map[string]any{}}), []any{"body", "metadata", "k"}},
			{"another organization", field("text", map[string]any{}, "organization_id", otherID), []any{"body", "organization_id"}},
		} {
			t.Run(c.name, func(t *testing.T) { catalog422(t, in, tok, "POST", "/v1/custom-fields/", c.body, c.loc...) })
		}

		path := "/v1/custom-fields/" + num["id"].(string)
		catalog422(t, in, tok, "PATCH", path, map[string]any{"name": "Years"}, "body", "type")
		catalog422(t, in, tok, "PATCH", path, map[string]any{"type": "text", "name": "Years"}, "body", "type")
		catalog422(t, in, tok, "PATCH", path, map[string]any{"type": "number", "slug": "note"}, "body", "slug")
		catalog422(t, in, tok, "PATCH", path, map[string]any{"type": "number", "properties": map[string]any{"ge": 5, "le": 4}}, "body", "properties", "le")
		catalog422(t, in, tok, "GET", "/v1/custom-fields/?type=file", nil, "query", "type")
		catalog422(t, in, tok, "GET", "/v1/custom-fields/?sorting=properties", nil, "query", "sorting")
		catalog422(t, in, tok, "GET", "/v1/custom-fields/?organization_id=x", nil, "query", "organization_id")

		in.Must(t, "GET", "/v1/custom-fields/", "", nil, 401, nil)
		_, reader := in.NewOrg(t, "Form Reader", "custom_fields:read")
		in.Must(t, "GET", "/v1/custom-fields/", reader, nil, 200, nil)
		in.Must(t, "POST", "/v1/custom-fields/", reader, field("text", map[string]any{}), 403, nil)
		in.Must(t, "PATCH", path, reader, map[string]any{"type": "number", "name": "Nope"}, 403, nil)
		in.Must(t, "DELETE", path, reader, nil, 403, nil)
		_, productsOnly := in.NewOrg(t, "Products Only", "products:write")
		in.Must(t, "GET", "/v1/custom-fields/", productsOnly, nil, 403, nil)
		theirPath := "/v1/custom-fields/" + theirs["id"].(string)
		in.Must(t, "GET", theirPath, tok, nil, 404, nil)
		in.Must(t, "PATCH", theirPath, tok, map[string]any{"type": "text", "name": "Stolen"}, 404, nil)
		in.Must(t, "DELETE", theirPath, tok, nil, 404, nil)
		in.Must(t, "GET", "/v1/custom-fields/nope", tok, nil, 404, nil)
		var f map[string]any
		in.Must(t, "GET", theirPath, otherTok, nil, 200, &f)
		if f["name"] != "Note" {
			t.Fatalf("another organization changed the field: %v", f)
		}
	})
}
