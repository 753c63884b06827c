package checkout_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestPaymentSetupRule(t *testing.T) {
	month := paylink.IntervalMonth
	plan := &paylink.Product{ID: "p", RecurringInterval: &month}
	kit := &paylink.Product{ID: "p"}
	disc := func(typ, duration string, months *int) *paylink.Discount {
		return &paylink.Discount{ID: "d", Type: typ, BasisPoints: 10000, Amount: 900, Currency: "usd", Duration: duration,
			DurationInMonths: months}
	}
	for _, tc := range []struct {
		name         string
		p            *paylink.Product
		amount, net  int64
		d            *paylink.Discount
		setup, form  bool
		setupOnlyNow bool
	}{
		{"a paid subscription", plan, 900, 900, nil, true, true, false},
		{"a one-time product", kit, 900, 900, nil, false, true, false},
		{"a free one-time product", kit, 0, 0, nil, false, false, false},
		{"a free subscription", plan, 0, 0, nil, false, false, false},
		{"100 % once", plan, 900, 0, disc(paylink.DiscountPercentage, paylink.DurationOnce, nil), true, true, true},
		{"100 % for 3 months", plan, 900, 0, disc(paylink.DiscountPercentage, paylink.DurationRepeating, ptr(3)), true, true, true},
		{"100 % forever", plan, 900, 0, disc(paylink.DiscountPercentage, paylink.DurationForever, nil), false, false, false},
		{"a fixed forever discount of the whole price", plan, 900, 0, disc(paylink.DiscountFixed, paylink.DurationForever, nil), false, false, false},
		{"a fixed once discount of the whole price", plan, 900, 0, disc(paylink.DiscountFixed, paylink.DurationOnce, nil), true, true, true},
		{"10 % forever", plan, 900, 810, disc(paylink.DiscountPercentage, paylink.DurationForever, nil), true, true, false},
		{"100 % once on a one-time product", kit, 900, 0, disc(paylink.DiscountPercentage, paylink.DurationOnce, nil), false, false, false},
	} {
		c := &paylink.Checkout{ProductID: "p", Amount: tc.amount, NetAmount: tc.net, TotalAmount: tc.net, Currency: "usd"}
		if tc.d != nil {
			c.DiscountID = &tc.d.ID
		}
		setup, form, only := checkout.PaymentSetupRequired(c, tc.p, tc.d), checkout.PaymentFormRequired(c, tc.p, tc.d),
			checkout.PaymentSetupOnly(c, tc.p, tc.d)
		if setup != tc.setup || form != tc.form || only != tc.setupOnlyNow {
			t.Errorf("%s: setup %v form %v setup only %v; want %v %v %v", tc.name, setup, form, only, tc.setup, tc.form, tc.setupOnlyNow)
		}
	}
}

// savedCharges is the sandbox, noting each charge of a saved method ("ref:amount").
type savedCharges struct {
	*payment.Sandbox
	saved []string
}

func (p *savedCharges) ChargeSaved(ctx context.Context, ref string, c payment.Charge) (*payment.Result, error) {
	p.saved = append(p.saved, fmt.Sprintf("%s:%d", ref, c.Amount))
	return p.Sandbox.ChargeSaved(ctx, ref, c)
}

// fieldLocs lists the locations of a 422's fields.
func fieldLocs(err error) []string {
	var pe *paylink.Error
	if !errors.As(err, &pe) {
		return nil
	}
	var out []string
	for _, f := range pe.Fields {
		out = append(out, fmt.Sprint(f.Loc))
	}
	return out
}

// A first period that a once-only 100 % discount makes free still takes a card:
// it is saved (not charged) and charged at the first renewal.
func TestFreeFirstPeriodSavesTheCardForRenewals(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) { d.BasisPoints = 10000 })
		proc := &savedCharges{Sandbox: payment.NewSandbox()}
		f.svc.Processor = proc
		c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN")
		if c.TotalAmount != 0 || checkout.PaymentRequired(c) {
			t.Fatalf("opened: total %d", c.TotalAmount)
		}
		_, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "")
		if locs := fieldLocs(err); !paylink.IsCode(err, paylink.EInvalid) || len(locs) != 1 || locs[0] != "[body confirmation_token_id]" {
			t.Fatalf("confirm without a payment method: %v %v", err, locs)
		}
		// A card the sandbox declines is declined for a setup too; the session reopens.
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_chargeDeclined"); !paylink.IsCode(err, paylink.EPaymentFailed) {
			t.Fatalf("declined card: %v", err)
		}
		if c, _ = f.svc.Get(ctx, c.ClientSecret); c.Status != paylink.CheckoutOpen {
			t.Fatalf("after the decline: %s", c.Status)
		}
		c, err = f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil || c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("confirm with the test card: %+v %v", c, err)
		}
		first := ordersOf(t, f, paylink.BillingSubscriptionCreate)
		sub := subscriptionOf(t, f)
		if len(first) != 1 || first[0].TotalAmount != 0 || first[0].DiscountAmount != 900 {
			t.Fatalf("first order: %+v", first)
		}
		if sub.PaymentMethodRef == nil || *sub.PaymentMethodRef != "tok_visa" || sub.Amount != 900 || sub.DiscountID != nil {
			t.Fatalf("subscription: %+v", sub)
		}
		f.now = paylink.PeriodEnd(f.now, "month", 1).Add(time.Minute)
		if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok != 1 || failed != 0 {
			t.Fatalf("renewal: ok %d failed %d %v", ok, failed, err)
		}
		cycles := ordersOf(t, f, paylink.BillingSubscriptionCycle)
		if len(cycles) != 1 || cycles[0].TotalAmount != 900 || cycles[0].DiscountAmount != 0 {
			t.Fatalf("renewal orders: %+v", cycles)
		}
		if len(proc.saved) != 1 || proc.saved[0] != "tok_visa:900" {
			t.Fatalf("renewal charges of saved methods: %v", proc.saved)
		}
		if sub := subscriptionOf(t, f); sub.Status != paylink.SubscriptionActive {
			t.Fatalf("after the renewal: %s", sub.Status)
		}
	})
}

