package webhook

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/store"
)

// DispatchInterval is how often a dispatcher run starts (River's periodic
// job). A run lasts about as long: after draining the outbox it looks again
// every dispatchPoll, so an event waits about dispatchPoll, not up to a
// second, while River keeps one job row a second.
const DispatchInterval = time.Second

// dispatchPoll is how often a running dispatcher looks at the outbox again,
// with a read (store.WebhookOutboxPending), which on SQLite does not wait for
// the writer the visits keep busy.
const dispatchPoll = 100 * time.Millisecond

// dispatchBatch bounds one transaction of the dispatcher.
const dispatchBatch = 500

// DispatchArgs is the dispatcher's job: it carries nothing, the outbox is the input.
type DispatchArgs struct{}

// Kind is River's name for the dispatcher job.
func (DispatchArgs) Kind() string { return "webhook_dispatch" }

// DispatchQueue is the dispatcher's own queue, one worker in each process: the
// runs of one process follow each other and never take the workers deliveries
// need, while the runs of several processes split the outbox (its rows are taken
// with SKIP LOCKED, and a webhook event is made once per endpoint and event).
//
// The dispatcher is deliberately not a unique job: River's uniqueness covers a
// running job, so the run of a process killed mid-way would block every new run,
// in every process, until River rescued it (an hour by default).
const DispatchQueue = "webhook_dispatch"

// InsertOpts: a failed run is not retried, the next second's run does its work.
func (DispatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, Queue: DispatchQueue}
}

// dispatcher turns outbox events, and redelivery requests, into delivery jobs.
type dispatcher struct {
	river.WorkerDefaults[DispatchArgs]
	store *store.Store
	now   func() time.Time
}

// Work dispatches until the outbox is drained, one batch per transaction, and
// goes on doing so whenever it has work again until DispatchInterval is over
// (the next run takes over then). It returns nil when the process shuts down:
// the next run, in this process or another, picks up what is left.
func (w *dispatcher) Work(ctx context.Context, _ *river.Job[DispatchArgs]) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
	until := time.Now().Add(DispatchInterval - dispatchPoll)
	for {
		if err := w.drain(ctx, client); err != nil {
			return err
		}
		pending := false
		for !pending {
			if time.Now().After(until) {
				return nil
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(dispatchPoll):
			}
			err := w.store.Read(ctx, func(tx *store.Tx) (err error) {
				pending, err = tx.WebhookOutboxPending(ctx)
				return err
			})
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}
}

// drain dispatches batches until one is short of dispatchBatch, at most 50.
func (w *dispatcher) drain(ctx context.Context, client *river.Client[*sql.Tx]) error {
	for range 50 {
		n, err := w.dispatch(ctx, client)
		if err != nil || n < dispatchBatch {
			return err
		}
	}
	return nil
}

// dispatch handles one batch: in ONE transaction it creates a webhook event per
// subscribed endpoint, inserts their delivery jobs (a job per endpoint and up
// to DeliverBatch events, in one InsertManyTx), stamps the events dispatched
// and enqueues the requested redeliveries the same way. It returns how many rows it took.
func (w *dispatcher) dispatch(ctx context.Context, client *river.Client[*sql.Tx]) (int, error) {
	taken := 0
	err := w.store.InTx(ctx, func(tx *store.Tx) error {
		events, err := tx.EventsUndispatched(ctx, dispatchBatch)
		if err != nil {
			return err
		}
		var refs []store.WebhookEventRef
		ids := make([]string, 0, len(events))
		// A batch is mostly one organization's events of a few types: look each
		// (organization, type) up once, not once per event.
		subscribed := map[[2]string][]*store.WebhookEndpoint{}
		for _, e := range events {
			key := [2]string{e.OrganizationID, e.Type}
			endpoints, ok := subscribed[key]
			if !ok {
				if endpoints, err = tx.WebhookEndpointsFor(ctx, e.OrganizationID, e.Type); err != nil {
					return err
				}
				subscribed[key] = endpoints
			}
			for _, ep := range endpoints {
				we := &store.WebhookEvent{OrganizationID: e.OrganizationID, EndpointID: ep.ID, EventID: e.ID, Type: e.Type}
				created, err := tx.WebhookEventCreate(ctx, we)
				if err != nil {
					return err
				}
				if created {
					refs = append(refs, store.WebhookEventRef{ID: we.ID, OrganizationID: we.OrganizationID, EndpointID: ep.ID})
				}
			}
			ids = append(ids, e.ID)
		}
		redeliver, err := tx.WebhookEventsRedeliveryTake(ctx, dispatchBatch)
		if err != nil {
			return err
		}
		if jobs := deliveryJobs(append(refs, redeliver...)); len(jobs) > 0 {
			if _, err := client.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
				return err
			}
		}
		taken = max(len(events), len(redeliver))
		return tx.EventsMarkDispatched(ctx, ids, w.now().UTC())
	})
	if err != nil && errors.Is(err, context.Canceled) {
		return 0, nil // shutting down; the next run picks the batch up
	}
	return taken, err
}
