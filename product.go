package paylink

import "time"

// Recurring intervals.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week"
	IntervalMonth = "month"
	IntervalYear  = "year"
)

// Price amount types. A product has one live price (SPEC §3).
const (
	PriceFixed  = "fixed"  // PriceAmount ≥ 0; 0 means free
	PriceCustom = "custom" // pay what you want: MinimumAmount, MaximumAmount, PresetAmount
	PriceFree   = "free"
)

// Product is something a merchant sells, one-time or recurring.
type Product struct {
	ID                     string
	OrganizationID         string
	Name                   string
	Description            *string
	RecurringInterval      *string // nil for one-time products
	RecurringIntervalCount *int    // 1–999 when recurring
	IsArchived             bool
	Metadata               Metadata
	Prices                 []*Price             // live price first; archived ones follow
	CustomFields           []ProductCustomField // attached, in Order
	Medias                 []*File              // its images (product_media files), in order
	Benefits               []*Benefit           // granted when paid, in order
	CreatedAt              time.Time
	ModifiedAt             *time.Time
}

// IsRecurring reports whether the product is a subscription.
func (p *Product) IsRecurring() bool { return p.RecurringInterval != nil }

// Price returns the product's live (not archived) price, or nil.
func (p *Product) Price() *Price {
	for _, pr := range p.Prices {
		if !pr.IsArchived {
			return pr
		}
	}
	return nil
}

// Price is a product's price. Money is int64 minor units of Currency.
type Price struct {
	ID            string
	ProductID     string
	AmountType    string // PriceFixed, PriceCustom or PriceFree
	Currency      string // ISO 4217, lower case ("usd")
	PriceAmount   int64  // fixed
	MinimumAmount int64  // custom; default 50, may be 0
	MaximumAmount *int64 // custom
	PresetAmount  *int64 // custom
	IsArchived    bool
	CreatedAt     time.Time
	ModifiedAt    *time.Time
}

// ProductCustomField attaches a custom field to a product.
type ProductCustomField struct {
	CustomFieldID string
	Required      bool
	Order         int
	CustomField   *CustomField // loaded with the product
}
