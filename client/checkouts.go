package client

import (
	"context"
	"net/http"
	"time"
)

// CheckoutLink is Polar's CheckoutLink, with paylink's link settings (Active,
// InactiveMessage, ExpiresAt, MaxCompletions). URL is the link to share.
type CheckoutLink struct {
	ID                 string     `json:"id"`
	CreatedAt          time.Time  `json:"created_at"`
	OrganizationID     string     `json:"organization_id"`
	URL                string     `json:"url"`
	ClientSecret       string     `json:"client_secret"`
	Label              *string    `json:"label"`
	SuccessURL         *string    `json:"success_url"`
	ReturnURL          *string    `json:"return_url"`
	AllowDiscountCodes bool       `json:"allow_discount_codes"`
	DiscountID         *string    `json:"discount_id"`
	Metadata           Metadata   `json:"metadata"`
	Products           []Product  `json:"products"`
	Active             bool       `json:"active"`
	InactiveMessage    *string    `json:"inactive_message"`
	ExpiresAt          *time.Time `json:"expires_at"`
	MaxCompletions     *int       `json:"max_completions"`
	CompletionsCount   int        `json:"completions_count"`
}

// CheckoutLinkCreate is POST /v1/checkout-links/. PaymentProcessor defaults to
// "stripe", the only one Polar knows.
type CheckoutLinkCreate struct {
	PaymentProcessor   string   `json:"payment_processor"`
	Products           []string `json:"products"`
	Label              *string  `json:"label,omitempty"`
	SuccessURL         *string  `json:"success_url,omitempty"`
	ReturnURL          *string  `json:"return_url,omitempty"`
	AllowDiscountCodes *bool    `json:"allow_discount_codes,omitempty"`
	DiscountID         *string  `json:"discount_id,omitempty"`
	Metadata           Metadata `json:"metadata,omitempty"`
}

// CheckoutLinkUpdate is PATCH /v1/checkout-links/{id}: nil fields stay as they are.
type CheckoutLinkUpdate struct {
	Products           []string `json:"products,omitempty"`
	Label              *string  `json:"label,omitempty"`
	SuccessURL         *string  `json:"success_url,omitempty"`
	AllowDiscountCodes *bool    `json:"allow_discount_codes,omitempty"`
	DiscountID         *string  `json:"discount_id,omitempty"`
	Metadata           Metadata `json:"metadata,omitempty"`
	Active             *bool    `json:"active,omitempty"`
	InactiveMessage    *string  `json:"inactive_message,omitempty"`
}

// CheckoutLinks lists the organization's links (filters: "product_id").
func (c *Client) CheckoutLinks(ctx context.Context, o *ListOptions) (*List[CheckoutLink], error) {
	return list[CheckoutLink](ctx, c, "/v1/checkout-links/", o)
}

// CheckoutLink gets one link.
func (c *Client) CheckoutLink(ctx context.Context, id string) (*CheckoutLink, error) {
	return get[CheckoutLink](ctx, c, "/v1/checkout-links/"+esc(id), nil)
}

// CreateCheckoutLink creates a link.
func (c *Client) CreateCheckoutLink(ctx context.Context, in *CheckoutLinkCreate) (*CheckoutLink, error) {
	if in.PaymentProcessor == "" {
		cp := *in
		cp.PaymentProcessor = "stripe"
		in = &cp
	}
	return send[CheckoutLink](ctx, c, http.MethodPost, "/v1/checkout-links/", in)
}

// UpdateCheckoutLink changes a link.
func (c *Client) UpdateCheckoutLink(ctx context.Context, id string, in *CheckoutLinkUpdate) (*CheckoutLink, error) {
	return send[CheckoutLink](ctx, c, http.MethodPatch, "/v1/checkout-links/"+esc(id), in)
}

