package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// Two paylink processes (two pools, two River clients) dispatch the same outbox
// at once: every event gets exactly one webhook event and one delivery job per
// endpoint — none lost, none doubled.
func TestConcurrentDispatchersLoseAndDoubleNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s1, s2 := storetest.Open(t, dbURL), storetest.Open(t, dbURL)
		if err := jobs.Migrate(ctx, s1); err != nil {
			t.Fatal(err)
		}
		org := storetest.Org(t, s1, "Busy Shop")
		endpointFor(t, s1, org.ID, "https://a.example/", true, "order.paid")
		endpointFor(t, s1, org.ID, "https://b.example/", true, "order.paid", "order.created")
		const n = 250
		err := s1.InTx(ctx, func(tx *store.Tx) error {
			for i := range n {
				typ := []string{"order.paid", "order.created"}[i%2]
				if err := tx.EventRecord(ctx, &store.Event{OrganizationID: org.ID, Type: typ, Payload: fmt.Appendf(nil, `{"n":%d}`, i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for _, s := range []*store.Store{s1, s2} {
			client, err := jobs.NewClient(s, slog.New(slog.NewTextHandler(io.Discard, nil)), Register(s, Options{}))
			if err != nil {
				t.Fatal(err)
			}
			d := &dispatcher{store: s, now: paylink.Now}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					taken, err := d.dispatch(ctx, client)
					if err != nil && !paylink.IsCode(err, paylink.EConflict) { // SQLite busy: try again
						errs <- err
						return
					}
					if err == nil && taken == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}

		want := n/2*2 + n/2 // order.paid → both endpoints, order.created → one
		var events, pending int
		s1.DB.QueryRow(`SELECT count(*) FROM webhook_events`).Scan(&events)
		s1.DB.QueryRow(`SELECT count(*) FROM events WHERE dispatched_at IS NULL`).Scan(&pending)
		queued := queuedDeliveries(t, s1)
		if events != want || len(queued) != want || pending != 0 {
			t.Fatalf("webhook events %d, queued for delivery %d, undispatched %d; want %d, %d, 0", events, len(queued), pending, want, want)
		}
	})
}

// A process killed while its dispatcher runs leaves that job "running" for good.
// It must not stop dispatching in the processes that live on: River's uniqueness
// used to cover the running job, so no new dispatcher ran for an hour.
func TestDispatchGoesOnAfterAProcessDiedMidRun(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, s); err != nil {
			t.Fatal(err)
		}
		dead, err := jobs.NewClient(s, slog.New(slog.NewTextHandler(io.Discard, nil)), Register(s, Options{}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dead.Insert(ctx, DispatchArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.Exec(`UPDATE river_job SET state = 'running', attempt = 1, attempted_at = $1 WHERE kind = $2`,
			time.Now().UTC(), DispatchArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}

		org := storetest.Org(t, s, "Survivor")
		recv := newReceiver(t, 0)
		endpointFor(t, s, org.ID, recv.srv.URL, true, "order.paid")
		startQueue(t, s, Options{AllowPrivate: true})
		record(t, s, org.ID, "order.paid", `{"id":"ord_1"}`)
		waitFor(t, "the delivery while a dead process's dispatcher is still running", func() bool { return len(recv.requests()) == 1 })
	})
}

// queuedDeliveries counts, per webhook event, the delivery jobs that carry it.
func queuedDeliveries(t *testing.T, s *store.Store) map[string]int {
	t.Helper()
	client, err := jobs.NewInserter(s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.JobList(context.Background(), river.NewJobListParams().Kinds(DeliverArgs{}.Kind()).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, j := range res.Jobs {
		var args DeliverArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if len(args.WebhookEventIDs) > DeliverBatch {
			t.Errorf("a job of %d events, more than %d", len(args.WebhookEventIDs), DeliverBatch)
		}
		for _, id := range args.WebhookEventIDs {
			if out[id]++; out[id] > 1 {
				t.Errorf("webhook event %s queued twice", id)
			}
		}
	}
	return out
}
