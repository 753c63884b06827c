package webhook

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestDeliveryReachesEverySubscribedEndpoint(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Deliveries Ltd")
		paidRecv, checkoutRecv, offRecv := newReceiver(t, 0), newReceiver(t, 0), newReceiver(t, 0)
		paid := endpointFor(t, s, org.ID, paidRecv.srv.URL+"/hook", true, "order.paid")
		endpointFor(t, s, org.ID, checkoutRecv.srv.URL, true, "checkout.created")
		endpointFor(t, s, org.ID, offRecv.srv.URL, false, "order.paid")
		startQueue(t, s, Options{AllowPrivate: true})

		ev := record(t, s, org.ID, "order.paid", `{"id":"ord_1","total_amount":1500,"metadata":{"k":"v"}}`)
		waitFor(t, "the order.paid delivery", func() bool { return len(paidRecv.requests()) == 1 })
		r := paidRecv.requests()[0]
		if err := Verify(paid.Secret, r.body, r.header); err != nil {
			t.Fatalf("signature: %v", err)
		}
		var env struct {
			Type      string         `json:"type"`
			Timestamp time.Time      `json:"timestamp"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(r.body, &env); err != nil || env.Type != "order.paid" || env.Data["id"] != "ord_1" ||
			env.Data["total_amount"] != 1500.0 || !env.Timestamp.Equal(ev.CreatedAt) {
			t.Fatalf("payload %s (%v)", r.body, err)
		}
		waitFor(t, "the delivery log", func() bool { return len(deliveries(t, s, org.ID)) == 1 })
		d := deliveries(t, s, org.ID)[0]
		if !d.Succeeded || *d.HTTPCode != 200 || *d.Response != "ok" || d.Attempt != 1 || d.Event.ID != r.header.Get("webhook-id") {
			t.Fatalf("log: %+v, webhook-id %s", d, r.header.Get("webhook-id"))
		}

		record(t, s, org.ID, "checkout.created", `{"id":"co_1"}`)
		waitFor(t, "the checkout.created delivery", func() bool { return len(checkoutRecv.requests()) == 1 })
		if got := len(paidRecv.requests()) + len(offRecv.requests()); got != 1 {
			t.Fatalf("an endpoint got an event it did not subscribe to, or while disabled: %d", got)
		}
	})
}

func TestFailingReceiverGetsTheEventLater(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Flaky Receiver")
		recv := newReceiver(t, 3)
		recv.failBody = strings.Repeat("x", 5000)
		ep := endpointFor(t, s, org.ID, recv.srv.URL, true, "order.created")
		startQueue(t, s, Options{AllowPrivate: true})

		record(t, s, org.ID, "order.created", `{"id":"ord_2"}`)
		waitFor(t, "the 4th attempt", func() bool { return len(recv.requests()) >= 4 })
		reqs := recv.requests()
		id := reqs[0].header.Get("webhook-id")
		for i, r := range reqs {
			if r.header.Get("webhook-id") != id || string(r.body) != string(reqs[0].body) {
				t.Fatalf("attempt %d: webhook-id %q body %s, want the first's", i+1, r.header.Get("webhook-id"), r.body)
			}
			if err := Verify(ep.Secret, r.body, r.header); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		waitFor(t, "4 logged attempts", func() bool { return len(deliveries(t, s, org.ID)) == 4 })
		log := deliveries(t, s, org.ID)
		for i, d := range log[:3] {
			if d.Succeeded || *d.HTTPCode != 500 || len(*d.Response) != ResponseExcerpt || d.Attempt != i+1 {
				t.Fatalf("failed attempt %d logged as %+v (response %d bytes)", i+1, d, len(*d.Response))
			}
		}
		if !log[3].Succeeded || log[3].Attempt != 4 || !*log[3].Event.Succeeded || *log[3].Event.LastHTTPCode != 200 {
			t.Fatalf("last attempt: %+v", log[3])
		}

		// A manual redelivery carries the same webhook-id.
		if err := s.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.WebhookEventRequestRedelivery(context.Background(), org.ID, id, paylink.Now())
		}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the redelivery", func() bool { return len(recv.requests()) == 5 })
		if got := recv.requests()[4].header.Get("webhook-id"); got != id {
			t.Fatalf("redelivery webhook-id %q, want %q", got, id)
		}
	})
}

func TestEndpointFailingForDaysIsDisabled(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Dead Receiver")
		recv := newReceiver(t, 1000)
		ep := endpointFor(t, s, org.ID, recv.srv.URL, true, "order.paid")
		var now atomic.Int64
		now.Store(time.Now().UnixMicro())
		clock := func() time.Time { return time.UnixMicro(now.Load()).UTC() }
		startQueue(t, s, Options{AllowPrivate: true, Now: clock})

		record(t, s, org.ID, "order.paid", `{"id":"o1"}`)
		waitFor(t, "two failed attempts", func() bool { return len(deliveries(t, s, org.ID)) >= 2 })
		now.Add((DisableAfter + time.Hour).Microseconds()) // three days of failures later…
		waitFor(t, "the endpoint disabled", func() bool {
			var got *store.WebhookEndpoint
			s.Read(context.Background(), func(tx *store.Tx) (err error) {
				got, err = tx.WebhookEndpointGet(context.Background(), org.ID, ep.ID)
				return err
			})
			return !got.Enabled && got.DisabledReason != nil && strings.Contains(*got.DisabledReason, "3 days")
		})
		waitFor(t, "the job cancelled", func() bool { return jobStates(t, s, DeliverArgs{}.Kind()) == "cancelled" })

		// A disabled endpoint gets no new events.
		record(t, s, org.ID, "order.paid", `{"id":"o2"}`)
		waitFor(t, "the event dispatched", func() bool {
			var n int
			s.DB.QueryRow(`SELECT count(*) FROM events WHERE dispatched_at IS NULL`).Scan(&n)
			return n == 0
		})
		if got := jobStates(t, s, DeliverArgs{}.Kind()); got != "cancelled" {
			t.Fatalf("jobs after disabling: %s", got)
		}
	})
}

func TestDeliveryRefusesPrivateAddressesAtDialTime(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		org := storetest.Org(t, s, "Sneaky")
		recv := newReceiver(t, 0)
		// The URL names loopback through "localhost", which only the dialer sees resolved.
		endpointFor(t, s, org.ID, strings.Replace(recv.srv.URL, "127.0.0.1", "localhost", 1), true, "order.paid")
		startQueue(t, s, Options{AllowPrivate: false})

		record(t, s, org.ID, "order.paid", `{"id":"o1"}`)
		waitFor(t, "a logged attempt", func() bool { return len(deliveries(t, s, org.ID)) >= 1 })
		d := deliveries(t, s, org.ID)[0]
		if d.Succeeded || d.HTTPCode != nil || !strings.Contains(*d.Response, "loopback") {
			t.Fatalf("attempt: %+v response %q", d, *d.Response)
		}
		if n := len(recv.requests()); n != 0 {
			t.Fatalf("the receiver on loopback got %d requests", n)
		}
	})
}
