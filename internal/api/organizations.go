package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/files"
	"github.com/paylink/paylink/internal/store"
)

// organizationJSON is Polar's Organization. Features paylink does not have carry
// their neutral values.
type organizationJSON struct {
	CreatedAt                  time.Time      `json:"created_at"`
	ModifiedAt                 *time.Time     `json:"modified_at"`
	ID                         string         `json:"id"`
	Name                       string         `json:"name"`
	Slug                       string         `json:"slug"`
	AvatarURL                  *string        `json:"avatar_url"`
	ProrationBehavior          string         `json:"proration_behavior"`
	AllowCustomerUpdates       bool           `json:"allow_customer_updates"`
	Email                      *string        `json:"email"`
	Website                    *string        `json:"website"`
	Socials                    []any          `json:"socials"`
	Status                     string         `json:"status"`
	DetailsSubmittedAt         *time.Time     `json:"details_submitted_at"`
	SSOEnforced                bool           `json:"sso_enforced"`
	DefaultPresentmentCurrency string         `json:"default_presentment_currency"`
	DefaultTaxBehavior         string         `json:"default_tax_behavior"`
	FeatureSettings            map[string]any `json:"feature_settings"`
	SubscriptionSettings       map[string]any `json:"subscription_settings"`
	CustomerEmailSettings      map[string]any `json:"customer_email_settings"`
	CustomerPortalSettings     map[string]any `json:"customer_portal_settings"`
	AccountID                  *string        `json:"account_id"`
	PayoutAccountID            *string        `json:"payout_account_id"`
	Capabilities               map[string]any `json:"capabilities"`
	// SDK 1.x requires these. embed_hosts: the origins allowed to frame the checkout
	// page (embed.js); no disputes are auto-accepted.
	EmbedHosts                        []string       `json:"embed_hosts"`
	DisputeSettings                   map[string]any `json:"dispute_settings"`
	OnboardingResubmissionRequestedAt *time.Time     `json:"onboarding_resubmission_requested_at"`
}

// OrganizationJSON renders an organization in Polar's wire shape. Polar's
// "email" is the public support email of Settings; the terms and privacy URLs
// have no field in Polar's Organization and are not sent.
func OrganizationJSON(base string, o *paylink.Organization) any {
	var email, avatar *string
	if o.SupportEmail != "" {
		email = &o.SupportEmail
	}
	if o.AvatarFileID != "" {
		u := base + files.PublicPath(&paylink.File{ID: o.AvatarFileID})
		avatar = &u
	}
	return organizationJSON{
		CreatedAt: o.CreatedAt, ModifiedAt: o.ModifiedAt, ID: o.ID, Name: o.Name, Slug: o.Slug, Email: email, AvatarURL: avatar,
		ProrationBehavior: "prorate", Socials: []any{}, Status: "active",
		DefaultPresentmentCurrency: "usd", DefaultTaxBehavior: "exclusive",
		SubscriptionSettings: map[string]any{
			"allow_multiple_subscriptions": true, "allow_customer_updates": true,
			"proration_behavior": "prorate", "benefit_revocation_grace_period": 0,
			"prevent_trial_abuse": false,
		},
		CustomerEmailSettings: map[string]any{
			"order_confirmation": false, "subscription_cancellation": false, "subscription_confirmation": false,
			"subscription_cycled": false, "subscription_cycled_after_trial": false, "subscription_past_due": false,
			"subscription_paused": false, "subscription_resumed": false,
			"subscription_renewal_reminder": false, "subscription_revoked": false,
			"subscription_trial_conversion_reminder": false, "subscription_uncanceled": false, "subscription_updated": false,
			"payment_method_expiration_reminder": false,
		},
		CustomerPortalSettings: map[string]any{
			"usage":        map[string]any{"show": false},
			"subscription": map[string]any{"update_seats": false, "update_plan": false},
		},
		Capabilities: map[string]any{"checkout_payments": true, "subscription_renewals": true, "payouts": false,
			"refunds": true, "api_access": true, "dashboard_access": true},
		EmbedHosts: append([]string{}, o.EmbedHosts...), DisputeSettings: map[string]any{"auto_accept_below_amount": nil},
	}
}

func (a *API) organizationList(w http.ResponseWriter, r *http.Request, p *Principal) error {
	page, err := ParsePage(r)
	if err != nil {
		return err
	}
	// The token's organization is the only one it lists.
	return writePage(a, w, r, page, false, func(tx *store.Tx) ([]any, int, error) {
		org, err := tx.OrganizationGet(r.Context(), p.OrgID)
		if err != nil {
			return nil, 0, err
		}
		items := []any{}
		if page.Page == 1 {
			items = append(items, OrganizationJSON(a.PublicURL, org))
		}
		return items, 1, nil
	})
}

func (a *API) organizationGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "organization")
	if err != nil {
		return err
	}
	if id != p.OrgID { // an organization token sees only its own organization
		return paylink.NotFound("organization")
	}
	var org *paylink.Organization
	if err := a.read(r.Context(), func(tx *store.Tx) error {
		org, err = tx.OrganizationGet(r.Context(), id)
		return err
	}); err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, OrganizationJSON(a.PublicURL, org))
	return nil
}

// organizationUpdate is PATCH /v1/organizations/{id}: the origins allowed to
// embed the checkout (["body","embed_hosts",i] for a bad one). Any other field
// of Polar's OrganizationUpdate is a 422 at it.
func (a *API) organizationUpdate(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "organization")
	if err != nil {
		return err
	}
	if id != p.OrgID {
		return paylink.NotFound("organization")
	}
	var raw map[string]rawField
	if err := Decode(r, &raw); err != nil {
		return err
	}
	var probs paylink.Problems
	var hosts []string
	for name, v := range raw {
		if name != "embed_hosts" {
			probs.Add("paylink's API changes only embed_hosts of an organization; the rest is in the dashboard's settings", nil, "body", name)
			continue
		}
		if err := json.Unmarshal(v, &hosts); err != nil || hosts == nil {
			probs.Add("Input should be a valid list", v, "body", "embed_hosts")
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	if _, given := raw["embed_hosts"]; !given { // absent is unchanged, as in every PATCH
		return a.organizationGet(w, r, p)
	}
	org, err := a.Account.UpdateEmbedHosts(r.Context(), p.OrgID, hosts)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, OrganizationJSON(a.PublicURL, org))
	return nil
}
