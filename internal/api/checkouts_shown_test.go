package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/paylink/paylink"
)

// TestShownJSONEncodesAsTheObjects checks that a checkout's client answer with
// its products' encoding kept (shownRenderer) is byte for byte what encoding
// them anew gives, on the first call and on a later one, and that the selected
// product is the same object as in products.
func TestShownJSONEncodesAsTheObjects(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	desc := `<b>"bold"</b> & more`
	field := &paylink.CustomField{ID: "cf1", Type: paylink.FieldText, Slug: "team", Name: "Team </script>", CreatedAt: at}
	kit := &paylink.Product{ID: "p1", OrganizationID: "o1", Name: `Kit <script>alert("x")</script>`, Description: &desc,
		Prices:       []*paylink.Price{{ID: "r1", ProductID: "p1", AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 1200, CreatedAt: at}},
		CustomFields: []paylink.ProductCustomField{{CustomFieldID: "cf1", Required: true, CustomField: field}}, CreatedAt: at}
	plan := &paylink.Product{ID: "p2", OrganizationID: "o1", Name: "Plan", CreatedAt: at,
		Prices: []*paylink.Price{{ID: "r2", ProductID: "p2", AmountType: paylink.PriceFree, Currency: "usd", CreatedAt: at}}}
	v := &paylink.CheckoutView{Checkout: &paylink.Checkout{ID: "c1", OrganizationID: "o1", ClientSecret: "s", Status: paylink.CheckoutOpen,
		ProductIDs: []string{"p1", "p2"}, ProductID: "p1", PriceID: "r1", Amount: 1200, TotalAmount: 1200, NetAmount: 1200, Currency: "usd",
		CreatedAt: at, ExpiresAt: at.Add(time.Hour)}, Products: []*paylink.Product{kit, plan}}
	org := &paylink.Organization{ID: "o1", Name: "Shop", Slug: "shop", CreatedAt: at}

	a := &API{PublicURL: "https://pay.example"}
	want, err := paylink.MarshalJSON(a.renderer().checkoutPublic(v, org))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		got, err := paylink.MarshalJSON(a.shownRenderer().checkoutPublic(v, org))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("call %d: %v\n%s\nwant\n%s", i, err, got, want)
		}
	}
	if len(a.shownJSON.m) != 2 {
		t.Fatalf("%d products kept, want 2", len(a.shownJSON.m))
	}
	var out struct {
		Products []json.RawMessage            `json:"products"`
		Product  json.RawMessage              `json:"product"`
		Prices   map[string][]json.RawMessage `json:"prices"`
		Fields   []struct {
			CustomFieldID string `json:"custom_field_id"`
			Required      bool   `json:"required"`
		} `json:"attached_custom_fields"`
	}
	if err := json.Unmarshal(want, &out); err != nil {
		t.Fatal(err)
	}
	p1, _ := paylink.MarshalJSON(checkoutProduct(a.PublicURL, kit))
	if len(out.Products) != 2 || !bytes.Equal(out.Products[0], p1) || !bytes.Equal(out.Product, p1) ||
		len(out.Prices["p1"]) != 1 || len(out.Prices["p2"]) != 1 || len(out.Fields) != 1 || !out.Fields[0].Required {
		t.Fatalf("answer %s", want)
	}
	if !bytes.Contains(want, []byte(`"name":"Kit <script>alert(\"x\")</script>"`)) {
		t.Fatalf("the name is not encoded as JSON strings are: %s", want)
	}
}
