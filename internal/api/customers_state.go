package api

import (
	"net/http"
	"time"

	"github.com/paylink/paylink"

	"github.com/paylink/paylink/internal/store"
)

// customerStateJSON is Polar's CustomerState: the customer with what it has now,
// the one call an auth integration makes to gate its features: its active
// subscriptions and live benefit grants. paylink meters nothing: active_meters
// is empty.
type customerStateJSON struct {
	customerJSON
	ActiveSubscriptions []customerStateSubscriptionJSON `json:"active_subscriptions"`
	GrantedBenefits     []customerStateGrantJSON        `json:"granted_benefits"`
	ActiveMeters        []any                           `json:"active_meters"`
}

// customerStateSubscriptionJSON is Polar's CustomerStateSubscription; seats (SDK
// 1.x) are not a paylink feature: null.
type customerStateSubscriptionJSON struct {
	subscriptionBaseJSON
	Seats  *int64 `json:"seats"`
	Meters []any  `json:"meters"`
}

// customerStateGrantJSON is Polar's CustomerStateBenefitGrant.
type customerStateGrantJSON struct {
	ID              string           `json:"id"`
	CreatedAt       time.Time        `json:"created_at"`
	ModifiedAt      *time.Time       `json:"modified_at"`
	GrantedAt       time.Time        `json:"granted_at"`
	BenefitID       string           `json:"benefit_id"`
	BenefitType     string           `json:"benefit_type"`
	BenefitMetadata paylink.Metadata `json:"benefit_metadata"`
	Properties      map[string]any   `json:"properties"`
}

// customerStateGrants renders the customer's live grants, oldest first.
func customerStateGrants(r *http.Request, tx *store.Tx, orgID, customerID string) ([]customerStateGrantJSON, error) {
	granted := true
	grants, _, err := tx.BenefitGrantList(r.Context(), store.BenefitGrantListParams{OrganizationID: orgID,
		CustomerIDs: []string{customerID}, IsGranted: &granted, ListParams: store.ListParams{OrderBy: "granted_at, id"}})
	if err != nil || len(grants) == 0 {
		return []customerStateGrantJSON{}, err
	}
	ids := make([]string, len(grants))
	for i, g := range grants {
		ids[i] = g.BenefitID
	}
	bs, err := tx.BenefitGetMany(r.Context(), orgID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]customerStateGrantJSON, 0, len(grants))
	for _, g := range grants {
		b := bs[g.BenefitID]
		if b == nil {
			continue
		}
		meta, props := b.Metadata, g.Properties
		if meta == nil {
			meta = paylink.Metadata{}
		}
		if props == nil {
			props = map[string]any{}
		}
		out = append(out, customerStateGrantJSON{ID: g.ID, CreatedAt: g.CreatedAt, ModifiedAt: g.ModifiedAt,
			GrantedAt: *g.GrantedAt, BenefitID: b.ID, BenefitType: b.Type, BenefitMetadata: meta, Properties: props})
	}
	return out, nil
}

// customerState answers GET /v1/customers/{id}/state and its external-id twin.
func (a *API) customerState(w http.ResponseWriter, r *http.Request, p *Principal) error {
	ref, err := customerRef(r)
	if err != nil {
		return err
	}
	var out customerStateJSON
	err = a.read(r.Context(), func(tx *store.Tx) error {
		c, err := loadCustomer(r, tx, p.OrgID, ref)
		if err != nil {
			return err
		}
		subs, err := tx.SubscriptionsOfCustomer(r.Context(), p.OrgID, c.ID)
		if err != nil {
			return err
		}
		grants, err := customerStateGrants(r, tx, p.OrgID, c.ID)
		if err != nil {
			return err
		}
		out = customerStateJSON{customerJSON: customerOf(c), ActiveSubscriptions: []customerStateSubscriptionJSON{},
			GrantedBenefits: grants, ActiveMeters: []any{}}
		for _, s := range subs {
			if s.Billable() {
				out.ActiveSubscriptions = append(out.ActiveSubscriptions, customerStateSubscriptionJSON{subscriptionBaseJSON: subscriptionBase(s), Meters: []any{}})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, out)
	return nil
}

// customerGetSub answers GET /v1/customers/{id}/state and
// /v1/customers/external/{external_id}.
func (a *API) customerGetSub(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if r.PathValue("id") == "external" {
		r.SetPathValue("external_id", r.PathValue("sub"))
		return a.customerGet(w, r, p)
	}
	if r.PathValue("sub") != "state" {
		return paylink.NotFound("customer")
	}
	return a.customerState(w, r, p)
}
