package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestWebhookOutboxAndDeliveries(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Outbox Co")
		other := storetest.Org(t, s, "Elsewhere Co")
		ep := newEndpoint(t, s, org.ID, "order.paid")
		theirEp := newEndpoint(t, s, other.ID, "order.paid")
		paid := &store.Event{OrganizationID: org.ID, Type: "order.paid", Payload: []byte(`{"id":"o1","note":"Blue_Widget 100%"}`)}
		theirs := &store.Event{OrganizationID: other.ID, Type: "order.paid", Payload: []byte(`{"id":"o2"}`)}
		mustTx(t, s, func(tx *store.Tx) error {
			if err := tx.EventRecord(ctx, paid); err != nil {
				return err
			}
			return tx.EventRecord(ctx, theirs)
		})

		// Dispatch: both events are pending until stamped; a webhook event is made once.
		var we, theirWE *store.WebhookEvent
		mustTx(t, s, func(tx *store.Tx) error {
			evs, err := tx.EventsUndispatched(ctx, 10)
			if err != nil || len(evs) != 2 || evs[0].ID != paid.ID {
				t.Fatalf("undispatched: %d %v", len(evs), err)
			}
			we = &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: paid.ID, Type: paid.Type}
			theirWE = &store.WebhookEvent{OrganizationID: other.ID, EndpointID: theirEp.ID, EventID: theirs.ID, Type: theirs.Type}
			for _, w := range []*store.WebhookEvent{we, theirWE} {
				if created, err := tx.WebhookEventCreate(ctx, w); err != nil || !created {
					t.Fatalf("create webhook event: %v %v", created, err)
				}
			}
			again := &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: paid.ID, Type: paid.Type}
			if created, err := tx.WebhookEventCreate(ctx, again); err != nil || created {
				t.Fatalf("second webhook event for the same pair: %v %v", created, err)
			}
			return tx.EventsMarkDispatched(ctx, []string{paid.ID, theirs.ID}, paylink.Now())
		})
		s.Read(ctx, func(tx *store.Tx) error {
			if evs, _ := tx.EventsUndispatched(ctx, 10); len(evs) != 0 {
				t.Fatalf("dispatched events still pending: %d", len(evs))
			}
			got, err := tx.WebhookEventGet(ctx, org.ID, we.ID)
			var data map[string]any
			if err != nil || got.Succeeded != nil || got.Skipped || json.Unmarshal(got.Payload, &data) != nil || data["id"] != "o1" {
				t.Fatalf("webhook event: %+v %v", got, err)
			}
			if !got.EventCreatedAt.Equal(paid.CreatedAt) {
				t.Fatalf("event time %v, want %v", got.EventCreatedAt, paid.CreatedAt)
			}
			if _, err := tx.WebhookEventGet(ctx, org.ID, theirWE.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("another org's webhook event: %v", err)
			}
			return nil
		})

		// Two attempts: a 500, then a 200 that becomes the event's outcome.
		t0 := paylink.Now()
		code500, code200 := 500, 200
		body := "oops"
		mustTx(t, s, func(tx *store.Tx) error {
			for i, d := range []*store.WebhookDelivery{
				{Attempt: 1, HTTPCode: &code500, Response: &body, DurationMS: 12, CreatedAt: t0},
				{Attempt: 2, HTTPCode: &code200, Succeeded: true, DurationMS: 7, CreatedAt: t0.Add(time.Second)},
			} {
				d.OrganizationID, d.EndpointID, d.WebhookEventID = org.ID, ep.ID, we.ID
				if err := tx.WebhookDeliveryRecord(ctx, d); err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
			}
			d := &store.WebhookDelivery{OrganizationID: org.ID, EndpointID: ep.ID, WebhookEventID: theirWE.ID, Attempt: 1}
			if err := tx.WebhookDeliveryRecord(ctx, d); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("recording onto another org's webhook event: %v", err)
			}
			return nil
		})
		mustTx(t, s, func(tx *store.Tx) error {
			d := &store.WebhookDelivery{OrganizationID: other.ID, EndpointID: theirEp.ID, WebhookEventID: theirWE.ID, Attempt: 1, HTTPCode: &code200, Succeeded: true}
			return tx.WebhookDeliveryRecord(ctx, d)
		})

		list := func(p store.WebhookDeliveryListParams) []*store.WebhookDelivery {
			t.Helper()
			p.OrganizationID = org.ID
			var out []*store.WebhookDelivery
			s.Read(ctx, func(tx *store.Tx) error {
				var total int
				var err error
				out, total, err = tx.WebhookDeliveryList(ctx, p)
				if err != nil || total != len(out) {
					t.Fatalf("list %+v: total %d, %d items, %v", p, total, len(out), err)
				}
				return nil
			})
			return out
		}
		all := list(store.WebhookDeliveryListParams{})
		if len(all) != 2 || all[0].Attempt != 2 || !all[0].Succeeded || all[1].Response == nil || *all[1].Response != "oops" {
			t.Fatalf("all deliveries, newest first: %+v", all)
		}
		if ev := all[0].Event; ev.ID != we.ID || ev.Succeeded == nil || !*ev.Succeeded || *ev.LastHTTPCode != 200 || ev.Type != "order.paid" {
			t.Fatalf("delivery's webhook event: %+v", ev)
		}
		no := false
		start := t0.Add(500 * time.Millisecond)
		for name, c := range map[string]struct {
			p    store.WebhookDeliveryListParams
			want int
		}{
			"failed":          {store.WebhookDeliveryListParams{Succeeded: &no}, 1},
			"5xx":             {store.WebhookDeliveryListParams{HTTPCodeClass: 5}, 1},
			"4xx":             {store.WebhookDeliveryListParams{HTTPCodeClass: 4}, 0},
			"endpoint":        {store.WebhookDeliveryListParams{EndpointIDs: []string{ep.ID}}, 2},
			"their endpoint":  {store.WebhookDeliveryListParams{EndpointIDs: []string{theirEp.ID}}, 0},
			"event type":      {store.WebhookDeliveryListParams{EventTypes: []string{"order.paid"}}, 2},
			"other type":      {store.WebhookDeliveryListParams{EventTypes: []string{"checkout.created"}}, 0},
			"after start":     {store.WebhookDeliveryListParams{Start: &start}, 1},
			"before end":      {store.WebhookDeliveryListParams{End: &start}, 1},
			"query":           {store.WebhookDeliveryListParams{Query: "BLUE_widget"}, 2},
			"query wildcards": {store.WebhookDeliveryListParams{Query: "blue%widget"}, 0},
			"query percent":   {store.WebhookDeliveryListParams{Query: "100%"}, 2},
			"page 2":          {store.WebhookDeliveryListParams{ListParams: store.ListParams{Limit: 1, Offset: 1}}, 1},
		} {
			p := c.p
			p.OrganizationID = org.ID
			s.Read(ctx, func(tx *store.Tx) error {
				got, _, err := tx.WebhookDeliveryList(ctx, p)
				if err != nil || len(got) != c.want {
					t.Errorf("%s: %d deliveries, want %d (%v)", name, len(got), c.want, err)
				}
				return nil
			})
		}

		// Redelivery: requested through the org only, taken once.
		mustTx(t, s, func(tx *store.Tx) error {
			if err := tx.WebhookEventRequestRedelivery(ctx, org.ID, theirWE.ID, t0); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("redeliver another org's event: %v", err)
			}
			return tx.WebhookEventRequestRedelivery(ctx, org.ID, we.ID, t0)
		})
		mustTx(t, s, func(tx *store.Tx) error {
			got, err := tx.WebhookEventsRedeliveryTake(ctx, 10)
			if err != nil || len(got) != 1 || got[0] != (store.WebhookEventRef{ID: we.ID, OrganizationID: org.ID, EndpointID: ep.ID}) {
				t.Fatalf("take: %v %v", got, err)
			}
			if again, _ := tx.WebhookEventsRedeliveryTake(ctx, 10); len(again) != 0 {
				t.Fatalf("taken twice: %v", again)
			}
			return nil
		})

		// Deleting the endpoint takes its webhook events and log with it.
		mustTx(t, s, func(tx *store.Tx) error { return tx.WebhookEndpointDelete(ctx, org.ID, ep.ID) })
		if got := list(store.WebhookDeliveryListParams{}); len(got) != 0 {
			t.Fatalf("deliveries of a deleted endpoint: %d", len(got))
		}
	})
}

