package e2e_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Text that neither engine can keep alike (a NUL, invalid UTF-8, a cut through a
// character) never answers a 500: a visit drops the bad value and the purchase goes
// on; the API answers 422 at the field. PostgreSQL refused all of these with a 500.
func TestBadTextInVisitsAndBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		long := "x=" + strings.Repeat("é", 2100) // 4,202 bytes: the stored query is cut mid-character
		for _, q := range []string{
			"utm_content=%00&utm_medium=mail%00x&reference_id=%FF&utm_campaign=ok&customer_name=Ann%00",
			"utm_term=\xff\xfe&utm_campaign=ok",
			long,
		} {
			secret, _ := s.visit(t, q)
			ctx := t.Context()
			c := ok(s.api.Checkout(ctx, ok(s.anon.ClientCheckout(ctx, secret))(t).ID))(t)
			for _, k := range []string{"utm_content", "utm_medium", "reference_id", "utm_term"} {
				if _, ok := c.Metadata[k]; ok {
					t.Errorf("query %.40q: %s kept as %q", q, k, c.Metadata[k])
				}
			}
			if strings.HasPrefix(q, "utm_content") && (c.Metadata["utm_campaign"] != "ok" || c.CustomerName != nil) {
				t.Errorf("good values beside bad ones: metadata %v, name %v", c.Metadata, c.CustomerName)
			}
			ok(s.anon.UpdateClientCheckout(ctx, secret, &client.CheckoutUpdate{ProductID: &s.plan}))(t)
			s.pay(t, secret, client.CheckoutConfirm{CustomerEmail: new("ann@example.com"), CustomerBillingAddress: &client.Address{Country: "FR"}})
		}

		for _, tc := range []struct {
			method, path string
			body         any
			loc          []any
		}{
			{"POST", "/v1/products/", map[string]any{"name": "Kit\x00", "prices": []any{map[string]any{"amount_type": "free"}}}, []any{"body", "name"}},
			{"POST", "/v1/products/", map[string]any{"name": "Kit", "description": "a\x00b", "prices": []any{map[string]any{"amount_type": "free"}}}, []any{"body", "description"}},
			{"PATCH", "/v1/products/" + s.kit, map[string]any{"metadata": map[string]any{"k": "v\x00"}}, []any{"body", "metadata", "k"}},
			{"PATCH", "/v1/products/" + s.kit, map[string]any{"metadata": map[string]any{"k\x00": "v"}}, []any{"body", "metadata", "k\x00"}},
			{"POST", "/v1/discounts/", map[string]any{"name": "Ten\x00", "type": "percentage", "basis_points": 1000, "duration": "once"}, []any{"body", "name"}},
			{"PATCH", "/v1/checkout-links/" + s.link.ID, map[string]any{"label": "Spring\x00"}, []any{"body", "label"}},
			{"POST", "/v1/custom-fields/", map[string]any{"type": "text", "slug": "x", "name": "X\x00", "properties": map[string]any{}}, []any{"body", "name"}},
			{"POST", "/v1/webhooks/endpoints", map[string]any{"url": "https://example.com/h", "format": "raw", "events": []any{"order.paid"},
				"name": "a\x00"}, []any{"body", "name"}},
			{"POST", "/v1/products/", "{\"name\": \"Kit \xff\", \"prices\": [{\"amount_type\": \"free\"}]}", []any{"body"}},
		} {
			status, b := s.in.Do(t, tc.method, tc.path, s.token, tc.body)
			var got struct {
				Detail []struct {
					Loc []any `json:"loc"`
				} `json:"detail"`
			}
			json.Unmarshal(b, &got)
			if status != http.StatusUnprocessableEntity || len(got.Detail) == 0 {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, status, b)
				continue
			}
			if loc, _ := json.Marshal(got.Detail[0].Loc); string(loc) != mustJSON(tc.loc) {
				t.Errorf("%s %s: loc %s, want %s", tc.method, tc.path, loc, mustJSON(tc.loc))
			}
		}
	})
}

// The query a visit passes on to the checkout page is bounded, so the 303's
// Location stays a header size every client and proxy takes.
func TestVisitPassesOnABoundedQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		s := newShop(t, db)
		_, rest := s.visit(t, "a_theme=dark&z_blob="+strings.Repeat("y", 200_000)+"&b_lang=fr")
		if rest.Get("a_theme") != "dark" || rest.Get("b_lang") != "fr" || rest.Has("z_blob") {
			t.Fatalf("passed on: %d keys, a_theme %q b_lang %q z_blob %d bytes", len(rest), rest.Get("a_theme"), rest.Get("b_lang"), len(rest.Get("z_blob")))
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// API answers are one client's data: never cached, never sniffed.
func TestAPIResponsesAreNotCachedOrSniffed(t *testing.T) {
	s := newShop(t, storetest.SQLiteURL(t))
	secret, _ := s.visit(t, "customer_email=ann%40example.com")
	resp, err := s.in.Client.Get(s.in.URL + "/v1/checkouts/client/" + secret)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("client GET: %d, Cache-Control %q, X-Content-Type-Options %q", resp.StatusCode,
			resp.Header.Get("Cache-Control"), resp.Header.Get("X-Content-Type-Options"))
	}
}
