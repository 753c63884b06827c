package api

import (
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
)

// checkoutCommonJSON holds the fields Polar's Checkout and CheckoutPublic share.
// Trials, seats, tax and business customers are not paylink features: neutral values.
type checkoutCommonJSON struct {
	ID                       string                    `json:"id"`
	CreatedAt                time.Time                 `json:"created_at"`
	ModifiedAt               *time.Time                `json:"modified_at"`
	CustomFieldData          map[string]any            `json:"custom_field_data"`
	PaymentProcessor         string                    `json:"payment_processor"`
	Status                   string                    `json:"status"`
	ClientSecret             string                    `json:"client_secret"`
	URL                      string                    `json:"url"`
	ExpiresAt                time.Time                 `json:"expires_at"`
	SuccessURL               string                    `json:"success_url"`
	ReturnURL                *string                   `json:"return_url"`
	EmbedOrigin              *string                   `json:"embed_origin"`
	Amount                   int64                     `json:"amount"`
	DiscountAmount           int64                     `json:"discount_amount"`
	NetAmount                int64                     `json:"net_amount"`
	TaxAmount                int64                     `json:"tax_amount"`
	TaxBehavior              *string                   `json:"tax_behavior"`
	TotalAmount              int64                     `json:"total_amount"`
	Currency                 string                    `json:"currency"`
	AllowTrial               bool                      `json:"allow_trial"`
	ActiveTrialInterval      *string                   `json:"active_trial_interval"`
	ActiveTrialIntervalCount *int                      `json:"active_trial_interval_count"`
	TrialEnd                 *time.Time                `json:"trial_end"`
	OrganizationID           string                    `json:"organization_id"`
	ProductID                string                    `json:"product_id"`
	ProductPriceID           string                    `json:"product_price_id"`
	DiscountID               *string                   `json:"discount_id"`
	AllowDiscountCodes       bool                      `json:"allow_discount_codes"`
	RequireBillingAddress    bool                      `json:"require_billing_address"`
	IsDiscountApplicable     bool                      `json:"is_discount_applicable"`
	IsFreeProductPrice       bool                      `json:"is_free_product_price"`
	IsPaymentRequired        bool                      `json:"is_payment_required"`
	IsPaymentSetupRequired   bool                      `json:"is_payment_setup_required"`
	IsPaymentFormRequired    bool                      `json:"is_payment_form_required"`
	CustomerID               *string                   `json:"customer_id"`
	IsBusinessCustomer       bool                      `json:"is_business_customer"`
	CustomerName             *string                   `json:"customer_name"`
	CustomerEmail            *string                   `json:"customer_email"`
	CustomerIPAddress        *string                   `json:"customer_ip_address"`
	CustomerBillingName      *string                   `json:"customer_billing_name"`
	CustomerBillingAddress   *addressJSON              `json:"customer_billing_address"`
	CustomerTaxID            *string                   `json:"customer_tax_id"`
	Locale                   *string                   `json:"locale"`
	PaymentProcessorMetadata map[string]string         `json:"payment_processor_metadata"`
	BillingAddressFields     billingAddressFieldsJSON  `json:"billing_address_fields"`
	Products                 []checkoutProductJSON     `json:"products"`
	Product                  *checkoutProductJSON      `json:"product"`
	ProductPrice             any                       `json:"product_price"`
	Prices                   map[string][]any          `json:"prices"`
	Discount                 any                       `json:"discount"`
	AttachedCustomFields     []attachedCustomFieldJSON `json:"attached_custom_fields"`
	CheckoutLinkID           *string                   `json:"checkout_link_id"` // ours: the link the session came from
	// SDK 0.32 requires the legacy form of billing_address_fields (booleans: the
	// field is required); SDK 1.x requires the units of unit pricing (not a paylink
	// feature: null) and the payment method's type (null: not chosen on the session).
	CustomerBillingAddressFields legacyBillingAddressFieldsJSON `json:"customer_billing_address_fields"`
	Units                        *int64                         `json:"units"`
	MinUnits                     *int64                         `json:"min_units"`
	MaxUnits                     *int64                         `json:"max_units"`
	PaymentMethodType            *string                        `json:"payment_method_type"`
}

// checkoutJSON is Polar's Checkout, what the merchant's API returns.
type checkoutJSON struct {
	checkoutCommonJSON
	TrialInterval      *string          `json:"trial_interval"`
	TrialIntervalCount *int             `json:"trial_interval_count"`
	Metadata           paylink.Metadata `json:"metadata"`
	ExternalCustomerID *string          `json:"external_customer_id"`
	CustomerExternalID *string          `json:"customer_external_id"` // the same, as SDK 0.32 requires it
	SubscriptionID     *string          `json:"subscription_id"`
	CustomerMetadata   map[string]any   `json:"customer_metadata"`
}

// checkoutPublicJSON is Polar's CheckoutPublic, what the client endpoints return:
// no metadata, and the selling organization.
type checkoutPublicJSON struct {
	checkoutCommonJSON
	Organization checkoutOrganizationJSON `json:"organization"`
}

