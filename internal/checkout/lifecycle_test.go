package checkout_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/subscriptions"
)

// countingProcessor is the sandbox that counts the renewal charges asked of it.
type countingProcessor struct {
	payment.Processor
	saved atomic.Int32
}

func (p *countingProcessor) ChargeSaved(ctx context.Context, ref string, c payment.Charge) (*payment.Result, error) {
	p.saved.Add(1)
	return p.Processor.ChargeSaved(ctx, ref, c)
}

// subscribed buys the monthly plan and returns the fixture's renewal charge
// counter and the subscriptions service on the fixture's clock.
func subscribed(t *testing.T, s *store.Store) (*fixture, *countingProcessor, *subscriptions.Service) {
	t.Helper()
	f := setup(t, s, nil, nil)
	proc := &countingProcessor{Processor: f.svc.Processor}
	f.svc.Processor = proc
	c := f.open(t, "product_id="+f.monthly.ID)
	if _, err := f.svc.Confirm(context.Background(), c.ClientSecret, buyer, "tok_visa"); err != nil {
		t.Fatal(err)
	}
	return f, proc, &subscriptions.Service{Store: s, Now: f.svc.Now}
}

// eventTypes are the organization's recorded events from the nth on.
func eventTypes(t *testing.T, f *fixture, from int) []string {
	t.Helper()
	var out []string
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		es, err := tx.EventList(context.Background(), f.org.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es[from:] {
			out = append(out, e.Type)
		}
		return nil
	})
	return out
}

func sameTypes(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: events %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: events %v, want %v", what, got, want)
		}
	}
}

// A subscription canceled at period end keeps its status until the period ends,
// is then ended by the renewal sweep without a charge, and never renews again.
func TestCancelAtPeriodEndEndsWithoutRenewal(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, proc, subs := subscribed(t, s)
		sub := subscriptionOf(t, f)
		events := len(eventTypes(t, f, 0))
		f.now = f.now.Add(24 * time.Hour)
		reason, comment := "too_expensive", "Costs too much"
		got, err := subs.Cancel(ctx, f.org.ID, sub.ID, paylink.Cancellation{Reason: &reason, Comment: &comment})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != paylink.SubscriptionActive || !got.CancelAtPeriodEnd || got.CanceledAt == nil ||
			!got.CanceledAt.Equal(f.now) || got.EndsAt == nil || !got.EndsAt.Equal(sub.CurrentPeriodEnd) || got.EndedAt != nil ||
			*got.CustomerCancellationReason != reason || *got.CustomerCancellationComment != comment {
			t.Fatalf("after cancel: %+v", got)
		}
		sameTypes(t, "cancel", eventTypes(t, f, events), "subscription.updated", "subscription.canceled")
		if _, err := subs.Cancel(ctx, f.org.ID, sub.ID, paylink.Cancellation{}); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("second cancel: %v", err)
		}
		events = len(eventTypes(t, f, 0))

		f.now = sub.CurrentPeriodEnd.Add(time.Minute)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok+failed != 0 {
			t.Fatalf("sweep at period end: renewed %d failed %d %v", ok, failed, err)
		}
		ended := subscriptionOf(t, f)
		if ended.Status != paylink.SubscriptionCanceled || ended.EndedAt == nil || !ended.EndedAt.Equal(f.now) ||
			!ended.EndsAt.Equal(sub.CurrentPeriodEnd) || !ended.CurrentPeriodEnd.Equal(sub.CurrentPeriodEnd) {
			t.Fatalf("at period end: %+v", ended)
		}
		sameTypes(t, "period end", eventTypes(t, f, events), "subscription.updated", "subscription.canceled", "subscription.revoked")
		f.now = paylink.PeriodEnd(sub.CurrentPeriodEnd, "month", 3)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok+failed != 0 {
			t.Fatalf("a later sweep: renewed %d failed %d %v", ok, failed, err)
		}
		if n := proc.saved.Load(); n != 0 {
			t.Fatalf("%d renewal charges of a canceled subscription", n)
		}
		if n := len(ordersOf(t, f, paylink.BillingSubscriptionCycle)); n != 0 {
			t.Fatalf("%d renewal orders", n)
		}
		if _, err := subs.Uncancel(ctx, f.org.ID, sub.ID); !paylink.IsCode(err, paylink.EGone) {
			t.Fatalf("uncancel after the end: %v", err)
		}
	})
}

// Uncancel before the period ends takes the cancellation back: the sweep renews
// and charges as if it had never been canceled.
func TestUncancelRestoresRenewal(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, proc, subs := subscribed(t, s)
		sub := subscriptionOf(t, f)
		if _, err := subs.Uncancel(ctx, f.org.ID, sub.ID); !paylink.IsCode(err, paylink.EBadRequest) {
			t.Fatalf("uncancel of a subscription not canceled: %v", err)
		}
		reason := "unused"
		if _, err := subs.Cancel(ctx, f.org.ID, sub.ID, paylink.Cancellation{Reason: &reason}); err != nil {
			t.Fatal(err)
		}
		events := len(eventTypes(t, f, 0))
		got, err := subs.Uncancel(ctx, f.org.ID, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CancelAtPeriodEnd || got.CanceledAt != nil || got.EndsAt != nil || got.CustomerCancellationReason != nil {
			t.Fatalf("after uncancel: %+v", got)
		}
		sameTypes(t, "uncancel", eventTypes(t, f, events), "subscription.updated", "subscription.uncanceled")
		f.now = sub.CurrentPeriodEnd.Add(time.Minute)
		if ok, _, err := f.svc.RenewDue(ctx); err != nil || ok != 1 {
			t.Fatalf("renewal after uncancel: %d %v", ok, err)
		}
		if n := proc.saved.Load(); n != 1 {
			t.Fatalf("%d renewal charges, want 1", n)
		}
		if got := subscriptionOf(t, f); got.Status != paylink.SubscriptionActive || !got.CurrentPeriodStart.Equal(sub.CurrentPeriodEnd) {
			t.Fatalf("after renewal: %+v", got)
		}
	})
}

