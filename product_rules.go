package paylink

import "strings"

// FieldAttachment is one custom field to attach to a product, as requested.
type FieldAttachment struct {
	CustomFieldID string
	Required      bool
}

// ProductParams is a product create request before validation.
type ProductParams struct {
	Name                   string
	Description            *string
	RecurringInterval      *string // nil: a one-time product
	RecurringIntervalCount *int    // recurring only; nil means 1
	Prices                 []PriceInput
	Metadata               map[string]any
	CustomFields           []FieldAttachment
	Medias                 []string // ids of product_media files, in order
}

// NewProduct validates a create request and returns the product of orgID it
// describes, with its one price and attachments (ids and fields not loaded yet).
// Errors are EInvalid with one located entry per broken rule.
func NewProduct(orgID string, in ProductParams) (*Product, error) {
	var p Problems
	prod := &Product{OrganizationID: orgID, Name: validateProductName(in.Name, &p), Description: cleanDescription(in.Description)}
	if in.RecurringInterval != nil {
		n, err := ValidateInterval(*in.RecurringInterval, in.RecurringIntervalCount, "body")
		p.mergeInvalid(err)
		prod.RecurringInterval, prod.RecurringIntervalCount = in.RecurringInterval, &n
	} else if in.RecurringIntervalCount != nil {
		p.Add("one-time products have no recurring_interval_count; set recurring_interval too", *in.RecurringIntervalCount, "body", "recurring_interval_count")
	}
	prod.Prices = validatePrices(in.Prices, nil, &p)
	prod.CustomFields = validateAttachments(in.CustomFields, &p)
	md, err := ParseMetadata(in.Metadata, "body", "metadata")
	p.mergeInvalid(err)
	prod.Metadata = md
	if err := p.Err(); err != nil {
		return nil, err
	}
	return prod, nil
}

// ProductPatch is a product update request before validation; zero fields leave
// the product unchanged.
type ProductPatch struct {
	Name                   *string
	SetDescription         bool // Description replaces the current one, nil clears it
	Description            *string
	SetRecurringInterval   bool // must then equal the current interval: it can't change
	RecurringInterval      *string
	RecurringIntervalCount *int // must equal the current count when set
	IsArchived             *bool
	Prices                 []PriceInput      // nil: unchanged; else exactly one, new or kept by ID
	Metadata               map[string]any    // nil: unchanged; else replaces
	CustomFields           []FieldAttachment // nil: unchanged; else replaces (empty detaches all)
	Medias                 []string          // nil: unchanged; else the ids of its images, replacing them
}

// Apply validates pt against p and returns the updated copy; p is not modified.
// Kept prices are p's own *Price values; new ones have no ID yet.
func (pt ProductPatch) Apply(p *Product) (*Product, error) {
	var probs Problems
	out := *p
	if pt.Name != nil {
		out.Name = validateProductName(*pt.Name, &probs)
	}
	if pt.SetDescription {
		out.Description = cleanDescription(pt.Description)
	}
	if pt.SetRecurringInterval && !sameString(pt.RecurringInterval, p.RecurringInterval) {
		probs.Add("the recurring interval of a product can't be changed; create a new product", pt.RecurringInterval, "body", "recurring_interval")
	}
	if c := pt.RecurringIntervalCount; c != nil && (p.RecurringIntervalCount == nil || *c != *p.RecurringIntervalCount) {
		probs.Add("the recurring interval count of a product can't be changed; create a new product", *c, "body", "recurring_interval_count")
	}
	if pt.IsArchived != nil {
		out.IsArchived = *pt.IsArchived
	}
	if pt.Prices != nil {
		out.Prices = validatePrices(pt.Prices, p, &probs)
	}
	if pt.CustomFields != nil {
		out.CustomFields = validateAttachments(pt.CustomFields, &probs)
	}
	if pt.Metadata != nil {
		md, err := ParseMetadata(pt.Metadata, "body", "metadata")
		probs.mergeInvalid(err)
		out.Metadata = md
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return &out, nil
}

// validatePrices checks a request's price list: exactly one price, either new or
// (on update, cur != nil) the ID of cur's live price.
func validatePrices(in []PriceInput, cur *Product, p *Problems) []*Price {
	if len(in) != 1 {
		p.Add("a product has exactly one price: give one fixed, custom or free price", len(in), "body", "prices")
	}
	var out []*Price
	for i, pi := range in {
		if pi.ID != "" {
			if kept := livePrice(cur, pi.ID); kept != nil {
				out = append(out, kept)
			} else {
				p.Add("is not a current price of this product", pi.ID, "body", "prices", i, "id")
			}
			continue
		}
		pr, err := ValidatePrice(pi, "body", "prices", i)
		p.mergeInvalid(err)
		if pr != nil {
			out = append(out, pr)
		}
	}
	return out
}

func livePrice(p *Product, id string) *Price {
	if p == nil {
		return nil
	}
	for _, pr := range p.Prices {
		if !pr.IsArchived && strings.EqualFold(pr.ID, id) {
			return pr
		}
	}
	return nil
}

// validateAttachments checks custom field ids (UUIDs, no duplicates) and numbers
// the attachments in request order.
func validateAttachments(in []FieldAttachment, p *Problems) []ProductCustomField {
	out := make([]ProductCustomField, 0, len(in))
	seen := map[string]bool{}
	for i, a := range in {
		id := strings.ToLower(a.CustomFieldID)
		switch {
		case !ValidID(id):
			p.Add("must be a UUID", a.CustomFieldID, "body", "attached_custom_fields", i, "custom_field_id")
		case seen[id]:
			p.Add("this custom field is already attached", a.CustomFieldID, "body", "attached_custom_fields", i, "custom_field_id")
		default:
			seen[id] = true
			out = append(out, ProductCustomField{CustomFieldID: id, Required: a.Required, Order: len(out)})
		}
	}
	return out
}

func sameString(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// mergeInvalid appends the field errors of an EInvalid error (other errors become one
// entry at the body, which validation code never produces).
func (p *Problems) mergeInvalid(err error) {
	if err == nil {
		return
	}
	if e, ok := err.(*Error); ok && len(e.Fields) > 0 {
		*p = append(*p, e.Fields...)
		return
	}
	p.Add(err.Error(), nil, "body")
}
