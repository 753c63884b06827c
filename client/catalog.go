package client

import (
	"context"
	"net/http"
	"time"
)

// Product is Polar's Product.
type Product struct {
	ID                   string                `json:"id"`
	CreatedAt            time.Time             `json:"created_at"`
	ModifiedAt           *time.Time            `json:"modified_at"`
	OrganizationID       string                `json:"organization_id"`
	Name                 string                `json:"name"`
	Description          *string               `json:"description"`
	RecurringInterval    *string               `json:"recurring_interval"` // "month", "year", …; nil for a one-time product
	IsRecurring          bool                  `json:"is_recurring"`
	IsArchived           bool                  `json:"is_archived"`
	Metadata             Metadata              `json:"metadata"`
	Prices               []Price               `json:"prices"`
	Benefits             []Benefit             `json:"benefits"`
	AttachedCustomFields []AttachedCustomField `json:"attached_custom_fields"`
}

// Price is one of Polar's ProductPrice shapes: fixed (PriceAmount; a free
// price is a fixed price of 0) or custom, pay what you want (MinimumAmount,
// MaximumAmount, PresetAmount). Amounts are in minor units of PriceCurrency.
type Price struct {
	ID            string `json:"id"`
	ProductID     string `json:"product_id"`
	AmountType    string `json:"amount_type"` // "fixed", "custom" or "free"
	PriceCurrency string `json:"price_currency"`
	IsArchived    bool   `json:"is_archived"`
	PriceAmount   int64  `json:"price_amount"`
	MinimumAmount int64  `json:"minimum_amount"`
	MaximumAmount *int64 `json:"maximum_amount"`
	PresetAmount  *int64 `json:"preset_amount"`
}

// AttachedCustomField is a custom field a product asks for at checkout.
type AttachedCustomField struct {
	CustomFieldID string      `json:"custom_field_id"`
	CustomField   CustomField `json:"custom_field"`
	Order         int         `json:"order"`
	Required      bool        `json:"required"`
}

// ProductCreate is POST /v1/products/.
type ProductCreate struct {
	Name                 string                      `json:"name"`
	Description          *string                     `json:"description,omitempty"`
	RecurringInterval    *string                     `json:"recurring_interval,omitempty"`
	Prices               []PriceCreate               `json:"prices"`
	Metadata             Metadata                    `json:"metadata,omitempty"`
	AttachedCustomFields []AttachedCustomFieldCreate `json:"attached_custom_fields,omitempty"`
}

// PriceCreate is a price of ProductCreate or ProductUpdate.
type PriceCreate struct {
	AmountType    string `json:"amount_type"`
	PriceCurrency string `json:"price_currency,omitempty"`
	PriceAmount   int64  `json:"price_amount,omitempty"`
	MinimumAmount *int64 `json:"minimum_amount,omitempty"`
	MaximumAmount *int64 `json:"maximum_amount,omitempty"`
	PresetAmount  *int64 `json:"preset_amount,omitempty"`
}

// AttachedCustomFieldCreate attaches a custom field to a product.
type AttachedCustomFieldCreate struct {
	CustomFieldID string `json:"custom_field_id"`
	Required      bool   `json:"required"`
}

// ProductUpdate is PATCH /v1/products/{id}: nil fields stay as they are;
// Prices replaces the live prices (the old ones are archived).
type ProductUpdate struct {
	Name                 *string                     `json:"name,omitempty"`
	Description          *string                     `json:"description,omitempty"`
	IsArchived           *bool                       `json:"is_archived,omitempty"`
	Metadata             Metadata                    `json:"metadata,omitempty"`
	Prices               []PriceCreate               `json:"prices,omitempty"`
	AttachedCustomFields []AttachedCustomFieldCreate `json:"attached_custom_fields,omitempty"`
}

// Products lists the organization's products (filters: "is_archived",
// "is_recurring", "query", "visibility").
func (c *Client) Products(ctx context.Context, o *ListOptions) (*List[Product], error) {
	return list[Product](ctx, c, "/v1/products/", o)
}

// Product gets one product.
func (c *Client) Product(ctx context.Context, id string) (*Product, error) {
	return get[Product](ctx, c, "/v1/products/"+esc(id), nil)
}

// CreateProduct creates a product with its prices.
func (c *Client) CreateProduct(ctx context.Context, in *ProductCreate) (*Product, error) {
	return send[Product](ctx, c, http.MethodPost, "/v1/products/", in)
}

// UpdateProduct changes a product.
func (c *Client) UpdateProduct(ctx context.Context, id string, in *ProductUpdate) (*Product, error) {
	return send[Product](ctx, c, http.MethodPatch, "/v1/products/"+esc(id), in)
}

// ArchiveProduct is DELETE /v1/products/{id}: the product is archived, as Polar
// does; it stays readable for the orders and subscriptions that have it.
func (c *Client) ArchiveProduct(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/products/"+esc(id), nil, nil, nil)
}

// SetProductBenefits makes benefitIDs the product's benefits, in that order.
func (c *Client) SetProductBenefits(ctx context.Context, productID string, benefitIDs []string) (*Product, error) {
	if benefitIDs == nil {
		benefitIDs = []string{}
	}
	return send[Product](ctx, c, http.MethodPost, "/v1/products/"+esc(productID)+"/benefits", map[string]any{"benefits": benefitIDs})
}