// RotateCheckoutLinkSecret gives the link a new URL; the old one answers 404.
func (c *Client) RotateCheckoutLinkSecret(ctx context.Context, id string) (*CheckoutLink, error) {
	return send[CheckoutLink](ctx, c, http.MethodPost, "/v1/checkout-links/"+esc(id)+"/rotate-secret", nil)
}

// DeleteCheckoutLink deletes a link; its URL answers 410.
func (c *Client) DeleteCheckoutLink(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/checkout-links/"+esc(id), nil, nil, nil)
}

// Address is a billing address; Country is an ISO 3166-1 alpha-2 code.
type Address struct {
	Line1      *string `json:"line1,omitempty"`
	Line2      *string `json:"line2,omitempty"`
	PostalCode *string `json:"postal_code,omitempty"`
	City       *string `json:"city,omitempty"`
	State      *string `json:"state,omitempty"`
	Country    string  `json:"country"`
}

// Checkout is Polar's Checkout (merchant calls) and CheckoutPublic (the
// client calls, by client secret, which leave Metadata and
// ExternalCustomerID out). Amounts are minor units of Currency.
type Checkout struct {
	ID                     string         `json:"id"`
	CreatedAt              time.Time      `json:"created_at"`
	OrganizationID         string         `json:"organization_id"`
	Status                 string         `json:"status"` // "open", "expired", "confirmed", "succeeded" or "failed"
	ClientSecret           string         `json:"client_secret"`
	URL                    string         `json:"url"`
	ExpiresAt              time.Time      `json:"expires_at"`
	SuccessURL             string         `json:"success_url"`
	ReturnURL              *string        `json:"return_url"`
	EmbedOrigin            *string        `json:"embed_origin"`
	Amount                 int64          `json:"amount"`
	DiscountAmount         int64          `json:"discount_amount"`
	NetAmount              int64          `json:"net_amount"`
	TaxAmount              int64          `json:"tax_amount"`
	TotalAmount            int64          `json:"total_amount"`
	Currency               string         `json:"currency"`
	ProductID              string         `json:"product_id"`
	ProductPriceID         string         `json:"product_price_id"`
	Products               []Product      `json:"products"`
	DiscountID             *string        `json:"discount_id"`
	AllowDiscountCodes     bool           `json:"allow_discount_codes"`
	RequireBillingAddress  bool           `json:"require_billing_address"`
	CustomerID             *string        `json:"customer_id"`
	CustomerEmail          *string        `json:"customer_email"`
	CustomerName           *string        `json:"customer_name"`
	CustomerBillingAddress *Address       `json:"customer_billing_address"`
	CustomFieldData        map[string]any `json:"custom_field_data"`
	CheckoutLinkID         *string        `json:"checkout_link_id"`
	Metadata               Metadata       `json:"metadata"`
	ExternalCustomerID     *string        `json:"external_customer_id"`
	SubscriptionID         *string        `json:"subscription_id"`
}

// CheckoutCreate is POST /v1/checkouts/: a session for one of Products (the
// first is selected).
type CheckoutCreate struct {
	Products               []string       `json:"products"`
	Amount                 *int64         `json:"amount,omitempty"`
	CustomerEmail          *string        `json:"customer_email,omitempty"`
	CustomerName           *string        `json:"customer_name,omitempty"`
	ExternalCustomerID     *string        `json:"external_customer_id,omitempty"`
	CustomerBillingAddress *Address       `json:"customer_billing_address,omitempty"`
	DiscountID             *string        `json:"discount_id,omitempty"`
	AllowDiscountCodes     *bool          `json:"allow_discount_codes,omitempty"`
	RequireBillingAddress  bool           `json:"require_billing_address,omitempty"`
	Metadata               Metadata       `json:"metadata,omitempty"`
	CustomFieldData        map[string]any `json:"custom_field_data,omitempty"`
	SuccessURL             *string        `json:"success_url,omitempty"`
	ReturnURL              *string        `json:"return_url,omitempty"`
	EmbedOrigin            *string        `json:"embed_origin,omitempty"` // the page that embeds the session (embed.js)
}

