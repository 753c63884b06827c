package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func mustTx(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func newEndpoint(t *testing.T, s *store.Store, orgID string, events ...string) *store.WebhookEndpoint {
	t.Helper()
	e := &store.WebhookEndpoint{OrganizationID: orgID, URL: "https://hooks.example.com/" + orgID,
		Secret: paylink.NewSecret(paylink.PrefixWebhookSecret), Format: "raw", Events: events, Enabled: true}
	mustTx(t, s, func(tx *store.Tx) error { return tx.WebhookEndpointCreate(context.Background(), e) })
	return e
}

func TestWebhookEndpoints(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Hooks Inc")
		other := storetest.Org(t, s, "Other Hooks")
		a := newEndpoint(t, s, org.ID, "order.paid", "checkout.created")
		b := newEndpoint(t, s, org.ID, "order.paid")
		theirs := newEndpoint(t, s, other.ID, "order.paid")

		s.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.WebhookEndpointGet(ctx, org.ID, a.ID)
			if err != nil || got.URL != a.URL || got.Secret != a.Secret || len(got.Events) != 2 || !got.Enabled || got.Name != nil {
				t.Fatalf("get: %+v %v", got, err)
			}
			if _, err := tx.WebhookEndpointGet(ctx, org.ID, theirs.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("another org's endpoint: %v, want not found", err)
			}
			list, total, err := tx.WebhookEndpointList(ctx, store.WebhookEndpointListParams{OrganizationID: org.ID, ListParams: store.ListParams{Limit: 1}})
			if err != nil || total != 2 || len(list) != 1 || list[0].ID != a.ID {
				t.Fatalf("list page 1: %d %d %v", total, len(list), err)
			}
			paid, _ := tx.WebhookEndpointsFor(ctx, org.ID, "order.paid")
			created, _ := tx.WebhookEndpointsFor(ctx, org.ID, "checkout.created")
			if len(paid) != 2 || len(created) != 1 || created[0].ID != a.ID {
				t.Fatalf("endpoints for: paid %d, created %d", len(paid), len(created))
			}
			return nil
		})

		name := "Fulfilment"
		b.Name, b.Enabled, b.Events = &name, false, []string{"order.created"}
		mustTx(t, s, func(tx *store.Tx) error { return tx.WebhookEndpointUpdate(ctx, b) })
		if b.ModifiedAt == nil {
			t.Fatal("update did not stamp modified_at")
		}
		stolen := *theirs
		stolen.OrganizationID = org.ID
		s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.WebhookEndpointUpdate(ctx, &stolen); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("update through another org: %v", err)
			}
			if err := tx.WebhookEndpointDelete(ctx, org.ID, theirs.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("delete through another org: %v", err)
			}
			return nil
		})
		s.Read(ctx, func(tx *store.Tx) error {
			got, _ := tx.WebhookEndpointGet(ctx, org.ID, b.ID)
			if *got.Name != name || got.Enabled || got.Events[0] != "order.created" {
				t.Fatalf("after update: %+v", got)
			}
			if paid, _ := tx.WebhookEndpointsFor(ctx, org.ID, "order.paid"); len(paid) != 1 {
				t.Fatalf("a disabled endpoint still receives events: %d", len(paid))
			}
			return nil
		})
		mustTx(t, s, func(tx *store.Tx) error { return tx.WebhookEndpointDelete(ctx, org.ID, b.ID) })
		s.Read(ctx, func(tx *store.Tx) error {
			if _, err := tx.WebhookEndpointGet(ctx, org.ID, b.ID); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("deleted endpoint: %v", err)
			}
			return nil
		})
	})
}

func TestWebhookEndpointFailureStreak(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Streaks")
		e := newEndpoint(t, s, org.ID, "order.paid")
		t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		outcome := func(ok bool, at time.Time) (disabled bool) {
			mustTx(t, s, func(tx *store.Tx) (err error) {
				disabled, err = tx.WebhookEndpointRecordOutcome(ctx, org.ID, e.ID, ok, at, 72*time.Hour, "failing")
				return err
			})
			return disabled
		}
		get := func() *store.WebhookEndpoint {
			var got *store.WebhookEndpoint
			s.Read(ctx, func(tx *store.Tx) (err error) { got, err = tx.WebhookEndpointGet(ctx, org.ID, e.ID); return err })
			return got
		}
		if outcome(false, t0) || outcome(false, t0.Add(71*time.Hour)) {
			t.Fatal("disabled before 3 days of failures")
		}
		if got := get(); got.FailingSince == nil || !got.FailingSince.Equal(t0) || !got.Enabled {
			t.Fatalf("streak start: %+v", got.FailingSince)
		}
		outcome(true, t0.Add(71*time.Hour+time.Minute)) // a success breaks the streak
		if got := get(); got.FailingSince != nil {
			t.Fatalf("success kept the streak: %v", got.FailingSince)
		}
		t1 := t0.Add(80 * time.Hour)
		if outcome(false, t1) || outcome(false, t1.Add(72*time.Hour-time.Second)) {
			t.Fatal("disabled before 3 days of unbroken failures")
		}
		if !outcome(false, t1.Add(72*time.Hour)) {
			t.Fatal("not disabled after 3 days of failures")
		}
		if got := get(); got.Enabled || got.DisabledReason == nil || *got.DisabledReason != "failing" {
			t.Fatalf("disabled endpoint: %+v", got)
		}
		if outcome(false, t1.Add(73*time.Hour)) {
			t.Fatal("disabled twice")
		}
	})
}
