package payment_test

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

// stripeMock is one stripe-mock process shared by the tests of this package.
var stripeMock struct {
	once sync.Once
	url  string
	err  error
	cmd  *exec.Cmd
}

func TestMain(m *testing.M) {
	code := m.Run()
	if c := stripeMock.cmd; c != nil {
		c.Process.Kill() //nolint:errcheck
		c.Wait()         //nolint:errcheck
	}
	os.Exit(code)
}

// stripeMockURL returns the URL of a running stripe-mock (v0.203.0): the one in
// STRIPE_MOCK_URL, or one started from PATH. Without it the test is skipped,
// except under CI=true where it fails.
func stripeMockURL(t *testing.T) string {
	t.Helper()
	stripeMock.once.Do(func() {
		if u := os.Getenv("STRIPE_MOCK_URL"); u != "" {
			stripeMock.url = strings.TrimRight(u, "/")
			return
		}
		bin, err := exec.LookPath("stripe-mock")
		if err != nil {
			stripeMock.err = fmt.Errorf("stripe-mock is not on PATH (go install github.com/stripe/stripe-mock@v0.203.0)")
			return
		}
		httpAddr, httpsAddr := freeAddr(), freeAddr()
		cmd := exec.Command(bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if stripeMock.err = cmd.Start(); stripeMock.err != nil {
			return
		}
		stripeMock.cmd = cmd
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if c, err := net.Dial("tcp", httpAddr); err == nil {
				c.Close()
				stripeMock.url = "http://" + httpAddr
				return
			}
		}
		stripeMock.err = fmt.Errorf("stripe-mock did not listen on %s within 30s:\n%s", httpAddr, out.String())
	})
	if stripeMock.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run the Stripe tests: %v", stripeMock.err)
		}
		t.Skipf("skipping: %v", stripeMock.err)
	}
	return stripeMock.url
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// stripeRequest is one request paylink sent to "Stripe".
type stripeRequest struct {
	Method, Path   string
	Form           url.Values
	IdempotencyKey string
	Auth           string
}

// stripeProxy stands between paylink and stripe-mock: it records every request,
// lets stripe-mock validate it against Stripe's OpenAPI spec and answer, and
// can change the answer, because stripe-mock is stateless and always answers a
// PaymentIntent with the status requires_payment_method.
type stripeProxy struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []stripeRequest
	// piStatus, when set, replaces the status of PaymentIntents in answers.
	piStatus string
	// intercept answers a "METHOD /path" instead of stripe-mock (status and JSON
	// body); it may block, to hold a charge.
	intercept map[string]func(form url.Values) (int, string)
}

func newStripeProxy(t *testing.T) *stripeProxy {
	t.Helper()
	mock := stripeMockURL(t)
	p := &stripeProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve(t, mock)))
	t.Cleanup(p.Close)
	return p
}

func (p *stripeProxy) serve(t *testing.T, mock string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Method == "GET" {
			form = r.URL.Query()
		}
		p.mu.Lock()
		p.reqs = append(p.reqs, stripeRequest{Method: r.Method, Path: r.URL.Path, Form: form,
			IdempotencyKey: r.Header.Get("Idempotency-Key"), Auth: r.Header.Get("Authorization")})
		status, intercept := p.piStatus, p.intercept[r.Method+" "+r.URL.Path]
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if intercept != nil {
			code, out := intercept(form)
			w.WriteHeader(code)
			io.WriteString(w, out) //nolint:errcheck
			return
		}
		req, _ := http.NewRequest(r.Method, mock+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("stripe-mock: %v", err)
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Errorf("stripe-mock refused %s %s %v: %d %s", r.Method, r.URL.Path, form, resp.StatusCode, out)
		}
		if resp.StatusCode == 200 && strings.HasPrefix(r.URL.Path, "/v1/payment_intents") {
			out = patchIntent(t, out, form, status)
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(out) //nolint:errcheck
	}
}

// patchIntent makes stripe-mock's fixture answer look like Stripe's: the
// metadata and payment method that were sent, and the status the test chose.
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
	if pm := form.Get("payment_method"); pm != "" {
		pi["payment_method"] = pm
	} else if form.Get("confirmation_token") != "" {
		pi["payment_method"] = "pm_from_token"
	}
	if status != "" {
		pi["status"] = status
		if status != "requires_payment_method" {
			pi["last_payment_error"] = nil
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

// status makes PaymentIntents come back with this status.
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
