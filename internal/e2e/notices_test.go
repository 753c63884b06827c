package e2e_test

import (
	"strings"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/store/storetest"
)

// After the receipt, the customer hears of every change the merchant makes: a
// refund, a cancellation at the period's end, and the end itself.
func TestCustomerIsToldOfRefundsAndTheEndOfTheirSubscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		mp := mailpit.Start(t)
		s := newShop(t, db, "PAYLINK_SMTP_URL="+mp.SMTPURL())
		secret, _ := s.visit(t, "product_id="+s.plan)
		s.pay(t, secret, client.CheckoutConfirm{CustomerEmail: new("cy@example.com"), CustomerBillingAddress: &client.Address{Country: "FR"}})
		mp.WaitFor(t, 1) // the receipt

		ctx := t.Context()
		o := ok(s.api.Orders(ctx, nil))(t).Items[0]
		ok(s.api.CreateRefund(ctx, &client.RefundCreate{OrderID: o.ID, Reason: "customer_request", Amount: 300}))(t)
		refund := mp.WaitFor(t, 2)[0] // newest first
		if !strings.Contains(refund.Subject+refund.Text, "$3.00") || refund.To[0].Address != "cy@example.com" {
			t.Fatalf("refund email: %q\n%s", refund.Subject, refund.Text)
		}

		sub := ok(s.api.CancelSubscription(ctx, *o.SubscriptionID, &client.SubscriptionCancel{CancelAtPeriodEnd: true}))(t)
		if !sub.CancelAtPeriodEnd || sub.Status != "active" {
			t.Fatalf("canceled at period end: %+v", sub)
		}
		canceled := mp.WaitFor(t, 3)[0]
		if sub := ok(s.api.RevokeSubscription(ctx, *o.SubscriptionID))(t); sub.Status != "canceled" || sub.EndedAt == nil {
			t.Fatalf("revoked: %+v", sub)
		}
		ended := mp.WaitFor(t, 4)[0]
		if canceled.Subject == ended.Subject || !strings.Contains(canceled.Text, "Plan") || !strings.Contains(ended.Text, "Plan") {
			t.Fatalf("cancellation %q / end %q:\n%s\n---\n%s", canceled.Subject, ended.Subject, canceled.Text, ended.Text)
		}
	})
}
