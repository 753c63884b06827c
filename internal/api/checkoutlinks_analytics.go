package api

import (
	"net/http"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
)

// checkoutLinkAnalytics is GET /v1/checkout-links/{id}/analytics (ours; README
// "Analytics"): the link's periods, totals and breakdowns over the range.
func (a *API) checkoutLinkAnalytics(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := pathID(r, "id", "checkout link")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rng, err := paylink.ParseAnalyticsRange(q.Get("start_date"), q.Get("end_date"), q.Get("interval"), q.Get("timezone"))
	if err != nil {
		return err
	}
	rep, err := (&analytics.Service{Store: a.Store}).Link(r.Context(), p.OrgID, id, rng)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, rep)
	return nil
}
