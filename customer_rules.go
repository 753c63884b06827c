package paylink

import (
	"time"
	"unicode/utf8"
)

// MaxExternalIDLen bounds a customer's external id (the merchant's user id).
const MaxExternalIDLen = 256

// CustomerInput is a create or update of a customer, as Polar's CustomerCreate
// and CustomerUpdate carry it. A nil pointer is "not given"; the *Set flags tell
// an explicit null (clear) from an absent field.
type CustomerInput struct {
	Email             *string
	Name              *string
	NameSet           bool
	ExternalID        *string
	ExternalIDSet     bool
	BillingCountry    *string
	BillingCountrySet bool
	Metadata          map[string]any // nil: unchanged
}

// NewCustomer validates a create; every problem is a 422 at its body field.
func NewCustomer(orgID string, in CustomerInput, now time.Time) (*Customer, error) {
	var p Problems
	if in.Email == nil {
		p.Add("an email address is required", nil, "body", "email")
	}
	c := &Customer{OrganizationID: orgID, Metadata: Metadata{}, CreatedAt: now}
	applyCustomer(c, in, &p, nil)
	return c, p.Err()
}

// ApplyCustomerUpdate returns old with the update applied, or the 422 of its
// problems. An external id once set cannot be changed (Polar's rule: it is the
// merchant's key for the customer), only given again as it is.
func ApplyCustomerUpdate(old *Customer, in CustomerInput, now time.Time) (*Customer, error) {
	var p Problems
	c := *old
	c.Metadata = old.Metadata.Clone()
	applyCustomer(&c, in, &p, old.ExternalID)
	c.ModifiedAt = &now
	return &c, p.Err()
}

func applyCustomer(c *Customer, in CustomerInput, p *Problems, oldExternalID *string) {
	if in.Email != nil {
		if !ValidEmail(*in.Email) {
			p.Add("value is not a valid email address", *in.Email, "body", "email")
		}
		c.Email = *in.Email
	}
	if in.NameSet {
		if in.Name != nil && !ValidCustomerName(*in.Name) {
			p.Add("a name has 1 to 256 characters, without control characters", *in.Name, "body", "name")
		}
		c.Name = in.Name
	}
	if in.ExternalIDSet {
		switch {
		case in.ExternalID != nil && (*in.ExternalID == "" || utf8.RuneCountInString(*in.ExternalID) > MaxExternalIDLen || !ValidText(*in.ExternalID)):
			p.Add("an external ID has 1 to 256 characters", *in.ExternalID, "body", "external_id")
		case oldExternalID != nil && (in.ExternalID == nil || *in.ExternalID != *oldExternalID):
			p.Add("the customer's external ID is already set and cannot be changed", in.ExternalID, "body", "external_id")
		}
		c.ExternalID = in.ExternalID
	}
	if in.BillingCountrySet {
		if in.BillingCountry != nil && !ValidCountry(*in.BillingCountry) {
			p.Add("not a valid country code (ISO 3166-1 alpha-2)", *in.BillingCountry, "body", "billing_address", "country")
		}
		c.BillingCountry = in.BillingCountry
	}
	if in.Metadata != nil {
		m, err := ParseMetadata(in.Metadata, "body", "metadata")
		if e, ok := err.(*Error); ok {
			*p = append(*p, e.Fields...)
		}
		c.Metadata = m
	}
}