// A 100 % forever discount makes the subscription free for good: no payment
// method is asked for, nor a billing country.
func TestFreeForeverSubscriptionNeedsNoCard(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) { d.BasisPoints, d.Duration = 10000, paylink.DurationForever })
		c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN")
		c, err := f.svc.Confirm(ctx, c.ClientSecret, checkout.Changes{CustomerEmail: ptr("free@example.com")}, "")
		if err != nil || c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("confirm without a payment method: %+v %v", c, err)
		}
		if sub := subscriptionOf(t, f); sub.PaymentMethodRef != nil || sub.Amount != 0 {
			t.Fatalf("subscription: %+v", sub)
		}
		if _, paid, failed := f.counts(t, c.ID); paid+failed != 0 {
			t.Fatalf("the processor was asked: %d payments", paid+failed)
		}
	})
}

// A session that saves a card (nothing to charge today) is never completed as a
// free one by the settle sweep: the processor decides. A setup the customer
// finished makes the subscription keep its card; one left at 3-D Secure is
// canceled and released; one whose answer was lost with the sandbox's process
// is released.
func TestSettleSweepAsksAboutSetups(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) { d.BasisPoints = 10000 })
		p := newSettleProcessor()
		f.svc.Processor = p
		var sessions []*paylink.Checkout
		for i := 0; i < 2; i++ {
			c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN")
			c, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "ctoken")
			if err != nil || c.Status != paylink.CheckoutConfirmed || !c.PaymentPending || *c.PaymentProcessorRef != fmt.Sprintf("seti_%d", i+1) {
				t.Fatalf("confirm %d: %+v %v", i, c, err)
			}
			sessions = append(sessions, c)
		}
		p.set("seti_1", "succeeded") // the customer finished 3-D Secure; the webhook never came
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Succeeded: 1, Released: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		if f.status(t, sessions[0]) != paylink.CheckoutSucceeded || f.status(t, sessions[1]) != paylink.CheckoutOpen || p.cancels["seti_2"] != 1 {
			t.Fatalf("after the sweep: %s, %s, cancels %v", f.status(t, sessions[0]), f.status(t, sessions[1]), p.cancels)
		}
		if sub := subscriptionOf(t, f); sub.PaymentMethodRef == nil || *sub.PaymentMethodRef != "cus_1/pm_seti_1" {
			t.Fatalf("subscription: %+v", sub)
		}

		sandbox := payment.NewSandbox()
		f.svc.Processor = crashingSandbox{sandbox}
		c := f.confirmCrashing(t, sessions[1], buyer, "tok_visa")
		f.svc.Processor = sandbox // the process restarted
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Released: 1}) || f.status(t, c) != paylink.CheckoutOpen {
			t.Fatalf("sweep after a crash in the setup: %+v, %s", r, f.status(t, c))
		}
	})
}

// A 100 % discount for two months: the card saved at confirm is left alone
// while the discount lasts and charged the full price once it has run out.
func TestFreeMonthsThenTheSavedCardIsCharged(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) {
			d.BasisPoints, d.Duration, d.DurationInMonths = 10000, paylink.DurationRepeating, ptr(2)
		})
		proc := &savedCharges{Sandbox: payment.NewSandbox()}
		f.svc.Processor = proc
		c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN")
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, ""); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("confirm without a payment method: %v", err)
		}
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_mastercard"); err != nil {
			t.Fatal(err)
		}
		start := f.now
		for month := 1; month <= 2; month++ {
			f.now = paylink.PeriodEnd(start, "month", month).Add(time.Minute)
			if ok, failed, err := f.svc.RenewDue(ctx); err != nil || ok != 1 || failed != 0 {
				t.Fatalf("renewal %d: ok %d failed %d %v", month, ok, failed, err)
			}
		}
		var totals []int64
		for _, o := range ordersOf(t, f, paylink.BillingSubscriptionCycle) {
			totals = append(totals, o.TotalAmount)
		}
		if len(totals) != 2 || totals[0]+totals[1] != 900 || len(proc.saved) != 1 || proc.saved[0] != "tok_mastercard:900" {
			t.Fatalf("renewal totals %v, charges of the saved card %v; want one free month, then 900 charged", totals, proc.saved)
		}
	})
}
