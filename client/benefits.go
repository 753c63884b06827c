package client

import (
	"context"
	"net/http"
	"time"
)

// Benefit is Polar's Benefit: what a product grants its buyers (paylink grants
// "custom" notes and "license_keys").
type Benefit struct {
	ID             string         `json:"id"`
	CreatedAt      time.Time      `json:"created_at"`
	OrganizationID string         `json:"organization_id"`
	Type           string         `json:"type"`
	Description    string         `json:"description"`
	Deletable      bool           `json:"deletable"`
	Metadata       Metadata       `json:"metadata"`
	Properties     map[string]any `json:"properties"`
}

// BenefitCreate is POST /v1/benefits/.
type BenefitCreate struct {
	Type        string         `json:"type"`
	Description string         `json:"description"`
	Properties  map[string]any `json:"properties"`
	Metadata    Metadata       `json:"metadata,omitempty"`
}

// BenefitUpdate is PATCH /v1/benefits/{id}; Type names the benefit's type, as
// Polar's discriminated update requires.
type BenefitUpdate struct {
	Type        string         `json:"type"`
	Description *string        `json:"description,omitempty"`
	Properties  map[string]any `json:"properties,omitempty"`
	Metadata    Metadata       `json:"metadata,omitempty"`
}

// Benefits lists the organization's benefits.
func (c *Client) Benefits(ctx context.Context, o *ListOptions) (*List[Benefit], error) {
	return list[Benefit](ctx, c, "/v1/benefits/", o)
}

// Benefit gets one benefit.
func (c *Client) Benefit(ctx context.Context, id string) (*Benefit, error) {
	return get[Benefit](ctx, c, "/v1/benefits/"+esc(id), nil)
}

// CreateBenefit creates a benefit.
func (c *Client) CreateBenefit(ctx context.Context, in *BenefitCreate) (*Benefit, error) {
	if in.Properties == nil {
		cp := *in
		cp.Properties = map[string]any{}
		in = &cp
	}
	return send[Benefit](ctx, c, http.MethodPost, "/v1/benefits/", in)
}

// UpdateBenefit changes a benefit.
func (c *Client) UpdateBenefit(ctx context.Context, id string, in *BenefitUpdate) (*Benefit, error) {
	return send[Benefit](ctx, c, http.MethodPatch, "/v1/benefits/"+esc(id), in)
}

// DeleteBenefit deletes a benefit; its grants are revoked.
func (c *Client) DeleteBenefit(ctx context.Context, id string) error {
	return c.Do(ctx, http.MethodDelete, "/v1/benefits/"+esc(id), nil, nil, nil)
}

// LicenseKey is Polar's LicenseKeyRead: a key a license_keys benefit granted.
type LicenseKey struct {
	ID               string     `json:"id"`
	CreatedAt        time.Time  `json:"created_at"`
	OrganizationID   string     `json:"organization_id"`
	CustomerID       string     `json:"customer_id"`
	Customer         Customer   `json:"customer"`
	BenefitID        string     `json:"benefit_id"`
	Key              string     `json:"key"`
	DisplayKey       string     `json:"display_key"`
	Status           string     `json:"status"` // "granted", "revoked" or "disabled"
	LimitActivations *int       `json:"limit_activations"`
	Usage            int        `json:"usage"`
	LimitUsage       *int       `json:"limit_usage"`
	Validations      int        `json:"validations"`
	LastValidatedAt  *time.Time `json:"last_validated_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
}

// LicenseKeyValidate is a key's validation, as the customer's software sends it.
type LicenseKeyValidate struct {
	Key            string  `json:"key"`
	OrganizationID string  `json:"organization_id"`
	ActivationID   *string `json:"activation_id,omitempty"`
	BenefitID      *string `json:"benefit_id,omitempty"`
	CustomerID     *string `json:"customer_id,omitempty"`
	IncrementUsage *int    `json:"increment_usage,omitempty"`
}

// LicenseKeys lists the keys granted (filters: "benefit_id").
func (c *Client) LicenseKeys(ctx context.Context, o *ListOptions) (*List[LicenseKey], error) {
	return list[LicenseKey](ctx, c, "/v1/license-keys/", o)
}

// LicenseKey gets one key.
func (c *Client) LicenseKey(ctx context.Context, id string) (*LicenseKey, error) {
	return get[LicenseKey](ctx, c, "/v1/license-keys/"+esc(id), nil)
}

// ValidateLicenseKey is the public POST /v1/customer-portal/license-keys/validate
// (no token needed): the key when it is granted and valid; a 404 *Error for a
// key that is unknown, revoked, disabled or expired.
func (c *Client) ValidateLicenseKey(ctx context.Context, in *LicenseKeyValidate) (*LicenseKey, error) {
	return send[LicenseKey](ctx, c, http.MethodPost, "/v1/customer-portal/license-keys/validate", in)
}
