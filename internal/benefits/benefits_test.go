package benefits_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/benefits"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// fixture is an organization with a product carrying a note and a license key
// benefit limited to 3 activations, and a paid order of it.
type fixture struct {
	s            *store.Store
	svc          *benefits.Service
	org          *paylink.Organization
	product      *paylink.Product
	note, keys   *paylink.Benefit
	order        *paylink.Order
	customerID   string
	organization string
}

func setup(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{s: s, svc: &benefits.Service{Store: s}, org: storetest.Org(t, s, "Benefits")}
	var err error
	if f.note, err = f.svc.Create(ctx, f.org.ID, paylink.BenefitParams{Type: "custom", Description: "Welcome note",
		Properties: json.RawMessage(`{"note":"**Thanks!**"}`)}); err != nil {
		t.Fatal(err)
	}
	if f.keys, err = f.svc.Create(ctx, f.org.ID, paylink.BenefitParams{Type: "license_keys", Description: "App key",
		Properties: json.RawMessage(`{"prefix":"app","activations":{"limit":3,"enable_customer_admin":true},"limit_usage":5}`)}); err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx *store.Tx) error {
		f.product = &paylink.Product{OrganizationID: f.org.ID, Name: "App", Metadata: paylink.Metadata{},
			Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 1000}}}
		if err := tx.ProductCreate(ctx, f.product); err != nil {
			return err
		}
		c, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: f.org.ID, Email: "ada@example.com",
			CreatedAt: paylink.Now()})
		if err != nil {
			return err
		}
		f.customerID = c.ID
		f.order = &paylink.Order{OrganizationID: f.org.ID, Status: "paid", BillingReason: paylink.BillingPurchase,
			CustomerID: c.ID, ProductID: f.product.ID, PriceID: f.product.Prices[0].ID, Amount: 1000, NetAmount: 1000,
			TotalAmount: 1000, Currency: "usd", Metadata: paylink.Metadata{}, CreatedAt: paylink.Now()}
		return tx.OrderCreate(ctx, f.order)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetProductBenefits(ctx, f.org.ID, f.product.ID, []string{f.note.ID, f.keys.ID}); err != nil {
		t.Fatal(err)
	}
	return f
}

// grant runs GrantForOrder in a transaction of its own.
func (f *fixture) grant(t *testing.T) {
	t.Helper()
	if err := f.s.InTx(context.Background(), func(tx *store.Tx) error {
		return benefits.GrantForOrder(context.Background(), tx, nil, f.order, nil)
	}); err != nil {
		t.Fatal(err)
	}
}

