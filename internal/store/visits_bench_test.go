package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// BenchmarkVisitsCreate measures the visit writer's own cost: one op is one
// batch of 1, 8 or 32 link visits written by VisitsCreate, as the single SQLite
// writer or one PostgreSQL writer runs it (on PostgreSQL that is the latency of
// the round trip and the commit, not CPU). Encoding the rows happens in the
// visitors' goroutines but is counted here (a few µs per visit): stopping
// the timer per batch would cost more than the batch. It reports ns/visit.
// Run: go test ./internal/store -run '^$' -bench VisitsCreate
func BenchmarkVisitsCreate(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			u := storetest.SQLiteURL(b)
			if engine == "postgres" {
				u = storetest.PostgresURL(b)
			}
			s := storetest.Open(b, u)
			ctx := context.Background()
			// As a running server has it: every closed quarter hour folded
			// (a new database's marker is past its migration's quarter hour,
			// whose late sessions their writers count themselves).
			if _, err := s.DB.ExecContext(ctx, `UPDATE breakdown_fold SET slot = $1`, store.SlotOf(paylink.Now())); err != nil {
				b.Fatal(err)
			}
			org := storetest.Org(b, s, "Bench")
			l := &paylink.CheckoutLink{OrganizationID: org.ID, ProductIDs: []string{paylink.NewID()}, Active: true,
				Metadata: paylink.Metadata{"campaign": "launch"}}
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.CheckoutLinkCreate(ctx, l) }); err != nil {
				b.Fatal(err)
			}
			for _, batch := range []int{1, 8, 32} {
				b.Run(fmt.Sprint(batch), func(b *testing.B) { benchVisits(b, s, l, batch) })
			}
		})
	}
}

func benchVisits(b *testing.B, s *store.Store, l *paylink.CheckoutLink, batch int) {
	ctx := context.Background()
	vs := make([]*store.Visit, batch)
	for b.Loop() {
		for i := range vs {
			vs[i] = visitOf(l, nil)
			vs[i].Encode()
		}
		res, err := s.VisitsCreate(ctx, vs)
		if err != nil || !res.Written[batch-1] {
			b.Fatal(res, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/visit")
}
