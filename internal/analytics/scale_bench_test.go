package analytics_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// BenchmarkLinkReportScale seeds one link with 10,000 sessions and another with
// 1,000,000 (PAYLINK_SCALE_SESSIONS sets the large size) through the bulk insert
// (CheckoutCreateMany, 5,000 rows a transaction), spread over the 30 days of the
// report, with five utm_source and a thousand reference_id values, one session
// in ten succeeded and one in a hundred with an order; then it times the
// analytics call of each link (30 days by day, Europe/Berlin), the two links in
// turn for 25 rounds (so the load of a shared machine falls on both alike),
// and prints the p50 of each and their ratio (issue 14's goal: at most 2×), and
// the p50 of the call's two parts: the totals and periods (LinkAnalytics) and
// the four breakdowns (LinkBreakdown).
// Run: go test ./internal/analytics -run '^$' -bench LinkReportScale -benchtime 1x
func BenchmarkLinkReportScale(b *testing.B) {
	big := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("PAYLINK_SCALE_SESSIONS")); err == nil && n > 0 {
		big = n
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			u := storetest.SQLiteURL(b)
			if engine == "postgres" {
				u = storetest.PostgresURL(b)
			}
			s := storetest.Open(b, u)
			org := storetest.Org(b, s, "Scale")
			end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
			r, err := paylink.ParseAnalyticsRange("2026-11-01", "2026-11-30", "day", "Europe/Berlin")
			if err != nil {
				b.Fatal(err)
			}
			sizes := []int{10_000, big}
			var links []string
			for _, n := range sizes {
				started := time.Now()
				links = append(links, seedLink(b, s, org.ID, n, end))
				fmt.Printf("%s: %d sessions seeded in %s\n", engine, n, time.Since(started).Round(time.Second))
			}
			if err := s.Settle(context.Background()); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			from, to := r.Starts[0].UTC(), r.End.UTC()
			calls, parts, breakdowns := make([][]time.Duration, 2), make([][]time.Duration, 2), make([][]time.Duration, 2)
			for range 25 {
				for i, l := range links {
					t0 := time.Now()
					if _, err := (&analytics.Service{Store: s}).Link(ctx, org.ID, l, r); err != nil {
						b.Fatal(err)
					}
					calls[i] = append(calls[i], time.Since(t0))
					err := s.Read(ctx, func(tx *store.Tx) error {
						t0 := time.Now()
						if _, _, err := tx.LinkAnalytics(ctx, l, r); err != nil {
							return err
						}
						t1 := time.Now()
						for _, key := range analytics.BreakdownKeys {
							if _, err := tx.LinkBreakdown(ctx, l, key, from, to); err != nil {
								return err
							}
						}
						parts[i] = append(parts[i], t1.Sub(t0))
						breakdowns[i] = append(breakdowns[i], time.Since(t1))
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			p50 := func(ts []time.Duration) time.Duration {
				ts = slices.Clone(ts)
				slices.Sort(ts)
				return ts[len(ts)/2]
			}
			for i, n := range sizes {
				fmt.Printf("%s: %d sessions: analytics p50 %s (min %s, max %s); totals and periods p50 %s; breakdowns p50 %s\n",
					engine, n, p50(calls[i]), slices.Min(calls[i]), slices.Max(calls[i]), p50(parts[i]), p50(breakdowns[i]))
			}
			ratio := func(ts [][]time.Duration) float64 { return float64(p50(ts[1])) / float64(p50(ts[0])) }
			fmt.Printf("%s: p50 at %d / p50 at 10000 = %.2f× (totals and periods %.2f×, breakdowns %.2f×)\n",
				engine, big, ratio(calls), ratio(parts), ratio(breakdowns))
		})
	}
}

// seedLink makes a link with n sessions created over the 30 days before end.
func seedLink(b *testing.B, s *store.Store, orgID string, n int, end time.Time) string {
	ctx := context.Background()
	l := &paylink.CheckoutLink{OrganizationID: orgID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
	var cu *paylink.Customer
	err := s.InTx(ctx, func(tx *store.Tx) (err error) {
		if err := tx.CheckoutLinkCreate(ctx, l); err != nil {
			return err
		}
		cu, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: orgID, Email: paylink.NewID() + "@example.com", Metadata: paylink.Metadata{}})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	pid, price := paylink.NewID(), paylink.NewID()
	step := 30 * 24 * time.Hour / time.Duration(n)
	for done := 0; done < n; {
		err := s.InTx(ctx, func(tx *store.Tx) error {
			cs := make([]*paylink.Checkout, 0, 5000)
			for i := done; i < min(done+5000, n); i++ {
				status := paylink.CheckoutOpen
				if i%10 == 0 {
					status = paylink.CheckoutSucceeded
				}
				at := end.Add(-time.Duration(i+1) * step)
				cs = append(cs, &paylink.Checkout{ID: paylink.NewID(), ClientSecret: paylink.NewCheckoutSecret(), OrganizationID: orgID,
					Status: status, ProductIDs: []string{pid}, ProductID: pid, PriceID: price, Amount: 1000, NetAmount: 1000, TotalAmount: 1000,
					Currency: "eur", CheckoutLinkID: &l.ID, ExpiresAt: at.Add(time.Hour), CreatedAt: at,
					Metadata: paylink.Metadata{"utm_source": fmt.Sprint("src", i%5), "reference_id": fmt.Sprint("ref", i%1000)}})
			}
			if err := tx.CheckoutCreateMany(ctx, cs); err != nil {
				return err
			}
			for i, c := range cs {
				if (done+i)%100 == 0 {
					if err := tx.OrderCreate(ctx, &paylink.Order{OrganizationID: orgID, Status: "paid", BillingReason: "purchase",
						CustomerID: cu.ID, ProductID: pid, PriceID: price, CheckoutID: &c.ID, CheckoutLinkID: &l.ID,
						Amount: 1000, NetAmount: 1000, TotalAmount: 1000, Currency: "eur", Metadata: paylink.Metadata{}}); err != nil {
						return err
					}
				}
			}
			done += len(cs)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return l.ID
}
