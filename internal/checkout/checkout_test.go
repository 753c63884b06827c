package checkout_test

import (
	"context"
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

func ptr[T any](v T) *T { return &v }

// fixture is an organization with a one-time product, a monthly product, a PWYW
// product, a discount and a link offering them.
type fixture struct {
	s                *store.Store
	svc              *checkout.Service
	org              *paylink.Organization
	oneTime, monthly *paylink.Product
	pwyw             *paylink.Product
	discount         *paylink.Discount
	link             *paylink.CheckoutLink
	field            *paylink.CustomField
	now              time.Time
}

func setup(t *testing.T, s *store.Store, linkMutate func(*paylink.CheckoutLink), discountMutate func(*paylink.Discount)) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{s: s, now: paylink.Now()}
	f.svc = &checkout.Service{Store: s, Processor: payment.NewSandbox(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return f.now }, TTL: time.Hour}
	f.org = storetest.Org(t, s, "Flows")
	month := paylink.IntervalMonth
	err := s.InTx(ctx, func(tx *store.Tx) error {
		f.field = &paylink.CustomField{OrganizationID: f.org.ID, Type: paylink.FieldText, Slug: "company", Name: "Company"}
		if err := tx.CustomFieldCreate(ctx, f.field); err != nil {
			return err
		}
		f.oneTime = &paylink.Product{OrganizationID: f.org.ID, Name: "Kit", Metadata: paylink.Metadata{},
			Prices:       []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 2000}},
			CustomFields: []paylink.ProductCustomField{{CustomFieldID: f.field.ID, Required: true, CustomField: f.field}}}
		f.monthly = &paylink.Product{OrganizationID: f.org.ID, Name: "Plan", Metadata: paylink.Metadata{}, RecurringInterval: &month,
			RecurringIntervalCount: ptr(1), Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900}}}
		f.pwyw = &paylink.Product{OrganizationID: f.org.ID, Name: "Tip", Metadata: paylink.Metadata{},
			Prices: []*paylink.Price{{AmountType: paylink.PriceCustom, Currency: "usd", MinimumAmount: 100, MaximumAmount: ptr(int64(10000))}}}
		for _, p := range []*paylink.Product{f.oneTime, f.monthly, f.pwyw} {
			if err := tx.ProductCreate(ctx, p); err != nil {
				return err
			}
		}
		f.discount = &paylink.Discount{OrganizationID: f.org.ID, Name: "Ten", Type: paylink.DiscountPercentage, BasisPoints: 1000,
			Duration: paylink.DurationOnce, Code: ptr("TEN"), Metadata: paylink.Metadata{}}
		if discountMutate != nil {
			discountMutate(f.discount)
		}
		if err := tx.DiscountCreate(ctx, f.discount); err != nil {
			return err
		}
		f.link = &paylink.CheckoutLink{OrganizationID: f.org.ID, ProductIDs: []string{f.oneTime.ID, f.monthly.ID, f.pwyw.ID},
			AllowDiscountCodes: true, Active: true, Metadata: paylink.Metadata{"campaign": "link", "utm_source": "link-wins"}}
		if linkMutate != nil {
			linkMutate(f.link)
		}
		return tx.CheckoutLinkCreate(ctx, f.link)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) open(t *testing.T, query string) *paylink.Checkout {
	t.Helper()
	q, _ := url.ParseQuery(query)
	v, err := f.svc.Open(context.Background(), f.link.ClientSecret, q, query)
	if err != nil {
		t.Fatalf("open %q: %v", query, err)
	}
	return v.Checkout
}

func (f *fixture) counts(t *testing.T, checkoutID string) (orders, paid, failed int) {
	t.Helper()
	f.s.Read(context.Background(), func(tx *store.Tx) error {
		_, orders, _ = tx.OrderList(context.Background(), store.OrderListParams{OrganizationID: f.org.ID})
		ps, err := tx.PaymentsByCheckout(context.Background(), checkoutID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Status == "succeeded" {
				paid++
			} else {
				failed++
			}
		}
		return nil
	})
	return
}

