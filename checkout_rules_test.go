package paylink

import (
	"fmt"
	"testing"
	"time"
)

func TestCheckoutCanChange(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		status  string
		expires time.Time
		expired bool
		want    error
	}{
		{CheckoutOpen, now.Add(time.Second), false, nil},
		{CheckoutOpen, now, true, ErrCheckoutExpired}, // expires_at itself is past
		{CheckoutExpired, now.Add(time.Hour), true, ErrCheckoutExpired},
		{CheckoutConfirmed, now.Add(time.Hour), false, ErrCheckoutNotOpen},
		{CheckoutConfirmed, now.Add(-time.Hour), false, ErrCheckoutNotOpen}, // being paid: its outcome stands
		{CheckoutSucceeded, now.Add(-time.Hour), false, ErrCheckoutNotOpen},
		{CheckoutFailed, now.Add(time.Hour), false, ErrCheckoutNotOpen},
	}
	for _, tt := range tests {
		c := &Checkout{Status: tt.status, ExpiresAt: tt.expires}
		if got := c.Expired(now); got != tt.expired {
			t.Errorf("%s expiring %v: Expired = %v", tt.status, tt.expires.Sub(now), got)
		}
		if got := c.CanChange(now); got != tt.want {
			t.Errorf("%s expiring %v: CanChange = %v, want %v", tt.status, tt.expires.Sub(now), got, tt.want)
		}
	}
}

func TestCheckoutMissing(t *testing.T) {
	field := &CustomField{Type: FieldText, Slug: "company"}
	p := &Product{ID: "p", Prices: []*Price{{ID: "old", IsArchived: true}, {ID: "new"}},
		CustomFields: []ProductCustomField{{CustomField: field, Required: true}}}
	email, country := "a@example.com", "DE"
	tests := []struct {
		name        string
		c           Checkout
		paymentForm bool
		want        string
	}{
		{"nothing", Checkout{ProductID: "p"}, true,
			"[[body customer_email] [body custom_field_data company] [body customer_billing_address country] [body customer_billing_address]]"},
		{"free: no address", Checkout{ProductID: "p"}, false, "[[body customer_email] [body custom_field_data company]]"},
		{"complete", Checkout{ProductID: "p", CustomerEmail: &email, BillingCountry: &country,
			CustomFieldData: map[string]any{"company": "Acme"}}, true, "[]"},
	}
	for _, tt := range tests {
		v := &CheckoutView{Checkout: &tt.c, Products: []*Product{p}}
		var locs [][]any
		for _, f := range v.Missing(tt.paymentForm) {
			locs = append(locs, f.Loc)
		}
		if got := fmt.Sprint(locs); got != tt.want {
			t.Errorf("%s: Missing = %s, want %s", tt.name, got, tt.want)
		}
	}
	v := &CheckoutView{Checkout: &Checkout{ProductID: "p", PriceID: "old"}, Products: []*Product{p}}
	if v.Price() == nil || v.Price().ID != "old" || v.PriceCurrent() {
		t.Errorf("a session on an archived price: Price %v, PriceCurrent %v", v.Price(), v.PriceCurrent())
	}
	if v.Checkout.PriceID = "new"; !v.PriceCurrent() {
		t.Errorf("a session on the live price is not current")
	}
}
