package api_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

type linkList struct {
	Items      []map[string]any `json:"items"`
	Pagination struct {
		TotalCount int `json:"total_count"`
		MaxPage    int `json:"max_page"`
	} `json:"pagination"`
}

// linkShop is an empty organization with products made through the API.
type linkShop struct {
	in    *paylinktest.Instance
	orgID string
	token string
}

func newLinkShop(t *testing.T, db, name string) *linkShop {
	in := paylinktest.Start(t, db, nil)
	orgID, tok := in.NewOrg(t, name)
	return &linkShop{in: in, orgID: orgID, token: tok}
}

// eachLinkShop runs fn on both engines with a fresh server and an empty organization.
func eachLinkShop(t *testing.T, fn func(t *testing.T, s *linkShop, db string)) {
	storetest.Each(t, func(t *testing.T, db string) { fn(t, newLinkShop(t, db, "Link Shop"), db) })
}

// product creates a one-time product with a fixed price and returns its id and its price's id.
func (s *linkShop) product(t *testing.T, token, name string) (id, priceID string) {
	t.Helper()
	var p map[string]any
	s.in.Must(t, "POST", "/v1/products/", token, map[string]any{"name": name,
		"prices": []any{map[string]any{"amount_type": "fixed", "price_amount": 1500, "price_currency": "usd"}}}, 201, &p)
	return p["id"].(string), p["prices"].([]any)[0].(map[string]any)["id"].(string)
}

// discount creates a percentage discount, restricted to products when any are given.
func (s *linkShop) discount(t *testing.T, token, name string, products ...string) string {
	t.Helper()
	var d map[string]any
	body := map[string]any{"name": name, "type": "percentage", "duration": "once", "basis_points": 1000}
	if len(products) > 0 {
		body["products"] = products
	}
	s.in.Must(t, "POST", "/v1/discounts/", token, body, 201, &d)
	return d["id"].(string)
}

func (s *linkShop) create(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	var l map[string]any
	s.in.Must(t, "POST", "/v1/checkout-links/", s.token, body, 201, &l)
	s.checkShape(t, l)
	return l
}

// checkShape asserts what every checkout link of the shop carries on the wire; the
// url is the public URL (by default the server's own) + /buy/ + the secret.
func (s *linkShop) checkShape(t *testing.T, l map[string]any) {
	t.Helper()
	secret, _ := l["client_secret"].(string)
	if !strings.HasPrefix(secret, paylink.PrefixLinkSecret) || len(secret) < 40 || l["url"] != s.in.URL+"/buy/"+secret ||
		l["payment_processor"] != "stripe" || l["organization_id"] != s.orgID || !paylink.ValidID(l["id"].(string)) ||
		l["trial_interval"] != nil || l["trial_interval_count"] != nil || l["seats"] != nil {
		t.Fatalf("link shape: %v", l)
	}
	if _, err := time.Parse(time.RFC3339, l["created_at"].(string)); err != nil {
		t.Fatalf("created_at: %v", l)
	}
	for _, f := range []string{"metadata", "products", "allow_discount_codes", "require_billing_address", "active", "completions_count"} {
		if l[f] == nil {
			t.Fatalf("%s missing: %v", f, l)
		}
	}
	for _, f := range []string{"label", "discount_id", "discount", "success_url", "return_url", "modified_at",
		"inactive_message", "expires_at", "max_completions"} {
		if _, ok := l[f]; !ok {
			t.Fatalf("%s absent (want a value or null): %v", f, l)
		}
	}
}

func linkProductIDs(l map[string]any) []string {
	var out []string
	for _, p := range l["products"].([]any) {
		out = append(out, p.(map[string]any)["id"].(string))
	}
	return out
}

func linkIDs(l linkList) []string {
	out := []string{}
	for _, x := range l.Items {
		out = append(out, x["id"].(string))
	}
	return out
}