var buyer = checkout.Changes{CustomerEmail: ptr("buyer@example.com"), BillingCountry: ptr("DE"),
	CustomFieldData: map[string]any{"company": "Acme"}}

func TestPurchaseThroughLink(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		// An endpoint subscribed to checkout.created: a visit records that event
		// only when some endpoint of the organization wants it.
		hook := &store.WebhookEndpoint{OrganizationID: f.org.ID, URL: "https://hooks.example.com/paylink",
			Secret: paylink.NewSecret(paylink.PrefixWebhookSecret), Format: "raw", Events: []string{"checkout.created"}, Enabled: true}
		if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.WebhookEndpointCreate(ctx, hook) }); err != nil {
			t.Fatal(err)
		}
		c := f.open(t, "product_id="+f.pwyw.ID+"&amount=2500&utm_source=newsletter&utm_campaign=spring&reference_id=r-1&customer_email=buyer@example.com&discount_code=ten&theme=dark")
		if c.Amount != 2500 || c.DiscountAmount != 250 || c.TotalAmount != 2250 || c.Metadata["utm_campaign"] != "spring" ||
			c.Metadata["utm_source"] != "link-wins" || c.Metadata["reference_id"] != "r-1" || *c.CheckoutLinkID != f.link.ID {
			t.Fatalf("opened: %+v", c)
		}
		// Switch to the one-time product: the amount follows, the discount is re-checked and kept.
		c, err := f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{ProductID: &f.oneTime.ID})
		if err != nil {
			t.Fatal(err)
		}
		if c.ProductID != f.oneTime.ID || c.Amount != 2000 || c.DiscountAmount != 200 || c.TotalAmount != 1800 {
			t.Fatalf("after switch: %+v", c)
		}
		// The required custom field is enforced at confirm.
		_, err = f.svc.Confirm(ctx, c.ClientSecret, checkout.Changes{BillingCountry: ptr("DE")}, "tok_visa")
		if !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("confirm without the required field: %v", err)
		}
		c, err = f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != paylink.CheckoutSucceeded || c.CustomerID == nil {
			t.Fatalf("confirmed: %+v", c)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			o, err := tx.OrderByCheckout(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.TotalAmount != 1800 || o.Metadata["campaign"] != "link" || o.Metadata["utm_campaign"] != "spring" ||
				o.CustomFieldData["company"] != "Acme" || *o.CheckoutLinkID != f.link.ID || o.BillingReason != paylink.BillingPurchase {
				t.Fatalf("order: %+v", o)
			}
			d, _ := tx.DiscountGet(ctx, f.org.ID, f.discount.ID)
			if d.RedemptionsCount != 1 {
				t.Fatalf("redemptions %d, want 1", d.RedemptionsCount)
			}
			types := map[string]int{}
			evs, _ := tx.EventList(ctx, f.org.ID, "")
			for _, e := range evs {
				types[e.Type]++
			}
			for _, want := range []string{"checkout.created", "checkout.updated", "customer.created", "order.created", "order.paid"} {
				if types[want] == 0 {
					t.Errorf("no %s event; got %v", want, types)
				}
			}
			return nil
		})
	})
}

func TestRecurringPurchaseCreatesSubscription(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c := f.open(t, "product_id="+f.monthly.ID+"&utm_medium=social")
		c, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil {
			t.Fatal(err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			subs, n, _ := tx.SubscriptionList(ctx, store.SubscriptionListParams{OrganizationID: f.org.ID})
			if n != 1 || subs[0].Metadata["utm_medium"] != "social" || subs[0].Metadata["campaign"] != "link" ||
				subs[0].Amount != 900 || subs[0].Status != paylink.SubscriptionActive ||
				!subs[0].CurrentPeriodEnd.Equal(paylink.PeriodEnd(f.now, "month", 1)) || subs[0].PaymentMethodRef == nil {
				t.Fatalf("subscription: %+v", subs)
			}
			o, _ := tx.OrderByCheckout(ctx, c.ID)
			if o.BillingReason != paylink.BillingSubscriptionCreate || *o.SubscriptionID != subs[0].ID {
				t.Fatalf("order: %+v", o)
			}
			return nil
		})
	})
}

