package payment_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/checkout"
	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// stripeList is Stripe's list envelope around objects.
func stripeList(path string, objs ...map[string]any) string {
	if objs == nil {
		objs = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"object": "list", "url": path, "has_more": false, "data": objs})
	return string(b)
}

func intent(id, status, orgID, checkoutID string) map[string]any {
	return map[string]any{"id": id, "object": "payment_intent", "status": status, "amount": 2000, "currency": "usd",
		"client_secret": id + "_secret_x", "metadata": map[string]any{"organization_id": orgID, "checkout_id": checkoutID}}
}

// FindCheckoutPayments lists the intents of the organization's customers with
// the buyer's email and keeps the checkout's (stripe-mock checks the requests).
func TestStripeFindCheckoutPayments(t *testing.T) {
	p := newStripeProxy(t)
	s := newTestStripe(t, p)
	ctx := context.Background()
	since := time.Unix(1_760_000_000, 0)
	p.answer("GET /v1/customers", func(url.Values) (int, string) {
		return 200, stripeList("/v1/customers",
			map[string]any{"id": "cus_mine", "object": "customer", "metadata": map[string]any{"organization_id": "org_1"}},
			map[string]any{"id": "cus_theirs", "object": "customer", "metadata": map[string]any{"organization_id": "org_2"}})
	})
	// stripe-mock's own intents carry no paylink metadata: nothing is found.
	res, err := s.FindCheckoutPayments(ctx, "org_1", "co_1", "ann@example.com", since)
	if err != nil || len(res) != 0 {
		t.Fatalf("against stripe-mock: %+v %v", res, err)
	}
	lists := p.requests("GET /v1/payment_intents")
	if len(lists) != 1 || lists[0].Form.Get("customer") != "cus_mine" || lists[0].Form.Get("created[gte]") != "1760000000" {
		t.Fatalf("list requests: %+v", lists)
	}
	if c := p.requests("GET /v1/customers"); len(c) != 1 || c[0].Form.Get("email") != "ann@example.com" {
		t.Fatalf("customer requests: %+v", c)
	}
	p.answer("GET /v1/payment_intents", func(url.Values) (int, string) {
		return 200, stripeList("/v1/payment_intents", intent("pi_a", "succeeded", "org_1", "co_1"),
			intent("pi_b", "succeeded", "org_1", "co_2"), intent("pi_c", "requires_action", "org_1", "co_1"),
			intent("pi_d", "requires_confirmation", "org_1", "co_1"), intent("pi_e", "canceled", "org_1", "co_1"),
			intent("pi_f", "succeeded", "org_2", "co_1"))
	})
	res, err = s.FindCheckoutPayments(ctx, "org_1", "co_1", "ann@example.com", since)
	if err != nil || len(res) != 4 {
		t.Fatalf("found: %+v %v", res, err)
	}
	if !res[0].Succeeded || res[0].Ref != "pi_a" || !res[1].RequiresAction || res[1].Ref != "pi_c" ||
		!res[2].RequiresAction || res[2].Ref != "pi_d" || res[3].Succeeded || res[3].DeclineCode == "" {
		t.Fatalf("found: %+v %+v %+v %+v", res[0], res[1], res[2], res[3])
	}
	if res, err := s.FindCheckoutPayments(ctx, "org_1", "co_1", "", since); err != nil || res != nil {
		t.Fatalf("without an email: %+v %v", res, err)
	}
}

// crashAfterCharge is Stripe in a process that stops right after the charge,
// before its answer is recorded.
type crashAfterCharge struct{ *payment.Stripe }

func (c crashAfterCharge) Charge(ctx context.Context, ch payment.Charge) (*payment.Result, error) {
	c.Stripe.Charge(ctx, ch) //nolint:errcheck
	panic("crash after the charge")
}

