package api

import (
	"net/http"

	"github.com/paylink/paylink"

	"github.com/paylink/paylink/internal/store"
)

// customerStateJSON is Polar's CustomerState: the customer with what it has now,
// the one call an auth integration makes to gate its features. paylink grants no
// benefits and meters nothing: those lists are empty.
type customerStateJSON struct {
	customerJSON
	ActiveSubscriptions []customerStateSubscriptionJSON `json:"active_subscriptions"`
	GrantedBenefits     []any                           `json:"granted_benefits"`
	ActiveMeters        []any                           `json:"active_meters"`
}

// customerStateSubscriptionJSON is Polar's CustomerStateSubscription; seats (SDK
// 1.x) are not a paylink feature: null.
type customerStateSubscriptionJSON struct {
	subscriptionBaseJSON
	Seats  *int64 `json:"seats"`
	Meters []any  `json:"meters"`
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
		out = customerStateJSON{customerJSON: customerOf(c), ActiveSubscriptions: []customerStateSubscriptionJSON{},
			GrantedBenefits: []any{}, ActiveMeters: []any{}}
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