func TestCheckoutLinksAPI(t *testing.T) {
	eachLinkShop(t, func(t *testing.T, s *linkShop, db string) {
		in, tok := s.in, s.token
		ebook, ebookPrice := s.product(t, tok, "E-book")
		course, _ := s.product(t, tok, "Course")
		video, _ := s.product(t, tok, "Video")
		tenOff := s.discount(t, tok, "Ten off")
		expires := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)

		// Two products, order kept; every field of ours.
		spring := s.create(t, map[string]any{"payment_processor": "stripe", "label": "Spring", "products": []string{course, ebook},
			"allow_discount_codes": false, "require_billing_address": true, "discount_id": tenOff,
			"success_url": "https://shop.example/thanks?checkout={CHECKOUT_ID}", "return_url": "https://shop.example/",
			"metadata": map[string]any{"campaign": "spring", "n": 2}, "expires_at": expires.Format(time.RFC3339),
			"max_completions": 5, "trial_interval": nil, "seats": nil})
		if !reflect.DeepEqual(linkProductIDs(spring), []string{course, ebook}) ||
			spring["products"].([]any)[0].(map[string]any)["name"] != "Course" || spring["label"] != "Spring" ||
			spring["allow_discount_codes"] != false || spring["require_billing_address"] != true ||
			spring["discount_id"] != tenOff || spring["discount"].(map[string]any)["id"] != tenOff ||
			spring["discount"].(map[string]any)["basis_points"] != 1000.0 ||
			spring["success_url"] != "https://shop.example/thanks?checkout={CHECKOUT_ID}" ||
			spring["return_url"] != "https://shop.example/" || spring["expires_at"] != expires.Format(time.RFC3339) ||
			spring["max_completions"] != 5.0 || spring["completions_count"] != 0.0 || spring["active"] != true ||
			spring["inactive_message"] != nil || spring["modified_at"] != nil ||
			!reflect.DeepEqual(spring["metadata"], map[string]any{"campaign": "spring", "n": 2.0}) {
			t.Fatalf("create: %v", spring)
		}
		if p := spring["products"].([]any)[1].(map[string]any); len(p["prices"].([]any)) != 1 || p["is_archived"] != false {
			t.Fatalf("link product: %v", p)
		}

		// The legacy bodies; defaults.
		legacy := s.create(t, map[string]any{"payment_processor": "stripe", "product_id": strings.ToUpper(video), "label": "autumn"})
		byPrice := s.create(t, map[string]any{"payment_processor": "stripe", "product_price_id": ebookPrice, "label": "Winter"})
		if !reflect.DeepEqual(linkProductIDs(legacy), []string{video}) || !reflect.DeepEqual(linkProductIDs(byPrice), []string{ebook}) {
			t.Fatalf("legacy bodies: %v / %v", legacy["products"], byPrice["products"])
		}
		if legacy["allow_discount_codes"] != true || legacy["require_billing_address"] != false || legacy["discount"] != nil ||
			legacy["discount_id"] != nil || legacy["active"] != true || legacy["success_url"] != nil || legacy["expires_at"] != nil ||
			legacy["max_completions"] != nil || !reflect.DeepEqual(legacy["metadata"], map[string]any{}) {
			t.Fatalf("defaults: %v", legacy)
		}
		if legacy["client_secret"] == spring["client_secret"] {
			t.Fatal("secrets must differ")
		}
		for _, l := range []map[string]any{spring, legacy, byPrice} {
			var got map[string]any
			in.Must(t, "GET", "/v1/checkout-links/"+l["id"].(string), tok, nil, 200, &got)
			if !reflect.DeepEqual(got, l) {
				t.Fatalf("get differs from create:\n%v\n%v", got, l)
			}
		}

		// Lists: filters, sorting, pages.
		ids := func(l map[string]any) string { return l["id"].(string) }
		lists := []struct {
			query string
			want  []string
		}{
			{"", []string{ids(spring), ids(legacy), ids(byPrice)}},
			{"?sorting=-created_at", []string{ids(byPrice), ids(legacy), ids(spring)}},
			{"?sorting=label", []string{ids(legacy), ids(spring), ids(byPrice)}},
			{"?sorting=-label", []string{ids(byPrice), ids(spring), ids(legacy)}},
			{"?sorting=allow_discount_codes,-created_at", []string{ids(spring), ids(byPrice), ids(legacy)}},
			{"?sorting=success_url", []string{ids(spring), ids(legacy), ids(byPrice)}},
			{"?product_id=" + ebook, []string{ids(spring), ids(byPrice)}},
			{"?product_id=" + video + "&product_id=" + course, []string{ids(spring), ids(legacy)}},
			{"?product_id=" + strings.ToUpper(video), []string{ids(legacy)}},
			{"?organization_id=" + s.orgID + "&sorting=-created_at&limit=2&page=2", []string{ids(spring)}},
			{"?organization_id=" + in.OrgID, []string{}},
			{"?product_id=" + paylink.NewID(), []string{}},
		}
		for _, c := range lists {
			var l linkList
			in.Must(t, "GET", "/v1/checkout-links/"+c.query, tok, nil, 200, &l)
			if got := linkIDs(l); !reflect.DeepEqual(got, c.want) {
				t.Errorf("list %q: got %v, want %v", c.query, got, c.want)
			}
		}
		var page linkList
		in.Must(t, "GET", "/v1/checkout-links/?limit=2&page=2", tok, nil, 200, &page)
		if len(page.Items) != 1 || page.Pagination.TotalCount != 3 || page.Pagination.MaxPage != 2 {
			t.Fatalf("page 2: %+v", page.Pagination)
		}
		s.checkShape(t, page.Items[0])

		// Update: products replace the list; explicit nulls clear; the rest stays.
		id := ids(spring)
		var upd map[string]any
		in.Must(t, "PATCH", "/v1/checkout-links/"+id, tok, map[string]any{"products": []string{video, course}, "label": "Summer",
			"metadata": map[string]any{"campaign": "summer"}, "discount_id": nil, "active": false,
			"inactive_message": "Sold out, back in June", "allow_discount_codes": true}, 200, &upd)
		s.checkShape(t, upd)
		if !reflect.DeepEqual(linkProductIDs(upd), []string{video, course}) || upd["label"] != "Summer" ||
			upd["discount_id"] != nil || upd["discount"] != nil || upd["active"] != false ||
			upd["inactive_message"] != "Sold out, back in June" || upd["allow_discount_codes"] != true ||
			!reflect.DeepEqual(upd["metadata"], map[string]any{"campaign": "summer"}) || upd["modified_at"] == nil ||
			upd["success_url"] != spring["success_url"] || upd["max_completions"] != 5.0 || upd["client_secret"] != spring["client_secret"] {
			t.Fatalf("update: %v", upd)
		}
		var got map[string]any
		in.Must(t, "GET", "/v1/checkout-links/"+id, tok, nil, 200, &got)
		if !reflect.DeepEqual(got, upd) {
			t.Fatalf("get after update:\n%v\n%v", got, upd)
		}
		in.Must(t, "PATCH", "/v1/checkout-links/"+id, tok, map[string]any{"label": nil, "success_url": nil, "expires_at": nil,
			"max_completions": nil, "inactive_message": nil, "active": true, "discount_id": tenOff, "products": nil}, 200, &upd)
		if upd["label"] != nil || upd["success_url"] != nil || upd["expires_at"] != nil || upd["max_completions"] != nil ||
			upd["inactive_message"] != nil || upd["active"] != true || upd["discount_id"] != tenOff ||
			!reflect.DeepEqual(linkProductIDs(upd), []string{video, course}) || upd["return_url"] != "https://shop.example/" {
			t.Fatalf("clearing update: %v", upd)
		}

		// Rotating the secret: new secret and url; the old secret finds nothing.
		var rot map[string]any
		in.Must(t, "POST", "/v1/checkout-links/"+id+"/rotate-secret", tok, nil, 200, &rot)
		s.checkShape(t, rot)
		if rot["client_secret"] == upd["client_secret"] || rot["url"] == upd["url"] || rot["label"] != nil {
			t.Fatalf("rotate: %v", rot)
		}
		st := storetest.Open(t, db)
		err := st.Read(context.Background(), func(tx *store.Tx) error {
			_, err := tx.CheckoutLinkBySecret(context.Background(), upd["client_secret"].(string))
			return err
		})
		if !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("old secret: %v", err)
		}
		in.Must(t, "GET", "/v1/checkout-links/"+id, tok, nil, 200, &got)
		if got["client_secret"] != rot["client_secret"] {
			t.Fatalf("get after rotate: %v", got)
		}

		// Delete.
		in.Must(t, "DELETE", "/v1/checkout-links/"+id, tok, nil, 204, nil)
		in.Must(t, "GET", "/v1/checkout-links/"+id, tok, nil, 404, nil)
		in.Must(t, "DELETE", "/v1/checkout-links/"+id, tok, nil, 404, nil)
		in.Must(t, "PATCH", "/v1/checkout-links/"+id, tok, map[string]any{"label": "x"}, 404, nil)
		in.Must(t, "POST", "/v1/checkout-links/"+id+"/rotate-secret", tok, nil, 404, nil)
		var left linkList
		in.Must(t, "GET", "/v1/checkout-links/", tok, nil, 200, &left)
		if !reflect.DeepEqual(linkIDs(left), []string{ids(legacy), ids(byPrice)}) || left.Pagination.TotalCount != 2 {
			t.Fatalf("list after delete: %v", linkIDs(left))
		}
	})
}
