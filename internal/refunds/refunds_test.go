package refunds_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/refunds"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// counting is the real sandbox with a count of the refunds it was asked for;
// fail makes it fail as a processor that cannot be reached.
type counting struct {
	*payment.Sandbox
	refunds atomic.Int64
	fail    atomic.Bool
}

func (c *counting) Refund(ctx context.Context, r payment.Refund) (*payment.RefundResult, error) {
	c.refunds.Add(1)
	if c.fail.Load() {
		return nil, errors.New("connection refused")
	}
	return c.Sandbox.Refund(ctx, r)
}

func newService(s *store.Store, p payment.Processor) *refunds.Service {
	return &refunds.Service{Store: s, Processor: p, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// paidOrder makes an order of total paid through the sandbox; subscription
// makes it a subscription's order.
func paidOrder(t *testing.T, s *store.Store, org *paylink.Organization, total int64, subscription bool) *paylink.Order {
	t.Helper()
	res, err := payment.NewSandbox().Charge(context.Background(), payment.Charge{Amount: total, Currency: "usd", Token: "tok_visa"})
	if err != nil || !res.Succeeded {
		t.Fatal(res, err)
	}
	return paidOrderVia(t, s, org, total, subscription, "sandbox", res.Ref)
}

// paidOrderVia is paidOrder with a payment processor and reference of its own.
func paidOrderVia(t *testing.T, s *store.Store, org *paylink.Organization, total int64, subscription bool, processor, ref string) *paylink.Order {
	t.Helper()
	ctx := context.Background()
	var o *paylink.Order
	err := s.InTx(ctx, func(tx *store.Tx) error {
		p := &paylink.Product{OrganizationID: org.ID, Name: "Kit", Metadata: paylink.Metadata{},
			Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: total}}}
		if err := tx.ProductCreate(ctx, p); err != nil {
			return err
		}
		c, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "buyer@example.com"})
		if err != nil {
			return err
		}
		o = &paylink.Order{OrganizationID: org.ID, Status: paylink.OrderPaid, BillingReason: paylink.BillingPurchase,
			CustomerID: c.ID, ProductID: p.ID, PriceID: p.Prices[0].ID, Amount: total, NetAmount: total,
			TotalAmount: total, Currency: "usd"}
		if subscription {
			now := paylink.Now()
			sub := &paylink.Subscription{OrganizationID: org.ID, Status: paylink.SubscriptionActive, CustomerID: c.ID,
				ProductID: p.ID, PriceID: p.Prices[0].ID, Amount: total, Currency: "usd", RecurringInterval: "month",
				IntervalCount: 1, CurrentPeriodStart: now, CurrentPeriodEnd: now.AddDate(0, 1, 0), StartedAt: now}
			if err := tx.SubscriptionCreate(ctx, sub); err != nil {
				return err
			}
			o.SubscriptionID, o.BillingReason = &sub.ID, paylink.BillingSubscriptionCreate
		}
		if err := tx.OrderCreate(ctx, o); err != nil {
			return err
		}
		return tx.PaymentRecord(ctx, &store.Payment{OrganizationID: org.ID, OrderID: &o.ID, Processor: processor,
			ProcessorRef: ref, Amount: total, Currency: "usd", Status: "succeeded"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func order(t *testing.T, s *store.Store, o *paylink.Order) *paylink.Order {
	t.Helper()
	var got *paylink.Order
	if err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
		got, err = tx.OrderGet(context.Background(), o.OrganizationID, o.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// eventCount counts the organization's events of a type.
func eventCount(t *testing.T, s *store.Store, orgID, typ string) int {
	t.Helper()
	var n int
	if err := s.Read(context.Background(), func(tx *store.Tx) error {
		es, err := tx.EventList(context.Background(), orgID, typ)
		n = len(es)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldLoc is the location of an EInvalid error's first field, "" otherwise.
func fieldLoc(err error) string {
	var e *paylink.Error
	if !errors.As(err, &e) || e.Code != paylink.EInvalid || len(e.Fields) == 0 {
		return ""
	}
	loc := ""
	for _, l := range e.Fields[0].Loc {
		if s, ok := l.(string); ok {
			loc += "/" + s
		}
	}
	return loc
}

// Twenty refunds of 30 % each race on one order from two processes (two
// pools): three fit, the seventeen others are refused at body.amount before
// the processor is asked, and the order shows exactly what was given back.
func TestConcurrentRefundsNeverExceedWhatWasPaid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		a, b := storetest.Open(t, u), storetest.Open(t, u)
		org := storetest.Org(t, a, "Refunds")
		o := paidOrder(t, a, org, 10000, false)
		proc := &counting{Sandbox: payment.NewSandbox()}
		services := []*refunds.Service{newService(a, proc), newService(b, proc)}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ok, refused int
		var other []error
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := services[i%2].Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "customer_request", Amount: 3000})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case fieldLoc(err) == "/body/amount":
					refused++
				default:
					other = append(other, err)
				}
			}()
		}
		wg.Wait()
		if ok != 3 || refused != 17 || len(other) > 0 {
			t.Fatalf("succeeded %d, refused %d, other errors %v; want 3, 17, none", ok, refused, other)
		}
		if n := proc.refunds.Load(); n != 3 {
			t.Fatalf("the processor was asked %d times, want 3", n)
		}
		got := order(t, a, o)
		if got.RefundedAmount != 9000 || got.RefundHeldAmount != 0 || got.Status != paylink.OrderPartiallyRefunded {
			t.Fatalf("order after the race: refunded %d held %d status %s", got.RefundedAmount, got.RefundHeldAmount, got.Status)
		}
		if c, r := eventCount(t, a, org.ID, "refund.created"), eventCount(t, a, org.ID, "order.refunded"); c != 3 || r != 3 {
			t.Fatalf("events: refund.created %d, order.refunded %d; want 3 each", c, r)
		}
	})
}

