package api

import (
	"time"

	"github.com/paylink/paylink"
)

// benefitPublicJSON is Polar's BenefitPublic: what a buyer sees of a benefit on
// a checkout (never its properties, which hold the note). paylink's benefits are
// always selectable and deletable.
type benefitPublicJSON struct {
	ID             string     `json:"id"`
	CreatedAt      time.Time  `json:"created_at"`
	ModifiedAt     *time.Time `json:"modified_at"`
	Type           string     `json:"type"`
	Description    string     `json:"description"`
	Selectable     bool       `json:"selectable"`
	Deletable      bool       `json:"deletable"`
	IsDeleted      bool       `json:"is_deleted"`
	OrganizationID string     `json:"organization_id"`
}

func benefitPublic(b *paylink.Benefit) benefitPublicJSON {
	return benefitPublicJSON{ID: b.ID, CreatedAt: b.CreatedAt, ModifiedAt: b.ModifiedAt, Type: b.Type,
		Description: b.Description, Selectable: true, Deletable: true, IsDeleted: b.DeletedAt != nil,
		OrganizationID: b.OrganizationID}
}

// benefitJSON is Polar's Benefit (BenefitCustom, BenefitLicenseKeys, … told apart
// by type): the public fields and what the merchant sees besides. paylink's
// benefits are always visible.
type benefitJSON struct {
	benefitPublicJSON
	Metadata               paylink.Metadata `json:"metadata"`
	Visibility             string           `json:"visibility"`
	VisibilityConfigurable bool             `json:"visibility_configurable"`
	Properties             map[string]any   `json:"properties"`
}

// BenefitJSON renders a benefit in Polar's wire shape.
func BenefitJSON(b *paylink.Benefit) any {
	meta := b.Metadata
	if meta == nil {
		meta = paylink.Metadata{}
	}
	props := b.Properties
	if props == nil {
		props = map[string]any{}
	}
	return benefitJSON{benefitPublicJSON: benefitPublic(b), Metadata: meta, Visibility: "public", Properties: props}
}

// benefitsJSON renders a product's benefits, in full for the merchant or as
// BenefitPublic for a checkout.
func benefitsJSON(bs []*paylink.Benefit, full bool) []any {
	out := make([]any, 0, len(bs))
	for _, b := range bs {
		if full {
			out = append(out, BenefitJSON(b))
			continue
		}
		out = append(out, benefitPublic(b))
	}
	return out
}

// grantJSON is Polar's BenefitGrant (and, for webhooks, BenefitGrantWebhook).
type grantJSON struct {
	CreatedAt      time.Time      `json:"created_at"`
	ModifiedAt     *time.Time     `json:"modified_at"`
	ID             string         `json:"id"`
	GrantedAt      *time.Time     `json:"granted_at"`
	IsGranted      bool           `json:"is_granted"`
	RevokedAt      *time.Time     `json:"revoked_at"`
	IsRevoked      bool           `json:"is_revoked"`
	SubscriptionID *string        `json:"subscription_id"`
	OrderID        *string        `json:"order_id"`
	CustomerID     string         `json:"customer_id"`
	BenefitID      string         `json:"benefit_id"`
	Error          any            `json:"error"`
	Customer       any            `json:"customer"`
	Benefit        any            `json:"benefit"`
	Properties     map[string]any `json:"properties"`
}

// grantJSON renders a grant with its customer and benefit, read in l's transaction.
func (l *loader) grantJSON(g *paylink.BenefitGrant) (any, error) {
	c, err := l.customer(g.OrganizationID, g.CustomerID)
	if err != nil {
		return nil, err
	}
	bs, err := l.tx.BenefitGetMany(l.ctx, g.OrganizationID, []string{g.BenefitID})
	if err != nil {
		return nil, err
	}
	b := bs[g.BenefitID]
	if b == nil {
		return nil, paylink.NotFound("benefit")
	}
	props := g.Properties
	if props == nil {
		props = map[string]any{}
	}
	return grantJSON{CreatedAt: g.CreatedAt, ModifiedAt: g.ModifiedAt, ID: g.ID, GrantedAt: g.GrantedAt,
		IsGranted: g.IsGranted(), RevokedAt: g.RevokedAt, IsRevoked: g.RevokedAt != nil, SubscriptionID: g.SubscriptionID,
		OrderID: g.OrderID, CustomerID: g.CustomerID, BenefitID: g.BenefitID, Customer: CustomerJSON(c),
		Benefit: BenefitJSON(b), Properties: props}, nil
}

// licenseKeyJSON is Polar's LicenseKeyRead (ValidatedLicenseKey adds activation,
// LicenseKeyWithActivations adds activations).
type licenseKeyJSON struct {
	ID               string     `json:"id"`
	CreatedAt        time.Time  `json:"created_at"`
	ModifiedAt       *time.Time `json:"modified_at"`
	OrganizationID   string     `json:"organization_id"`
	CustomerID       string     `json:"customer_id"`
	Customer         any        `json:"customer"`
	BenefitID        string     `json:"benefit_id"`
	Key              string     `json:"key"`
	DisplayKey       string     `json:"display_key"`
	Status           string     `json:"status"`
	LimitActivations *int       `json:"limit_activations"`
	Usage            int        `json:"usage"`
	LimitUsage       *int       `json:"limit_usage"`
	Validations      int        `json:"validations"`
	LastValidatedAt  *time.Time `json:"last_validated_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
}

// licenseKeyJSON renders a key with its customer, read in l's transaction.
func (l *loader) licenseKeyJSON(k *paylink.LicenseKey) (licenseKeyJSON, error) {
	c, err := l.customer(k.OrganizationID, k.CustomerID)
	if err != nil {
		return licenseKeyJSON{}, err
	}
	return licenseKeyOf(k, c), nil
}

func licenseKeyOf(k *paylink.LicenseKey, c *paylink.Customer) licenseKeyJSON {
	return licenseKeyJSON{ID: k.ID, CreatedAt: k.CreatedAt, ModifiedAt: k.ModifiedAt, OrganizationID: k.OrganizationID,
		CustomerID: k.CustomerID, Customer: CustomerJSON(c), BenefitID: k.BenefitID, Key: k.Key,
		DisplayKey: k.DisplayKey(), Status: k.Status, LimitActivations: k.LimitActivations, Usage: k.Usage,
		LimitUsage: k.LimitUsage, Validations: k.Validations, LastValidatedAt: k.LastValidatedAt, ExpiresAt: k.ExpiresAt}
}

// activationJSON is Polar's LicenseKeyActivationBase.
type activationJSON struct {
	ID           string         `json:"id"`
	LicenseKeyID string         `json:"license_key_id"`
	Label        string         `json:"label"`
	Meta         map[string]any `json:"meta"`
	CreatedAt    time.Time      `json:"created_at"`
	ModifiedAt   *time.Time     `json:"modified_at"`
}

func activationOf(a *paylink.LicenseKeyActivation) activationJSON {
	meta := a.Meta
	if meta == nil {
		meta = map[string]any{}
	}
	return activationJSON{ID: a.ID, LicenseKeyID: a.LicenseKeyID, Label: a.Label, Meta: meta, CreatedAt: a.CreatedAt,
		ModifiedAt: a.ModifiedAt}
}
