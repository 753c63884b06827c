package checkout_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// settleProcessor stands in for Stripe in the settle sweep's tests: every charge
// waits for 3-D Secure, and Lookup and Cancel answer from the state the test
// sets per payment. With crash set, Charge stops the "process" (a panic) after
// the session was confirmed and before any answer is recorded.
type settleProcessor struct {
	mu               sync.Mutex
	n                int
	state            map[string]string // ref → succeeded | failed | requires_action | pending | canceled
	succeedOnCancel  map[string]bool   // the customer finished 3-D Secure just before the cancel
	lookups, cancels map[string]int
	onLookup         func(ref string)
	crash            bool
}

func newSettleProcessor() *settleProcessor {
	return &settleProcessor{state: map[string]string{}, succeedOnCancel: map[string]bool{},
		lookups: map[string]int{}, cancels: map[string]int{}}
}

func (p *settleProcessor) Name() string { return "stripe" }

func (p *settleProcessor) Charge(ctx context.Context, c payment.Charge) (*payment.Result, error) {
	p.mu.Lock()
	p.n++
	ref := fmt.Sprintf("pi_%d", p.n)
	p.state[ref] = "requires_action"
	crash := p.crash
	p.mu.Unlock()
	if crash {
		panic("crash between the confirm and the charge's answer")
	}
	return &payment.Result{Ref: ref, RequiresAction: true, ClientSecret: ref + "_secret"}, nil
}

func (p *settleProcessor) ChargeSaved(ctx context.Context, ref string, c payment.Charge) (*payment.Result, error) {
	return p.Charge(ctx, c)
}

// Setup waits for 3-D Secure like Charge, with a SetupIntent's reference.
func (p *settleProcessor) Setup(ctx context.Context, st payment.Setup) (*payment.Result, error) {
	p.mu.Lock()
	p.n++
	ref := fmt.Sprintf("seti_%d", p.n)
	p.state[ref] = "requires_action"
	p.mu.Unlock()
	return &payment.Result{Ref: ref, RequiresAction: true, ClientSecret: ref + "_secret"}, nil
}

// Refund refunds at once: the sweep's tests never refund.
func (p *settleProcessor) Refund(ctx context.Context, r payment.Refund) (*payment.RefundResult, error) {
	return &payment.RefundResult{Ref: "re_" + r.RefundID, Status: paylink.RefundSucceeded}, nil
}

func (p *settleProcessor) set(ref, state string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state[ref] = state
}

func (p *settleProcessor) result(ref string) *payment.Result {
	switch p.state[ref] {
	case "succeeded":
		return &payment.Result{Ref: ref, Succeeded: true, PaymentMethodRef: "cus_1/pm_" + ref}
	case "failed":
		return &payment.Result{Ref: ref, DeclineCode: "card_declined", Message: "Your card was declined."}
	case "requires_action":
		return &payment.Result{Ref: ref, RequiresAction: true, ClientSecret: ref + "_secret"}
	case "pending":
		return &payment.Result{Ref: ref, Pending: true}
	default:
		return &payment.Result{Ref: ref, DeclineCode: "payment_failed", Message: "The payment was not completed."}
	}
}

func (p *settleProcessor) Lookup(ctx context.Context, ref string) (string, string, *payment.Result, error) {
	p.mu.Lock()
	p.lookups[ref]++
	hook := p.onLookup
	p.mu.Unlock()
	if hook != nil {
		hook(ref)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.state[ref]; !ok {
		return "", "", nil, fmt.Errorf("no such payment intent: %s", ref)
	}
	return "", "", p.result(ref), nil
}

func (p *settleProcessor) Cancel(ctx context.Context, ref string) (*payment.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cancels[ref]++
	switch {
	case p.succeedOnCancel[ref]:
		p.state[ref] = "succeeded"
	case p.state[ref] == "requires_action":
		p.state[ref] = "canceled"
	}
	return p.result(ref), nil
}

func (p *settleProcessor) count(m map[string]int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// finderProcessor is a settleProcessor that can also find a checkout's payments
// without their reference, as Stripe does by listing the customer's intents.
type finderProcessor struct {
	*settleProcessor
	found map[string][]string // checkout id → refs
}

func (p *finderProcessor) FindCheckoutPayments(ctx context.Context, orgID, checkoutID, email string, since time.Time) ([]*payment.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*payment.Result
	for _, ref := range p.found[checkoutID] {
		out = append(out, p.result(ref))
	}
	return out, nil
}

// crashingSandbox is the sandbox in a process that stops right after the
// session was confirmed, before the charge's answer is recorded.
type crashingSandbox struct{ *payment.Sandbox }

func (crashingSandbox) Charge(ctx context.Context, c payment.Charge) (*payment.Result, error) {
	panic("crash between the confirm and the charge")
}

func (crashingSandbox) Setup(ctx context.Context, st payment.Setup) (*payment.Result, error) {
	panic("crash between the confirm and the setup")
}

// confirmCrashing confirms c with a processor that crashes in the charge, and
// returns the session as the crash left it: confirmed, its holds taken.
func (f *fixture) confirmCrashing(t *testing.T, c *paylink.Checkout, ch checkout.Changes, token string) *paylink.Checkout {
	t.Helper()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the charge did not crash")
			}
		}()
		f.svc.Confirm(context.Background(), c.ClientSecret, ch, token) //nolint:errcheck
	}()
	got, err := f.svc.Get(context.Background(), c.ClientSecret)
	if err != nil || got.Status != paylink.CheckoutConfirmed || got.PaymentProcessorRef != nil {
		t.Fatalf("after the crash: %+v %v", got, err)
	}
	return got
}

