package store_test

import (
	"context"
	"testing"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A method saved again refreshes its card's details when the processor's answer
// has them and keeps them when it has none (a Stripe answer that did not
// include the card); the first method a customer keeps is their default, a
// later one is not.
func TestPaymentMethodSavedAgainKeepsItsCard(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Cards")
		keep := func(m *store.PaymentMethod) *store.PaymentMethod {
			t.Helper()
			if err := s.InTx(ctx, func(tx *store.Tx) error { return tx.PaymentMethodKeep(ctx, m) }); err != nil {
				t.Fatal(err)
			}
			return m
		}
		var cust *paylink.Customer
		if err := s.InTx(ctx, func(tx *store.Tx) error {
			var err error
			cust, _, err = tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "card@example.com"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		method := func(ref, brand, last4 string, month, year int) *store.PaymentMethod {
			return &store.PaymentMethod{OrganizationID: org.ID, CustomerID: cust.ID, Processor: "stripe",
				ProcessorRef: ref, Type: "card", Brand: brand, Last4: last4, ExpMonth: month, ExpYear: year}
		}
		first := keep(method("pm_1", "visa", "4242", 12, 2034))
		if !first.IsDefault {
			t.Fatal("the first kept method is not the default")
		}
		again := keep(method("pm_1", "", "", 0, 0))
		if again.ID != first.ID || again.Brand != "visa" || again.Last4 != "4242" || again.ExpMonth != 12 || again.ExpYear != 2034 || !again.IsDefault {
			t.Fatalf("saved again without a card: %+v, want the stored visa 4242 12/2034, default", again)
		}
		renewed := keep(method("pm_1", "visa", "4242", 1, 2036))
		if renewed.ExpMonth != 1 || renewed.ExpYear != 2036 {
			t.Fatalf("saved again with a new expiry: %d/%d, want 1/2036", renewed.ExpMonth, renewed.ExpYear)
		}
		if second := keep(method("pm_2", "mastercard", "4444", 3, 2035)); second.IsDefault {
			t.Fatal("a second kept method became the default")
		}
	})
}