// CustomField is Polar's CustomField: a question a checkout asks.
type CustomField struct {
	ID             string         `json:"id"`
	CreatedAt      time.Time      `json:"created_at"`
	OrganizationID string         `json:"organization_id"`
	Type           string         `json:"type"` // "text", "number", "date", "checkbox", "select"
	Slug           string         `json:"slug"`
	Name           string         `json:"name"`
	Metadata       Metadata       `json:"metadata"`
	Properties     map[string]any `json:"properties"`
}

// CustomFieldCreate is POST /v1/custom-fields/.
type CustomFieldCreate struct {
	Type       string         `json:"type"`
	Slug       string         `json:"slug"`
	Name       string         `json:"name"`
	Properties map[string]any `json:"properties"`
	Metadata   Metadata       `json:"metadata,omitempty"`
}

// CreateCustomField creates a custom field.
func (c *Client) CreateCustomField(ctx context.Context, in *CustomFieldCreate) (*CustomField, error) {
	if in.Properties == nil {
		cp := *in
		cp.Properties = map[string]any{}
		in = &cp
	}
	return send[CustomField](ctx, c, http.MethodPost, "/v1/custom-fields/", in)
}

// CustomFields lists the organization's custom fields.
func (c *Client) CustomFields(ctx context.Context, o *ListOptions) (*List[CustomField], error) {
	return list[CustomField](ctx, c, "/v1/custom-fields/", o)
}

// DeleteCustomField deletes a custom field.
func (c *Client) DeleteCustomField(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/custom-fields/"+esc(id), nil, nil, nil)
}

// Discount is Polar's Discount: a percentage (BasisPoints) or a fixed amount
// (Amount in Currency), once, forever or repeating (DurationInMonths).
type Discount struct {
	ID               string     `json:"id"`
	CreatedAt        time.Time  `json:"created_at"`
	OrganizationID   string     `json:"organization_id"`
	Name             string     `json:"name"`
	Type             string     `json:"type"`     // "percentage" or "fixed"
	Duration         string     `json:"duration"` // "once", "forever" or "repeating"
	DurationInMonths *int       `json:"duration_in_months"`
	BasisPoints      int        `json:"basis_points"`
	Amount           int64      `json:"amount"`
	Currency         string     `json:"currency"`
	Code             *string    `json:"code"`
	StartsAt         *time.Time `json:"starts_at"`
	EndsAt           *time.Time `json:"ends_at"`
	MaxRedemptions   *int       `json:"max_redemptions"`
	RedemptionsCount int        `json:"redemptions_count"`
	Metadata         Metadata   `json:"metadata"`
	Products         []Product  `json:"products"`
}

// DiscountCreate is POST /v1/discounts/.
type DiscountCreate struct {
	Name             string     `json:"name"`
	Type             string     `json:"type"`
	Duration         string     `json:"duration"`
	DurationInMonths *int       `json:"duration_in_months,omitempty"`
	BasisPoints      int        `json:"basis_points,omitempty"`
	Amount           int64      `json:"amount,omitempty"`
	Currency         string     `json:"currency,omitempty"`
	Code             string     `json:"code,omitempty"`
	StartsAt         *time.Time `json:"starts_at,omitempty"`
	EndsAt           *time.Time `json:"ends_at,omitempty"`
	MaxRedemptions   *int       `json:"max_redemptions,omitempty"`
	Products         []string   `json:"products,omitempty"`
	Metadata         Metadata   `json:"metadata,omitempty"`
}

// DiscountUpdate is PATCH /v1/discounts/{id}: nil fields stay as they are.
type DiscountUpdate struct {
	Name           *string    `json:"name,omitempty"`
	Code           *string    `json:"code,omitempty"`
	StartsAt       *time.Time `json:"starts_at,omitempty"`
	EndsAt         *time.Time `json:"ends_at,omitempty"`
	MaxRedemptions *int       `json:"max_redemptions,omitempty"`
	Products       []string   `json:"products,omitempty"`
	Metadata       Metadata   `json:"metadata,omitempty"`
}

// Discounts lists the organization's discounts.
func (c *Client) Discounts(ctx context.Context, o *ListOptions) (*List[Discount], error) {
	return list[Discount](ctx, c, "/v1/discounts/", o)
}

// Discount gets one discount.
func (c *Client) Discount(ctx context.Context, id string) (*Discount, error) {
	return get[Discount](ctx, c, "/v1/discounts/"+esc(id), nil)
}

// CreateDiscount creates a discount.
func (c *Client) CreateDiscount(ctx context.Context, in *DiscountCreate) (*Discount, error) {
	return send[Discount](ctx, c, http.MethodPost, "/v1/discounts/", in)
}

// UpdateDiscount changes a discount.
func (c *Client) UpdateDiscount(ctx context.Context, id string, in *DiscountUpdate) (*Discount, error) {
	return send[Discount](ctx, c, http.MethodPatch, "/v1/discounts/"+esc(id), in)
}

// DeleteDiscount deletes a discount.
func (c *Client) DeleteDiscount(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/discounts/"+esc(id), nil, nil, nil)
}
