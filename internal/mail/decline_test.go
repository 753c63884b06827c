package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink"
	"github.com/paylink/paylink/internal/mail"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/subscriptions"
)

func TestDeclineReason(t *testing.T) {
	for _, tc := range []struct {
		d    *subscriptions.Decline
		want string
	}{
		{nil, "the payment was declined"},
		{&subscriptions.Decline{Code: "insufficient_funds", Message: "Your card has insufficient funds."}, "the card has insufficient funds"},
		{&subscriptions.Decline{Code: "expired_card"}, "the card has expired"},
		{&subscriptions.Decline{Code: "card_declined", Message: "Your card was declined."}, "your bank declined the card"},
		{&subscriptions.Decline{Code: "something_new", Message: "Élan card refused."}, "élan card refused"},
		{&subscriptions.Decline{Code: "something_new"}, "the payment was declined"},
	} {
		if got := mail.DeclineReason(tc.d); got != tc.want {
			t.Errorf("DeclineReason(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// The renewal-failed email says why the card was declined, in plain words, and
// links to the portal where the card can be updated.
func TestRenewalFailedEmailSaysWhy(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		org := storetest.Org(t, s, "Card Shop")
		m := newMailer(t, s, "")
		month := paylink.IntervalMonth
		var sub *paylink.Subscription
		err := s.InTx(ctx, func(tx *store.Tx) error {
			cust, _, err := tx.CustomerFindOrCreate(ctx, &paylink.Customer{OrganizationID: org.ID, Email: "ann@example.com"})
			if err != nil {
				return err
			}
			prod := &paylink.Product{OrganizationID: org.ID, Name: "Plan", Metadata: paylink.Metadata{}, RecurringInterval: &month,
				RecurringIntervalCount: ptr(1), Prices: []*paylink.Price{{AmountType: paylink.PriceFixed, Currency: "usd", PriceAmount: 900}}}
			if err := tx.ProductCreate(ctx, prod); err != nil {
				return err
			}
			now := paylink.Now()
			next := now.Add(72 * time.Hour)
			sub = &paylink.Subscription{OrganizationID: org.ID, Status: paylink.SubscriptionPastDue, CustomerID: cust.ID,
				ProductID: prod.ID, PriceID: prod.Prices[0].ID, Amount: 900, Currency: "usd", RecurringInterval: month,
				IntervalCount: 1, CurrentPeriodStart: now, CurrentPeriodEnd: now, StartedAt: now, NextAttemptAt: &next,
				Metadata: paylink.Metadata{}}
			if err := tx.SubscriptionCreate(ctx, sub); err != nil {
				return err
			}
			return mail.SubscriptionNotices{Service: m}.Queue(ctx, tx, subscriptions.NoticeRenewalFailed, sub,
				&subscriptions.Decline{Code: "insufficient_funds", Message: "Your card has insufficient funds."})
		})
		if err != nil {
			t.Fatal(err)
		}
		var emails []*store.Email
		s.Read(ctx, func(tx *store.Tx) error {
			emails, _, err = tx.EmailList(ctx, store.EmailListParams{OrganizationID: org.ID, SubscriptionID: sub.ID})
			return err
		})
		if len(emails) != 1 || emails[0].Kind != "renewal_failed" {
			t.Fatalf("emails: %+v", emails)
		}
		e := emails[0]
		for _, body := range []string{e.Text, e.HTML} {
			if !strings.Contains(body, "did not go through: the card has insufficient funds.") ||
				!strings.Contains(body, "http://shop.test/portal/") || strings.Contains(body, "Your payment method was declined") {
				t.Errorf("the email: %s", body)
			}
		}
	})
}
