package api

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// discountBaseJSON is Polar's Discount…Base: one struct for the four schemas
// (fixed or percentage × once/forever or repeating). The fields of the other type
// and duration_in_months outside "repeating" are left out, as Polar leaves them.
type discountBaseJSON struct {
	Duration         string           `json:"duration"`
	DurationInMonths *int             `json:"duration_in_months,omitempty"`
	Type             string           `json:"type"`
	BasisPoints      *int             `json:"basis_points,omitempty"`
	Amount           *int64           `json:"amount,omitempty"`   // fixed; deprecated by Polar, still required
	Currency         *string          `json:"currency,omitempty"` // fixed; deprecated by Polar, still required
	Amounts          map[string]int64 `json:"amounts,omitempty"`  // fixed
	CreatedAt        time.Time        `json:"created_at"`
	ModifiedAt       *time.Time       `json:"modified_at"`
	ID               string           `json:"id"`
	Metadata         paylink.Metadata `json:"metadata"`
	Name             string           `json:"name"`
	Code             *string          `json:"code"`
	StartsAt         *time.Time       `json:"starts_at"`
	EndsAt           *time.Time       `json:"ends_at"`
	MaxRedemptions   *int             `json:"max_redemptions"`
	// SDK 1.x requires it; paylink caps redemptions per discount only: null.
	MaxRedemptionsPerCustomer *int   `json:"max_redemptions_per_customer"`
	RedemptionsCount          int    `json:"redemptions_count"`
	OrganizationID            string `json:"organization_id"`
}

// discountJSON is Polar's Discount: the base plus the products it is restricted to.
type discountJSON struct {
	discountBaseJSON
	Products []any `json:"products"`
}

// DiscountBaseJSON renders a discount as Polar's Discount…Base schemas, the
// minimal discount embedded in checkout links and checkouts (no products).
func DiscountBaseJSON(d *paylink.Discount) any { return discountBase(d) }

func discountBase(d *paylink.Discount) discountBaseJSON {
	out := discountBaseJSON{
		Duration: d.Duration, Type: d.Type, CreatedAt: d.CreatedAt, ModifiedAt: d.ModifiedAt, ID: d.ID,
		Metadata: d.Metadata, Name: d.Name, Code: d.Code, StartsAt: d.StartsAt, EndsAt: d.EndsAt,
		MaxRedemptions: d.MaxRedemptions, RedemptionsCount: d.RedemptionsCount, OrganizationID: d.OrganizationID,
	}
	if out.Metadata == nil {
		out.Metadata = paylink.Metadata{}
	}
	if d.Duration == paylink.DurationRepeating {
		out.DurationInMonths = d.DurationInMonths
	}
	if d.Type == paylink.DiscountFixed {
		amount, currency := d.Amount, d.Currency
		out.Amount, out.Currency = &amount, &currency
		out.Amounts = map[string]int64{currency: amount}
	} else {
		bp := d.BasisPoints
		out.BasisPoints = &bp
	}
	return out
}

// DiscountJSON renders a discount as Polar's Discount. products must hold the
// discount's products (it may hold more: they are picked by id, in the
// discount's order); ids with no product are left out.
func DiscountJSON(base string, d *paylink.Discount, products []*paylink.Product) any {
	byID := make(map[string]*paylink.Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	out := discountJSON{discountBaseJSON: discountBase(d), Products: []any{}}
	for _, id := range d.ProductIDs {
		if p := byID[id]; p != nil {
			out.Products = append(out.Products, ProductJSON(base, p)) // a superset of Polar's DiscountProduct
		}
	}
	return out
}

// discountProducts loads the organization's products with the ids, in order;
// ENotFound when one is not a product of the organization. It is the one place
// discounts read products.
func discountProducts(ctx context.Context, tx *store.Tx, orgID string, ids []string) ([]*paylink.Product, error) {
	return tx.ProductGetMany(ctx, orgID, ids)
}