// The settle sweep with the Stripe processor against stripe-mock: an abandoned
// 3-D Secure is canceled and released, a success whose webhook never came is
// completed, and a session whose charge's answer was lost is found by checkout.
func TestStripeSettleSweep(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		p := newStripeProxy(t)
		stripe := newTestStripe(t, p)
		var mu sync.Mutex
		now := paylink.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func() { mu.Lock(); now = now.Add(checkout.SettleGrace + time.Minute); mu.Unlock() }
		svc := &checkout.Service{Store: st, Processor: stripe, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now: clock, TTL: 24 * time.Hour}
		org := storetest.Org(t, st, "Stripe settle")
		product := &paylink.Product{OrganizationID: org.ID, Name: "Kit", Metadata: paylink.Metadata{},
			Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 2000}}}
		if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.ProductCreate(ctx, product) }); err != nil {
			t.Fatal(err)
		}
		email, country := "ann@example.com", "US"
		open := func() *paylink.Checkout {
			t.Helper()
			c, err := svc.Create(ctx, org.ID, checkout.CreateInput{ProductIDs: []string{product.ID}, CustomerEmail: &email,
				BillingCountry: &country})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		status := func(c *paylink.Checkout) (string, int) {
			t.Helper()
			var got *paylink.Checkout
			var orders int
			st.Read(ctx, func(tx *store.Tx) error {
				got, _ = tx.CheckoutGet(ctx, org.ID, c.ID)
				_, orders, _ = tx.OrderList(ctx, store.OrderListParams{OrganizationID: org.ID, CheckoutIDs: []string{c.ID}})
				return nil
			})
			return got.Status, orders
		}
		sweep := func(want checkout.SweepResult) {
			t.Helper()
			if r, err := svc.SweepUnsettled(ctx, checkout.SettleGrace); err != nil || r != want {
				t.Fatalf("sweep: %+v %v, want %+v", r, err, want)
			}
		}

		// Abandoned 3-D Secure: canceled at Stripe, then released.
		p.status("requires_action")
		a := open()
		c, err := svc.Confirm(ctx, a.ClientSecret, checkout.Changes{}, "ctoken_a")
		if err != nil || c.Status != paylink.CheckoutConfirmed || c.PaymentProcessorRef == nil {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		ref := *c.PaymentProcessorRef
		p.answer("POST /v1/payment_intents/"+ref+"/cancel", func(url.Values) (int, string) {
			b, _ := json.Marshal(intent(ref, "canceled", org.ID, a.ID))
			return 200, string(b)
		})
		sweep(checkout.SweepResult{}) // within the grace period
		advance()
		sweep(checkout.SweepResult{Released: 1})
		if s, orders := status(a); s != paylink.CheckoutOpen || orders != 0 {
			t.Fatalf("abandoned: %s, %d orders", s, orders)
		}
		if n := len(p.requests("GET /v1/payment_intents/" + ref)); n != 1 {
			t.Fatalf("lookups: %d", n)
		}
		if n := len(p.requests("POST /v1/payment_intents/" + ref + "/cancel")); n != 1 {
			t.Fatalf("cancels: %d", n)
		}

		// Succeeded, but the webhook never came: one order.
		b := open()
		if c, err = svc.Confirm(ctx, b.ClientSecret, checkout.Changes{}, "ctoken_b"); err != nil || c.Status != paylink.CheckoutConfirmed {
			t.Fatalf("confirm: %+v %v", c, err)
		}
		p.status("succeeded")
		advance()
		sweep(checkout.SweepResult{Succeeded: 1})
		if s, orders := status(b); s != paylink.CheckoutSucceeded || orders != 1 {
			t.Fatalf("succeeded: %s, %d orders", s, orders)
		}
		sweep(checkout.SweepResult{})

		// The process stopped between the charge and its answer: the sweep finds the
		// intent through the customer's intents.
		p.status("requires_action")
		p.answer("GET /v1/customers", func(url.Values) (int, string) {
			return 200, stripeList("/v1/customers",
				map[string]any{"id": "cus_ann", "object": "customer", "metadata": map[string]any{"organization_id": org.ID}})
		})
		lost, gone := open(), open()
		svc.Processor = crashAfterCharge{stripe}
		for _, c := range []*paylink.Checkout{lost, gone} {
			func() {
				defer func() { recover() }()                                     //nolint:errcheck
				svc.Confirm(ctx, c.ClientSecret, checkout.Changes{}, "ctoken_c") //nolint:errcheck
			}()
			if s, _ := status(c); s != paylink.CheckoutConfirmed {
				t.Fatalf("after the crash: %s", s)
			}
		}
		svc.Processor = stripe
		p.answer("GET /v1/payment_intents", func(form url.Values) (int, string) {
			if form.Get("customer") != "cus_ann" {
				t.Errorf("listed the intents of %q", form.Get("customer"))
			}
			return 200, stripeList("/v1/payment_intents", intent("pi_lost", "succeeded", org.ID, lost.ID),
				intent("pi_other", "succeeded", org.ID, paylink.NewID()))
		})
		advance()
		sweep(checkout.SweepResult{Succeeded: 1, Released: 1})
		if s, orders := status(lost); s != paylink.CheckoutSucceeded || orders != 1 {
			t.Fatalf("lost answer: %s, %d orders", s, orders)
		}
		if s, orders := status(gone); s != paylink.CheckoutOpen || orders != 0 {
			t.Fatalf("no intent found: %s, %d orders", s, orders)
		}
	})
}
