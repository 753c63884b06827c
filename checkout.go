package paylink

import "time"

// Checkout statuses (SPEC §3): open → confirmed → succeeded, or open → expired;
// a failed payment returns a confirmed checkout to open.
const (
	CheckoutOpen      = "open"
	CheckoutConfirmed = "confirmed"
	CheckoutSucceeded = "succeeded"
	CheckoutExpired   = "expired"
	CheckoutFailed    = "failed"
)

// Checkout is a short-lived checkout session.
type Checkout struct {
	ID                    string
	OrganizationID        string
	ClientSecret          string // NewCheckoutSecret: PrefixCheckoutSecret, creation time, 256 random bits
	Status                string
	ProductIDs            []string // the products the customer can switch between, in order
	ProductID             string   // selected product
	PriceID               string   // selected product's price
	Amount                int64    // before discount (the PWYW amount for custom prices)
	DiscountAmount        int64
	NetAmount             int64 // Amount - DiscountAmount
	TotalAmount           int64 // NetAmount + tax (always 0 here)
	Currency              string
	DiscountID            *string
	AllowDiscountCodes    bool
	RequireBillingAddress bool
	CustomerID            *string
	ExternalCustomerID    *string // the merchant's id of the customer; given to the customer on success
	EmbedOrigin           *string // the merchant's page that embeds the session (ParseOrigin); nil when not embedded
	CustomerEmail         *string
	CustomerName          *string
	BillingCountry        *string // ISO 3166-1 alpha-2
	CustomFieldData       map[string]any
	Metadata              Metadata
	SuccessURL            *string
	ReturnURL             *string
	CheckoutLinkID        *string // ours: the link the session came from
	QueryString           string  // ours: the visit's original query, to start again after expiry
	PaymentProcessorRef   *string // the processor's id of the payment (PaymentIntent), if any
	PaymentActionSecret   string  // not stored: set by confirm when the customer must finish a 3-D Secure step
	PaymentPending        bool    // not stored: set by confirm when the payment awaits the processor
	DiscountRedeemed      bool    // a redemption of DiscountID is held for this checkout
	CompletionReserved    bool    // a completion of the link is held for this checkout
	ExpiresAt             time.Time
	CreatedAt             time.Time
	ModifiedAt            *time.Time
}

// CheckoutView is a checkout with what its API representation embeds: the
// switchable products (in the checkout's order) and the applied discount.
type CheckoutView struct {
	Checkout *Checkout
	Products []*Product
	Discount *Discount // nil when none
}

// Product returns the selected product, or nil.
func (v *CheckoutView) Product() *Product {
	for _, p := range v.Products {
		if p.ID == v.Checkout.ProductID {
			return p
		}
	}
	return nil
}