// A delivery job's batch: only the endpoint's webhook events among the ids,
// oldest first, each with its payload; and on SQLite looked up by primary
// key, not by walking every webhook event of the organization (which made
// each job of a growing backlog slower than the last).
func TestWebhookEventsOf(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Batch Co")
		ep := newEndpoint(t, s, org.ID, "checkout.created")
		otherEp := newEndpoint(t, s, org.ID, "checkout.created")
		t0 := paylink.Now()
		var mine []string
		var theirs string
		mustTx(t, s, func(tx *store.Tx) error {
			for i := range 5 {
				e := &store.Event{OrganizationID: org.ID, Type: "checkout.created", Payload: fmt.Appendf(nil, `{"id":"co_%d"}`, i)}
				if err := tx.EventRecord(ctx, e); err != nil {
					return err
				}
				// Made newest first, so that oldest first is not the order of the ids.
				we := &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: e.ID, Type: e.Type,
					CreatedAt: t0.Add(-time.Duration(i) * time.Second)}
				if i == 4 {
					we.EndpointID = otherEp.ID
				}
				if _, err := tx.WebhookEventCreate(ctx, we); err != nil {
					return err
				}
				if i == 4 {
					theirs = we.ID
				} else {
					mine = append(mine, we.ID)
				}
			}
			return nil
		})
		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.WebhookEventsOf(ctx, org.ID, ep.ID, append([]string{theirs}, mine...))
			if err != nil || len(got) != len(mine) {
				t.Fatalf("batch: %d events, %v; want %d", len(got), err, len(mine))
			}
			for i, we := range got {
				want := mine[len(mine)-1-i]
				var data struct{ ID string }
				if we.ID != want || we.EndpointID != ep.ID || json.Unmarshal(we.Payload, &data) != nil ||
					data.ID != fmt.Sprintf("co_%d", len(mine)-1-i) {
					t.Errorf("batch[%d] = %s %s, want %s", i, we.ID, we.Payload, want)
				}
			}
			return nil
		})

		if s.Engine.Name() != "sqlite" {
			return
		}
		query, args := store.WebhookEventsOfSQLForTest(s, org.ID, ep.ID, mine)
		rows, err := s.DB.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if p := strings.Join(plan, "; "); !strings.Contains(p, "SEARCH we USING INDEX sqlite_autoindex_webhook_events_1 (id=?)") {
			t.Errorf("the batch is not looked up by primary key: %s", p)
		}
	})
}

