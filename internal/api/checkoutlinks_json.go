package api

import (
	"context"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
)

// checkoutLinkJSON is Polar's CheckoutLink plus our link controls (extra fields the
// SDK ignores). Trials and seats are out of scope: always null.
type checkoutLinkJSON struct {
	ID                    string           `json:"id"`
	CreatedAt             time.Time        `json:"created_at"`
	ModifiedAt            *time.Time       `json:"modified_at"`
	TrialInterval         *string          `json:"trial_interval"`
	TrialIntervalCount    *int             `json:"trial_interval_count"`
	Metadata              paylink.Metadata `json:"metadata"`
	PaymentProcessor      string           `json:"payment_processor"`
	ClientSecret          string           `json:"client_secret"`
	SuccessURL            *string          `json:"success_url"`
	ReturnURL             *string          `json:"return_url"`
	Label                 *string          `json:"label"`
	AllowDiscountCodes    bool             `json:"allow_discount_codes"`
	RequireBillingAddress bool             `json:"require_billing_address"`
	DiscountID            *string          `json:"discount_id"`
	Seats                 *int             `json:"seats"`
	OrganizationID        string           `json:"organization_id"`
	Products              []any            `json:"products"`
	Units                 *int64           `json:"units"` // SDK 1.x; unit pricing is not a paylink feature
	Discount              any              `json:"discount"`
	URL                   string           `json:"url"`
	// Ours.
	Active           bool       `json:"active"`
	InactiveMessage  *string    `json:"inactive_message"`
	ExpiresAt        *time.Time `json:"expires_at"`
	MaxCompletions   *int       `json:"max_completions"`
	CompletionsCount int        `json:"completions_count"`
}

// linkJSON renders one link; see linksJSON.
func (a *API) linkJSON(ctx context.Context, tx *store.Tx, orgID string, l *paylink.CheckoutLink) (any, error) {
	out, err := a.linksJSON(ctx, tx, orgID, []*paylink.CheckoutLink{l})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// linksJSON renders links with their products (in the link's order) and their
// preset discount, loaded once for the whole page. A preset discount that has
// since been deleted shows as no discount, as Polar's ON DELETE SET NULL does.
func (a *API) linksJSON(ctx context.Context, tx *store.Tx, orgID string, links []*paylink.CheckoutLink) ([]any, error) {
	ids := []string{} // never nil: nil would list every product
	discounts := map[string]*paylink.Discount{}
	for _, l := range links {
		ids = append(ids, l.ProductIDs...)
		if l.DiscountID != nil {
			discounts[*l.DiscountID] = nil
		}
	}
	products, _, err := tx.ProductList(ctx, store.ProductListParams{OrganizationID: orgID, IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*paylink.Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	for id := range discounts {
		d, err := tx.DiscountGet(ctx, orgID, id)
		if err != nil && !paylink.IsCode(err, paylink.ENotFound) {
			return nil, err
		}
		discounts[id] = d
	}
	out := make([]any, 0, len(links))
	for _, l := range links {
		j := checkoutLinkJSON{
			ID: l.ID, CreatedAt: l.CreatedAt.UTC(), ModifiedAt: l.ModifiedAt, Metadata: l.Metadata, PaymentProcessor: "stripe",
			ClientSecret: l.ClientSecret, SuccessURL: l.SuccessURL, ReturnURL: l.ReturnURL, Label: l.Label,
			AllowDiscountCodes: l.AllowDiscountCodes, RequireBillingAddress: l.RequireBillingAddress,
			OrganizationID: l.OrganizationID, Products: []any{}, URL: a.PublicURL + "/buy/" + l.ClientSecret,
			Active: l.Active, InactiveMessage: l.InactiveMessage, ExpiresAt: l.ExpiresAt,
			MaxCompletions: l.MaxCompletions, CompletionsCount: l.CompletionsCount,
		}
		if j.Metadata == nil {
			j.Metadata = paylink.Metadata{}
		}
		if j.ModifiedAt != nil {
			t := j.ModifiedAt.UTC()
			j.ModifiedAt = &t
		}
		if j.ExpiresAt != nil {
			t := j.ExpiresAt.UTC()
			j.ExpiresAt = &t
		}
		for _, id := range l.ProductIDs {
			if p := byID[id]; p != nil {
				j.Products = append(j.Products, ProductJSON(a.PublicURL, p))
			}
		}
		if l.DiscountID != nil {
			if d := discounts[*l.DiscountID]; d != nil {
				j.DiscountID, j.Discount = &d.ID, DiscountBaseJSON(d)
			}
		}
		out = append(out, j)
	}
	return out, nil
}

// legacyProducts turns Polar's older single-product create bodies (product_id,
// product_price_id) into the products list, reporting on probs a body that names
// its products more than one way. A product_price_id is returned for the catalog
// to resolve (nil when there is none to resolve).
func legacyProducts(b *linkBody, in *paylink.LinkInput, probs *paylink.Problems) (priceID *string) {
	given := 0
	for _, o := range []Opt[string]{b.ProductID, b.ProductPriceID} {
		if o.Set && !o.Null {
			given++
		}
	}
	if in.ProductIDs != nil {
		given++
	}
	if given > 1 {
		probs.Add("send products, or the legacy product_id or product_price_id, not several", nil, "body")
	}
	switch {
	case in.ProductIDs != nil:
	case b.ProductID.Set && !b.ProductID.Null:
		in.ProductIDs, in.ProductsField = []string{b.ProductID.Value}, "product_id"
	case b.ProductPriceID.Set && !b.ProductPriceID.Null:
		in.ProductsField = "product_price_id"
		id := b.ProductPriceID.Value
		return &id
	}
	return nil
}

// linkRead renders a link just written, with what it references as it is now.
func (a *API) linkRead(ctx context.Context, orgID string, l *paylink.CheckoutLink) (any, error) {
	var out any
	err := a.read(ctx, func(tx *store.Tx) (err error) {
		out, err = a.linkJSON(ctx, tx, orgID, l)
		return err
	})
	return out, err
}