// CheckoutUpdate is what the customer changes on an open session (PATCH
// /v1/checkouts/client/{secret}) and what the merchant may change as well
// (PATCH /v1/checkouts/{id}, which also takes Metadata). nil fields stay.
type CheckoutUpdate struct {
	ProductID              *string        `json:"product_id,omitempty"`
	Amount                 *int64         `json:"amount,omitempty"`
	CustomerEmail          *string        `json:"customer_email,omitempty"`
	CustomerName           *string        `json:"customer_name,omitempty"`
	CustomerBillingAddress *Address       `json:"customer_billing_address,omitempty"`
	DiscountCode           *string        `json:"discount_code,omitempty"`
	CustomFieldData        map[string]any `json:"custom_field_data,omitempty"`
	Metadata               Metadata       `json:"metadata,omitempty"`
}

// CheckoutConfirm is POST /v1/checkouts/client/{secret}/confirm: the last
// changes and the payment method (a Stripe confirmation token, or the sandbox's
// "tok_visa" and its decline tokens). ProductID switches the selected product.
type CheckoutConfirm struct {
	ConfirmationTokenID    string         `json:"confirmation_token_id,omitempty"`
	ProductID              *string        `json:"product_id,omitempty"`
	Amount                 *int64         `json:"amount,omitempty"`
	CustomerEmail          *string        `json:"customer_email,omitempty"`
	CustomerName           *string        `json:"customer_name,omitempty"`
	CustomerBillingAddress *Address       `json:"customer_billing_address,omitempty"`
	DiscountCode           *string        `json:"discount_code,omitempty"`
	CustomFieldData        map[string]any `json:"custom_field_data,omitempty"`
}

// Checkouts lists the organization's sessions (filters: "product_id",
// "customer_id", "status", "query").
func (c *Client) Checkouts(ctx context.Context, o *ListOptions) (*List[Checkout], error) {
	return list[Checkout](ctx, c, "/v1/checkouts/", o)
}

// Checkout gets one session.
func (c *Client) Checkout(ctx context.Context, id string) (*Checkout, error) {
	return get[Checkout](ctx, c, "/v1/checkouts/"+esc(id), nil)
}

// CreateCheckout opens a session; send the customer to its URL.
func (c *Client) CreateCheckout(ctx context.Context, in *CheckoutCreate) (*Checkout, error) {
	return send[Checkout](ctx, c, http.MethodPost, "/v1/checkouts/", in)
}

// UpdateCheckout changes an open session as the merchant.
func (c *Client) UpdateCheckout(ctx context.Context, id string, in *CheckoutUpdate) (*Checkout, error) {
	return send[Checkout](ctx, c, http.MethodPatch, "/v1/checkouts/"+esc(id), in)
}

// ClientCheckout is the customer's view of the session with clientSecret
// (no token needed).
func (c *Client) ClientCheckout(ctx context.Context, clientSecret string) (*Checkout, error) {
	return get[Checkout](ctx, c, "/v1/checkouts/client/"+esc(clientSecret), nil)
}

// UpdateClientCheckout changes the session as its customer does on the page.
func (c *Client) UpdateClientCheckout(ctx context.Context, clientSecret string, in *CheckoutUpdate) (*Checkout, error) {
	return send[Checkout](ctx, c, http.MethodPatch, "/v1/checkouts/client/"+esc(clientSecret), in)
}

// ConfirmClientCheckout pays for the session. Its answer is the session
// confirmed; the payment's outcome follows (GET it again, or wait for the
// order.paid webhook). A declined card is a 400 *Error named "PaymentError".
func (c *Client) ConfirmClientCheckout(ctx context.Context, clientSecret string, in *CheckoutConfirm) (*Checkout, error) {
	return send[Checkout](ctx, c, http.MethodPost, "/v1/checkouts/client/"+esc(clientSecret)+"/confirm", in)
}