// Refunding the rest makes the order refunded; one more is RefundedAlready.
func TestFullRefundAndRefundedAlready(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Refunds")
		o := paidOrder(t, s, org, 2500, false)
		svc := newService(s, payment.NewSandbox())
		comment := "broken on arrival"
		r, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "duplicate", Amount: 1000,
			Comment: &comment, RevokeBenefits: true, Metadata: map[string]any{"ticket": "T-1"}})
		if err != nil || r.Status != paylink.RefundSucceeded || r.ProcessorRef == nil || !r.RevokeBenefits ||
			r.Metadata["ticket"] != "T-1" || *r.Comment != comment {
			t.Fatalf("partial refund: %+v %v", r, err)
		}
		if got := order(t, s, o); got.Status != paylink.OrderPartiallyRefunded || got.RefundedAmount != 1000 {
			t.Fatalf("after the partial refund: %s %d", got.Status, got.RefundedAmount)
		}
		_, err = svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 1501})
		if fieldLoc(err) != "/body/amount" {
			t.Fatalf("more than is left: %v", err)
		}
		if _, err = svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 1500}); err != nil {
			t.Fatal(err)
		}
		if got := order(t, s, o); got.Status != paylink.OrderRefunded || got.RefundedAmount != 2500 {
			t.Fatalf("after the full refund: %s %d", got.Status, got.RefundedAmount)
		}
		_, err = svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 1})
		var e *paylink.Error
		if !errors.As(err, &e) || e.Name != "RefundedAlready" || e.Code != paylink.EForbidden {
			t.Fatalf("a refund of a refunded order: %v", err)
		}
		if n := eventCount(t, s, org.ID, "order.updated"); n != 2 {
			t.Fatalf("order.updated events: %d, want 2", n)
		}
	})
}

// The request's own mistakes are 422s at their fields; another organization's
// order is not found; revoke_benefits on a subscription's order is refused.
func TestRefundRequestErrors(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org, other := storetest.Org(t, s, "Refunds"), storetest.Org(t, s, "Others!")
		o := paidOrder(t, s, org, 2500, false)
		subOrder := paidOrder(t, s, org, 900, true)
		proc := &counting{Sandbox: payment.NewSandbox()}
		svc := newService(s, proc)
		for _, tc := range []struct {
			name  string
			orgID string
			in    paylink.RefundInput
			loc   string
		}{
			{"zero amount", org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 0}, "/body/amount"},
			{"unknown reason", org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "dispute_prevention", Amount: 1}, "/body/reason"},
			{"bad order id", org.ID, paylink.RefundInput{OrderID: "nope", Reason: "other", Amount: 1}, "/body/order_id"},
			{"another organization's order", other.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 1}, "/body/order_id"},
		} {
			if _, err := svc.Create(ctx, tc.orgID, tc.in); fieldLoc(err) != tc.loc {
				t.Errorf("%s: %v, want a 422 at %s", tc.name, err, tc.loc)
			}
		}
		_, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: subOrder.ID, Reason: "other", Amount: 100, RevokeBenefits: true})
		var e *paylink.Error
		if !errors.As(err, &e) || e.Name != "RevokeSubscriptionBenefitsProhibited" || e.Code != paylink.EBadRequest {
			t.Fatalf("revoke_benefits on a subscription's order: %v", err)
		}
		if n := proc.refunds.Load(); n != 0 {
			t.Fatalf("the processor was asked %d times for refused requests", n)
		}
	})
}

