package checkout_test

import (
	"context"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func subscriptionOf(t *testing.T, f *fixture) *paylink.Subscription {
	t.Helper()
	var sub *paylink.Subscription
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		subs, _, err := tx.SubscriptionList(context.Background(), store.SubscriptionListParams{OrganizationID: f.org.ID})
		if err != nil || len(subs) != 1 {
			t.Fatalf("subscriptions: %v %v", subs, err)
		}
		sub = subs[0]
		return nil
	})
	return sub
}

func ordersOf(t *testing.T, f *fixture, reason string) []*paylink.Order {
	t.Helper()
	var out []*paylink.Order
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		out, _, _ = tx.OrderList(context.Background(), store.OrderListParams{OrganizationID: f.org.ID, BillingReasons: []string{reason}})
		return nil
	})
	return out
}

func TestRenewals(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) {
			d.Duration, d.DurationInMonths = paylink.DurationRepeating, ptr(2)
		})
		c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN&utm_medium=ads")
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil {
			t.Fatal(err)
		}
		start := f.now
		if n, _, err := f.svc.RenewDue(ctx); err != nil || n != 0 {
			t.Fatalf("renewed %d before the period ended: %v", n, err)
		}
		// Month 2: still inside the 2-month discount.
		f.now = paylink.PeriodEnd(start, "month", 1).Add(time.Minute)
		if n, _, err := f.svc.RenewDue(ctx); err != nil || n != 1 {
			t.Fatalf("renewal 1: %d %v", n, err)
		}
		// Month 3: the discount has run out.
		f.now = paylink.PeriodEnd(start, "month", 2).Add(time.Minute)
		if n, _, err := f.svc.RenewDue(ctx); err != nil || n != 1 {
			t.Fatalf("renewal 2: %d %v", n, err)
		}
		cycles := ordersOf(t, f, paylink.BillingSubscriptionCycle)
		if len(cycles) != 2 {
			t.Fatalf("cycle orders: %d", len(cycles))
		}
		var discounted, full *paylink.Order
		for _, o := range cycles {
			if o.DiscountAmount > 0 {
				discounted = o
			} else {
				full = o
			}
			if o.Metadata["utm_medium"] != "ads" || o.Metadata["campaign"] != "link" {
				t.Fatalf("renewal order lost the metadata: %v", o.Metadata)
			}
		}
		if discounted == nil || discounted.TotalAmount != 810 || full == nil || full.TotalAmount != 900 {
			t.Fatalf("renewal amounts: %+v / %+v", discounted, full)
		}
		sub := subscriptionOf(t, f)
		if !sub.CurrentPeriodEnd.Equal(paylink.PeriodEnd(start, "month", 3)) || sub.Status != paylink.SubscriptionActive {
			t.Fatalf("after renewals: %+v", sub)
		}
	})
}

func TestFailedRenewalGoesPastDueThenRecovers(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c := f.open(t, "product_id="+f.monthly.ID)
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil {
			t.Fatal(err)
		}
		// The saved card starts declining.
		s.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET payment_method_ref = 'tok_chargeDeclined'`)
			return err
		})
		f.now = paylink.PeriodEnd(f.now, "month", 1).Add(time.Minute)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok != 0 || failed != 1 {
			t.Fatalf("declined renewal: ok %d failed %d %v", ok, failed, err)
		}
		sub := subscriptionOf(t, f)
		if sub.Status != paylink.SubscriptionPastDue || sub.PastDueAt == nil || sub.NextAttemptAt == nil {
			t.Fatalf("after decline: %+v", sub)
		}
		// No retry before the scheduled time.
		if ok, failed, _ := f.svc.RenewDue(ctx); ok+failed != 0 {
			t.Fatalf("retried too early")
		}
		s.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET payment_method_ref = 'tok_visa'`)
			return err
		})
		f.now = f.now.Add(paylink.DunningSchedule[0] + time.Minute)
		if ok, _, err := f.svc.RenewDue(ctx); err != nil || ok != 1 {
			t.Fatalf("retry: %d %v", ok, err)
		}
		if sub := subscriptionOf(t, f); sub.Status != paylink.SubscriptionActive || sub.PastDueAt != nil {
			t.Fatalf("after recovery: %+v", sub)
		}
		if n := len(ordersOf(t, f, paylink.BillingSubscriptionCycle)); n != 1 {
			t.Fatalf("cycle orders: %d", n)
		}
	})
}
