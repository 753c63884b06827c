package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
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
// recording until every delivery is logged (the dispatcher's wait for its
// next look at the outbox included). go test -run '^$' -bench DeliveryRate ./internal/webhook/
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

// A burst of events to one endpoint goes out in batched jobs, each event in a
// request of its own, and every event keeps its own outcome: each is received
// successfully exactly once, the ones the endpoint refused the first time are
// retried alone (attempt 2, same webhook-id), and the log has one row per
// attempt.
func TestBurstToOneEndpointIsDeliveredOnceEach(t *testing.T) {
	const n = 3*DeliverBatch + 5
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Burst Hooks")
		var mu sync.Mutex
		tries := map[string]int{} // webhook-id → requests
		okFor := map[string]int{} // webhook-id → 2xx answers
		refusedFirst := map[string]bool{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			id := r.Header.Get("webhook-id")
			mu.Lock()
			defer mu.Unlock()
			tries[id]++
			// Every third event is refused on its first try.
			if tries[id] == 1 && bytes.Contains(body, []byte(`"refuse":true`)) {
				refusedFirst[id] = true
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			okFor[id]++
			w.Write([]byte("ok"))
		}))
		defer srv.Close()
		endpointFor(t, s, org.ID, srv.URL, true, "checkout.created")
		err := s.InTx(context.Background(), func(tx *store.Tx) error {
			for i := range n {
				e := &store.Event{OrganizationID: org.ID, Type: "checkout.created", Payload: fmt.Appendf(nil, `{"id":"co_%d","refuse":%t}`, i, i%3 == 0)}
				if err := tx.EventRecord(context.Background(), e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		refused := (n + 2) / 3
		startQueue(t, s, Options{AllowPrivate: true})
		waitFor(t, "every attempt logged", func() bool { return deliveryCount(t, s, org.ID) >= n+refused })
		waitFor(t, "every delivery job finished", func() bool {
			var open int
			s.DB.QueryRow(`SELECT count(*) FROM river_job WHERE kind = $1 AND state <> 'completed'`, DeliverArgs{}.Kind()).Scan(&open)
			return open == 0
		})

		mu.Lock()
		defer mu.Unlock()
		if len(okFor) != n || len(refusedFirst) != refused {
			t.Fatalf("%d events received, %d refused first; want %d and %d", len(okFor), len(refusedFirst), n, refused)
		}
		for id, k := range okFor {
			if k != 1 || tries[id] != map[bool]int{false: 1, true: 2}[refusedFirst[id]] {
				t.Errorf("webhook %s: %d successes in %d requests (refused first: %t)", id, k, tries[id], refusedFirst[id])
			}
		}
		log := deliveries(t, s, org.ID)
		if len(log) != n+refused {
			t.Fatalf("%d log rows, want %d", len(log), n+refused)
		}
		byEvent := map[string][]*store.WebhookDelivery{}
		for _, d := range log {
			byEvent[d.WebhookEventID] = append(byEvent[d.WebhookEventID], d)
		}
		for id, ds := range byEvent {
			last := ds[len(ds)-1]
			if !last.Succeeded || last.Attempt != len(ds) || !*last.Event.Succeeded || *last.Event.LastHTTPCode != 200 {
				t.Errorf("webhook %s: last of %d attempts %+v", id, len(ds), last)
			}
			if refusedFirst[id] && (len(ds) != 2 || ds[0].Succeeded || *ds[0].HTTPCode != 503 || ds[0].Attempt != 1) {
				t.Errorf("webhook %s, refused first: log %+v", id, ds)
			}
		}
	})
}