// checkoutConfirmedJSON is Polar's CheckoutPublicConfirmed, the answer to confirm.
type checkoutConfirmedJSON struct {
	checkoutPublicJSON
	CustomerSessionToken *string `json:"customer_session_token"`
}

// checkoutOrganizationJSON is Polar's CheckoutOrganization.
type checkoutOrganizationJSON struct {
	CreatedAt            time.Time  `json:"created_at"`
	ModifiedAt           *time.Time `json:"modified_at"`
	ID                   string     `json:"id"`
	Name                 string     `json:"name"`
	Slug                 string     `json:"slug"`
	AvatarURL            *string    `json:"avatar_url"`
	ProrationBehavior    string     `json:"proration_behavior"`
	AllowCustomerUpdates bool       `json:"allow_customer_updates"`
}

// checkoutProductJSON is Polar's CheckoutProduct: a product with its live
// prices, without the merchant's metadata (the customer sees it).
type checkoutProductJSON struct {
	ID                     string     `json:"id"`
	CreatedAt              time.Time  `json:"created_at"`
	ModifiedAt             *time.Time `json:"modified_at"`
	TrialInterval          *string    `json:"trial_interval"`
	TrialIntervalCount     *int       `json:"trial_interval_count"`
	Name                   string     `json:"name"`
	Description            *string    `json:"description"`
	Visibility             string     `json:"visibility"`
	RecurringInterval      *string    `json:"recurring_interval"`
	RecurringIntervalCount *int       `json:"recurring_interval_count"`
	MeterInterval          *string    `json:"meter_interval"`
	MeterIntervalCount     *int       `json:"meter_interval_count"`
	IsRecurring            bool       `json:"is_recurring"`
	IsArchived             bool       `json:"is_archived"`
	OrganizationID         string     `json:"organization_id"`
	Prices                 []any      `json:"prices"`
	Benefits               []any      `json:"benefits"`
	Medias                 []any      `json:"medias"`
}

// addressJSON is Polar's Address; paylink keeps the billing country only.
type addressJSON struct {
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	PostalCode *string `json:"postal_code"`
	City       *string `json:"city"`
	State      *string `json:"state"`
	Country    string  `json:"country"`
}

