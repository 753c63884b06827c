package webhook

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Deliveries wait on the merchant's endpoint, not on the database, so many run
// at once on both engines: an endpoint that answers only once 16 requests are
// in flight together gets all of them. With deliveries in the default queue's
// few workers (two on SQLite) it never did, and a slow endpoint held back the
// whole backlog (issue 16, defect 4: about 19 deliveries a second on SQLite).
func TestDeliveriesRunConcurrently(t *testing.T) {
	const together = 16
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Busy Hooks")
		var mu sync.Mutex
		inFlight, most := 0, 0
		release := make(chan struct{})
		var once sync.Once
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			if inFlight >= together {
				once.Do(func() { close(release) })
			}
			mu.Unlock()
			<-release
			mu.Lock()
			inFlight--
			mu.Unlock()
			w.Write([]byte("ok"))
		}))
		defer srv.Close()
		defer once.Do(func() { close(release) })
		endpointFor(t, s, org.ID, srv.URL, true, "checkout.created")
		startQueue(t, s, Options{AllowPrivate: true})
		for i := range together {
			record(t, s, org.ID, "checkout.created", fmt.Sprintf(`{"id":"co_%d"}`, i))
		}
		waitFor(t, fmt.Sprintf("%d deliveries in flight at once", together), func() bool {
			select {
			case <-release:
				return true
			default:
				return false
			}
		})
		waitFor(t, "every delivery logged", func() bool { return len(deliveries(t, s, org.ID)) == together })
		for _, d := range deliveries(t, s, org.ID) {
			if !d.Succeeded || d.Attempt != 1 {
				t.Errorf("a delivery needed a retry (it waited for a worker past its timeout): %+v", d)
			}
		}
	})
}

// BenchmarkDeliveryRate prints deliveries a second on each engine: 400
// checkout.created events to one endpoint that answers at once, from their
// recording until every delivery is logged (the dispatcher's one-second tick
// included). go test -run '^$' -bench DeliveryRate ./internal/webhook/
func BenchmarkDeliveryRate(b *testing.B) {
	const events = 400
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			u := storetest.SQLiteURL(b)
			if engine == "postgres" {
				u = storetest.PostgresURL(b)
			}
			s := storetest.Open(b, u)
			org := storetest.Org(b, s, "Bench Hooks")
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
			defer srv.Close()
			endpointFor(b, s, org.ID, srv.URL, true, "checkout.created")
			startQueue(b, s, Options{AllowPrivate: true})
			done := 0
			var delivering time.Duration
			b.ResetTimer()
			for range b.N {
				// The events are recorded in one transaction, so the number is the
				// delivery's and not the recording's.
				err := s.InTx(context.Background(), func(tx *store.Tx) error {
					for i := range events {
						e := &store.Event{OrganizationID: org.ID, Type: "checkout.created", Payload: fmt.Appendf(nil, `{"id":"co_%d"}`, i)}
						if err := tx.EventRecord(context.Background(), e); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				done += events
				waitFor(b, "every delivery", func() bool { return deliveryCount(b, s, org.ID) >= done })
				delivering += time.Since(start)
			}
			b.ReportMetric(float64(done)/delivering.Seconds(), "deliveries/s")
		})
	}
}

func deliveryCount(t testing.TB, s *store.Store, orgID string) int {
	var n int
	if err := s.DB.QueryRow(`SELECT count(*) FROM webhook_deliveries WHERE organization_id = $1`, orgID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
