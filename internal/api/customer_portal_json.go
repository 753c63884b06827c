package api

import (
	"github.com/paylink/paylink"
)

// What a customer sees of their orders and subscriptions: Polar's CustomerOrder
// and CustomerSubscription. Unlike the merchant's shapes they carry no
// metadata, custom field answers or attribution (those are the merchant's), and
// their product carries the selling organization.

// customerOrganizationJSON is Polar's CustomerOrganization.
type customerOrganizationJSON struct {
	checkoutOrganizationJSON
	CustomerPortalSettings map[string]any `json:"customer_portal_settings"`
}

// customerProductJSON is Polar's CustomerOrderProduct and CustomerSubscriptionProduct.
type customerProductJSON struct {
	checkoutProductJSON
	Organization customerOrganizationJSON `json:"organization"`
}

// hidden shadows a field of an embedded merchant shape: a nil hidden with
// omitempty leaves the field out of a customer's JSON.
type hidden *struct{}

// customerSubscriptionBaseJSON is Polar's CustomerOrderSubscription, the
// merchant's subscription without what is the merchant's.
type customerSubscriptionBaseJSON struct {
	subscriptionBaseJSON
	Metadata        hidden `json:"metadata,omitempty"`
	CustomFieldData hidden `json:"custom_field_data,omitempty"`
	CheckoutLinkID  hidden `json:"checkout_link_id,omitempty"`
}

// customerSubscriptionJSON is Polar's CustomerSubscription.
type customerSubscriptionJSON struct {
	customerSubscriptionBaseJSON
	Product       customerProductJSON `json:"product"`
	Prices        []any               `json:"prices"`
	Meters        []any               `json:"meters"`
	PendingUpdate any                 `json:"pending_update"`
}

// customerOrderJSON is Polar's CustomerOrder: the merchant's order without its
// metadata, custom field answers, platform fee, customer and discount objects.
type customerOrderJSON struct {
	orderJSON
	Metadata            hidden              `json:"metadata,omitempty"`
	CustomFieldData     hidden              `json:"custom_field_data,omitempty"`
	PlatformFeeAmount   hidden              `json:"platform_fee_amount,omitempty"`
	PlatformFeeCurrency hidden              `json:"platform_fee_currency,omitempty"`
	Customer            hidden              `json:"customer,omitempty"`
	Discount            hidden              `json:"discount,omitempty"`
	CheckoutLinkID      hidden              `json:"checkout_link_id,omitempty"`
	Product             customerProductJSON `json:"product"`
	Subscription        any                 `json:"subscription"`
}

func customerOrganization(base string, o *paylink.Organization) customerOrganizationJSON {
	org := OrganizationJSON(base, o).(organizationJSON)
	return customerOrganizationJSON{checkoutOrganizationJSON: checkoutOrganizationJSON{CreatedAt: o.CreatedAt,
		ModifiedAt: o.ModifiedAt, ID: o.ID, Name: o.Name, Slug: o.Slug, ProrationBehavior: org.ProrationBehavior},
		CustomerPortalSettings: org.CustomerPortalSettings}
}

func customerProduct(base string, p *paylink.Product, org *paylink.Organization) customerProductJSON {
	return customerProductJSON{checkoutProductJSON: checkoutProduct(base, p), Organization: customerOrganization(base, org)}
}

// customerOrderJSON renders one of the customer's orders, sold by org.
func (l *loader) customerOrderJSON(o *paylink.Order, org *paylink.Organization) (any, error) {
	merchant, err := l.orderJSON(o)
	if err != nil {
		return nil, err
	}
	prod, err := l.product(o.OrganizationID, o.ProductID)
	if err != nil {
		return nil, err
	}
	out := customerOrderJSON{orderJSON: merchant.(orderJSON), Product: customerProduct(l.base, prod, org)}
	if sub, ok := out.orderJSON.Subscription.(subscriptionBaseJSON); ok {
		out.Subscription = customerSubscriptionBaseJSON{subscriptionBaseJSON: sub}
	}
	return out, nil
}

// customerSubscriptionJSON renders one of the customer's subscriptions, sold by org.
func (l *loader) customerSubscriptionJSON(s *paylink.Subscription, org *paylink.Organization) (any, error) {
	prod, err := l.product(s.OrganizationID, s.ProductID)
	if err != nil {
		return nil, err
	}
	pr, err := l.price(s.OrganizationID, prod, s.PriceID)
	if err != nil {
		return nil, err
	}
	return customerSubscriptionJSON{customerSubscriptionBaseJSON: customerSubscriptionBaseJSON{subscriptionBaseJSON: subscriptionBase(s)},
		Product: customerProduct(l.base, prod, org), Prices: []any{PriceJSON(prod, pr)}, Meters: []any{}}, nil
}