// A processor that cannot be reached leaves the outcome unknown: the refund
// stays pending and holds its amount, so a second refund cannot take the same
// money; Retry asks again with the same idempotency key once the processor
// answers, and the refund is settled exactly once.
func TestUnreachableProcessorLeavesTheRefundPendingUntilItAnswers(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Refunds")
		o := paidOrder(t, s, org, 2500, false)
		proc := &counting{Sandbox: payment.NewSandbox()}
		proc.fail.Store(true)
		now := time.Now().UTC()
		svc := newService(s, proc)
		svc.Now = func() time.Time { return now }
		r, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 2500})
		if err != nil || r.Status != paylink.RefundPending {
			t.Fatalf("refund through an unreachable processor: %+v %v, want it pending", r, err)
		}
		if got := order(t, s, o); got.Status != paylink.OrderPaid || got.RefundedAmount != 0 || got.RefundHeldAmount != 2500 {
			t.Fatalf("order while the outcome is unknown: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeldAmount)
		}
		if _, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 100}); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("a second refund of the held money: %v, want a 422", err)
		}
		if n := eventCount(t, s, org.ID, ""); n != 0 {
			t.Fatalf("%d events before the processor answered", n)
		}
		if n, err := svc.Retry(ctx); err != nil || n != 0 {
			t.Fatalf("retry before RetryAfter: %d %v", n, err)
		}
		now = now.Add(refunds.RetryAfter + time.Second)
		if n, err := svc.Retry(ctx); err != nil || n != 0 {
			t.Fatalf("retry while the processor is still down: %d %v", n, err)
		}
		proc.fail.Store(false)
		if n, err := svc.Retry(ctx); err != nil || n != 1 {
			t.Fatalf("retry once the processor is back: %d %v", n, err)
		}
		if n, err := svc.Retry(ctx); err != nil || n != 0 {
			t.Fatalf("a settled refund is asked again: %d %v", n, err)
		}
		if got := order(t, s, o); got.Status != paylink.OrderRefunded || got.RefundedAmount != 2500 || got.RefundHeldAmount != 0 {
			t.Fatalf("after the retry: %s refunded %d held %d", got.Status, got.RefundedAmount, got.RefundHeldAmount)
		}
		if c, r := eventCount(t, s, org.ID, "refund.created"), eventCount(t, s, org.ID, "order.refunded"); c != 1 || r != 1 {
			t.Fatalf("events: refund.created %d, order.refunded %d", c, r)
		}
	})
}

// eventFirst is the sandbox whose refund event reaches paylink before the
// answer to the refund request does: it settles the refund as succeeded, then
// answers pending, as Stripe may.
type eventFirst struct {
	*payment.Sandbox
	svc *refunds.Service
}

func (p *eventFirst) Refund(ctx context.Context, r payment.Refund) (*payment.RefundResult, error) {
	res, err := p.Sandbox.Refund(ctx, r)
	if err != nil {
		return nil, err
	}
	if _, err := p.svc.Settle(ctx, r.OrganizationID, r.RefundID, res); err != nil {
		return nil, err
	}
	return &payment.RefundResult{Ref: res.Ref, Status: paylink.RefundPending}, nil
}

// Neither Create's late answer nor a stale pending event undoes what a
// processor event settled.
func TestAnswersOutOfOrderDoNotUndoASettledRefund(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Refunds")
		o := paidOrder(t, s, org, 2500, false)
		svc := newService(s, nil)
		svc.Processor = &eventFirst{Sandbox: payment.NewSandbox(), svc: svc}
		r, err := svc.Create(ctx, org.ID, paylink.RefundInput{OrderID: o.ID, Reason: "other", Amount: 1000})
		if err != nil || r.Status != paylink.RefundSucceeded {
			t.Fatalf("create: %+v %v", r, err)
		}
		if _, err := svc.Settle(ctx, org.ID, r.ID, &payment.RefundResult{Ref: *r.ProcessorRef, Status: paylink.RefundPending}); err != nil {
			t.Fatal(err)
		}
		got := order(t, s, o)
		if got.RefundedAmount != 1000 || got.RefundHeldAmount != 0 || got.Status != paylink.OrderPartiallyRefunded {
			t.Fatalf("order: refunded %d held %d %s", got.RefundedAmount, got.RefundHeldAmount, got.Status)
		}
		if c, u := eventCount(t, s, org.ID, "refund.created"), eventCount(t, s, org.ID, "refund.updated"); c != 1 || u != 0 {
			t.Fatalf("events: refund.created %d, refund.updated %d", c, u)
		}
	})
}

// A refund request with an id of the caller's (the dashboard's confirmation
// step) is made once however often it is sent, at once or later.
func TestRefundWithTheCallersIDIsMadeOnce(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Refunds")
		o := paidOrder(t, s, org, 2500, false)
		proc := &counting{Sandbox: payment.NewSandbox()}
		svc := newService(s, proc)
		in := paylink.RefundInput{ID: paylink.NewID(), OrderID: o.ID, Reason: "other", Amount: 500}
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				if r, err := svc.Create(ctx, org.ID, in); err != nil || r.ID != in.ID {
					t.Errorf("create: %v %v", r, err)
				}
			})
		}
		wg.Wait()
		if _, err := svc.Create(ctx, org.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := order(t, s, o); got.RefundedAmount != 500 || proc.refunds.Load() != 1 {
			t.Fatalf("refunded %d, processor asked %d times; want 500 once", got.RefundedAmount, proc.refunds.Load())
		}
	})
}