// held returns the discount's redemptions and the link's completions.
func (f *fixture) held(t *testing.T) (redemptions, completions int) {
	t.Helper()
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		d, err := tx.DiscountGet(context.Background(), f.org.ID, f.discount.ID)
		if err != nil {
			t.Fatal(err)
		}
		l, err := tx.CheckoutLinkGet(context.Background(), f.org.ID, f.link.ID)
		if err != nil {
			t.Fatal(err)
		}
		redemptions, completions = d.RedemptionsCount, l.CompletionsCount
		return nil
	})
	return
}

func (f *fixture) status(t *testing.T, c *paylink.Checkout) string {
	t.Helper()
	got, err := f.svc.Get(context.Background(), c.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

func (f *fixture) events(t *testing.T, typ string) int {
	t.Helper()
	var n int
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		evs, err := tx.EventList(context.Background(), f.org.ID, typ)
		n = len(evs)
		return err
	})
	return n
}

func (f *fixture) sweep(t *testing.T) checkout.SweepResult {
	t.Helper()
	r, err := f.svc.SweepUnsettled(context.Background(), checkout.SettleGrace)
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	return r
}

// The sandbox answers at once, so a session it left confirmed lost its answer
// with the process: nothing was paid, and the sweep gives back the capped
// discount and link completion after the grace period, exactly once.
func TestSettleSweepReleasesASandboxCrash(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, func(l *paylink.CheckoutLink) { l.MaxCompletions = ptr(1) }, func(d *paylink.Discount) { d.MaxRedemptions = ptr(1) })
		sandbox := payment.NewSandbox()
		f.svc.Processor = crashingSandbox{sandbox}
		c := f.open(t, "discount_code=TEN")
		c = f.confirmCrashing(t, c, buyer, "tok_visa")
		if r, k := f.held(t); r != 1 || k != 1 {
			t.Fatalf("the crash holds redemption %d, completion %d", r, k)
		}
		f.svc.Processor = sandbox // the process restarted
		if r := f.sweep(t); r != (checkout.SweepResult{}) {
			t.Fatalf("swept within the grace period: %+v", r)
		}
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		updated := f.events(t, "checkout.updated")
		if r := f.sweep(t); r != (checkout.SweepResult{Released: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		if r, k := f.held(t); r != 0 || k != 0 || f.status(t, c) != paylink.CheckoutOpen {
			t.Fatalf("after the sweep: redemption %d, completion %d, %s", r, k, f.status(t, c))
		}
		if orders, paid, failed := f.counts(t, c.ID); orders != 0 || paid != 0 || failed != 0 {
			t.Fatalf("a payment that never happened was recorded: orders %d paid %d failed %d", orders, paid, failed)
		}
		if n := f.events(t, "checkout.updated"); n != updated+1 {
			t.Fatalf("checkout.updated events: %d, want %d", n, updated+1)
		}
		if r := f.sweep(t); r != (checkout.SweepResult{}) {
			t.Fatalf("second sweep: %+v", r)
		}
		// The customer pays again: the capped discount and link are still theirs.
		c, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil || c.Status != paylink.CheckoutSucceeded || c.DiscountAmount != 200 {
			t.Fatalf("retry: %+v %v", c, err)
		}
		if r, k := f.held(t); r != 1 || k != 1 {
			t.Fatalf("after the purchase: redemption %d, completion %d", r, k)
		}
	})
}

