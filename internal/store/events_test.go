package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestEvents(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Events Inc")
		other := storetest.Org(t, s, "Other Inc!")
		err := s.InTx(ctx, func(tx *store.Tx) error {
			for _, e := range []*store.Event{
				{OrganizationID: org.ID, Type: "checkout.created", Payload: []byte(`{"id":"a","n":1}`)},
				{OrganizationID: org.ID, Type: "order.paid", Payload: []byte(`{"id":"b"}`)},
				{OrganizationID: other.ID, Type: "order.paid", Payload: []byte(`{"id":"c"}`)},
			} {
				if err := tx.EventRecord(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			all, err := tx.EventList(ctx, org.ID, "")
			if err != nil || len(all) != 2 {
				t.Fatalf("all events: %d %v", len(all), err)
			}
			var v map[string]any
			if err := json.Unmarshal(all[0].Payload, &v); err != nil || v["id"] != "a" {
				t.Fatalf("payload round trip: %s %v", all[0].Payload, err)
			}
			paid, _ := tx.EventList(ctx, org.ID, "order.paid")
			if len(paid) != 1 || paid[0].Type != "order.paid" {
				t.Fatalf("filtered: %+v", paid)
			}
			return nil
		})
		// A rolled-back transaction leaves no event behind.
		s.InTx(ctx, func(tx *store.Tx) error {
			tx.EventRecord(ctx, &store.Event{OrganizationID: org.ID, Type: "x", Payload: []byte(`{}`)})
			return context.Canceled
		})
		s.Read(ctx, func(tx *store.Tx) error {
			if all, _ := tx.EventList(ctx, org.ID, "x"); len(all) != 0 {
				t.Fatalf("rolled back event persisted")
			}
			return nil
		})
	})
}
