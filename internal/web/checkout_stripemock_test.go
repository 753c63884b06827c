package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// startStripeMock runs a stripe-mock (v0.203.0) for the test, as
// internal/payment's tests do: the one in STRIPE_MOCK_URL, or one started from
// PATH and stopped when the test ends. Without it the test is skipped, except
// under CI=true where it fails.
func startStripeMock(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("STRIPE_MOCK_URL"); u != "" {
		return strings.TrimRight(u, "/")
	}
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI must run the Stripe tests: stripe-mock is not on PATH")
		}
		t.Skip("skipping: stripe-mock is not on PATH (go install github.com/stripe/stripe-mock@v0.203.0)")
	}
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill() //nolint:errcheck
		cmd.Wait()         //nolint:errcheck
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", httpAddr); err == nil {
			c.Close()
			return "http://" + httpAddr
		}
	}
	t.Fatalf("stripe-mock did not listen on %s within 30s:\n%s", httpAddr, out.String())
	return ""
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// fakeStripe stands between paylink and stripe-mock. stripe-mock validates
// every request against Stripe's OpenAPI spec and answers customers; as it is
// stateless (a PaymentIntent always comes back requires_payment_method), the
// PaymentIntents paylink creates and looks up are answered here, with the
// status the test chooses and the metadata paylink sent.
type fakeStripe struct {
	*httptest.Server
	mu       sync.Mutex
	status   string       // of the PaymentIntents answered
	intents  []url.Values // the forms of POST /v1/payment_intents, in order
	keys     []string     // their idempotency keys
	lookups  int          // GET /v1/payment_intents/{id}
	metadata map[string]string
	hold     chan struct{} // when set, a new PaymentIntent waits for it to close
}

func newFakeStripe(t *testing.T) *fakeStripe {
	t.Helper()
	mock := startStripeMock(t)
	f := &fakeStripe{status: "succeeded", metadata: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		hold := f.hold
		f.mu.Unlock()
		if hold != nil && r.Method == http.MethodPost && r.URL.Path == "/v1/payment_intents" {
			<-hold
		}
		req, _ := http.NewRequest(r.Method, mock+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("stripe-mock: %v", err)
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("stripe-mock refused %s %s %s: %d %s", r.Method, r.URL.Path, body, resp.StatusCode, out)
		}
		if strings.HasPrefix(r.URL.Path, "/v1/payment_intents") && resp.StatusCode == http.StatusOK {
			form, _ := url.ParseQuery(string(body))
			out = f.intent(r, form)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		w.Write(out) //nolint:errcheck
	}))
	t.Cleanup(f.Close)
	return f
}

// intent records a PaymentIntent request and answers it.
func (f *fakeStripe) intent(r *http.Request, form url.Values) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method == http.MethodPost {
		f.intents = append(f.intents, form)
		f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
		for k, v := range form {
			if name, ok := strings.CutPrefix(k, "metadata["); ok {
				f.metadata[strings.TrimSuffix(name, "]")] = v[0]
			}
		}
	} else {
		f.lookups++
	}
	id := fmt.Sprintf("pi_page%d", len(f.intents))
	pi := map[string]any{"id": id, "object": "payment_intent", "status": f.status, "amount": 2900, "currency": "usd",
		"client_secret": id + "_secret_test", "metadata": f.metadata, "payment_method": "pm_from_token"}
	if f.status == "requires_payment_method" {
		pi["last_payment_error"] = map[string]any{"type": "card_error", "code": "payment_intent_authentication_failure",
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

// stripeEnv is paylink's environment in Stripe mode, talking to f.
func (f *fakeStripe) env() []string {
	return []string{"PAYLINK_STRIPE_SECRET_KEY=sk_test_page", "PAYLINK_STRIPE_PUBLISHABLE_KEY=" + testPublishableKey,
		"PAYLINK_STRIPE_WEBHOOK_SECRET=whsec_page", "PAYLINK_STRIPE_API_BASE=" + f.URL}
}

const testPublishableKey = "pk_test_51PageKey"
