package portalpage_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/web/webtest"
)

// The card form posts only from the portal's own page (its form token), only
// for the customer's own subscription, and saves through internal/portal.
func TestPortalUpdateCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		p := newPortalShop(t, db)
		base := portal.PortalPath(p.org.Slug)
		ann, bo := p.signedIn(t, "ann@example.com"), p.signedIn(t, "bo@example.com")
		_, doc := ann.Get(base)
		if strings.Contains(doc.AllText(), "Update payment method") {
			t.Fatal("the form is offered without a processor that saves cards")
		}
		p.portal.Methods = payment.NewSandbox()
		_, doc = ann.Get(base)
		if !strings.Contains(doc.AllText(), "Update payment method") {
			t.Fatalf("no card form: %s", doc.AllText())
		}
		before := p.subscription(t).PaymentMethodRef
		card := url.Values{"card_number": {"5555 5555 5555 4444"}, "card_expiry": {"12/40"}, "card_cvc": {"123"}}
		path := base + "/subscriptions/" + p.annSub.ID + "/payment-method"
		forged := url.Values{"csrf": {"forged"}}
		for k, v := range card {
			forged[k] = v
		}
		if status, _ := ann.Post(path, forged); status != 403 {
			t.Fatalf("a post without the form token: %d", status)
		}
		bo.Get(base)
		if status, _ := bo.Post(path, url.Values{"card_number": card["card_number"], "card_expiry": {"12/40"}, "card_cvc": {"123"}}); status != 404 {
			t.Fatalf("Bo updates Ann's subscription: %d", status)
		}
		if now := p.subscription(t).PaymentMethodRef; !same(now, before) {
			t.Fatalf("a refused post changed the method to %v", *now)
		}
		status, doc := ann.Post(path, url.Values{"card_number": {"4242"}, "card_expiry": {"01/20"}, "card_cvc": {"1"}})
		text := doc.AllText()
		if status != 422 || !strings.Contains(text, "12 to 19 digits") || !strings.Contains(text, "This card has expired.") ||
			!strings.Contains(text, "3 or 4 digits") {
			t.Fatalf("a bad card: %d %s", status, text)
		}
		status, doc = ann.Post(path, card)
		if status != 200 || !strings.Contains(doc.AllText(), "Your new card is saved") || !strings.Contains(doc.AllText(), "Renews with Mastercard •••• 4444.") {
			t.Fatalf("saved: %d %s", status, doc.AllText())
		}
		if ref := p.subscription(t).PaymentMethodRef; ref == nil || *ref != "tok_mastercard" {
			t.Fatalf("the subscription renews with %v", ref)
		}
		if doc.Find(webtest.WithAttrs("script", "src", "/static/portal.js")) == nil {
			t.Fatal("the portal loads no portal.js")
		}
	})
}

func same(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