// A free session whose success was interrupted is completed: nothing to pay.
func TestSettleSweepCompletesAFreeSession(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, func(d *paylink.Discount) { d.BasisPoints = 10000 })
		c := f.open(t, "discount_code=TEN")
		c, err := f.svc.UpdateBySecret(ctx, c.ClientSecret, buyer)
		if err != nil || c.TotalAmount != 0 {
			t.Fatalf("free session: %+v %v", c, err)
		}
		// Confirmed, then the process stopped before Succeed.
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			c.Status = paylink.CheckoutConfirmed
			return tx.CheckoutSave(ctx, c, paylink.CheckoutOpen)
		}); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Succeeded: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		if orders, _, _ := f.counts(t, c.ID); orders != 1 || f.status(t, c) != paylink.CheckoutSucceeded {
			t.Fatalf("orders %d, %s", orders, f.status(t, c))
		}
	})
}

// The sweep asks the processor about each payment and goes its way: a success
// makes exactly one order, a failure or an abandoned 3-D Secure (canceled first)
// releases the session, and a pending payment is asked about again only after
// another grace period.
func TestSettleSweepAsksTheProcessor(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		p := newSettleProcessor()
		f.svc.Processor = p
		sessions := map[string]*paylink.Checkout{}
		for i, query := range []string{"", "discount_code=TEN", "", "", ""} {
			c := f.open(t, query)
			c, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "ctoken")
			if err != nil || c.Status != paylink.CheckoutConfirmed || !c.PaymentPending {
				t.Fatalf("confirm %d: %+v %v", i, c, err)
			}
			sessions[*c.PaymentProcessorRef] = c
		}
		if r, _ := f.held(t); r != 1 {
			t.Fatalf("redemptions held: %d", r)
		}
		p.set("pi_1", "succeeded")       // the webhook never came
		p.set("pi_2", "failed")          // the payment failed after 3-D Secure
		p.set("pi_4", "pending")         // still processing
		p.succeedOnCancel["pi_5"] = true // finished 3-D Secure just in time
		f.now = f.now.Add(time.Minute)   // pi_3 stays requires_action: abandoned
		if r := f.sweep(t); r != (checkout.SweepResult{}) || p.count(p.lookups) != 0 {
			t.Fatalf("swept within the grace period: %+v", r)
		}
		f.now = f.now.Add(checkout.SettleGrace)
		if r := f.sweep(t); r != (checkout.SweepResult{Succeeded: 2, Released: 2, Waiting: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		want := map[string]string{"pi_1": paylink.CheckoutSucceeded, "pi_2": paylink.CheckoutOpen, "pi_3": paylink.CheckoutOpen,
			"pi_4": paylink.CheckoutConfirmed, "pi_5": paylink.CheckoutSucceeded}
		for ref, st := range want {
			if got := f.status(t, sessions[ref]); got != st {
				t.Errorf("%s: %s, want %s", ref, got, st)
			}
		}
		if p.cancels["pi_3"] != 1 || p.cancels["pi_5"] != 1 || p.cancels["pi_1"]+p.cancels["pi_2"]+p.cancels["pi_4"] != 0 {
			t.Fatalf("cancels: %v", p.cancels)
		}
		for ref, want := range map[string][3]int{"pi_1": {1, 1, 0}, "pi_2": {0, 0, 1}, "pi_3": {0, 0, 1}, "pi_4": {0, 0, 0}, "pi_5": {1, 1, 0}} {
			_, paid, failed := f.counts(t, sessions[ref].ID)
			var orders int
			s.Read(ctx, func(tx *store.Tx) error {
				_, orders, _ = tx.OrderList(ctx, store.OrderListParams{OrganizationID: f.org.ID, CheckoutIDs: []string{sessions[ref].ID}})
				return nil
			})
			if got := [3]int{orders, paid, failed}; got != want {
				t.Errorf("%s: orders, paid, failed = %v, want %v", ref, got, want)
			}
		}
		if r, _ := f.held(t); r != 0 {
			t.Fatalf("the failed payment kept its redemption: %d", r)
		}
		// Run again at once: the pending payment is not asked about again yet.
		lookups := p.count(p.lookups)
		if r := f.sweep(t); r != (checkout.SweepResult{}) || p.count(p.lookups) != lookups {
			t.Fatalf("second sweep: %+v, lookups %d → %d", r, lookups, p.count(p.lookups))
		}
		// After another grace period it is; it succeeded meanwhile.
		p.set("pi_4", "succeeded")
		f.now = f.now.Add(checkout.SettleGrace + time.Second)
		if r := f.sweep(t); r != (checkout.SweepResult{Succeeded: 1}) || p.lookups["pi_4"] != 2 {
			t.Fatalf("third sweep: %+v, lookups of pi_4: %d", r, p.lookups["pi_4"])
		}
		// The late webhook of a payment the sweep completed changes nothing.
		if c, err := f.svc.Succeed(ctx, f.org.ID, sessions["pi_1"].ID, &payment.Result{Ref: "pi_1", Succeeded: true}); err != nil ||
			c.Status != paylink.CheckoutSucceeded {
			t.Fatalf("late webhook: %v", err)
		}
		var orders int
		s.Read(ctx, func(tx *store.Tx) error {
			_, orders, _ = tx.OrderList(ctx, store.OrderListParams{OrganizationID: f.org.ID})
			return nil
		})
		if orders != 3 {
			t.Fatalf("orders: %d, want 3", orders)
		}
	})
}

