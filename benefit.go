package paylink

import (
	"encoding/json"
	"time"
	"unicode/utf8"
)

// Benefit types, as Polar names them. paylink grants custom notes and license
// keys; internal/benefits says which types it accepts.
const (
	BenefitCustom        = "custom"
	BenefitLicenseKeys   = "license_keys"
	BenefitDownloadables = "downloadables"
)

// Benefit is what a product delivers once paid (Polar's Benefit). Properties are
// the type's settings exactly as the wire carries them, checked by the type.
type Benefit struct {
	ID             string
	OrganizationID string
	Type           string
	Description    string
	Properties     map[string]any
	Metadata       Metadata
	CreatedAt      time.Time
	ModifiedAt     *time.Time
	DeletedAt      *time.Time
}

// BenefitGrant is a benefit given to a customer for an order or a subscription.
// Scope ("order:{id}" or "subscription:{id}") makes a grant unique per benefit and
// customer, so granting twice finds the first grant.
type BenefitGrant struct {
	ID             string
	OrganizationID string
	BenefitID      string
	CustomerID     string
	OrderID        *string
	SubscriptionID *string
	Scope          string
	GrantedAt      *time.Time
	RevokedAt      *time.Time
	Properties     map[string]any // per type: a license key's license_key_id and display_key
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// IsGranted reports whether the customer has the benefit now.
func (g *BenefitGrant) IsGranted() bool { return g.GrantedAt != nil && g.RevokedAt == nil }

// BenefitParams is a benefit to create, or (BenefitPatch) what to change.
type BenefitParams struct {
	Type        string
	Description string
	Properties  json.RawMessage // checked by the type
	Metadata    map[string]any
}

// BenefitPatch is an update of a benefit; nil fields are left as they are.
type BenefitPatch struct {
	Description *string
	Properties  json.RawMessage // nil: unchanged
	Metadata    map[string]any  // nil: unchanged
}

// Polar's bounds of a benefit's description.
const (
	BenefitDescriptionMin = 3
	BenefitDescriptionMax = 42
)

// CheckBenefitDescription is Polar's rule on a description: 3 to 42 characters.
func CheckBenefitDescription(d string, probs *Problems) {
	switch n := utf8.RuneCountInString(d); {
	case n < BenefitDescriptionMin:
		probs.Add("String should have at least 3 characters", d, "body", "description")
	case n > BenefitDescriptionMax:
		probs.Add("String should have at most 42 characters", d, "body", "description")
	}
}

// Downloadable statuses: a revoked one's download links answer 403.
const (
	DownloadableGranted = "granted"
	DownloadableRevoked = "revoked"
)

// Downloadable is one file a downloadables grant delivers to its customer
// (Polar's Downloadable). Download links name it, so they follow its status;
// Downloaded counts the downloads started through them.
type Downloadable struct {
	ID               string
	OrganizationID   string
	CustomerID       string
	BenefitID        string
	GrantID          string
	FileID           string
	Status           string
	Downloaded       int
	LastDownloadedAt *time.Time
	CreatedAt        time.Time
	ModifiedAt       *time.Time
}