// Revoke ends a subscription now, also one set to cancel at period end; it is
// never charged again and a second revoke is refused.
func TestRevokeEndsNow(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, proc, subs := subscribed(t, s)
		sub := subscriptionOf(t, f)
		if _, err := subs.Cancel(ctx, f.org.ID, sub.ID, paylink.Cancellation{}); err != nil {
			t.Fatal(err)
		}
		events := len(eventTypes(t, f, 0))
		f.now = f.now.Add(3 * 24 * time.Hour)
		got, err := subs.Revoke(ctx, f.org.ID, sub.ID, paylink.Cancellation{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != paylink.SubscriptionCanceled || !got.EndedAt.Equal(f.now) || !got.EndsAt.Equal(f.now) || !got.CanceledAt.Equal(f.now) {
			t.Fatalf("after revoke: %+v", got)
		}
		sameTypes(t, "revoke", eventTypes(t, f, events), "subscription.updated", "subscription.canceled", "subscription.revoked")
		if _, err := subs.Revoke(ctx, f.org.ID, sub.ID, paylink.Cancellation{}); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("second revoke: %v", err)
		}
		f.now = sub.CurrentPeriodEnd.Add(time.Minute)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok+failed != 0 || proc.saved.Load() != 0 {
			t.Fatalf("sweep after revoke: renewed %d failed %d charges %d %v", ok, failed, proc.saved.Load(), err)
		}
		other := storetest.Org(t, s, "Other")
		if _, err := subs.Revoke(ctx, other.ID, sub.ID, paylink.Cancellation{}); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("another organization's revoke: %v", err)
		}
	})
}

// Concurrent revokes of one subscription (as from several processes) end it once:
// one succeeds, the others are refused, and its events are recorded once. The
// revokes all start while another transaction holds the row (a renewal, say), so
// they all read it before any of them has changed it.
func TestConcurrentRevokesEndOnce(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, _, subs := subscribed(t, s)
		sub := subscriptionOf(t, f)
		events := len(eventTypes(t, f, 0))
		locked, release, held := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			held <- s.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.SubscriptionGetForUpdate(ctx, f.org.ID, sub.ID)
				close(locked)
				<-release
				return err
			})
		}()
		<-locked
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := subs.Revoke(ctx, f.org.ID, sub.ID, paylink.Cancellation{})
				switch {
				case err == nil:
					ok.Add(1)
				case paylink.IsCode(err, paylink.EForbidden):
					refused.Add(1)
				default:
					t.Errorf("revoke: %v", err)
				}
			}()
		}
		time.Sleep(200 * time.Millisecond) // every revoke is waiting now
		close(release)
		if err := <-held; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 7 {
			t.Fatalf("%d revokes succeeded, %d refused", ok.Load(), refused.Load())
		}
		sameTypes(t, "concurrent revokes", eventTypes(t, f, events), "subscription.updated", "subscription.canceled", "subscription.revoked")
	})
}

// Renewals that keep failing follow paylink.DunningSchedule: past_due after the
// first failure, a retry after each wait, and the end of the subscription when
// the last retry fails.
func TestDunningEndsAfterSchedule(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, proc, _ := subscribed(t, s)
		s.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET payment_method_ref = 'tok_chargeDeclined'`)
			return err
		})
		events := len(eventTypes(t, f, 0))
		f.now = subscriptionOf(t, f).CurrentPeriodEnd.Add(time.Minute)
		firstFailure := f.now
		if _, failed, err := f.svc.RenewDue(ctx); err != nil || failed != 1 {
			t.Fatalf("first try: failed %d %v", failed, err)
		}
		sameTypes(t, "first failure", eventTypes(t, f, events), "subscription.updated", "subscription.past_due")
		for i, wait := range paylink.DunningSchedule {
			sub := subscriptionOf(t, f)
			if sub.Status != paylink.SubscriptionPastDue || !sub.NextAttemptAt.Equal(f.now.Add(wait)) || !sub.PastDueAt.Equal(firstFailure) {
				t.Fatalf("after failure %d: %+v", i+1, sub)
			}
			f.now = f.now.Add(wait - time.Minute)
			if ok, failed, _ := f.svc.RenewDue(ctx); ok+failed != 0 {
				t.Fatalf("retry %d ran before its time", i+1)
			}
			f.now = f.now.Add(time.Minute)
			events = len(eventTypes(t, f, 0))
			if _, failed, err := f.svc.RenewDue(ctx); err != nil || failed != 1 {
				t.Fatalf("retry %d: failed %d %v", i+1, failed, err)
			}
		}
		sub := subscriptionOf(t, f)
		if sub.Status != paylink.SubscriptionCanceled || sub.EndedAt == nil || !sub.EndedAt.Equal(f.now) || sub.NextAttemptAt != nil {
			t.Fatalf("after the schedule: %+v", sub)
		}
		sameTypes(t, "end of dunning", eventTypes(t, f, events), "subscription.updated", "subscription.canceled", "subscription.revoked")
		if want := int32(len(paylink.DunningSchedule) + 1); proc.saved.Load() != want {
			t.Fatalf("%d charges, want %d", proc.saved.Load(), want)
		}
		f.now = f.now.Add(60 * 24 * time.Hour)
		if ok, failed, _ := f.svc.RenewDue(ctx); ok+failed != 0 {
			t.Fatal("an ended subscription was tried again")
		}
	})
}