// A session released past its expiry is expired at once, with checkout.expired.
func TestSettleSweepExpiresALateRelease(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		f.svc.Processor = newSettleProcessor()
		c, err := f.svc.Confirm(ctx, f.open(t, "utm_source=x").ClientSecret, buyer, "ctoken")
		if err != nil || c.Status != paylink.CheckoutConfirmed {
			t.Fatalf("confirm: %v", err)
		}
		f.now = f.now.Add(2 * time.Hour) // past the one-hour TTL
		if n, err := f.svc.ExpireDue(ctx); err != nil || n != 0 {
			t.Fatalf("the expiry sweep took a confirmed session: %d %v", n, err)
		}
		if r := f.sweep(t); r != (checkout.SweepResult{Released: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		got, _ := f.svc.Get(ctx, c.ClientSecret)
		if got.Status != paylink.CheckoutExpired || got.QueryString != "utm_source=x" || f.events(t, "checkout.expired") != 1 {
			t.Fatalf("after the sweep: %s, %d checkout.expired", got.Status, f.events(t, "checkout.expired"))
		}
		if n, err := f.svc.ExpireDue(ctx); err != nil || n != 0 {
			t.Fatalf("expired again: %d %v", n, err)
		}
	})
}

// A session that moved while the sweep asked about it (the webhook failed the
// payment, the customer started a new one) is left alone: the sweep's answer
// is about a payment the session no longer waits for.
func TestSettleSweepLeavesAMovedSessionAlone(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		p := newSettleProcessor()
		f.svc.Processor = p
		c, err := f.svc.Confirm(ctx, f.open(t, "discount_code=TEN").ClientSecret, buyer, "ctoken")
		if err != nil || *c.PaymentProcessorRef != "pi_1" {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		p.set("pi_1", "failed")
		p.onLookup = func(ref string) {
			p.onLookup = nil
			if _, err := f.svc.Fail(ctx, f.org.ID, c.ID, &payment.Result{Ref: "pi_1", DeclineCode: "card_declined"}); err != nil {
				t.Errorf("webhook: %v", err)
			}
			if again, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "ctoken"); err != nil || *again.PaymentProcessorRef != "pi_2" {
				t.Errorf("retry: %+v %v", again, err)
			}
		}
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Moved: 1}) {
			t.Fatalf("sweep: %+v", r)
		}
		if st := f.status(t, c); st != paylink.CheckoutConfirmed {
			t.Fatalf("status: %s", st)
		}
		if r, _ := f.held(t); r != 1 {
			t.Fatalf("the retry's redemption: %d", r)
		}
		if _, _, failed := f.counts(t, c.ID); failed != 1 {
			t.Fatalf("failed payments: %d, want 1 (the webhook's)", failed)
		}
	})
}