// key returns the order's license key.
func (f *fixture) key(t *testing.T) *paylink.LicenseKey {
	t.Helper()
	var ks []*paylink.LicenseKey
	if err := f.s.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		ks, _, err = tx.LicenseKeyList(context.Background(), store.LicenseKeyListParams{OrganizationID: f.org.ID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(ks) != 1 {
		t.Fatalf("%d license keys, want 1", len(ks))
	}
	return ks[0]
}

func TestGrantIsIdempotentAndRevocationEndsTheKey(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		f.grant(t)
		f.grant(t) // a retry finds the grants
		var grants []*paylink.BenefitGrant
		var events int
		if err := s.Read(ctx, func(tx *store.Tx) error {
			var err error
			grants, _, err = tx.BenefitGrantList(ctx, store.BenefitGrantListParams{OrganizationID: f.org.ID})
			if err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE type = 'benefit_grant.created'`).Scan(&events)
		}); err != nil {
			t.Fatal(err)
		}
		if len(grants) != 2 || events != 2 {
			t.Fatalf("%d grants and %d created events after two grants, want 2 and 2", len(grants), events)
		}
		k := f.key(t)
		if !strings.HasPrefix(k.Key, "APP-") || len(k.Key) != len("APP-")+36 || *k.LimitActivations != 3 || *k.LimitUsage != 5 {
			t.Fatalf("key %+v", k)
		}
		req := benefits.KeyRequest{OrganizationID: f.org.ID, Key: k.Key, Address: "198.51.100.1"}
		v, err := f.svc.Validate(ctx, req)
		if err != nil || v.Key.ID != k.ID || v.Key.Validations != 1 {
			t.Fatalf("validate: %+v, %v", v, err)
		}
		wrong := req
		wrong.Key = k.Key[:len(k.Key)-1] + "0"
		if k.Key == wrong.Key {
			wrong.Key = k.Key[:len(k.Key)-1] + "1"
		}
		if _, err := f.svc.Validate(ctx, wrong); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("a wrong key: %v, want not found", err)
		}
		bogus := req
		bogus.ActivationID = ptr("not-an-id")
		if _, err := f.svc.Validate(ctx, bogus); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("an activation id that is no id: %v, want not found", err)
		}
		bogus.Key = "not a key at all"
		if err := f.svc.Deactivate(ctx, bogus); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("deactivating with no id: %v, want not found", err)
		}
		if _, err := f.svc.SetProductBenefits(ctx, f.org.ID, f.product.ID, []string{"nope"}); !paylink.IsCode(err, paylink.EInvalid) {
			t.Fatalf("a benefit id that is no id: %v, want 422", err)
		}
		six := 6
		over := req
		over.IncrementUsage = &six
		if _, err := f.svc.Validate(ctx, over); !paylink.IsCode(err, paylink.EBadRequest) {
			t.Fatalf("usage 6 of 5: %v, want bad request", err)
		}
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			return benefits.RevokeForOrder(ctx, tx, nil, f.org.ID, f.order.ID)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Validate(ctx, req); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("a revoked key: %v, want not found", err)
		}
		req.Label = "laptop"
		if _, _, err := f.svc.Activate(ctx, req); !paylink.IsCode(err, paylink.EForbidden) {
			t.Fatalf("activating a revoked key: %v, want forbidden", err)
		}
		f.grant(t) // bought again after the revocation: the same key, live again
		if _, err := f.svc.Validate(ctx, benefits.KeyRequest{OrganizationID: f.org.ID, Key: k.Key}); err != nil {
			t.Fatalf("granted again: %v", err)
		}
		f.svc.Close() // writes the batched counts
		if got := f.key(t); got.Validations != 2 || got.LastValidatedAt == nil || got.Usage != 0 {
			t.Fatalf("after two successful validations: %d validations, last %v, usage %d", got.Validations,
				got.LastValidatedAt, got.Usage)
		}
	})
}

func TestConcurrentActivationsStopAtTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		s := storetest.Open(t, u)
		f := setup(t, s)
		f.grant(t)
		k := f.key(t)
		other := storetest.Open(t, u) // a second pool: another process
		svcs := []*benefits.Service{f.svc, {Store: other}}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, refused := 0, 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := svcs[i%2].Activate(ctx, benefits.KeyRequest{OrganizationID: f.org.ID, Key: k.Key, Label: "device"})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case paylink.IsCode(err, paylink.EForbidden):
					refused++
				default:
					t.Errorf("activate: %v", err)
				}
			}()
		}
		wg.Wait()
		var live []*paylink.LicenseKeyActivation
		if err := s.Read(ctx, func(tx *store.Tx) (err error) {
			live, err = tx.LicenseKeyActivations(ctx, k.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if ok != 3 || refused != 17 || len(live) != 3 {
			t.Fatalf("%d activated, %d refused, %d stored; want 3, 17, 3", ok, refused, len(live))
		}
	})
}

func TestOtherTypesAre422AtType(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		svc := &benefits.Service{Store: s}
		org := storetest.Org(t, s, "Types")
		for _, typ := range []string{"discord", "github_repository", "meter_credit", "feature_flag"} {
			_, err := svc.Create(context.Background(), org.ID, paylink.BenefitParams{Type: typ, Description: "Nope",
				Properties: json.RawMessage(`{}`)})
			var e *paylink.Error
			if !paylink.IsCode(err, paylink.EInvalid) || !errorsAs(err, &e) || len(e.Fields) != 1 ||
				e.Fields[0].Loc[1] != "type" {
				t.Fatalf("%s: %v, want a 422 at body.type", typ, err)
			}
		}
		_, err := svc.Create(context.Background(), org.ID, paylink.BenefitParams{Type: "license_keys", Description: "ab",
			Properties: json.RawMessage(`{"expires":{"ttl":0,"timeframe":"week"}}`)})
		var e *paylink.Error
		if !errorsAs(err, &e) || len(e.Fields) != 2 {
			t.Fatalf("short description and bad timeframe: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func errorsAs(err error, e **paylink.Error) bool {
	pe, ok := err.(*paylink.Error)
	*e = pe
	return ok
}

func TestConcurrentGrantsOfOneOrderGrantOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, u string) {
		ctx := context.Background()
		s := storetest.Open(t, u)
		f := setup(t, s)
		other := storetest.Open(t, u) // a second process retrying the same success
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := []*store.Store{s, other}[i%2]
				if err := st.InTx(ctx, func(tx *store.Tx) error {
					return benefits.GrantForOrder(ctx, tx, nil, f.order, nil)
				}); err != nil && !paylink.IsCode(err, paylink.EConflict) {
					t.Errorf("grant: %v", err)
				}
			}()
		}
		wg.Wait()
		f.key(t) // exactly one key
		var grants, events int
		if err := s.Read(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM benefit_grants`).Scan(&grants); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE type = 'benefit_grant.created'`).Scan(&events)
		}); err != nil {
			t.Fatal(err)
		}
		if grants != 2 || events != 2 {
			t.Fatalf("%d grants and %d events after 6 concurrent grants of 2 benefits, want 2 and 2", grants, events)
		}
	})
}

func TestKeyCallsAreRateLimited(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		f.grant(t)
		k := f.key(t)
		svc := &benefits.Service{Store: s, AddressRate: 2, KeyRate: 1000}
		wrong := benefits.KeyRequest{OrganizationID: f.org.ID, Key: "APP-00000000-0000-0000-0000-000000000000", Address: "203.0.113.7"}
		for i := range 4 { // the burst: twice the rate, wrong keys count as much as right ones
			if _, err := svc.Validate(ctx, wrong); !paylink.IsCode(err, paylink.ENotFound) {
				t.Fatalf("guess %d: %v, want not found", i, err)
			}
		}
		right := wrong
		right.Key = k.Key
		if _, err := svc.Validate(ctx, right); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("after the burst from one address: %v, want rate limited", err)
		}
		right.Address = "203.0.113.8"
		if _, err := svc.Validate(ctx, right); err != nil {
			t.Fatalf("another address: %v", err)
		}
		perKey := &benefits.Service{Store: s, KeyRate: 1}
		for i := range 2 {
			right.Address = "198.51.100." + string(rune('1'+i))
			if _, err := perKey.Validate(ctx, right); err != nil {
				t.Fatalf("validation %d of the key's burst: %v", i, err)
			}
		}
		right.Address = "198.51.100.9"
		if _, err := perKey.Validate(ctx, right); !paylink.IsCode(err, paylink.ERateLimited) {
			t.Fatalf("a third validation of one key within a second, from a new address: %v, want rate limited", err)
		}
	})
}

func TestSubscriptionKeepsItsGrantsUntilItEnds(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s)
		now := paylink.Now()
		sub := &paylink.Subscription{OrganizationID: f.org.ID, Status: paylink.SubscriptionActive, CustomerID: f.customerID,
			ProductID: f.product.ID, PriceID: f.product.Prices[0].ID, Amount: 1000, Currency: "usd",
			RecurringInterval: paylink.IntervalMonth, IntervalCount: 1, CurrentPeriodStart: now,
			CurrentPeriodEnd: now.AddDate(0, 1, 0), StartedAt: now, Metadata: paylink.Metadata{}, CreatedAt: now}
		renewal := *f.order
		renewal.ID, renewal.BillingReason = "", paylink.BillingSubscriptionCycle
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.SubscriptionCreate(ctx, sub); err != nil {
				return err
			}
			f.order.SubscriptionID = &sub.ID
			if err := benefits.GrantForOrder(ctx, tx, nil, f.order, sub); err != nil {
				return err
			}
			renewal.SubscriptionID = &sub.ID
			return tx.OrderCreate(ctx, &renewal) // a renewal: no new grant
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.OfOrder(ctx, &renewal)
		if err != nil || len(got) != 2 || got[1].Key == nil {
			t.Fatalf("the renewal order delivers %d benefits (%v), want the subscription's 2 with its key", len(got), err)
		}
		key := got[1].Key.Key
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			return benefits.RevokeForSubscription(ctx, tx, nil, f.org.ID, sub.ID)
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.OfOrder(ctx, &renewal); err != nil || len(got) != 0 {
			t.Fatalf("after the subscription ended: %d benefits (%v), want none", len(got), err)
		}
		if _, err := f.svc.Validate(ctx, benefits.KeyRequest{OrganizationID: f.org.ID, Key: key}); !paylink.IsCode(err, paylink.ENotFound) {
			t.Fatalf("the ended subscription's key: %v, want not found", err)
		}
	})
}
