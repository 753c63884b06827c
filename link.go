package paylink

import "time"

// CheckoutLink is a long-lived, shareable template that opens checkout sessions.
type CheckoutLink struct {
	ID                    string
	OrganizationID        string
	ClientSecret          string // PrefixLinkSecret + 256 random bits
	Label                 *string
	ProductIDs            []string // 1–20, ordered, no duplicates
	AllowDiscountCodes    bool     // default true
	RequireBillingAddress bool
	DiscountID            *string // preset discount
	SuccessURL            *string // may contain {CHECKOUT_ID}
	ReturnURL             *string
	Metadata              Metadata
	Active                bool // ours: a deactivated link shows InactiveMessage
	InactiveMessage       *string
	ExpiresAt             *time.Time // ours: the link itself stops working then
	MaxCompletions        *int       // ours: counted atomically
	CompletionsCount      int
	DeletedAt             *time.Time
	CreatedAt             time.Time
	ModifiedAt            *time.Time
}