// Without a recorded reference (the process stopped between the charge and its
// answer) the sweep asks the processor to find the checkout's payment; a
// processor that can look payments up but not find them leaves the session to
// an operator.
func TestSettleSweepFindsALostPayment(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		p := &finderProcessor{settleProcessor: newSettleProcessor(), found: map[string][]string{}}
		p.crash = true
		f.svc.Processor = p
		var cs []*paylink.Checkout
		for range 5 {
			cs = append(cs, f.confirmCrashing(t, f.open(t, "discount_code=TEN"), buyer, "ctoken"))
		}
		p.crash = false
		// pi_1 succeeded; pi_2 waits for 3-D Secure; pi_3 failed; the fourth charge
		// never reached the processor; the fifth found only an attempt recorded before.
		p.set("pi_1", "succeeded")
		p.set("pi_3", "failed")
		p.found[cs[0].ID], p.found[cs[1].ID], p.found[cs[2].ID] = []string{"pi_1"}, []string{"pi_2"}, []string{"pi_3"}
		p.set("pi_old", "failed")
		p.found[cs[4].ID] = []string{"pi_old"}
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			return tx.PaymentRecord(ctx, &store.Payment{OrganizationID: f.org.ID, CheckoutID: &cs[4].ID, Processor: "stripe",
				ProcessorRef: "pi_old", Amount: 2000, Currency: "usd", Status: "failed"})
		}); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Succeeded: 1, Released: 4}) {
			t.Fatalf("sweep: %+v", r)
		}
		for i, want := range []struct {
			status               string
			orders, paid, failed int
		}{{paylink.CheckoutSucceeded, 1, 1, 0}, {paylink.CheckoutOpen, 0, 0, 1}, {paylink.CheckoutOpen, 0, 0, 1},
			{paylink.CheckoutOpen, 0, 0, 0}, {paylink.CheckoutOpen, 0, 0, 1}} {
			_, paid, failed := f.counts(t, cs[i].ID)
			var orders int
			s.Read(ctx, func(tx *store.Tx) error {
				_, orders, _ = tx.OrderList(ctx, store.OrderListParams{OrganizationID: f.org.ID, CheckoutIDs: []string{cs[i].ID}})
				return nil
			})
			if st := f.status(t, cs[i]); st != want.status || orders != want.orders || paid != want.paid || failed != want.failed {
				t.Errorf("session %d: %s, orders %d paid %d failed %d; want %+v", i, st, orders, paid, failed, want)
			}
		}
		if p.cancels["pi_2"] != 1 {
			t.Fatalf("the waiting payment was not canceled: %v", p.cancels)
		}
		if r, _ := f.held(t); r != 1 {
			t.Fatalf("redemptions: %d, want 1 (the purchase)", r)
		}

		// Lookup without a finder: nothing can be learned, the session waits.
		q := newSettleProcessor()
		q.crash = true
		f.svc.Processor = q
		c := f.confirmCrashing(t, f.open(t, ""), buyer, "ctoken")
		q.crash = false
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		if r := f.sweep(t); r != (checkout.SweepResult{Waiting: 1}) {
			t.Fatalf("sweep without a finder: %+v", r)
		}
		if st := f.status(t, c); st != paylink.CheckoutConfirmed {
			t.Fatalf("status: %s", st)
		}
	})
}

// Concurrent sweeps, and webhooks racing them, settle each session once: one
// order per successful payment, each payment asked about once.
func TestSettleSweepConcurrentRuns(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		p := newSettleProcessor()
		f.svc.Processor = p
		const n = 8
		var ids []string
		for i := range n {
			c, err := f.svc.Confirm(ctx, f.open(t, "").ClientSecret, buyer, "ctoken")
			if err != nil {
				t.Fatalf("confirm %d: %v", i, err)
			}
			ids = append(ids, c.ID)
			if i%2 == 0 {
				p.set(*c.PaymentProcessorRef, "succeeded")
			} else {
				p.set(*c.PaymentProcessorRef, "failed")
			}
		}
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var total checkout.SweepResult
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := f.svc.SweepUnsettled(ctx, checkout.SettleGrace)
				if err != nil {
					t.Errorf("sweep: %v", err)
				}
				mu.Lock()
				total.Succeeded += r.Succeeded
				total.Released += r.Released
				total.Waiting += r.Waiting
				total.Moved += r.Moved
				mu.Unlock()
			}()
		}
		// The webhooks of the successful payments arrive meanwhile.
		for i := 0; i < n; i += 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.svc.Succeed(ctx, f.org.ID, ids[i], &payment.Result{Ref: fmt.Sprintf("pi_%d", i+1), Succeeded: true}) //nolint:errcheck // may lose the race for the row
			}()
		}
		wg.Wait()
		if got := total.Succeeded + total.Released + total.Waiting + total.Moved; got > n {
			t.Fatalf("sessions taken %d times in all, more than the %d there are: %+v", got, n, total)
		}
		for ref, k := range p.lookups {
			if k != 1 {
				t.Errorf("%s asked about %d times", ref, k)
			}
		}
		// A session a webhook held at the very moment is settled by the next sweep.
		f.now = f.now.Add(checkout.SettleGrace + time.Minute)
		f.sweep(t)
		for i, id := range ids {
			orders, paid, failed := f.counts(t, id)
			want := [3]int{1, 1, 0}
			if i%2 == 1 {
				want = [3]int{0, 0, 1}
			}
			var mine int
			s.Read(ctx, func(tx *store.Tx) error {
				_, mine, _ = tx.OrderList(ctx, store.OrderListParams{OrganizationID: f.org.ID, CheckoutIDs: []string{id}})
				return nil
			})
			if got := [3]int{mine, paid, failed}; got != want {
				t.Errorf("session %d: orders, paid, failed = %v, want %v (all orders %d)", i, got, want, orders)
			}
		}
	})
}
