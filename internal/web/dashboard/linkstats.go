package dashboard

import (
	"cmp"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
)

// linkStatsPage is a link's analytics: the charts by day, the funnel and the
// breakdowns, from the same report as GET /v1/checkout-links/{id}/analytics.
type linkStatsPage struct {
	dashPage
	ID, Name, URL string
	Days          int
	Report        *analytics.LinkReport
	Charts        []chart
	Funnel        []chartRow
	Breakdowns    []statsTable
	Sort          string
}

type statsTable struct {
	Key  string
	Rows []statsRow
}

type statsRow struct{ Value, Sessions, Succeeded, Conversion, Revenue string }

// linkStatsSorts are the columns a breakdown sorts by (?sort=).
var linkStatsSorts = map[string]func(a, b analytics.BreakdownRow) int{
	"sessions":   func(a, b analytics.BreakdownRow) int { return cmp.Compare(b.Sessions, a.Sessions) },
	"succeeded":  func(a, b analytics.BreakdownRow) int { return cmp.Compare(b.Succeeded, a.Succeeded) },
	"conversion": func(a, b analytics.BreakdownRow) int { return cmp.Compare(b.ConversionRate, a.ConversionRate) },
	"value": func(a, b analytics.BreakdownRow) int {
		return cmp.Compare(breakdownValue(a.Value), breakdownValue(b.Value))
	},
}

// linkReport reads the link and its report over the last ?days=7|30|90 UTC days.
func (w *Dashboard) linkReport(r *http.Request, s *dashSession) (*paylink.CheckoutLink, int, *analytics.LinkReport, error) {
	var l *paylink.CheckoutLink
	if err := w.Store.Read(r.Context(), func(tx *store.Tx) (err error) { l, err = w.linkOf(r, tx, s); return err }); err != nil {
		return nil, 0, nil, err
	}
	days := 30
	if d, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil && (d == 7 || d == 90) {
		days = d
	}
	today := paylink.Now()
	rng, err := paylink.ParseAnalyticsRange(today.AddDate(0, 0, 1-days).Format(time.DateOnly), today.Format(time.DateOnly), paylink.AnalyticsDay, "")
	if err != nil {
		return nil, 0, nil, err
	}
	rep, err := (&analytics.Service{Store: w.Store}).Link(r.Context(), s.Org.ID, l.ID, rng)
	return l, days, rep, err
}

func (w *Dashboard) linkStats(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	l, days, rep, err := w.linkReport(r, s)
	if err != nil {
		return err
	}
	page := linkStatsPage{dashPage: w.page(r, s, "Analytics of "+linkName(l), "links"), ID: l.ID, Name: linkName(l),
		URL: w.linkURL(l), Days: days, Report: rep, Sort: r.URL.Query().Get("sort")}
	if linkStatsSorts[page.Sort] == nil {
		page.Sort = "sessions"
	}
	labels := make([]string, len(rep.Periods))
	sessions, succeeded := make([]int64, len(rep.Periods)), make([]int64, len(rep.Periods))
	for i, p := range rep.Periods {
		labels[i], sessions[i], succeeded[i] = p.Timestamp[:10], p.Sessions, p.Succeeded
	}
	count := func(v int64) string { return strconv.FormatInt(v, 10) }
	page.Charts = []chart{newChart("Sessions by day", labels, sessions, count), newChart("Succeeded by day", labels, succeeded, count)}
	for _, total := range rep.Totals.Revenue { // one revenue chart per currency: amounts never add across currencies
		cur := total.Currency
		values := make([]int64, len(rep.Periods))
		for i, p := range rep.Periods {
			for _, a := range p.Revenue {
				if a.Currency == cur {
					values[i] = a.Amount
				}
			}
		}
		page.Charts = append(page.Charts, newChart("Revenue ("+cur+") by day", labels, values,
			func(v int64) string { return paylink.FormatAmount(v, cur) }))
	}
	t := rep.Totals
	page.Funnel = []chartRow{{"Visits", count(t.Visits)}, {"Sessions", count(t.Sessions)}, {"Confirmed", count(t.Confirmed)},
		{"Succeeded", count(t.Succeeded)}, {"Bot visits (apart)", count(t.BotVisits)}, {"Blocked visits (apart)", count(t.BlockedVisits)}}
	for _, key := range analytics.BreakdownKeys {
		rows := slices.Clone(rep.Breakdown[key])
		slices.SortStableFunc(rows, linkStatsSorts[page.Sort])
		tbl := statsTable{Key: key}
		for _, b := range rows {
			tbl.Rows = append(tbl.Rows, statsRow{Value: breakdownValue(b.Value), Sessions: count(b.Sessions), Succeeded: count(b.Succeeded),
				Conversion: percentText(b.ConversionRate), Revenue: amountsText(b.Revenue)})
		}
		page.Breakdowns = append(page.Breakdowns, tbl)
	}
	w.Render(rw, r, http.StatusOK, "dash_linkstats", page)
	return nil
}

// linkStatsCSV is the report's periods, then its breakdowns, as CSV.
func (w *Dashboard) linkStatsCSV(rw http.ResponseWriter, r *http.Request, s *dashSession) error {
	l, _, rep, err := w.linkReport(r, s)
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="link-`+l.ID+`-analytics.csv"`)
	out := csv.NewWriter(rw)
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	out.Write([]string{"period", "visits", "bot_visits", "blocked_visits", "sessions", "confirmed", "succeeded", "conversion_rate", "revenue", "refunded", "net_revenue"}) //nolint:errcheck
	for _, p := range rep.Periods {
		out.Write([]string{p.Timestamp, n(p.Visits), n(p.BotVisits), n(p.BlockedVisits), n(p.Sessions), n(p.Confirmed), n(p.Succeeded), //nolint:errcheck
			strconv.FormatFloat(p.ConversionRate, 'f', 4, 64), amountsText(p.Revenue), amountsText(p.Refunded), amountsText(p.NetRevenue)})
	}
	out.Write(nil)                                                                                   //nolint:errcheck
	out.Write([]string{"breakdown", "value", "sessions", "succeeded", "conversion_rate", "revenue"}) //nolint:errcheck
	for _, key := range analytics.BreakdownKeys {
		for _, b := range rep.Breakdown[key] {
			out.Write([]string{key, breakdownValue(b.Value), n(b.Sessions), n(b.Succeeded), //nolint:errcheck
				strconv.FormatFloat(b.ConversionRate, 'f', 4, 64), amountsText(b.Revenue)})
		}
	}
	out.Flush()
	return out.Error()
}

func breakdownValue(v *string) string {
	if v == nil {
		return "(none)"
	}
	return *v
}

func percentText(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) + " %" }

// amountsText is amounts in several currencies, side by side, never added.
func amountsText(as []analytics.Amount) string {
	out := ""
	for i, a := range as {
		if i > 0 {
			out += "; "
		}
		out += paylink.FormatAmount(a.Amount, a.Currency)
	}
	return out
}
