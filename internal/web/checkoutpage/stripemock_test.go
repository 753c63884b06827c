package checkoutpage_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink/internal/stripemock"
)

func TestMain(m *testing.M) { stripemock.Main(m) }

// fakeStripe is stripemock's proxy: stripe-mock validates every request and
// answers customers; as it is stateless (a PaymentIntent always comes back
// requires_payment_method), the PaymentIntents paylink creates and looks up are
// answered here, with the status the test chooses and the metadata paylink sent.
type fakeStripe struct {
	*httptest.Server
	mu       sync.Mutex
	status   string       // of the PaymentIntents answered
	intents  []url.Values // the forms of POST /v1/payment_intents, in order
	setups   []url.Values // the forms of POST /v1/setup_intents, in order
	keys     []string     // their idempotency keys
	lookups  int          // GET /v1/payment_intents/{id}
	metadata map[string]string
	hold     chan struct{} // when set, a new PaymentIntent waits for it to close
}

func newFakeStripe(t *testing.T) *fakeStripe {
	t.Helper()
	f := &fakeStripe{status: "succeeded", metadata: map[string]string{}}
	f.Server = stripemock.NewProxy(t, stripemock.Hooks{
		Intercept: func(r *http.Request, _ url.Values) (int, string, bool) {
			f.mu.Lock()
			hold := f.hold
			f.mu.Unlock()
			if hold != nil && r.Method == http.MethodPost && r.URL.Path == "/v1/payment_intents" {
				<-hold
			}
			return 0, "", false
		},
		Rewrite: func(r *http.Request, form url.Values, out []byte) []byte {
			if !strings.HasPrefix(r.URL.Path, "/v1/payment_intents") && !strings.HasPrefix(r.URL.Path, "/v1/setup_intents") {
				return out
			}
			return f.intent(r, form)
		},
	})
	return f
}

// intent records a PaymentIntent (or SetupIntent) request and answers it.
func (f *fakeStripe) intent(r *http.Request, form url.Values) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	setup := strings.HasPrefix(r.URL.Path, "/v1/setup_intents")
	switch {
	case r.Method == http.MethodPost && setup:
		f.setups = append(f.setups, form)
	case r.Method == http.MethodPost:
		f.intents = append(f.intents, form)
		f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
	default:
		f.lookups++
	}
	if r.Method == http.MethodPost {
		for k, v := range form {
			if name, ok := strings.CutPrefix(k, "metadata["); ok {
				f.metadata[strings.TrimSuffix(name, "]")] = v[0]
			}
		}
	}
	id := fmt.Sprintf("pi_page%d", len(f.intents))
	pi := map[string]any{"id": id, "object": "payment_intent", "status": f.status, "amount": 2900, "currency": "usd",
		"client_secret": id + "_secret_test", "metadata": f.metadata, "payment_method": "pm_from_token"}
	lastError := "last_payment_error"
	if setup {
		id = fmt.Sprintf("seti_page%d", len(f.setups))
		pi = map[string]any{"id": id, "object": "setup_intent", "status": f.status, "usage": "off_session",
			"client_secret": id + "_secret_test", "metadata": f.metadata, "payment_method": "pm_from_token"}
		lastError = "last_setup_error"
	}
	if f.status == "requires_payment_method" {
		pi[lastError] = map[string]any{"type": "card_error", "code": "payment_intent_authentication_failure",
			"message": "We are unable to authenticate your payment method."}
	}
	b, _ := json.Marshal(pi)
	return b
}

// setStatus makes the PaymentIntents come back with the status from now on.
func (f *fakeStripe) setStatus(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = s
}

// holdCharges makes new PaymentIntents wait until release is called.
func (f *fakeStripe) holdCharges() (release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := make(chan struct{})
	f.hold = h
	return func() {
		f.mu.Lock()
		f.hold = nil
		f.mu.Unlock()
		close(h)
	}
}

// lookupCount is how often paylink looked a PaymentIntent up.
func (f *fakeStripe) lookupCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookups
}

// charges returns the forms and idempotency keys of the PaymentIntents created.
func (f *fakeStripe) charges() ([]url.Values, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.intents...), append([]string(nil), f.keys...)
}

// setupForms returns the forms of the SetupIntents created.
func (f *fakeStripe) setupForms() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.setups...)
}

// stripeEnv is paylink's environment in Stripe mode, talking to f.
func (f *fakeStripe) env() []string {
	return []string{"PAYLINK_STRIPE_SECRET_KEY=sk_test_page", "PAYLINK_STRIPE_PUBLISHABLE_KEY=" + testPublishableKey,
		"PAYLINK_STRIPE_WEBHOOK_SECRET=whsec_page", "PAYLINK_STRIPE_API_BASE=" + f.URL}
}

const testPublishableKey = "pk_test_51PageKey"
