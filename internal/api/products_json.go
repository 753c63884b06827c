package api

import (
	"time"

	"github.com/paylink/paylink"
)

// productJSON is Polar's Product: what a customer sees of it (checkoutProductJSON)
// plus the merchant's metadata and attached fields. Trials, meters and medias are
// not paylink features and carry their neutral values.
type productJSON struct {
	checkoutProductJSON
	Metadata             paylink.Metadata          `json:"metadata"`
	AttachedCustomFields []attachedCustomFieldJSON `json:"attached_custom_fields"`
	IsDeletable          bool                      `json:"is_deletable"` // SDK 1.x; paylink archives, never deletes
}

// attachedCustomFieldJSON is Polar's AttachedCustomField.
type attachedCustomFieldJSON struct {
	CustomFieldID string `json:"custom_field_id"`
	CustomField   any    `json:"custom_field"`
	Order         int    `json:"order"`
	Required      bool   `json:"required"`
}

// ProductJSON renders a product in Polar's wire shape. Like Polar it lists only
// the live price; archived prices stay readable through the resources that use them.
func ProductJSON(base string, p *paylink.Product) any {
	out := productJSON{checkoutProductJSON: checkoutProduct(base, p), Metadata: p.Metadata,
		AttachedCustomFields: []attachedCustomFieldJSON{}}
	out.Benefits = benefitsJSON(p.Benefits, true)
	for _, a := range p.CustomFields {
		if a.CustomField == nil { // not loaded: never sent half-empty
			continue
		}
		out.AttachedCustomFields = append(out.AttachedCustomFields, attachedCustomFieldJSON{
			CustomFieldID: a.CustomFieldID, CustomField: CustomFieldJSON(a.CustomField), Order: a.Order, Required: a.Required,
		})
	}
	return out
}

// priceBaseJSON holds what every ProductPrice of Polar carries, including the
// deprecated type and recurring_interval that Polar still sends.
type priceBaseJSON struct {
	CreatedAt         time.Time  `json:"created_at"`
	ModifiedAt        *time.Time `json:"modified_at"`
	ID                string     `json:"id"`
	Source            string     `json:"source"`
	AmountType        string     `json:"amount_type"`
	PriceCurrency     string     `json:"price_currency"`
	TaxBehavior       *string    `json:"tax_behavior"`
	IsArchived        bool       `json:"is_archived"`
	ProductID         string     `json:"product_id"`
	Type              string     `json:"type"`
	RecurringInterval *string    `json:"recurring_interval"`
}

// fixedPriceJSON is Polar's ProductPriceFixed.
type fixedPriceJSON struct {
	priceBaseJSON
	PriceAmount int64 `json:"price_amount"`
}

// customPriceJSON is Polar's ProductPriceCustom.
type customPriceJSON struct {
	priceBaseJSON
	MinimumAmount int64  `json:"minimum_amount"`
	MaximumAmount *int64 `json:"maximum_amount"`
	PresetAmount  *int64 `json:"preset_amount"`
}

// PriceJSON renders a price of product p in Polar's wire shape: ProductPriceFixed
// (a free price is a fixed price of 0, which is how SDK 0.49 reads it) or
// ProductPriceCustom.
func PriceJSON(p *paylink.Product, pr *paylink.Price) any {
	base := priceBaseJSON{
		CreatedAt: pr.CreatedAt, ModifiedAt: pr.ModifiedAt, ID: pr.ID, Source: "catalog", AmountType: pr.AmountType,
		PriceCurrency: pr.Currency, IsArchived: pr.IsArchived, ProductID: pr.ProductID, Type: "one_time",
	}
	if p != nil && p.IsRecurring() {
		base.Type, base.RecurringInterval = "recurring", p.RecurringInterval
	}
	if pr.AmountType == paylink.PriceCustom {
		return customPriceJSON{priceBaseJSON: base, MinimumAmount: pr.MinimumAmount,
			MaximumAmount: pr.MaximumAmount, PresetAmount: pr.PresetAmount}
	}
	base.AmountType = paylink.PriceFixed
	amount := pr.PriceAmount
	if pr.AmountType == paylink.PriceFree {
		amount = 0
	}
	return fixedPriceJSON{priceBaseJSON: base, PriceAmount: amount}
}

// customFieldJSON is Polar's CustomField (CustomFieldText, …Number, …Date,
// …Checkbox or …Select, told apart by type).
type customFieldJSON struct {
	CreatedAt      time.Time        `json:"created_at"`
	ModifiedAt     *time.Time       `json:"modified_at"`
	ID             string           `json:"id"`
	Metadata       paylink.Metadata `json:"metadata"`
	Type           string           `json:"type"`
	Slug           string           `json:"slug"`
	Name           string           `json:"name"`
	OrganizationID string           `json:"organization_id"`
	Properties     map[string]any   `json:"properties"`
}

// CustomFieldJSON renders a custom field in Polar's wire shape; its properties
// carry only the settings of its type, absent ones left out (never null).
func CustomFieldJSON(f *paylink.CustomField) any {
	return customFieldJSON{
		CreatedAt: f.CreatedAt, ModifiedAt: f.ModifiedAt, ID: f.ID, Metadata: f.Metadata, Type: f.Type,
		Slug: f.Slug, Name: f.Name, OrganizationID: f.OrganizationID, Properties: propertiesJSON(f.Type, f.Properties),
	}
}

func propertiesJSON(typ string, p paylink.CustomFieldProperties) map[string]any {
	m := map[string]any{}
	put := func(k string, v any, set bool) {
		if set {
			m[k] = v
		}
	}
	put("form_label", p.FormLabel, p.FormLabel != nil)
	put("form_help_text", p.FormHelpText, p.FormHelpText != nil)
	put("form_placeholder", p.FormPlaceholder, p.FormPlaceholder != nil)
	switch typ {
	case paylink.FieldText:
		put("textarea", p.Textarea, p.Textarea != nil)
		put("min_length", p.MinLength, p.MinLength != nil)
		put("max_length", p.MaxLength, p.MaxLength != nil)
	case paylink.FieldNumber, paylink.FieldDate:
		put("ge", p.GE, p.GE != nil)
		put("le", p.LE, p.LE != nil)
	case paylink.FieldSelect:
		opts := p.Options
		if opts == nil {
			opts = []paylink.SelectOption{}
		}
		m["options"] = opts
	}
	return m
}
