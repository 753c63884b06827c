package payment_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/paylink/paylink/internal/stripemock"
)

func TestMain(m *testing.M) { stripemock.Main(m) }

// stripeRequest is one request paylink sent to "Stripe".
type stripeRequest struct {
	Method, Path   string
	Form           url.Values
	IdempotencyKey string
	Auth           string
}

// stripeProxy is stripemock's proxy recording every request, with answers a
// test can change: stripe-mock is stateless and always answers a PaymentIntent
// with the status requires_payment_method.
type stripeProxy struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []stripeRequest
	// piStatus, when set, replaces the status of PaymentIntents and SetupIntents in answers.
	piStatus string
	// intercept answers a "METHOD /path" instead of stripe-mock (status and JSON
	// body); it may block, to hold a charge.
	intercept map[string]func(form url.Values) (int, string)
}

func newStripeProxy(t *testing.T) *stripeProxy {
	t.Helper()
	p := &stripeProxy{}
	p.Server = stripemock.NewProxy(t, stripemock.Hooks{
		Intercept: func(r *http.Request, form url.Values) (int, string, bool) {
			p.mu.Lock()
			p.reqs = append(p.reqs, stripeRequest{Method: r.Method, Path: r.URL.Path, Form: form,
				IdempotencyKey: r.Header.Get("Idempotency-Key"), Auth: r.Header.Get("Authorization")})
			intercept := p.intercept[r.Method+" "+r.URL.Path]
			p.mu.Unlock()
			if intercept == nil {
				return 0, "", false
			}
			code, out := intercept(form)
			return code, out, true
		},
		Rewrite: func(r *http.Request, form url.Values, out []byte) []byte {
			if !strings.HasPrefix(r.URL.Path, "/v1/payment_intents") && !strings.HasPrefix(r.URL.Path, "/v1/setup_intents") {
				return out
			}
			p.mu.Lock()
			status := p.piStatus
			p.mu.Unlock()
			return patchIntent(t, out, form, status)
		},
	})
	return p
}

// patchIntent makes stripe-mock's fixture answer (a PaymentIntent or a
// SetupIntent) look like Stripe's: the metadata and payment method that were
// sent, and the status the test chose.
func patchIntent(t *testing.T, out []byte, form url.Values, status string) []byte {
	var pi map[string]any
	if err := json.Unmarshal(out, &pi); err != nil {
		t.Errorf("stripe-mock answer: %v", err)
		return out
	}
	md := map[string]any{}
	for k, v := range form {
		if strings.HasPrefix(k, "metadata[") {
			md[strings.TrimSuffix(strings.TrimPrefix(k, "metadata["), "]")] = v[0]
		}
	}
	pi["metadata"] = md
	pmID := form.Get("payment_method")
	if pmID == "" && form.Get("confirmation_token") != "" {
		pmID = "pm_from_token"
	}
	if pm, expanded := pi["payment_method"].(map[string]any); expanded && pmID != "" {
		pm["id"] = pmID // expand[]=payment_method: the card stays, under the id Stripe would give
	} else if pmID != "" {
		pi["payment_method"] = pmID
	}
	if status != "" {
		pi["status"] = status
		if status != "requires_payment_method" {
			for _, k := range []string{"last_payment_error", "last_setup_error"} {
				if _, ok := pi[k]; ok {
					pi[k] = nil
				}
			}
		}
	}
	b, _ := json.Marshal(pi)
	return b
}

// requests returns what was sent to a path ("POST /v1/payment_intents").
func (p *stripeProxy) requests(methodPath string) []stripeRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []stripeRequest
	for _, r := range p.reqs {
		if r.Method+" "+r.Path == methodPath {
			out = append(out, r)
		}
	}
	return out
}

// answer makes the proxy answer "METHOD /path" itself with fn (nil: stripe-mock again).
func (p *stripeProxy) answer(methodPath string, fn func(form url.Values) (int, string)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.intercept == nil {
		p.intercept = map[string]func(url.Values) (int, string){}
	}
	p.intercept[methodPath] = fn
}

// status makes PaymentIntents and SetupIntents come back with this status.
func (p *stripeProxy) status(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.piStatus = s
}

// cardError is Stripe's answer to a declined confirmation.
func cardError(code, decline, msg, piID string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"type": "card_error", "code": code,
		"decline_code": decline, "message": msg, "payment_intent": map[string]any{"id": piID, "object": "payment_intent",
			"status": "requires_payment_method"},
		"payment_method": map[string]any{"id": "pm_x", "object": "payment_method",
			"card": map[string]any{"last4": "0002", "brand": "visa"}}}})
	return string(b)
}
