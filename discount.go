package paylink

import "time"

// Discount types and durations.
const (
	DiscountPercentage = "percentage"
	DiscountFixed      = "fixed"

	DurationOnce      = "once"
	DurationForever   = "forever"
	DurationRepeating = "repeating"
)

// Discount reduces a checkout's amount. Redemptions are counted atomically.
type Discount struct {
	ID               string
	OrganizationID   string
	Name             string
	Type             string // DiscountPercentage or DiscountFixed
	BasisPoints      int    // percentage: 1–10000
	Amount           int64  // fixed: minor units of Currency
	Currency         string // fixed
	Duration         string
	DurationInMonths *int    // repeating: 1–999
	Code             *string // case-insensitive, unique per organization
	StartsAt         *time.Time
	EndsAt           *time.Time
	MaxRedemptions   *int
	RedemptionsCount int
	ProductIDs       []string // restriction; empty means every product
	Metadata         Metadata
	CreatedAt        time.Time
	ModifiedAt       *time.Time
}
