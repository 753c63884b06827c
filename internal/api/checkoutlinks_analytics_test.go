package api_test

import (
	"net/http"
	"testing"
	"time"
)

// Real visits to a link through HTTP (people, a bot, a HEAD, a visit once the
// link is off) and a session made through the API: the analytics call counts
// each where the README's definitions say; bad queries are 422s at their
// parameter; another organization's link is a 404.
func TestCheckoutLinkAnalyticsAPI(t *testing.T) {
	eachLinkShop(t, func(t *testing.T, s *linkShop, _ string) {
		prod, _ := s.product(t, s.token, "Poster")
		l := s.create(t, map[string]any{"products": []string{prod}})
		url := l["url"].(string)
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		hit := func(method, ua, query string, want int) {
			t.Helper()
			req, _ := http.NewRequest(method, url+query, nil)
			req.Header.Set("User-Agent", ua)
			res, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != want {
				t.Fatalf("%s %s as %q: %d, want %d", method, query, ua, res.StatusCode, want)
			}
		}
		browser := "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
		hit("GET", browser, "?utm_source=news&utm_campaign=fall", 303)
		hit("GET", browser, "?utm_source=news", 303)
		hit("GET", browser, "?reference_id=r-9", 303)
		hit("GET", "facebookexternalhit/1.1", "", 200)
		hit("HEAD", browser, "", 200)
		s.in.Must(t, "POST", "/v1/checkouts/", s.token, map[string]any{"products": []string{prod}}, 201, nil)
		s.in.Must(t, "PATCH", "/v1/checkout-links/"+l["id"].(string), s.token, map[string]any{"active": false}, 200, nil)
		hit("GET", browser, "", 410)

		day := time.Now().UTC().Format(time.DateOnly)
		path := "/v1/checkout-links/" + l["id"].(string) + "/analytics"
		var rep struct {
			Totals struct {
				Visits, Sessions, Confirmed, Succeeded int64
				BlockedVisits                          int64 `json:"blocked_visits"`
			}
			Periods   []map[string]any
			Breakdown map[string][]struct {
				Value    *string
				Sessions int64
			}
		}
		s.in.Must(t, "GET", path+"?start_date="+day+"&end_date="+day+"&interval=hour", s.token, nil, 200, &rep)
		tot := rep.Totals
		if tot.Visits != 3 || tot.Sessions != 3 || tot.BlockedVisits != 1 || tot.Confirmed != 0 || tot.Succeeded != 0 ||
			len(rep.Periods) != 24 || len(rep.Breakdown["utm_source"]) != 2 || *rep.Breakdown["utm_source"][0].Value != "news" ||
			rep.Breakdown["utm_source"][0].Sessions != 2 {
			t.Fatalf("analytics: %+v", rep)
		}
		// A zone 13:45 ahead: the three days around today hold every visit.
		var raw struct{ Totals, Periods any }
		around := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly) + "&end_date=" + time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
		s.in.Must(t, "GET", path+"?start_date="+around+"&interval=day&timezone=Pacific/Chatham", s.token, nil, 200, &raw)
		if tot := raw.Totals.(map[string]any); tot["bot_visits"] != 2.0 || tot["blocked_visits"] != 1.0 || tot["visits"] != 3.0 ||
			len(raw.Periods.([]any)) != 3 {
			t.Fatalf("bot and blocked visits: %v", raw)
		}

		co := &coShop{in: s.in}
		co.want422(t, "GET", path+"?start_date=2026-02-02&end_date=2026-02-01&interval=day", s.token, nil, []any{"query", "end_date"})
		co.want422(t, "GET", path+"?start_date=2026-01-01&end_date=2026-03-01&interval=hour", s.token, nil, []any{"query", "end_date"})
		co.want422(t, "GET", path+"?start_date=2026-01-01&end_date=2026-01-02&interval=day&timezone=Mars/Olympus", s.token, nil,
			[]any{"query", "timezone"})
		co.want422(t, "GET", path+"?end_date=2026-01-02&interval=fortnight", s.token, nil, []any{"query", "start_date"})
		co.want422(t, "GET", path+"?start_date=2026-01-01&end_date=2026-01-02&interval=fortnight", s.token, nil, []any{"query", "interval"})
		_, other := s.in.NewOrg(t, "Other shop")
		s.in.Must(t, "GET", path+"?start_date="+day+"&end_date="+day+"&interval=day", other, nil, 404, nil)
	})
}