func TestConcurrentConfirmsChargeOnce(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s, nil, nil)
		c := f.open(t, "")
		var wg sync.WaitGroup
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The one that confirms charges; the others wait for it and find
				// the session no longer open (403), never a 409 (PostgreSQL's NOWAIT
				// answered that to 187 of 200 duplicate confirms).
				_, err := f.svc.Confirm(context.Background(), c.ClientSecret, buyer, "tok_visa")
				if err != nil && err != paylink.ErrCheckoutNotOpen {
					t.Errorf("confirm: %v", err)
				}
			}()
		}
		wg.Wait()
		orders, paid, failed := f.counts(t, c.ID)
		if orders != 1 || paid != 1 || failed != 0 {
			t.Fatalf("orders %d, charges %d, failed %d; want 1, 1, 0", orders, paid, failed)
		}
		// And once more after the fact: 403, as Polar answers, and still one order.
		if again, err := f.svc.Confirm(context.Background(), c.ClientSecret, buyer, "tok_visa"); err != paylink.ErrCheckoutNotOpen {
			t.Fatalf("repeat confirm: %v %v, want ErrCheckoutNotOpen", again, err)
		}
		if orders, paid, _ := f.counts(t, c.ID); orders != 1 || paid != 1 {
			t.Fatalf("after repeat: orders %d charges %d", orders, paid)
		}
	})
}

// buyConcurrently opens n sessions and confirms them all at once; it returns how
// many succeeded and the errors of the others.
func buyConcurrently(t *testing.T, f *fixture, n int, query string) (int, []error) {
	sessions := make([]*paylink.Checkout, n)
	for i := range sessions {
		sessions[i] = f.open(t, query)
	}
	var (
		mu   sync.Mutex
		ok   int
		errs []error
		wg   sync.WaitGroup
	)
	for _, c := range sessions {
		wg.Add(1)
		go func(c *paylink.Checkout) {
			defer wg.Done()
			for {
				_, err := f.svc.Confirm(context.Background(), c.ClientSecret, buyer, "tok_visa")
				if paylink.IsCode(err, paylink.EConflict) {
					continue // PostgreSQL's NOWAIT lock told us to retry
				}
				mu.Lock()
				if err == nil {
					ok++
				} else {
					errs = append(errs, err)
				}
				mu.Unlock()
				return
			}
		}(c)
	}
	wg.Wait()
	return ok, errs
}

func TestDiscountCapHoldsUnderConcurrency(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s, nil, func(d *paylink.Discount) { d.MaxRedemptions = ptr(3) })
		ok, errs := buyConcurrently(t, f, 10, "discount_code=TEN")
		if ok != 3 || len(errs) != 7 {
			t.Fatalf("%d purchases succeeded with a cap of 3; errors: %v", ok, errs)
		}
		for _, err := range errs {
			if !paylink.IsCode(err, paylink.EInvalid) {
				t.Fatalf("want a clear 422 for the capped discount, got %v", err)
			}
		}
		s.Read(context.Background(), func(tx *store.Tx) error {
			d, _ := tx.DiscountGet(context.Background(), f.org.ID, f.discount.ID)
			_, orders, _ := tx.OrderList(context.Background(), store.OrderListParams{OrganizationID: f.org.ID})
			if d.RedemptionsCount != 3 || orders != 3 {
				t.Fatalf("redemptions %d, orders %d; want 3 and 3", d.RedemptionsCount, orders)
			}
			return nil
		})
	})
}

