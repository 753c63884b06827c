package paylink

import "time"

// License key statuses (Polar's LicenseKeyStatus).
const (
	LicenseKeyGranted  = "granted"
	LicenseKeyRevoked  = "revoked"
	LicenseKeyDisabled = "disabled"
)

// LicenseKey is the key of a license_keys grant. Key is shown to its customer;
// the store finds it by a hash of it.
type LicenseKey struct {
	ID               string
	OrganizationID   string
	CustomerID       string
	BenefitID        string
	GrantID          string
	Key              string
	Status           string
	LimitActivations *int
	Usage            int
	LimitUsage       *int
	Validations      int
	LastValidatedAt  *time.Time
	ExpiresAt        *time.Time
	CreatedAt        time.Time
	ModifiedAt       *time.Time
}

// DisplayKey is Polar's masked key: "****-" and the last six characters.
func (k *LicenseKey) DisplayKey() string {
	s := k.Key
	if len(s) > 6 {
		s = s[len(s)-6:]
	}
	return "****-" + s
}

// Expired reports whether the key has expired at now.
func (k *LicenseKey) Expired(now time.Time) bool {
	return k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)
}

// LicenseKeyActivation is one activation (a device, an install) of a key.
type LicenseKeyActivation struct {
	ID             string
	LicenseKeyID   string
	OrganizationID string
	Label          string
	Conditions     map[string]any
	Meta           map[string]any
	CreatedAt      time.Time
	ModifiedAt     *time.Time
}

// LicenseKeyPatch is the merchant's update of a key (Polar's LicenseKeyUpdate):
// nil fields are left as they are; a SetX field replaces X, nil clearing it.
type LicenseKeyPatch struct {
	Status              *string
	Usage               *int
	SetLimitActivations bool
	LimitActivations    *int
	SetLimitUsage       bool
	LimitUsage          *int
	SetExpiresAt        bool
	ExpiresAt           *time.Time
}
