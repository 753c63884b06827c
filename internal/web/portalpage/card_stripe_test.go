package portalpage_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink/internal/payment"
	"github.com/paylink/paylink/internal/portal"
	"github.com/paylink/paylink/internal/store/storetest"
	"github.com/paylink/paylink/internal/stripemock"
	"github.com/paylink/paylink/internal/web"
	"github.com/paylink/paylink/internal/web/webtest"
)

func TestMain(m *testing.M) { stripemock.Main(m) }

// In Stripe mode the card form is Stripe's Payment Element (no card field of
// ours, Stripe.js allowed by the page's policy), and the confirmation token it
// posts is saved through an off-session SetupIntent on stripe-mock: the
// subscription then renews with that Stripe payment method.
func TestPortalUpdateCardStripe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		var mu sync.Mutex
		var setups []url.Values
		sent := func() []url.Values { mu.Lock(); defer mu.Unlock(); return append([]url.Values(nil), setups...) }
		proxy := stripemock.NewProxy(t, stripemock.Hooks{
			Rewrite: func(r *http.Request, form url.Values, out []byte) []byte {
				if r.Method != http.MethodPost || r.URL.Path != "/v1/setup_intents" {
					return out
				}
				mu.Lock()
				setups = append(setups, form)
				mu.Unlock()
				var si map[string]any
				json.Unmarshal(out, &si) //nolint:errcheck
				si["status"], si["payment_method"], si["customer"] = "succeeded", "pm_from_token", form.Get("customer")
				si["last_setup_error"] = nil
				b, _ := json.Marshal(si)
				return b
			},
		})
		p := newPortalShopOn(t, db, web.Site{StripePublishableKey: "pk_test_portal"})
		s, err := payment.NewStripe(payment.StripeConfig{SecretKey: "sk_test_x", PublishableKey: "pk_test_portal",
			WebhookSecret: "whsec_x", APIBase: proxy.URL})
		if err != nil {
			t.Fatal(err)
		}
		p.portal.Methods = s
		base := portal.PortalPath(p.org.Slug)
		ann := p.signedIn(t, "ann@example.com")
		_, doc := ann.Get(base)
		form := doc.Find(webtest.WithAttrs("form", "data-stripe-key", "pk_test_portal"))
		if form == nil || form.Attr["data-currency"] != "usd" || doc.ByID("payment-element-"+p.annSub.ID) == nil {
			t.Fatalf("no Payment Element form: %s", doc.AllText())
		}
		if doc.Find(func(e *webtest.Elem) bool { return strings.HasPrefix(e.Attr["name"], "card_") }) != nil {
			t.Fatal("a card field of ours in Stripe mode")
		}
		if doc.Find(webtest.WithAttrs("script", "src", "https://js.stripe.com/basil/stripe.js")) == nil ||
			!strings.Contains(ann.Last.Header.Get("Content-Security-Policy"), "https://js.stripe.com") {
			t.Fatalf("Stripe.js is not loaded or not allowed: %q", ann.Last.Header.Get("Content-Security-Policy"))
		}
		path := base + "/subscriptions/" + p.annSub.ID + "/payment-method"
		status, doc := ann.Post(path, url.Values{})
		if status != 422 || !strings.Contains(doc.AllText(), "needs JavaScript") || len(sent()) != 0 {
			t.Fatalf("a post without a token: %d %d setups", status, len(sent()))
		}
		status, doc = ann.Post(path, url.Values{"confirmation_token": {"ctoken_portal"}})
		if status != 200 || !strings.Contains(doc.AllText(), "Your new card is saved") {
			t.Fatalf("saved: %d %s", status, doc.AllText())
		}
		got := sent()
		if len(got) != 1 || got[0].Get("confirmation_token") != "ctoken_portal" || got[0].Get("usage") != "off_session" ||
			got[0].Get("metadata[customer_id]") != p.ann.ID {
			t.Fatalf("setup intents: %v", got)
		}
		ref := p.subscription(t).PaymentMethodRef
		if ref == nil || *ref != got[0].Get("customer")+"/pm_from_token" {
			t.Fatalf("the subscription renews with %v", ref)
		}
	})
}