// A delivery job's log: one row per attempt, and each webhook event's latest
// outcome its own, whether the batch shares one outcome or not; a batch with
// an event of another endpoint is refused whole.
func TestWebhookDeliveriesRecordBatch(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Log Co")
		ep := newEndpoint(t, s, org.ID, "checkout.created")
		otherEp := newEndpoint(t, s, org.ID, "checkout.created")
		var wes []*store.WebhookEvent
		mustTx(t, s, func(tx *store.Tx) error {
			for i := range 6 {
				e := &store.Event{OrganizationID: org.ID, Type: "checkout.created", Payload: fmt.Appendf(nil, `{"id":"co_%d"}`, i)}
				if err := tx.EventRecord(ctx, e); err != nil {
					return err
				}
				we := &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: e.ID, Type: e.Type}
				if i == 5 {
					we.EndpointID = otherEp.ID
				}
				if _, err := tx.WebhookEventCreate(ctx, we); err != nil {
					return err
				}
				wes = append(wes, we)
			}
			return nil
		})
		at := paylink.Now()
		ok, unavailable := 200, 503
		attempt := func(we *store.WebhookEvent, code *int) *store.WebhookDelivery {
			return &store.WebhookDelivery{OrganizationID: org.ID, EndpointID: ep.ID, WebhookEventID: we.ID, Attempt: 1,
				HTTPCode: code, Succeeded: code != nil && *code == 200, CreatedAt: at}
		}
		mustTx(t, s, func(tx *store.Tx) error {
			return tx.WebhookDeliveriesRecord(ctx, []*store.WebhookDelivery{attempt(wes[0], &ok), attempt(wes[1], &unavailable),
				attempt(wes[2], &ok), attempt(wes[3], nil), attempt(wes[4], &ok)})
		})
		err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.WebhookDeliveriesRecord(ctx, []*store.WebhookDelivery{attempt(wes[0], &ok), attempt(wes[5], &ok)})
		})
		if !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("a batch with another endpoint's event: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			for i, want := range []*int{&ok, &unavailable, &ok, nil, &ok, nil} {
				we, err := tx.WebhookEventGet(ctx, org.ID, wes[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case i == 5 && (we.Succeeded != nil || we.LastHTTPCode != nil):
					t.Errorf("the refused batch's event of another endpoint was updated: %+v", we)
				case i < 5 && (we.Succeeded == nil || *we.Succeeded != (want != nil && *want == 200) ||
					(want == nil) != (we.LastHTTPCode == nil) || want != nil && *we.LastHTTPCode != *want):
					t.Errorf("event %d: succeeded %v, code %v; want code %v", i, we.Succeeded, we.LastHTTPCode, want)
				}
			}
			log, total, err := tx.WebhookDeliveryList(ctx, store.WebhookDeliveryListParams{OrganizationID: org.ID})
			if err != nil || total != 5 || len(log) != 5 {
				t.Fatalf("log: %d rows (total %d), %v; want 5", len(log), total, err)
			}
			return nil
		})
	})
}

