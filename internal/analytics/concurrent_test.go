package analytics_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/analytics"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Two stores on one database (two processes' pools) write visits, counted
// visits and purchases of one link at once, in one quarter hour, while both
// fold that quarter hour into the breakdown rollups halfway through: every
// count of the report is exact, and the report equals the raw rows'.
func TestLinkCountsExactAcrossProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		pools := []*store.Store{storetest.Open(t, u), storetest.Open(t, u)}
		org := storetest.Org(t, pools[0], "Busy")
		l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true, Metadata: paylink.Metadata{}}
		must(t, pools[0].InTx(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) }))
		var cu *paylink.Customer
		must(t, pools[0].InTx(ctx, func(tx *store.Tx) (err error) {
			cu, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "b@example.com", Metadata: paylink.Metadata{}})
			return err
		}))
		now := paylink.Now()
		// The quarter hour of now not folded yet (a new database's marker is
		// past its migration's quarter hour).
		_, err := pools[0].DB.ExecContext(ctx, `UPDATE breakdown_fold SET slot = $1`, store.SlotOf(now))
		must(t, err)
		const workers, rounds, batch = 3, 10, 4 // per pool
		var wg sync.WaitGroup
		errs := make(chan error, 4*workers)
		var done atomic.Int64
		half := make(chan struct{})
		for _, s := range pools {
			wg.Add(1)
			go func() { // folds now's quarter hour (one of the two runs; the other finds it folded)
				defer wg.Done()
				<-half
				if _, err := s.BreakdownFold(ctx, now.Add(store.SlotSeconds*time.Second)); err != nil {
					errs <- err
				}
			}()
		}
		for _, s := range pools {
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range rounds {
						vs := make([]*store.Visit, batch)
						for i := range vs {
							pid := paylink.NewID()
							vs[i] = &store.Visit{Checkout: &paylink.Checkout{OrganizationID: org.ID, ProductIDs: []string{pid}, ProductID: pid,
								PriceID: paylink.NewID(), Amount: 700, NetAmount: 700, TotalAmount: 700, Currency: "eur",
								Metadata: paylink.Metadata{"utm_source": "x"}, CheckoutLinkID: &l.ID, ExpiresAt: now.Add(time.Hour), CreatedAt: now},
								LinkSecret: l.ClientSecret, LinkModifiedAt: l.ModifiedAt}
						}
						res, err := s.VisitsCreate(ctx, vs, store.VisitCount{LinkID: l.ID, Kind: store.VisitBot, At: now},
							store.VisitCount{LinkID: l.ID, Kind: store.VisitBlocked, At: now}, store.VisitCount{LinkID: l.ID, Kind: store.VisitPerson, At: now})
						if err == nil && !res.Written[0] {
							err = paylink.Errorf(paylink.EConflict, "not written")
						}
						if err == nil { // the first session of the batch is bought
							c := vs[0].Checkout
							err = s.InTx(ctx, func(tx *store.Tx) error {
								c.Status = paylink.CheckoutSucceeded
								if err := tx.CheckoutSave(ctx, c, paylink.CheckoutOpen); err != nil {
									return err
								}
								return tx.OrderCreate(ctx, &paylink.Order{OrganizationID: org.ID, Status: "paid", BillingReason: "purchase",
									CustomerID: cu.ID, ProductID: c.ProductID, PriceID: c.PriceID, CheckoutID: &c.ID, CheckoutLinkID: &l.ID,
									Amount: 700, NetAmount: 700, TotalAmount: 700, Currency: "eur", Metadata: paylink.Metadata{}})
							})
						}
						if done.Add(1) == workers*rounds {
							close(half)
						}
						if err != nil {
							errs <- err
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		day := now.Format(time.DateOnly)
		r, err := paylink.ParseAnalyticsRange(day, day, "day", "")
		must(t, err)
		rep, err := (&analytics.Service{Store: pools[1]}).Link(ctx, org.ID, l.ID, r)
		must(t, err)
		n := int64(2 * workers * rounds)
		tot := rep.Totals
		if tot.Sessions != n*batch || tot.Visits != n*(batch+1) || tot.BotVisits != n || tot.BlockedVisits != n ||
			tot.Succeeded != n || tot.Confirmed != n || len(tot.Revenue) != 1 || tot.Revenue[0].Amount != n*700 {
			t.Fatalf("totals after %d batches: %+v", n, tot)
		}
		raw, err := (&analytics.Service{Store: pools[0]}).LinkFromRawRows(ctx, org.ID, l.ID, r)
		must(t, err)
		a, _ := json.Marshal(rep)
		b, _ := json.Marshal(raw)
		if string(a) != string(b) {
			t.Fatalf("rollups  %s\nraw rows %s", a, b)
		}
	})
}
