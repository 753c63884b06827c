package checkout_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// renewalCharges is the sandbox, recording which saved method each renewal charged.
type renewalCharges struct {
	*payment.Sandbox
	mu  sync.Mutex
	got []string
}

func (p *renewalCharges) ChargeSaved(ctx context.Context, ref string, c payment.Charge) (*payment.Result, error) {
	p.mu.Lock()
	p.got = append(p.got, ref)
	p.mu.Unlock()
	return p.Sandbox.ChargeSaved(ctx, ref, c)
}

// A customer whose card declines saves a new one in the portal: the
// past-due subscription is tried again at the next sweep (not at its next
// dunning date) on the new card, and the renewals after it charge it too.
func TestRenewalChargesTheNewDefaultMethod(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		proc := &renewalCharges{Sandbox: payment.NewSandbox()}
		f.svc.Processor = proc
		c := f.open(t, "product_id="+f.monthly.ID)
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil {
			t.Fatal(err)
		}
		s.InTx(ctx, func(tx *store.Tx) error { // the saved card starts declining
			_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET payment_method_ref = 'tok_chargeDeclinedExpiredCard'`)
			return err
		})
		start := f.now
		f.now = paylink.PeriodEnd(start, "month", 1).Add(time.Minute)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok != 0 || failed != 1 {
			t.Fatalf("declined renewal: ok %d failed %d %v", ok, failed, err)
		}
		sub := subscriptionOf(t, f)
		if sub.Status != paylink.SubscriptionPastDue || sub.NextAttemptAt == nil || !sub.NextAttemptAt.After(f.now) {
			t.Fatalf("after the decline: %+v", sub)
		}

		ps := &portal.Service{Store: s, Now: func() time.Time { return f.now }, Methods: proc.Sandbox}
		token, _, err := ps.CreateSession(ctx, f.org.ID, portal.Customer{ID: sub.CustomerID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		who, err := ps.Authenticate(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		// A declined card is refused and changes nothing.
		_, err = ps.AddPaymentMethod(ctx, who, portal.AddMethod{ConfirmationTokenID: "tok_chargeDeclinedInsufficientFunds",
			SetDefault: true, ReturnURL: "https://shop.test/account"})
		if e, ok := err.(*paylink.Error); !ok || e.Name != "PaymentMethodSetupFailed" || e.Message != "Your card has insufficient funds." {
			t.Fatalf("declined card: %#v", err)
		}
		if got := subscriptionOf(t, f); *got.PaymentMethodRef != "tok_chargeDeclinedExpiredCard" {
			t.Fatalf("a declined card replaced the method: %q", *got.PaymentMethodRef)
		}
		added, err := ps.AddPaymentMethod(ctx, who, portal.AddMethod{ConfirmationTokenID: "tok_mastercard",
			SetDefault: true, ReturnURL: "https://shop.test/account"})
		if err != nil || added.Method == nil || !added.Method.IsDefault || added.Method.Last4 != "4444" || added.Method.Brand != "mastercard" {
			t.Fatalf("add: %+v %v", added, err)
		}
		if sub := subscriptionOf(t, f); *sub.PaymentMethodRef != "tok_mastercard" || sub.NextAttemptAt == nil || sub.NextAttemptAt.After(f.now) {
			t.Fatalf("after the update: %+v", sub)
		}
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok != 1 || failed != 0 {
			t.Fatalf("retry on the new card: ok %d failed %d %v", ok, failed, err)
		}
		f.now = paylink.PeriodEnd(start, "month", 2).Add(time.Minute)
		if ok, _, err := f.svc.RenewDue(ctx); err != nil || ok != 1 {
			t.Fatalf("next renewal: %d %v", ok, err)
		}
		want := []string{"tok_chargeDeclinedExpiredCard", "tok_mastercard", "tok_mastercard"}
		if len(proc.got) != len(want) || proc.got[0] != want[0] || proc.got[1] != want[1] || proc.got[2] != want[2] {
			t.Fatalf("charged %v, want %v", proc.got, want)
		}
		if sub := subscriptionOf(t, f); sub.Status != paylink.SubscriptionActive || sub.PastDueAt != nil {
			t.Fatalf("after recovery: %+v", sub)
		}
		// The card saved at checkout is the other method: deleting the new one
		// makes the subscription renew with it; the last one cannot be deleted
		// while a subscription renews with it.
		methods, _, err := ps.PaymentMethods(ctx, who, store.ListParams{Limit: 10})
		if err != nil || len(methods) != 2 || methods[1].ProcessorRef != "tok_visa" || methods[1].Last4 != "4242" {
			t.Fatalf("payment methods: %+v %v", methods, err)
		}
		if err := ps.DeletePaymentMethod(ctx, who, added.Method.ID); err != nil {
			t.Fatal(err)
		}
		if sub := subscriptionOf(t, f); *sub.PaymentMethodRef != "tok_visa" {
			t.Fatalf("after the delete the subscription renews with %q", *sub.PaymentMethodRef)
		}
		err = ps.DeletePaymentMethod(ctx, who, methods[1].ID)
		if e, ok := err.(*paylink.Error); !ok || e.Name != "PaymentMethodInUseByActiveSubscription" {
			t.Fatalf("delete the only method: %v", err)
		}
	})
}
