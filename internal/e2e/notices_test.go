package e2e_test

import (
	"strings"
	"testing"

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
		s.in.Must(t, "POST", "/v1/checkouts/client/"+secret+"/confirm", "", map[string]any{"confirmation_token_id": "tok_visa",
			"customer_email": "cy@example.com", "customer_billing_address": map[string]any{"country": "FR"}}, 200, nil)
		mp.WaitFor(t, 1) // the receipt

		var orders struct {
			Items []struct {
				ID             string `json:"id"`
				SubscriptionID string `json:"subscription_id"`
			} `json:"items"`
		}
		s.in.Must(t, "GET", "/v1/orders/", s.token, nil, 200, &orders)
		o := orders.Items[0]
		s.in.Must(t, "POST", "/v1/refunds/", s.token, map[string]any{"order_id": o.ID, "reason": "customer_request", "amount": 300}, 201, nil)
		refund := mp.WaitFor(t, 2)[0] // newest first
		if !strings.Contains(refund.Subject+refund.Text, "$3.00") || refund.To[0].Address != "cy@example.com" {
			t.Fatalf("refund email: %q\n%s", refund.Subject, refund.Text)
		}

		s.in.Must(t, "PATCH", "/v1/subscriptions/"+o.SubscriptionID, s.token, map[string]any{"cancel_at_period_end": true}, 200, nil)
		canceled := mp.WaitFor(t, 3)[0]
		s.in.Must(t, "DELETE", "/v1/subscriptions/"+o.SubscriptionID, s.token, nil, 200, nil)
		ended := mp.WaitFor(t, 4)[0]
		if canceled.Subject == ended.Subject || !strings.Contains(canceled.Text, "Plan") || !strings.Contains(ended.Text, "Plan") {
			t.Fatalf("cancellation %q / end %q:\n%s\n---\n%s", canceled.Subject, ended.Subject, canceled.Text, ended.Text)
		}
	})
}
