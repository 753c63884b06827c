package analytics_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A known mix across the end of summer time in Berlin (2026-10-25 03:00 CEST →
// 02:00 CET, so that day has 25 hours): human, bot, blocked and failed visits,
// an API session, confirmed, failed, paid, free and refunded sessions in two
// currencies and with several UTM values; every number of the report is checked.
func TestLinkReportAcrossDST(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Analytics")
		l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
		must(t, s.InTx(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) }))
		at := func(v string) time.Time { t, _ := time.Parse(time.RFC3339, v); return t }
		t1 := at("2026-10-24T21:30:00Z") // Oct 24, 23:30 CEST
		t2 := at("2026-10-25T22:30:00Z") // Oct 25, 23:30 CET (00:30 on Oct 26 at the summer offset)
		t3 := at("2026-10-26T10:00:00Z")
		late := at("2026-10-26T23:30:00Z") // Oct 27, 00:30 CET: past the range
		visit := func(when time.Time, md paylink.Metadata) *paylink.Checkout {
			pid := paylink.NewID()
			c := &paylink.Checkout{OrganizationID: org.ID, ProductIDs: []string{pid}, ProductID: pid, PriceID: paylink.NewID(),
				Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "eur", Metadata: md, CheckoutLinkID: &l.ID,
				ExpiresAt: when.Add(time.Hour), CreatedAt: when}
			res, err := s.VisitsCreate(ctx, []*store.Visit{{Checkout: c, LinkSecret: l.ClientSecret, LinkModifiedAt: l.ModifiedAt}})
			if err != nil || !res.Written[0] {
				t.Fatalf("visit: %v %v", res, err)
			}
			return c
		}
		a := visit(t1, paylink.Metadata{"utm_source": "news", "utm_campaign": "fall"})
		visit(t1, paylink.Metadata{"utm_source": "news"})
		c := visit(t2, paylink.Metadata{"utm_source": "ads", "reference_id": "r1"})
		d := visit(t2, paylink.Metadata{})
		e := visit(t3, paylink.Metadata{"utm_source": "ads"})
		visit(late, paylink.Metadata{"utm_source": "late"})
		_, err := s.VisitsCreate(ctx, nil, store.VisitCount{LinkID: l.ID, Kind: store.VisitBot, At: t1},
			store.VisitCount{LinkID: l.ID, Kind: store.VisitBlocked, At: t2}, store.VisitCount{LinkID: l.ID, Kind: store.VisitPerson, At: t2},
			store.VisitCount{LinkID: l.ID, Kind: store.VisitBot, At: late})
		must(t, err)
		must(t, s.InTx(ctx, func(tx *store.Tx) error {
			api := &paylink.Checkout{OrganizationID: org.ID, ProductIDs: []string{"p"}, ProductID: paylink.NewID(), PriceID: paylink.NewID(),
				Currency: "eur", ExpiresAt: t1.Add(time.Hour), CreatedAt: t1} // through the API: never the link's
			if err := tx.CheckoutCreate(ctx, api); err != nil {
				return err
			}
			step := func(c *paylink.Checkout, from string, to ...string) {
				for _, st := range to {
					c.Status = st
					must(t, tx.CheckoutSave(ctx, c, from))
					from = st
				}
			}
			step(a, "open", "confirmed", "succeeded")
			step(c, "open", "confirmed", "open") // the payment failed: confirmed, not succeeded
			step(d, "open", "succeeded")         // free
			step(e, "open", "confirmed", "succeeded")
			cu, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "a@example.com", Metadata: paylink.Metadata{}})
			if err != nil {
				return err
			}
			order := func(c *paylink.Checkout, net, refunded int64, cur string) {
				must(t, tx.OrderCreate(ctx, &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: "purchase",
					CustomerID: cu.ID, ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, CheckoutLinkID: &l.ID,
					Amount: net, NetAmount: net, TotalAmount: net, Currency: cur, RefundedAmount: refunded, Metadata: paylink.Metadata{}}))
			}
			order(a, 1000, 300, "eur")
			order(d, 500, 0, "usd")
			order(e, 2000, 0, "eur")
			return nil
		}))

		r, err := paylink.ParseAnalyticsRange("2026-10-24", "2026-10-26", "day", "Europe/Berlin")
		must(t, err)
		rep, err := (&analytics.Service{Store: s}).Link(ctx, org.ID, l.ID, r)
		must(t, err)
		got, _ := json.Marshal(rep)
		want := `{"totals":{"visits":6,"bot_visits":1,"blocked_visits":1,"sessions":5,"confirmed":4,"succeeded":3,"conversion_rate":0.6,` +
			`"revenue":[{"currency":"eur","amount":3000},{"currency":"usd","amount":500}],` +
			`"refunded":[{"currency":"eur","amount":300},{"currency":"usd","amount":0}],` +
			`"net_revenue":[{"currency":"eur","amount":2700},{"currency":"usd","amount":500}]},` +
			`"periods":[{"timestamp":"2026-10-24T00:00:00+02:00","visits":2,"bot_visits":1,"blocked_visits":0,"sessions":2,"confirmed":1,"succeeded":1,"conversion_rate":0.5,` +
			`"revenue":[{"currency":"eur","amount":1000}],"refunded":[{"currency":"eur","amount":300}],"net_revenue":[{"currency":"eur","amount":700}]},` +
			`{"timestamp":"2026-10-25T00:00:00+02:00","visits":3,"bot_visits":0,"blocked_visits":1,"sessions":2,"confirmed":2,"succeeded":1,"conversion_rate":0.5,` +
			`"revenue":[{"currency":"usd","amount":500}],"refunded":[{"currency":"usd","amount":0}],"net_revenue":[{"currency":"usd","amount":500}]},` +
			`{"timestamp":"2026-10-26T00:00:00+01:00","visits":1,"bot_visits":0,"blocked_visits":0,"sessions":1,"confirmed":1,"succeeded":1,"conversion_rate":1,` +
			`"revenue":[{"currency":"eur","amount":2000}],"refunded":[{"currency":"eur","amount":0}],"net_revenue":[{"currency":"eur","amount":2000}]}],` +
			`"breakdown":{"reference_id":[{"value":null,"sessions":4,"succeeded":3,"conversion_rate":0.75,"revenue":[{"currency":"eur","amount":3000},{"currency":"usd","amount":500}]},` +
			`{"value":"r1","sessions":1,"succeeded":0,"conversion_rate":0,"revenue":[]}],` +
			`"utm_campaign":[{"value":null,"sessions":4,"succeeded":2,"conversion_rate":0.5,"revenue":[{"currency":"eur","amount":2000},{"currency":"usd","amount":500}]},` +
			`{"value":"fall","sessions":1,"succeeded":1,"conversion_rate":1,"revenue":[{"currency":"eur","amount":1000}]}],` +
			`"utm_medium":[{"value":null,"sessions":5,"succeeded":3,"conversion_rate":0.6,"revenue":[{"currency":"eur","amount":3000},{"currency":"usd","amount":500}]}],` +
			`"utm_source":[{"value":"ads","sessions":2,"succeeded":1,"conversion_rate":0.5,"revenue":[{"currency":"eur","amount":2000}]},` +
			`{"value":"news","sessions":2,"succeeded":1,"conversion_rate":0.5,"revenue":[{"currency":"eur","amount":1000}]},` +
			`{"value":null,"sessions":1,"succeeded":1,"conversion_rate":1,"revenue":[{"currency":"usd","amount":500}]}]}}`
		if string(got) != want {
			t.Fatalf("report:\n got %s\nwant %s", got, want)
		}

		// Hours across the change: 25 periods on Oct 25, the repeated 02:00 hour twice.
		r, err = paylink.ParseAnalyticsRange("2026-10-25", "2026-10-25", "hour", "Europe/Berlin")
		must(t, err)
		rep, err = (&analytics.Service{Store: s}).Link(ctx, org.ID, l.ID, r)
		must(t, err)
		if len(rep.Periods) != 25 || rep.Periods[2].Timestamp != "2026-10-25T02:00:00+02:00" || rep.Periods[3].Timestamp != "2026-10-25T02:00:00+01:00" ||
			rep.Periods[24].Sessions != 2 || rep.Periods[24].Visits != 3 || rep.Totals.Sessions != 2 {
			t.Fatalf("hours: %d periods, %+v", len(rep.Periods), rep.Periods)
		}

		// Another organization's link does not exist.
		other := storetest.Org(t, s, "Other")
		if _, err := (&analytics.Service{Store: s}).Link(ctx, other.ID, l.ID, r); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("other organization: %v", err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