// The dispatcher's cheap look: pending while an event waits for dispatch or a
// redelivery is requested, and not otherwise.
func TestWebhookOutboxPending(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Pending Co")
		ep := newEndpoint(t, s, org.ID, "order.paid")
		pending := func(want bool, when string) {
			t.Helper()
			s.Read(ctx, func(tx *store.Tx) error {
				if got, err := tx.WebhookOutboxPending(ctx); err != nil || got != want {
					t.Errorf("%s: pending %v, %v; want %v", when, got, err, want)
				}
				return nil
			})
		}
		pending(false, "nothing recorded")
		e := &store.Event{OrganizationID: org.ID, Type: "order.paid", Payload: []byte(`{"id":"o1"}`)}
		mustTx(t, s, func(tx *store.Tx) error { return tx.EventRecord(ctx, e) })
		pending(true, "an event recorded")
		we := &store.WebhookEvent{OrganizationID: org.ID, EndpointID: ep.ID, EventID: e.ID, Type: e.Type}
		mustTx(t, s, func(tx *store.Tx) error {
			if _, err := tx.WebhookEventCreate(ctx, we); err != nil {
				return err
			}
			return tx.EventsMarkDispatched(ctx, []string{e.ID}, paylink.Now())
		})
		pending(false, "the event dispatched")
		mustTx(t, s, func(tx *store.Tx) error { return tx.WebhookEventRequestRedelivery(ctx, org.ID, we.ID, paylink.Now()) })
		pending(true, "a redelivery requested")
		mustTx(t, s, func(tx *store.Tx) error { _, err := tx.WebhookEventsRedeliveryTake(ctx, 10); return err })
		pending(false, "the redelivery taken")
	})
}
