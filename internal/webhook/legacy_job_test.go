package webhook

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/riverqueue/river"

	"github.com/paylink/paylink/internal/jobs"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A delivery job queued by a version before batches (kind webhook_deliver, one
// webhook_event_id) is still delivered after the upgrade, and a batch job has a
// kind of its own, which such a version has no worker for (it would read the
// batch as an event it cannot find and complete the job unsent).
func TestDeliveryJobOfTheVersionBeforeBatches(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if batch, one := (DeliverArgs{}).Kind(), (deliverOneArgs{}).Kind(); batch == one {
			t.Fatalf("batch jobs have the one-event jobs' kind %q", batch)
		}
		org := storetest.Org(t, s, "Upgraded Ltd")
		recv := newReceiver(t, 0)
		ep := endpointFor(t, s, org.ID, recv.srv.URL, true, "order.paid")
		// What the old version left: the event dispatched to the endpoint, its
		// webhook event, and a one-event job for it not run yet.
		ev := record(t, s, org.ID, "order.paid", `{"id":"ord_old"}`)
		we := &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: ev.ID, Type: ev.Type}
		if err := jobs.Migrate(ctx, s); err != nil {
			t.Fatal(err)
		}
		inserter, err := jobs.NewInserter(s, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.WebhookEventCreate(ctx, we); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE events SET dispatched_at = created_at WHERE id = $1`, ev.ID); err != nil {
				return err
			}
			_, err := inserter.InsertTx(ctx, tx.Tx, deliverOneArgs{OrganizationID: org.ID, WebhookEventID: we.ID},
				&river.InsertOpts{MaxAttempts: MaxAttempts})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		startQueue(t, s, Options{AllowPrivate: true})
		waitFor(t, "the old job's delivery", func() bool { return len(recv.requests()) == 1 })
		if got := recv.requests()[0].header.Get("webhook-id"); got != we.ID {
			t.Fatalf("webhook-id %q, want %q", got, we.ID)
		}
		waitFor(t, "the old job completed", func() bool { return jobStates(t, s, "webhook_deliver") == "completed" })
		if d := deliveries(t, s, org.ID); len(d) != 1 || !d[0].Succeeded {
			t.Fatalf("delivery log: %+v", d)
		}
	})
}
