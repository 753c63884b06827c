package api_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/cli"
)

type problemDetail struct {
	Detail []struct {
		Loc  []any  `json:"loc"`
		Type string `json:"type"`
		Msg  string `json:"msg"`
	} `json:"detail"`
}

// link422 sends body and wants a 422 that locates every one of locs; it returns the details.
func (s *linkShop) link422(t *testing.T, method, path string, body any, locs ...[]any) problemDetail {
	t.Helper()
	var e problemDetail
	s.in.Must(t, method, path, s.token, body, 422, &e)
	got := map[string]string{}
	for _, d := range e.Detail {
		got[fmt.Sprint(d.Loc)] = d.Msg
	}
	for _, loc := range locs {
		if msg, ok := got[fmt.Sprint(loc)]; !ok || msg == "" {
			t.Errorf("%s %s %v: want loc %v, got %+v", method, path, body, loc, e.Detail)
		}
	}
	return e
}

// tokenFor creates a token of the organization with the slug and scopes, through the CLI.
func tokenFor(t *testing.T, db, slug string, scopes ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	args := []string{"token", "create", "--org", slug, "--scopes", strings.Join(scopes, ","), "--database", db}
	if err := cli.Run(context.Background(), args, func(string) string { return "" }, &out, &errb); err != nil {
		t.Fatalf("token create: %v\n%s", err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

func TestCheckoutLinksAPIErrors(t *testing.T) {
	eachLinkShop(t, func(t *testing.T, s *linkShop, db string) {
		in, tok := s.in, s.token
		_, otherTok := in.NewOrg(t, "Other Shop")
		a, aPrice := s.product(t, tok, "Alpha")
		b, _ := s.product(t, tok, "Beta")
		archived, _ := s.product(t, tok, "Old")
		in.Must(t, "PATCH", "/v1/products/"+archived, tok, map[string]any{"is_archived": true}, 200, nil)
		theirs, theirPrice := s.product(t, otherTok, "Theirs")
		onlyA := s.discount(t, tok, "Only A", a)
		gone := s.discount(t, tok, "Gone")
		in.Must(t, "DELETE", "/v1/discounts/"+gone, tok, nil, 204, nil)
		theirDiscount := s.discount(t, otherTok, "Their discount")
		unknown := paylink.NewID()

		ok := func(extra map[string]any) map[string]any {
			body := map[string]any{"payment_processor": "stripe", "products": []string{a}}
			for k, v := range extra {
				body[k] = v
			}
			return body
		}
		twentyOne := make([]string, 21)
		for i := range twentyOne {
			twentyOne[i] = a
		}
		cases := []struct {
			body map[string]any
			loc  []any
		}{
			{map[string]any{"label": "no products"}, []any{"body", "products"}},
			{ok(map[string]any{"products": []string{}}), []any{"body", "products"}},
			{ok(map[string]any{"products": twentyOne}), []any{"body", "products"}},
			{ok(map[string]any{"products": []string{a, b, a}}), []any{"body", "products", 2}},
			{ok(map[string]any{"products": []string{"not-a-uuid"}}), []any{"body", "products", 0}},
			{ok(map[string]any{"products": "a"}), []any{"body", "products"}},
			{ok(map[string]any{"products": []string{b, unknown}}), []any{"body", "products", 1}},
			{ok(map[string]any{"products": []string{b, theirs}}), []any{"body", "products", 1}},
			{ok(map[string]any{"products": []string{b, archived}}), []any{"body", "products", 1}},
			{ok(map[string]any{"label": strings.Repeat("x", 257)}), []any{"body", "label"}},
			{ok(map[string]any{"discount_id": unknown}), []any{"body", "discount_id"}},
			{ok(map[string]any{"discount_id": theirDiscount}), []any{"body", "discount_id"}},
			{ok(map[string]any{"discount_id": gone}), []any{"body", "discount_id"}},
			{ok(map[string]any{"discount_id": "SAVE5"}), []any{"body", "discount_id"}},
			{ok(map[string]any{"products": []string{a, b}, "discount_id": onlyA}), []any{"body", "discount_id"}},
			{ok(map[string]any{"success_url": "ftp://shop.example/"}), []any{"body", "success_url"}},
			{ok(map[string]any{"success_url": "https://shop.example/" + strings.Repeat("x", 2030)}), []any{"body", "success_url"}},
			{ok(map[string]any{"return_url": "/back"}), []any{"body", "return_url"}},
			{ok(map[string]any{"metadata": map[string]any{"k": strings.Repeat("v", 501)}}), []any{"body", "metadata", "k"}},
			{ok(map[string]any{"metadata": "nope"}), []any{"body", "metadata"}},
			{ok(map[string]any{"inactive_message": strings.Repeat("x", 501)}), []any{"body", "inactive_message"}},
			{ok(map[string]any{"expires_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}), []any{"body", "expires_at"}},
			{ok(map[string]any{"expires_at": "next week"}), []any{"body", "expires_at"}},
			{ok(map[string]any{"max_completions": 0}), []any{"body", "max_completions"}},
			{ok(map[string]any{"max_completions": 1.5}), []any{"body", "max_completions"}},
			{ok(map[string]any{"active": "yes"}), []any{"body", "active"}},
			{ok(map[string]any{"trial_interval": "month", "trial_interval_count": 1}), []any{"body", "trial_interval"}},
			{ok(map[string]any{"seats": 3}), []any{"body", "seats"}},
			{ok(map[string]any{"payment_processor": "paypal"}), []any{"body", "payment_processor"}},
			{map[string]any{"product_id": "nope"}, []any{"body", "product_id"}},
			{map[string]any{"product_id": theirs}, []any{"body", "product_id"}},
			{map[string]any{"product_price_id": unknown}, []any{"body", "product_price_id"}},
			{map[string]any{"product_price_id": theirPrice}, []any{"body", "product_price_id"}},
			{map[string]any{"product_price_id": "x"}, []any{"body", "product_price_id"}},
			{ok(map[string]any{"product_id": b}), []any{"body"}},
		}
		for _, c := range cases {
			s.link422(t, "POST", "/v1/checkout-links/", c.body, c.loc)
		}
		// Another organization's product reads exactly like an unknown one.
		e1 := s.link422(t, "POST", "/v1/checkout-links/", ok(map[string]any{"products": []string{theirs}}), []any{"body", "products", 0})
		e2 := s.link422(t, "POST", "/v1/checkout-links/", ok(map[string]any{"products": []string{unknown}}), []any{"body", "products", 0})
		if e1.Detail[0].Msg != e2.Detail[0].Msg || strings.Contains(e1.Detail[0].Msg, "Theirs") {
			t.Fatalf("foreign product revealed: %+v vs %+v", e1, e2)
		}
		// Every problem in one answer.
		all := s.link422(t, "POST", "/v1/checkout-links/", map[string]any{"products": []string{a, unknown}, "label": strings.Repeat("x", 300),
			"success_url": "nope", "discount_id": gone, "max_completions": -1},
			[]any{"body", "products", 1}, []any{"body", "label"}, []any{"body", "success_url"}, []any{"body", "discount_id"}, []any{"body", "max_completions"})
		if len(all.Detail) != 5 {
			t.Fatalf("want 5 problems, got %+v", all.Detail)
		}
		in.Must(t, "POST", "/v1/checkout-links/", tok, `{"products": [`, 422, nil)

		// Updates follow the same rules.
		link := s.create(t, map[string]any{"products": []string{a}, "discount_id": onlyA})
		path := "/v1/checkout-links/" + link["id"].(string)
		for _, c := range []struct {
			body map[string]any
			loc  []any
		}{
			{map[string]any{"products": []string{}}, []any{"body", "products"}},
			{map[string]any{"products": []string{a, theirs}}, []any{"body", "products", 1}},
			{map[string]any{"products": []string{b, b}}, []any{"body", "products", 1}},
			{map[string]any{"products": []string{a, b}}, []any{"body", "products"}}, // the kept preset covers only A
			{map[string]any{"discount_id": theirDiscount}, []any{"body", "discount_id"}},
			{map[string]any{"label": strings.Repeat("x", 257)}, []any{"body", "label"}},
			{map[string]any{"success_url": "mailto:x@shop.example"}, []any{"body", "success_url"}},
			{map[string]any{"max_completions": 0}, []any{"body", "max_completions"}},
			{map[string]any{"seats": 1}, []any{"body", "seats"}},
		} {
			s.link422(t, "PATCH", path, c.body, c.loc)
		}
		var same map[string]any
		in.Must(t, "GET", path, tok, nil, 200, &same)
		if !reflect.DeepEqual(same, link) {
			t.Fatalf("a rejected update changed the link:\n%v\n%v", same, link)
		}
		in.Must(t, "PATCH", path, tok, map[string]any{"products": []string{a, b}, "discount_id": nil}, 200, nil)

		// Nothing was written by any rejected create; the legacy price body still works.
		var l linkList
		in.Must(t, "GET", "/v1/checkout-links/", tok, nil, 200, &l)
		if l.Pagination.TotalCount != 1 {
			t.Fatalf("rejected creates left links: %+v", l.Pagination)
		}
		in.Must(t, "POST", "/v1/checkout-links/", tok, map[string]any{"product_price_id": aPrice}, 201, nil)

		// 401, 403, 404.
		in.Must(t, "GET", "/v1/checkout-links/", "", nil, 401, nil)
		in.Must(t, "POST", "/v1/checkout-links/", "pl_oat_wrong", ok(nil), 401, nil)
		reader := tokenFor(t, db, "link-shop", "checkout_links:read")
		in.Must(t, "GET", path, reader, nil, 200, nil)
		in.Must(t, "POST", "/v1/checkout-links/", reader, ok(nil), 403, nil)
		in.Must(t, "PATCH", path, reader, map[string]any{"label": "x"}, 403, nil)
		in.Must(t, "DELETE", path, reader, nil, 403, nil)
		in.Must(t, "POST", path+"/rotate-secret", reader, nil, 403, nil)
		in.Must(t, "GET", "/v1/checkout-links/", tokenFor(t, db, "link-shop", "products:read"), nil, 403, nil)
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			in.Must(t, m, path, otherTok, map[string]any{"label": "stolen"}, 404, nil)
		}
		in.Must(t, "POST", path+"/rotate-secret", otherTok, nil, 404, nil)
		in.Must(t, "GET", "/v1/checkout-links/"+unknown, tok, nil, 404, nil)
		in.Must(t, "GET", "/v1/checkout-links/not-a-uuid", tok, nil, 404, nil)
		var theirList linkList
		in.Must(t, "GET", "/v1/checkout-links/?organization_id="+s.orgID, otherTok, nil, 200, &theirList)
		if theirList.Pagination.TotalCount != 0 {
			t.Fatalf("another organization sees links: %+v", theirList)
		}
		in.Must(t, "GET", "/v1/checkout-links/?product_id=x", tok, nil, 422, nil)
		in.Must(t, "GET", "/v1/checkout-links/?sorting=price", tok, nil, 422, nil)
		in.Must(t, "GET", path, tok, nil, 200, &same)
		if same["label"] != nil {
			t.Fatalf("another organization changed the link: %v", same)
		}
	})
}
