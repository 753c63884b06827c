package api

import (
	"net/http"
	"strings"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
)

// metricsGet is Polar's GET /v1/metrics/ (metrics.get) for the metrics paylink
// computes (analytics.Metrics), with Polar's filters product_id, billing_type
// and customer_id, and ours: checkout_link_id, and currency (the money
// metrics' currency, usd by default; orders in others are left out).
func (a *API) metricsGet(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var probs paylink.Problems
	q := r.URL.Query()
	rng, err := paylink.ParseAnalyticsRange(q.Get("start_date"), q.Get("end_date"), q.Get("interval"), q.Get("timezone"))
	mergeProblems(&probs, err)
	f := store.MetricsFilter{OrgID: p.OrgID}
	for name, dst := range map[string]*[]string{"product_id": &f.ProductIDs, "customer_id": &f.CustomerIDs,
		"checkout_link_id": &f.LinkIDs} {
		v, err := QueryIDs(r, name)
		mergeProblems(&probs, err)
		*dst = lowerAll(v)
	}
	orgIDs, err := QueryIDs(r, "organization_id")
	mergeProblems(&probs, err)
	types := map[string]bool{}
	for _, t := range queryList(q, "billing_type") {
		if t != "one_time" && t != "recurring" {
			probs.Add("Input should be 'one_time' or 'recurring'", t, "query", "billing_type")
		}
		types[t] = true
	}
	if len(types) == 1 {
		for t := range types {
			f.BillingType = t
		}
	}
	currency := strings.ToLower(q.Get("currency"))
	if currency == "" {
		currency = "usd"
	} else if !paylink.IsPresentmentCurrency(currency) {
		probs.Add("Input should be a currency code", q.Get("currency"), "query", "currency")
	}
	if err := probs.Err(); err != nil {
		return err
	}
	if otherOrgsOnly(orgIDs, p) {
		f.OrgID = paylink.NewID() // another organization's metrics: all zeros, as for an empty one
	}
	rep, err := (&analytics.Service{Store: a.Store}).Metrics(r.Context(), analytics.MetricsQuery{Range: rng, Filter: f, Currency: currency})
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, rep)
	return nil
}

// metricsLimits is Polar's GET /v1/metrics/limits (metrics.limits): the
// earliest date and, per interval, the longest range (in days, end included)
// that stays within paylink.MaxAnalyticsPeriods periods.
func (a *API) metricsLimits(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var org *paylink.Organization
	err := a.read(r.Context(), func(tx *store.Tx) (err error) {
		org, err = tx.OrganizationGet(r.Context(), p.OrgID)
		return err
	})
	if err != nil {
		return err
	}
	limit := func(maxDays int) map[string]int { return map[string]int{"min_days": 0, "max_days": maxDays} }
	WriteJSON(w, http.StatusOK, map[string]any{
		"min_date": org.CreatedAt.Format("2006-01-02"),
		"intervals": map[string]any{
			// A range of d days has at most 25·d hours (DST), d days, d/7+2 weeks, d/28+2 months, d/365+2 years.
			"hour": limit(paylink.MaxAnalyticsPeriods / 25), "day": limit(paylink.MaxAnalyticsPeriods),
			"week": limit(7 * (paylink.MaxAnalyticsPeriods - 2)), "month": limit(28 * (paylink.MaxAnalyticsPeriods - 2)),
			"year": limit(365 * (paylink.MaxAnalyticsPeriods - 2)),
		},
	})
	return nil
}
