package dashboard

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
)

// overviewCard is one number of the Overview with its trend and chart.
type overviewCard struct {
	Label, Value, Trend string
	Up, Down            bool
	Chart               chart
}

type overviewPage struct {
	dashPage
	Days              int // 7, 30 or 90; 0 for a custom range
	Start, End        string
	Currency          string
	Cards             []overviewCard
	RangeText, Before string
}

// overview is the landing page: revenue, orders, new subscriptions, MRR and
// conversion over the chosen days (?days=7|30|90, or ?start=&end=), each
// against the range just before it, from the same metrics as GET /v1/metrics/.
func (w *Dashboard) overview(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	q := r.URL.Query()
	page := overviewPage{dashPage: w.page(r, s, "Overview", "overview"), Days: 30, Currency: "usd"}
	if c := strings.ToLower(q.Get("currency")); paylink.IsPresentmentCurrency(c) {
		page.Currency = c
	}
	today := paylink.Now()
	start, end := today.AddDate(0, 0, -29), today
	if d, err := strconv.Atoi(q.Get("days")); err == nil && (d == 7 || d == 90) {
		page.Days, start = d, today.AddDate(0, 0, 1-d)
	}
	if a, b := q.Get("start"), q.Get("end"); a != "" && b != "" {
		sa, ea := parseDay(a), parseDay(b)
		if !sa.IsZero() && !ea.IsZero() && !ea.Before(sa) && ea.Sub(sa) < 1000*24*time.Hour {
			page.Days, start, end = 0, sa, ea
		}
	}
	days := int(end.Sub(start).Hours()/24) + 1
	prevEnd := start.AddDate(0, 0, -1)
	prevStart := prevEnd.AddDate(0, 0, 1-days)
	page.Start, page.End = start.Format(time.DateOnly), end.Format(time.DateOnly)
	page.RangeText = page.Start + " to " + page.End
	page.Before = prevStart.Format(time.DateOnly) + " to " + prevEnd.Format(time.DateOnly)
	svc := &analytics.Service{Store: w.Store}
	get := func(a, b time.Time) (*analytics.MetricsReport, error) {
		rng, err := paylink.ParseAnalyticsRange(a.Format(time.DateOnly), b.Format(time.DateOnly), paylink.AnalyticsDay, "")
		if err != nil {
			return nil, err
		}
		q := analytics.MetricsQuery{Range: rng, Currency: page.Currency}
		q.Filter.OrgID = s.Org.ID
		return svc.Metrics(r.Context(), q)
	}
	cur, err := get(start, end)
	if err != nil {
		return err
	}
	prev, err := get(prevStart, prevEnd)
	if err != nil {
		return err
	}
	labels := make([]string, len(cur.Periods))
	for i, p := range cur.Periods {
		labels[i] = p["timestamp"].(string)[:10]
	}
	money := func(v int64) string { return paylink.FormatAmount(v, page.Currency) }
	count := func(v int64) string { return strconv.FormatInt(v, 10) }
	percent := func(v int64) string { return fmt.Sprintf("%.1f %%", float64(v)/100) }
	for _, m := range []struct {
		slug, label string
		format      func(int64) string
	}{
		{"revenue", "Revenue", money}, {"orders", "Orders", count}, {"new_subscriptions", "New subscriptions", count},
		{"monthly_recurring_revenue", "MRR", money}, {"checkouts_conversion", "Checkout conversion", percent},
	} {
		values := make([]int64, len(cur.Periods))
		for i, p := range cur.Periods {
			values[i] = metricValue(p[m.slug])
		}
		now, before := metricValue(cur.Totals[m.slug]), metricValue(prev.Totals[m.slug])
		card := overviewCard{Label: m.label, Value: m.format(now), Chart: newChart(m.label+" by day", labels, values, m.format)}
		card.Trend, card.Up, card.Down = trend(now, before)
		page.Cards = append(page.Cards, card)
	}
	w.Render(rw, r, http.StatusOK, "dash_overview", page)
	return nil
}

// metricValue is a metric as an integer: money and counts as they are, a rate
// in basis points.
func metricValue(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x*10000 + 0.5)
	}
	return 0
}

// trend says how now compares with before, in percent.
func trend(now, before int64) (text string, up, down bool) {
	switch {
	case before == 0 && now == 0:
		return "no change", false, false
	case before == 0:
		return "up from none", true, false
	}
	pct := float64(now-before) / float64(before) * 100
	return fmt.Sprintf("%+.0f %%", pct), now > before, now < before
}

func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
