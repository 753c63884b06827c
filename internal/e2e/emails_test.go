package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/mailpit"
	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store"
	"github.com/paylink/paylink/internal/store/storetest"
)

// buy visits the demo link with the query and pays the session it opens with a
// test card, as the customer with email.
func buy(t *testing.T, in *paylinktest.Instance, query, email string) {
	t.Helper()
	resp, err := in.Client.Get(in.LinkURL + "?" + query)
	if err != nil || resp.StatusCode != 303 {
		t.Fatalf("visit: %v %v", resp, err)
	}
	resp.Body.Close()
	secret := resp.Header.Get("Location")[len(in.URL+"/checkout/"):]
	ok(in.API("").ConfirmClientCheckout(t.Context(), secret, &client.CheckoutConfirm{ConfirmationTokenID: "tok_visa",
		CustomerEmail: &email, CustomerName: new("Ann <b>Lee</b>"), CustomerBillingAddress: &client.Address{Country: "NL"}}))(t)
}

// A paid order sends its receipt through SMTP: what was bought, the amounts as
// the checkout page shows them (the discount too), the shop, and a link.
func TestPaidOrderSendsReceipt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		mp := mailpit.Start(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_SMTP_URL=" + mp.SMTPURL(), "PAYLINK_MAIL_FROM=Demo Shop <shop@example.com>"})
		buy(t, in, "discount_code=LAUNCH20", "ann@example.com")

		got := mp.WaitFor(t, 1)
		m := got[0]
		if m.To[0].Address != "ann@example.com" || m.From.Address != "shop@example.com" {
			t.Fatalf("from %v to %v", m.From, m.To)
		}
		if !strings.HasPrefix(m.Subject, "Your receipt from ") || !strings.HasSuffix(m.Subject, ": $23.20") {
			t.Fatalf("subject %q", m.Subject)
		}
		for _, want := range []string{"Starter Kit", "Amount:   $29.00", "Discount: -$5.80 (Launch 20% off)", "Total:    $23.20",
			"Hello Ann <b>Lee</b>,", in.URL + "/portal/"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text part lacks %q:\n%s", want, m.Text)
			}
		}
		for _, want := range []string{"$29.00", "−$5.80", "$23.20", "Hello Ann &lt;b&gt;Lee&lt;/b&gt;,"} {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("HTML part lacks %q:\n%s", want, m.HTML)
			}
		}
		if len(mp.Messages(t)) != 1 {
			t.Fatalf("%d messages, want the one receipt", len(mp.Messages(t)))
		}
	})
}

// A mail server that is down blocks no checkout and loses no receipt: the
// payment answers at once, and the receipt arrives once the server is up.
func TestReceiptWaitsForTheMailServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		addr := mailpit.FreeAddr(t)
		in := paylinktest.Start(t, db, []string{"PAYLINK_SMTP_URL=smtp://" + addr})
		start := time.Now()
		buy(t, in, "", "late@example.com")
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("the purchase took %s with the mail server down", d)
		}
		s, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			var list []*store.Email
			if err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
				list, _, err = tx.EmailList(context.Background(), store.EmailListParams{OrganizationID: in.OrgID})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(list) == 1 && list[0].Status == store.EmailFailed {
				break // an attempt failed; the job tries again
			}
			if time.Now().After(deadline) {
				t.Fatalf("no failed attempt logged: %+v", list)
			}
		}
		mp := mailpit.StartOn(t, addr)
		if m := mp.WaitFor(t, 1)[0]; m.To[0].Address != "late@example.com" || !strings.Contains(m.Text, "Starter Kit") {
			t.Fatalf("received %+v", m)
		}
	})
}
