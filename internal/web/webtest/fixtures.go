package webtest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
)

// Catalog is what the checkout tests add to the demo organization through the API.
type Catalog struct {
	Poster string // a $15 one-time product with a required "Size" select field
	SizeID string
}

func DemoCatalog(t *testing.T, in *paylinktest.Instance) Catalog {
	t.Helper()
	var field struct{ ID string }
	in.Must(t, "POST", "/v1/custom-fields/", in.Token, map[string]any{
		"type": "select", "slug": "size", "name": "Size",
		"properties": map[string]any{"options": []map[string]string{
			{"value": "s", "label": "Small"}, {"value": "m", "label": "Medium"}, {"value": "l", "label": "Large"}}},
	}, 201, &field)
	var product struct{ ID string }
	in.Must(t, "POST", "/v1/products/", in.Token, map[string]any{
		"name": "Poster", "description": "A2 print on heavy matte paper.",
		"prices":                 []map[string]any{{"amount_type": "fixed", "price_currency": "usd", "price_amount": 1500}},
		"attached_custom_fields": []map[string]any{{"custom_field_id": field.ID, "required": true}},
	}, 201, &product)
	return Catalog{Poster: product.ID, SizeID: field.ID}
}

// CreateLink creates a checkout link for the product and returns its URL.
func CreateLink(t *testing.T, in *paylinktest.Instance, productID, successURL string) string {
	t.Helper()
	body := map[string]any{}
	if successURL != "" {
		body["success_url"] = successURL
	}
	return CreateLinkWith(t, in, []string{productID}, body)
}

// CreateLinkWith creates a checkout link for the products with more fields of
// the API's body, and returns its URL.
func CreateLinkWith(t *testing.T, in *paylinktest.Instance, productIDs []string, body map[string]any) string {
	t.Helper()
	b := map[string]any{"payment_processor": "stripe", "products": productIDs, "label": "Test link",
		"metadata": map[string]any{"channel": "test"}}
	for k, v := range body {
		b[k] = v
	}
	var link struct{ URL string }
	in.Must(t, "POST", "/v1/checkout-links/", in.Token, b, 201, &link)
	return link.URL
}

// ProductID returns the id of the organization's product with the name.
func ProductID(t *testing.T, in *paylinktest.Instance, name string) string {
	t.Helper()
	var list struct {
		Items []struct{ ID, Name string }
	}
	in.Must(t, "GET", "/v1/products/?limit=100", in.Token, nil, 200, &list)
	for _, p := range list.Items {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no product %q", name)
	return ""
}

// DiscountID returns the id of the organization's discount with the code.
func DiscountID(t *testing.T, in *paylinktest.Instance, code string) string {
	t.Helper()
	var list struct {
		Items []struct {
			ID   string
			Code *string
		}
	}
	in.Must(t, "GET", "/v1/discounts/?limit=100", in.Token, nil, 200, &list)
	for _, d := range list.Items {
		if d.Code != nil && *d.Code == code {
			return d.ID
		}
	}
	t.Fatalf("no discount %q", code)
	return ""
}

// OrderFacts is what the tests check of an order.
type OrderFacts struct {
	ID              string
	Amount          int64
	TotalAmount     int64
	Metadata        map[string]any
	CustomFieldData map[string]any
}

// OrderOf returns the order the session with the client secret created.
func OrderOf(t *testing.T, in *paylinktest.Instance, secret string) OrderFacts {
	t.Helper()
	var id string
	WithStore(t, in, func(tx *store.Tx) error {
		c, err := tx.CheckoutBySecret(context.Background(), secret, false)
		if err == nil {
			id = c.ID
		}
		return err
	})
	return OrderByCheckoutID(t, in, id)
}

// OrderByCheckoutID finds the order a checkout created, then reads it through
// the merchant's API, as the merchant would.
func OrderByCheckoutID(t *testing.T, in *paylinktest.Instance, checkoutID string) OrderFacts {
	t.Helper()
	var o *paylink.Order
	WithStore(t, in, func(tx *store.Tx) error {
		var err error
		o, err = tx.OrderByCheckout(context.Background(), checkoutID)
		return err
	})
	status, body := in.Do(t, "GET", "/v1/orders/"+o.ID, in.Token, nil)
	if status != 200 {
		t.Fatalf("GET /v1/orders/%s: %d %s", o.ID, status, body)
	}
	var api struct {
		ID              string         `json:"id"`
		SubtotalAmount  int64          `json:"subtotal_amount"`
		TotalAmount     int64          `json:"total_amount"`
		CheckoutID      string         `json:"checkout_id"`
		Metadata        map[string]any `json:"metadata"`
		CustomFieldData map[string]any `json:"custom_field_data"`
	}
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatalf("order JSON: %v: %s", err, body)
	}
	if api.CheckoutID != checkoutID {
		t.Errorf("order %s: checkout_id %q, want %q", o.ID, api.CheckoutID, checkoutID)
	}
	return OrderFacts{ID: api.ID, Amount: api.SubtotalAmount, TotalAmount: api.TotalAmount, Metadata: api.Metadata,
		CustomFieldData: api.CustomFieldData}
}

func WithStore(t *testing.T, in *paylinktest.Instance, fn func(tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, in.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}
