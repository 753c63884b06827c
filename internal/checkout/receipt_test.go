package checkout_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// The first payment of a subscription and each renewal queue a receipt in the
// transaction of their order, about that order.
func TestReceiptOfPurchaseAndRenewal(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := setup(t, s, nil, nil)
		m, err := mail.New(s, mail.Options{PublicURL: "http://shop.test"})
		if err != nil {
			t.Fatal(err)
		}
		f.svc.Mail = m
		c := f.open(t, "product_id="+f.monthly.ID+"&discount_code=TEN")
		if _, err := f.svc.Confirm(ctx, c.ClientSecret, buyer, "tok_visa"); err != nil {
			t.Fatal(err)
		}
		f.now = paylink.PeriodEnd(f.now, "month", 1).Add(time.Minute)
		if n, _, err := f.svc.RenewDue(ctx); err != nil || n != 1 {
			t.Fatalf("renewal: %d %v", n, err)
		}
		var emails []*store.Email
		s.Read(ctx, func(tx *store.Tx) (err error) {
			emails, _, err = tx.EmailList(ctx, store.EmailListParams{OrganizationID: f.org.ID, ListParams: store.ListParams{OrderBy: "created_at, id"}})
			return err
		})
		first, cycle := ordersOf(t, f, paylink.BillingSubscriptionCreate), ordersOf(t, f, paylink.BillingSubscriptionCycle)
		if len(emails) != 2 || len(first) != 1 || len(cycle) != 1 {
			t.Fatalf("%d emails for %d+%d orders", len(emails), len(first), len(cycle))
		}
		for i, want := range []struct {
			order   *paylink.Order
			subject string
			text    string
		}{
			{first[0], "Your receipt from Flows: $8.10", "Discount: -$0.90 (Ten)"},
			{cycle[0], "Your Flows subscription renewed: $9.00", "Plan (every month)"},
		} {
			e := emails[i]
			if e.Kind != "receipt" || e.Status != store.EmailKept || *e.OrderID != want.order.ID || e.Subject != want.subject ||
				!strings.Contains(e.Text, want.text) || *e.SubscriptionID != *want.order.SubscriptionID {
				t.Fatalf("email %d: %+v\n%s", i, e, e.Text)
			}
		}
	})
}