func TestLinkCompletionCapHoldsUnderConcurrency(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s, func(l *paylink.CheckoutLink) { l.MaxCompletions = ptr(2) }, nil)
		ok, errs := buyConcurrently(t, f, 8, "")
		if ok != 2 || len(errs) != 6 {
			t.Fatalf("%d purchases succeeded with max_completions 2; errors: %v", ok, errs)
		}
		for _, err := range errs {
			if !paylink.IsCode(err, paylink.EForbidden) {
				t.Fatalf("want 403 for a sold-out link, got %v", err)
			}
		}
		// The link now answers "sold out" to new visitors.
		if _, err := f.svc.Open(context.Background(), f.link.ClientSecret, nil, ""); err != checkout.ErrLinkSoldOut {
			t.Fatalf("visit of a capped link: %v", err)
		}
	})
}

func TestDeclinedCardLeavesSessionOpen(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, func(l *paylink.CheckoutLink) { l.MaxCompletions = ptr(1) }, func(d *paylink.Discount) { d.MaxRedemptions = ptr(1) })
		c := f.open(t, "discount_code=TEN")
		_, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_chargeDeclined")
		if !paylink.IsCode(err, paylink.EPaymentFailed) {
			t.Fatalf("declined: %v", err)
		}
		c, _ = f.svc.Get(ctx, c.ClientSecret)
		orders, paid, failed := f.counts(t, c.ID)
		if c.Status != paylink.CheckoutOpen || orders != 0 || paid != 0 || failed != 1 {
			t.Fatalf("after decline: status %s orders %d paid %d failed %d", c.Status, orders, paid, failed)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			d, _ := tx.DiscountGet(ctx, f.org.ID, f.discount.ID)
			l, _ := tx.CheckoutLinkGet(ctx, f.org.ID, f.link.ID)
			if d.RedemptionsCount != 0 || l.CompletionsCount != 0 {
				t.Fatalf("decline kept a redemption (%d) or completion (%d)", d.RedemptionsCount, l.CompletionsCount)
			}
			return nil
		})
		// The customer retries with a good card: the capped discount and link are still theirs.
		c, err = f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa")
		if err != nil || c.Status != paylink.CheckoutSucceeded || c.DiscountAmount != 200 {
			t.Fatalf("retry: %+v %v", c, err)
		}
	})
}

func TestExpiry(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		c := f.open(t, "utm_source=x")
		f.now = f.now.Add(59 * time.Minute)
		if n, err := f.svc.ExpireDue(ctx); err != nil || n != 0 {
			t.Fatalf("expired %d before the TTL: %v", n, err)
		}
		if _, err := f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{CustomerName: ptr("Ann")}); err != nil {
			t.Fatalf("update before expiry: %v", err)
		}
		f.now = f.now.Add(2 * time.Minute)
		// Past expires_at the session answers 410 even before the sweep runs.
		if _, err := f.svc.UpdateBySecret(ctx, c.ClientSecret, checkout.Changes{CustomerName: ptr("Bo")}); err != paylink.ErrCheckoutExpired {
			t.Fatalf("update after expiry: %v", err)
		}
		if n, err := f.svc.ExpireDue(ctx); err != nil || n != 1 {
			t.Fatalf("expired %d: %v", n, err)
		}
		got, _ := f.svc.Get(ctx, c.ClientSecret)
		if got.Status != paylink.CheckoutExpired || got.QueryString != "utm_source=x" {
			t.Fatalf("after sweep: %+v", got)
		}
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != paylink.ErrCheckoutExpired {
			t.Fatalf("confirm expired: %v", err)
		}
		s.Read(ctx, func(tx *store.Tx) error {
			if evs, _ := tx.EventList(ctx, f.org.ID, "checkout.expired"); len(evs) != 1 {
				t.Fatalf("checkout.expired events: %d", len(evs))
			}
			return nil
		})
	})
}
