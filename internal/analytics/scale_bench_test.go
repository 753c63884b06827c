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
// (CheckoutCreateMany, 500 rows a statement), spread over the 30 days of the
// report, with five utm_source and a thousand reference_id values, one session
// in ten succeeded and one in a hundred with an order; then it times the
// analytics call of each link (30 days by day, Europe/Berlin) and prints the
// p50 of each and their ratio (issue 14's goal: at most 2×).
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
			var p50 []time.Duration
			for _, n := range []int{10_000, big} {
				started := time.Now()
				l := seedLink(b, s, org.ID, n, end)
				seeded := time.Since(started)
				var times []time.Duration
				for range 7 {
					t0 := time.Now()
					if _, err := (&analytics.Service{Store: s}).Link(context.Background(), org.ID, l, r); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(t0))
				}
				slices.Sort(times)
				p50 = append(p50, times[len(times)/2])
				fmt.Printf("%s: %d sessions seeded in %s; analytics p50 %s (min %s, max %s)\n",
					engine, n, seeded.Round(time.Second), times[len(times)/2], times[0], times[len(times)-1])
			}
			fmt.Printf("%s: p50 at %d / p50 at 10000 = %.1f×\n", engine, big, float64(p50[1])/float64(p50[0]))
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
