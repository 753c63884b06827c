package analytics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The report from the rollups equals the report counted from the raw rows, for
// a mix of everything that writes them: visits (batched), sessions made in bulk
// and through the API, confirms, failed payments, purchases in three
// currencies, refunds (with and without the order's lock read first, and in
// several steps), an order created already partly refunded, and a session
// whose metadata changed after its order; in zones with half- and
// quarter-hour offsets, by hour, day, week and month. Polar's metrics of the
// organization, likewise.
func TestRollupsMatchRawRows(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Rollups")
		newLink := func() *paylink.CheckoutLink {
			l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
			must(t, s.InTx(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) }))
			return l
		}
		l, other := newLink(), newLink()
		base := time.Date(2026, 10, 23, 17, 20, 0, 0, time.UTC)
		// Nothing folded yet: the fold's marker before every session (a new
		// database starts it at its migration's quarter hour).
		_, err := s.DB.ExecContext(ctx, `UPDATE breakdown_fold SET slot = $1`, store.SlotOf(base))
		must(t, err)
		sources := []string{"news", "ads", "mail"}
		var sessions []*paylink.Checkout
		for batch := range 12 {
			var vs []*store.Visit
			for i := range 5 {
				n := batch*5 + i
				md := paylink.Metadata{"utm_source": sources[n%3], "reference_id": fmt.Sprint("r", n%7)}
				if n%4 == 0 {
					md["utm_campaign"] = "fall"
				}
				if n%9 == 0 {
					md = paylink.Metadata{"utm_medium": true} // not a string: text as PostgreSQL gives it
				}
				link := l
				if n%11 == 0 {
					link = other
				}
				pid := paylink.NewID()
				at := base.Add(time.Duration(n) * 97 * time.Minute)
				vs = append(vs, &store.Visit{Checkout: &paylink.Checkout{OrganizationID: org.ID, ProductIDs: []string{pid}, ProductID: pid,
					PriceID: paylink.NewID(), Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "eur", Metadata: md,
					CheckoutLinkID: &link.ID, ExpiresAt: at.Add(time.Hour), CreatedAt: at}, LinkSecret: link.ClientSecret, LinkModifiedAt: link.ModifiedAt})
			}
			res, err := s.VisitsCreate(ctx, vs, store.VisitCount{LinkID: l.ID, Kind: store.VisitBot, At: vs[0].Checkout.CreatedAt},
				store.VisitCount{LinkID: l.ID, Kind: store.VisitPerson, At: vs[1].Checkout.CreatedAt})
			must(t, err)
			for i, v := range vs {
				if !res.Written[i] {
					t.Fatalf("visit %d not written", i)
				}
				sessions = append(sessions, v.Checkout)
			}
		}
		// The first 40 hours folded: sessions of folded slots and of slots not
		// yet folded change below, and the bulk's sessions fall on both sides.
		_, err = s.BreakdownFold(ctx, base.Add(40*time.Hour))
		must(t, err)
		must(t, s.InTx(ctx, func(tx *store.Tx) error {
			// In bulk, some already succeeded; and one through the API.
			var bulk []*paylink.Checkout
			for i := range 6 {
				pid := paylink.NewID()
				at := base.Add(time.Duration(i) * 13 * time.Hour)
				st := paylink.CheckoutOpen
				if i%2 == 0 {
					st = paylink.CheckoutSucceeded
				}
				bulk = append(bulk, &paylink.Checkout{OrganizationID: org.ID, Status: st, ProductIDs: []string{pid}, ProductID: pid, PriceID: paylink.NewID(),
					Currency: "usd", CheckoutLinkID: &l.ID, ExpiresAt: at.Add(time.Hour), CreatedAt: at, Metadata: paylink.Metadata{"utm_source": "bulk"}})
			}
			bulk = append(bulk, &paylink.Checkout{OrganizationID: org.ID, ProductIDs: []string{"p"}, ProductID: paylink.NewID(), PriceID: paylink.NewID(),
				Currency: "eur", ExpiresAt: base.Add(time.Hour), CreatedAt: base, Metadata: paylink.Metadata{}})
			return tx.CheckoutCreateMany(ctx, bulk)
		}))
		var cu *paylink.Customer
		must(t, s.InTx(ctx, func(tx *store.Tx) (err error) {
			cu, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "r@example.com", Metadata: paylink.Metadata{}})
			return err
		}))
		currencies := []string{"eur", "usd", "gbp"}
		var orders []*paylink.Order
		for i, c := range sessions {
			if i%3 == 2 {
				continue // left open
			}
			must(t, s.InTx(ctx, func(tx *store.Tx) error {
				locked, err := tx.CheckoutLock(ctx, org.ID, c.ID)
				if err != nil {
					return err
				}
				steps := []string{paylink.CheckoutConfirmed, paylink.CheckoutSucceeded}
				switch i % 5 {
				case 1:
					steps = []string{paylink.CheckoutConfirmed, paylink.CheckoutOpen} // declined
				case 3:
					steps = []string{paylink.CheckoutConfirmed, paylink.CheckoutOpen, paylink.CheckoutConfirmed, paylink.CheckoutSucceeded}
				case 4:
					steps = []string{paylink.CheckoutSucceeded} // free
				}
				from := locked.Status
				for _, st := range steps {
					locked.Status = st
					if err := tx.CheckoutSave(ctx, locked, from); err != nil {
						return err
					}
					from = st
				}
				if from != paylink.CheckoutSucceeded {
					return nil
				}
				o := &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: "purchase", CustomerID: cu.ID, ProductID: c.ProductID,
					PriceID: c.PriceID, CheckoutID: &c.ID, CheckoutLinkID: c.CheckoutLinkID, Amount: int64(100 * (i + 1)), NetAmount: int64(90 * (i + 1)),
					TotalAmount: int64(100 * (i + 1)), Currency: currencies[(i/3)%3], Metadata: paylink.Metadata{},
					CreatedAt: c.CreatedAt.Add(time.Duration(i) * time.Minute)}
				if i%7 == 0 {
					o.RefundedAmount = 20
				}
				orders = append(orders, o)
				return tx.OrderCreate(ctx, o)
			}))
		}
		// Refunds: locked first, or not; in two steps for some.
		for i, o := range orders {
			if i%2 == 1 {
				continue
			}
			for step := range 1 + i%3 {
				must(t, s.InTx(ctx, func(tx *store.Tx) error {
					cur := o
					if step%2 == 0 {
						var err error
						if cur, err = tx.OrderGetForUpdate(ctx, org.ID, o.ID); err != nil {
							return err
						}
					}
					cur.RefundedAmount += 10
					cur.Status = "partially_refunded"
					return tx.OrderRefundsSave(ctx, cur, paylink.Now())
				}))
			}
		}
		// A session's attribution changes after its order (the API's metadata update).
		for _, i := range []int{0, 4, 6, 50} { // 50 is of a slot not folded yet
			must(t, s.InTx(ctx, func(tx *store.Tx) error {
				c, err := tx.CheckoutLock(ctx, org.ID, sessions[i].ID)
				if err != nil {
					return err
				}
				c.Metadata = paylink.Metadata{"utm_source": "moved", "utm_campaign": "fall"}
				return tx.CheckoutSave(ctx, c, c.Status)
			}))
		}

		svc := &analytics.Service{Store: s}
		check := func(stage string) {
			t.Helper()
			for _, q := range []struct{ start, end, interval, zone string }{
				{"2026-10-23", "2026-10-28", "day", "Europe/Berlin"},
				{"2026-10-24", "2026-10-25", "hour", "Asia/Kolkata"},
				{"2026-10-20", "2026-11-02", "week", "America/St_Johns"},
				{"2026-10-01", "2026-11-30", "month", "Asia/Kathmandu"},
				{"2026-10-25", "2026-10-25", "day", "UTC"},
			} {
				r, err := paylink.ParseAnalyticsRange(q.start, q.end, q.interval, q.zone)
				must(t, err)
				for _, link := range []*paylink.CheckoutLink{l, other} {
					fast, err := svc.Link(ctx, org.ID, link.ID, r)
					must(t, err)
					raw, err := svc.LinkFromRawRows(ctx, org.ID, link.ID, r)
					must(t, err)
					a, _ := json.Marshal(fast)
					b, _ := json.Marshal(raw)
					if string(a) != string(b) {
						at := 0
						for at < min(len(a), len(b)) && a[at] == b[at] {
							at++
						}
						t.Fatalf("%s: %v, link %s, from byte %d:\nrollups  %s\nraw rows %s", stage, q, link.ID, at, a[max(0, at-300):], b[max(0, at-300):])
					}
					if stage == "all folded" && link == l && q.interval == "week" && (fast.Totals.Sessions < 40 || len(fast.Totals.Refunded) != 3) {
						t.Fatalf("the mix is not in the range: %+v", fast.Totals)
					}
				}
				// Polar's metrics of the organization, from its rollups and from the rows.
				for _, cur := range currencies {
					for _, bt := range []string{"", "one_time", "recurring"} {
						mq := analytics.MetricsQuery{Range: r, Currency: cur, Filter: store.MetricsFilter{OrgID: org.ID, BillingType: bt}}
						fast, err := svc.Metrics(ctx, mq)
						must(t, err)
						mq.Filter.RawRows = true
						raw, err := svc.Metrics(ctx, mq)
						must(t, err)
						a, _ := json.Marshal(fast)
						b, _ := json.Marshal(raw)
						if string(a) != string(b) {
							t.Fatalf("%s: metrics %v %s %q:\nrollups  %s\nraw rows %s", stage, q, cur, bt, a, b)
						}
						if stage == "all folded" && q.interval == "week" && cur == "eur" && bt == "" && (fast.Totals["orders"].(int64) == 0 || fast.Totals["checkouts"].(int64) < 40) {
							t.Fatalf("metrics: the mix is not in the range: %v", fast.Totals)
						}
					}
				}
			}
		}
		fold := func(now time.Time) {
			_, err := s.BreakdownFold(ctx, now)
			must(t, err)
		}
		check("partly folded")
		fold(base.Add(30 * 24 * time.Hour))
		check("all folded")
	})
}
