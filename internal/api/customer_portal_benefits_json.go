package api

import (
	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/portal"
)

// customerPortalCustomerJSON is Polar's CustomerPortalCustomer: the customer
// without what is the merchant's (metadata, external id), with the OAuth
// accounts paylink never connects.
type customerPortalCustomerJSON struct {
	customerJSON
	Metadata       hidden         `json:"metadata,omitempty"`
	ExternalID     hidden         `json:"external_id,omitempty"`
	OrganizationID hidden         `json:"organization_id,omitempty"`
	DeletedAt      hidden         `json:"deleted_at,omitempty"`
	OAuthAccounts  map[string]any `json:"oauth_accounts"`
}

// benefitSubscriberOrgJSON is Polar's BenefitSubscriberOrganization.
type benefitSubscriberOrgJSON struct {
	checkoutOrganizationJSON
	AvatarURL            *string `json:"avatar_url"`
	AllowCustomerUpdates bool    `json:"allow_customer_updates"`
}

// benefitSubscriberJSON is Polar's BenefitCustomSubscriber,
// BenefitLicenseKeysSubscriber and BenefitDownloadablesSubscriber: what the
// customer who has a benefit sees of it.
type benefitSubscriberJSON struct {
	benefitPublicJSON
	Organization benefitSubscriberOrgJSON `json:"organization"`
	Properties   map[string]any           `json:"properties"`
}

func benefitSubscriber(base string, b *paylink.Benefit, o *paylink.Organization) benefitSubscriberJSON {
	org := OrganizationJSON(base, o).(organizationJSON)
	props := map[string]any{}
	switch b.Type {
	case paylink.BenefitCustom:
		props["note"] = b.Properties["note"]
	case paylink.BenefitLicenseKeys:
		for _, k := range []string{"prefix", "expires", "activations", "limit_usage"} {
			props[k] = b.Properties[k]
		}
	case paylink.BenefitDownloadables:
		active := []any{}
		files, _ := b.Properties["files"].([]any)
		archived, _ := b.Properties["archived"].(map[string]any)
		for _, id := range files {
			if s, _ := id.(string); archived[s] != true {
				active = append(active, id)
			}
		}
		props["active_files"] = active
	}
	return benefitSubscriberJSON{benefitPublicJSON: benefitPublic(b), Properties: props,
		Organization: benefitSubscriberOrgJSON{checkoutOrganizationJSON: checkoutOrganizationJSON{CreatedAt: o.CreatedAt,
			ModifiedAt: o.ModifiedAt, ID: o.ID, Name: o.Name, Slug: o.Slug, ProrationBehavior: org.ProrationBehavior},
			AvatarURL: org.AvatarURL, AllowCustomerUpdates: org.AllowCustomerUpdates}}
}

// customerGrantJSON is Polar's CustomerBenefitGrant (…Custom, …LicenseKeys,
// …Downloadables, told apart by the benefit's type).
type customerGrantJSON struct {
	grantJSON
	MemberID *string `json:"member_id"`
}

func (l *loader) customerGrantJSON(g *paylink.BenefitGrant, who *portal.Signed) (any, error) {
	bs, err := l.tx.BenefitGetMany(l.ctx, g.OrganizationID, []string{g.BenefitID})
	if err != nil {
		return nil, err
	}
	b := bs[g.BenefitID]
	if b == nil {
		return nil, paylink.NotFound("benefit")
	}
	props := map[string]any{}
	for k, v := range g.Properties {
		props[k] = v
	}
	return customerGrantJSON{grantJSON: grantJSON{CreatedAt: g.CreatedAt, ModifiedAt: g.ModifiedAt, ID: g.ID,
		GrantedAt: g.GrantedAt, IsGranted: g.IsGranted(), RevokedAt: g.RevokedAt, IsRevoked: g.RevokedAt != nil,
		SubscriptionID: g.SubscriptionID, OrderID: g.OrderID, CustomerID: g.CustomerID, BenefitID: g.BenefitID,
		Customer:   customerPortalCustomerJSON{customerJSON: customerOf(who.Customer), OAuthAccounts: map[string]any{}},
		Benefit:    benefitSubscriber(l.base, b, who.Org),
		Properties: props}}, nil
}