// billingAddressFieldsJSON is Polar's CheckoutBillingAddressFields: which address
// fields the form shows (required, optional or disabled).
type billingAddressFieldsJSON struct {
	Country    string `json:"country"`
	State      string `json:"state"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
}

// legacyBillingAddressFieldsJSON is Polar's CheckoutCustomerBillingAddressFields,
// the deprecated form of billing_address_fields: true where the field is required.
type legacyBillingAddressFieldsJSON struct {
	Country    bool `json:"country"`
	State      bool `json:"state"`
	City       bool `json:"city"`
	PostalCode bool `json:"postal_code"`
	Line1      bool `json:"line1"`
	Line2      bool `json:"line2"`
}

// addressOf is the address of a billing country, nil for none.
func addressOf(country *string) *addressJSON {
	if country == nil {
		return nil
	}
	return &addressJSON{Country: *country}
}

// checkoutProduct renders a product as a customer sees it, with its live price only.
func checkoutProduct(base string, p *paylink.Product) checkoutProductJSON {
	out := checkoutProductJSON{ID: p.ID, CreatedAt: p.CreatedAt, ModifiedAt: p.ModifiedAt, Name: p.Name,
		Description: p.Description, Visibility: "public", RecurringInterval: p.RecurringInterval,
		RecurringIntervalCount: p.RecurringIntervalCount, IsRecurring: p.IsRecurring(), IsArchived: p.IsArchived,
		OrganizationID: p.OrganizationID, Prices: livePrices(p), Benefits: benefitsJSON(p.Benefits, false), Medias: mediasJSON(base, p.Medias)}
	return out
}

func livePrices(p *paylink.Product) []any {
	out := []any{}
	for _, pr := range p.Prices {
		if !pr.IsArchived {
			out = append(out, PriceJSON(p, pr))
		}
	}
	return out
}

// checkoutDiscountJSON is Polar's CheckoutDiscount…: what a customer may see of a discount.
func checkoutDiscountJSON(d *paylink.Discount) any {
	out := map[string]any{"id": d.ID, "name": d.Name, "code": d.Code, "type": d.Type, "duration": d.Duration}
	if d.Duration == paylink.DurationRepeating && d.DurationInMonths != nil {
		out["duration_in_months"] = *d.DurationInMonths
	}
	if d.Type == paylink.DiscountFixed {
		out["amount"], out["currency"], out["amounts"] = d.Amount, d.Currency, map[string]int64{d.Currency: d.Amount}
	} else {
		out["basis_points"] = d.BasisPoints
	}
	return out
}

// successURL is where the customer goes after paying: the session's success_url
// with {CHECKOUT_ID} replaced, else the hosted confirmation page.
func (r Renderer) successURL(c *paylink.Checkout) string {
	if c.SuccessURL != nil {
		return strings.ReplaceAll(*c.SuccessURL, "{CHECKOUT_ID}", c.ID)
	}
	return r.PublicURL + "/checkout/" + c.ClientSecret + "/success"
}

// common renders what both representations of a checkout share.
func (r Renderer) common(v *paylink.CheckoutView) checkoutCommonJSON {
	c := v.Checkout
	out := checkoutCommonJSON{ID: c.ID, CreatedAt: c.CreatedAt, ModifiedAt: c.ModifiedAt,
		CustomFieldData: c.CustomFieldData, PaymentProcessor: "stripe", Status: c.Status, ClientSecret: c.ClientSecret,
		URL: r.PublicURL + "/checkout/" + c.ClientSecret, ExpiresAt: c.ExpiresAt, SuccessURL: r.successURL(c),
		ReturnURL: c.ReturnURL, EmbedOrigin: c.EmbedOrigin, Amount: c.Amount, DiscountAmount: c.DiscountAmount, NetAmount: c.NetAmount,
		TotalAmount: c.TotalAmount, Currency: c.Currency, OrganizationID: c.OrganizationID, ProductID: c.ProductID,
		ProductPriceID: c.PriceID, DiscountID: c.DiscountID, AllowDiscountCodes: c.AllowDiscountCodes,
		RequireBillingAddress: c.RequireBillingAddress, CustomerID: c.CustomerID, CustomerName: c.CustomerName,
		CustomerEmail: c.CustomerEmail, CustomerBillingAddress: addressOf(c.BillingCountry),
		PaymentProcessorMetadata: map[string]string{}, Products: []checkoutProductJSON{}, Prices: map[string][]any{},
		AttachedCustomFields: []attachedCustomFieldJSON{}, CheckoutLinkID: c.CheckoutLinkID,
	}
	if out.CustomFieldData == nil {
		out.CustomFieldData = map[string]any{}
	}
	if r.StripePublishableKey != "" {
		out.PaymentProcessorMetadata["publishable_key"] = r.StripePublishableKey
	}
	for _, p := range v.Products {
		out.Products = append(out.Products, checkoutProduct(r.PublicURL, p))
		out.Prices[p.ID] = livePrices(p)
	}
	price := v.Price()
	if p := v.Product(); p != nil {
		cp := checkoutProduct(r.PublicURL, p)
		out.Product = &cp
		if price != nil {
			out.ProductPrice = PriceJSON(p, price)
		}
		for _, a := range p.CustomFields {
			if a.CustomField != nil {
				out.AttachedCustomFields = append(out.AttachedCustomFields, attachedCustomFieldJSON{
					CustomFieldID: a.CustomFieldID, CustomField: CustomFieldJSON(a.CustomField), Order: a.Order, Required: a.Required})
			}
		}
		out.IsPaymentSetupRequired = checkout.PaymentSetupRequired(c, p, v.Discount)
	}
	if v.Discount != nil {
		out.Discount = checkoutDiscountJSON(v.Discount)
	}
	free := price == nil || price.AmountType == paylink.PriceFree || price.AmountType == paylink.PriceFixed && price.PriceAmount == 0
	out.IsFreeProductPrice, out.IsDiscountApplicable = free, !free
	out.IsPaymentRequired = checkout.PaymentRequired(c)
	out.IsPaymentFormRequired = out.IsPaymentRequired || out.IsPaymentSetupRequired
	// Confirm asks for the country exactly when money is due; paylink keeps no street address.
	country := "optional"
	if out.IsPaymentFormRequired {
		country = "required"
	}
	out.BillingAddressFields = billingAddressFieldsJSON{Country: country, State: "disabled", City: "disabled",
		PostalCode: "disabled", Line1: "disabled", Line2: "disabled"}
	out.CustomerBillingAddressFields = legacyBillingAddressFieldsJSON{Country: country == "required"}
	return out
}

// checkout renders a checkout as Polar's Checkout.
func (r Renderer) checkout(v *paylink.CheckoutView) checkoutJSON {
	meta := v.Checkout.Metadata
	if meta == nil {
		meta = paylink.Metadata{}
	}
	out := checkoutJSON{checkoutCommonJSON: r.common(v), Metadata: meta, CustomerMetadata: map[string]any{},
		ExternalCustomerID: v.Checkout.ExternalCustomerID}
	out.CustomerExternalID = out.ExternalCustomerID
	return out
}

// checkoutPublic renders a checkout as Polar's CheckoutPublic, sold by org.
func (r Renderer) checkoutPublic(v *paylink.CheckoutView, org *paylink.Organization) checkoutPublicJSON {
	return checkoutPublicJSON{checkoutCommonJSON: r.common(v), Organization: checkoutOrganizationJSON{
		CreatedAt: org.CreatedAt, ModifiedAt: org.ModifiedAt, ID: org.ID, Name: org.Name, Slug: org.Slug,
		ProrationBehavior: "prorate", AllowCustomerUpdates: false}}
}
