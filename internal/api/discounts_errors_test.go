package api_test

import (
	"fmt"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// discount422 sends body with the token and wants a 422 whose first problem is located at loc.
func discount422(t *testing.T, in *paylinktest.Instance, token, method, path string, body any, loc ...any) {
	t.Helper()
	var e struct {
		Detail []struct {
			Loc  []any  `json:"loc"`
			Type string `json:"type"`
			Msg  string `json:"msg"`
		} `json:"detail"`
	}
	in.Must(t, method, path, token, body, 422, &e)
	if len(e.Detail) == 0 || fmt.Sprintf("%v", e.Detail[0].Loc) != fmt.Sprintf("%v", loc) || e.Detail[0].Msg == "" {
		t.Fatalf("%s %s %v: want loc %v, got %+v", method, path, body, loc, e.Detail)
	}
}

func TestDiscountsAPIErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		otherID, otherToken := in.NewOrg(t, "Other Shop")
		s := storetest.Open(t, db)
		theirProduct := discountProduct(t, s, otherID, "Theirs")
		pct := func(extra map[string]any) map[string]any {
			b := map[string]any{"name": "Ten", "type": "percentage", "duration": "once", "basis_points": 1000}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		fixed := map[string]any{"name": "Five", "type": "fixed", "duration": "once", "amount": 500}
		var mine map[string]any
		in.Must(t, "POST", "/v1/discounts/", in.Token, pct(map[string]any{"code": "Save5"}), 201, &mine)
		id := mine["id"].(string)

		cases := []struct {
			body any
			loc  []any
		}{
			{map[string]any{"type": "percentage", "duration": "once", "basis_points": 1}, []any{"body", "name"}},
			{pct(map[string]any{"name": ""}), []any{"body", "name"}},
			{pct(map[string]any{"type": "bogus"}), []any{"body", "type"}},
			{pct(map[string]any{"duration": "weekly"}), []any{"body", "duration"}},
			{pct(map[string]any{"basis_points": 10001}), []any{"body", "basis_points"}},
			{pct(map[string]any{"basis_points": 0}), []any{"body", "basis_points"}},
			{pct(map[string]any{"basis_points": "ten"}), []any{"body", "basis_points"}},
			{pct(map[string]any{"basis_points": 1.5}), []any{"body", "basis_points"}},
			{map[string]any{"name": "F", "type": "fixed", "duration": "once"}, []any{"body", "amount"}},
			{map[string]any{"name": "F", "type": "fixed", "duration": "once", "amount": 0}, []any{"body", "amount"}},
			{map[string]any{"name": "F", "type": "fixed", "duration": "once", "amount": 100_000_000}, []any{"body", "amount"}},
			{map[string]any{"name": "F", "type": "fixed", "duration": "once", "amount": 5, "currency": "USD"}, []any{"body", "currency"}},
			{map[string]any{"name": "F", "type": "fixed", "duration": "once", "amounts": map[string]any{"usd": 1, "eur": 1}}, []any{"body", "amounts"}},
			{pct(map[string]any{"duration": "repeating"}), []any{"body", "duration_in_months"}},
			{pct(map[string]any{"duration": "repeating", "duration_in_months": 1000}), []any{"body", "duration_in_months"}},
			{pct(map[string]any{"duration_in_months": 2}), []any{"body", "duration_in_months"}},
			{pct(map[string]any{"code": "ab"}), []any{"body", "code"}},
			{pct(map[string]any{"code": "save-5"}), []any{"body", "code"}},
			{pct(map[string]any{"code": "SAVE5"}), []any{"body", "code"}}, // taken, other case
			{pct(map[string]any{"starts_at": "tomorrow"}), []any{"body", "starts_at"}},
			{pct(map[string]any{"starts_at": "2027-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"}), []any{"body", "ends_at"}},
			{pct(map[string]any{"max_redemptions": 0}), []any{"body", "max_redemptions"}},
			{pct(map[string]any{"metadata": map[string]any{"k": map[string]any{}}}), []any{"body", "metadata", "k"}},
			{pct(map[string]any{"products": []string{"nope"}}), []any{"body", "products", 0}},
			{pct(map[string]any{"products": []string{theirProduct}}), []any{"body", "products", 0}},
			{pct(map[string]any{"organization_id": otherID}), []any{"body", "organization_id"}},
			{fixed, nil}, // valid: a control for the table
			{"{not json", []any{"body"}},
		}
		for _, c := range cases {
			if c.loc == nil {
				in.Must(t, "POST", "/v1/discounts/", in.Token, c.body, 201, nil)
				continue
			}
			discount422(t, in, in.Token, "POST", "/v1/discounts/", c.body, c.loc...)
		}
		path := "/v1/discounts/" + id
		discount422(t, in, in.Token, "PATCH", path, map[string]any{"type": "fixed"}, "body", "type")
		discount422(t, in, in.Token, "PATCH", path, map[string]any{"duration": "forever"}, "body", "duration")
		discount422(t, in, in.Token, "PATCH", path, map[string]any{"amount": 5}, "body", "amount")
		discount422(t, in, in.Token, "PATCH", path, map[string]any{"ends_at": "2020-01-01"}, "body", "ends_at")
		discount422(t, in, in.Token, "PATCH", path, map[string]any{"products": []string{theirProduct}}, "body", "products", 0)
		var other map[string]any
		in.Must(t, "POST", "/v1/discounts/", in.Token, pct(map[string]any{"code": "OTHER1"}), 201, &other)
		discount422(t, in, in.Token, "PATCH", "/v1/discounts/"+other["id"].(string), map[string]any{"code": "save5"}, "body", "code")

		// Authentication, scopes and tenant isolation.
		in.Must(t, "GET", "/v1/discounts/", "", nil, 401, nil)
		in.Must(t, "GET", path, "pl_oat_wrong", nil, 401, nil)
		_, readOnly := in.NewOrg(t, "Reader", "discounts:read")
		in.Must(t, "POST", "/v1/discounts/", readOnly, pct(nil), 403, nil)
		in.Must(t, "GET", "/v1/discounts/", readOnly, nil, 200, nil)
		_, noScope := in.NewOrg(t, "Nobody", "products:read")
		in.Must(t, "GET", "/v1/discounts/", noScope, nil, 403, nil)
		in.Must(t, "GET", path, otherToken, nil, 404, nil)
		in.Must(t, "PATCH", path, otherToken, map[string]any{"name": "stolen"}, 404, nil)
		in.Must(t, "DELETE", path, otherToken, nil, 404, nil)
		in.Must(t, "GET", "/v1/discounts/not-a-uuid", in.Token, nil, 404, nil)
		in.Must(t, "GET", "/v1/discounts/"+paylink.NewID(), in.Token, nil, 404, nil)
		var theirs map[string]any
		in.Must(t, "POST", "/v1/discounts/", otherToken, pct(map[string]any{"code": "save5"}), 201, &theirs) // codes are per organization
		var l discountList
		in.Must(t, "GET", "/v1/discounts/", otherToken, nil, 200, &l)
		if len(l.Items) != 1 || l.Items[0]["id"] != theirs["id"] {
			t.Fatalf("other org's list: %+v", l)
		}
		in.Must(t, "GET", path, in.Token, nil, 200, &mine)
		if mine["name"] != "Ten" {
			t.Fatalf("another org changed it: %v", mine)
		}
	})
}
