// Package stripemock is the tests' Stripe: one stripe-mock process (v0.203.0)
// per test binary, and a proxy in front of it that lets a test record, hold or
// answer requests itself. stripe-mock validates every request against Stripe's
// OpenAPI spec, but it is stateless (a PaymentIntent always comes back
// requires_payment_method), so tests rewrite what it answers.
//
// A package whose tests use it runs them through Main:
//
//	func TestMain(m *testing.M) { stripemock.Main(m) }
package stripemock

import (
	"bytes"
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

// mock is the one stripe-mock process of the test binary.
var mock struct {
	once sync.Once
	main bool // Main runs the tests, so a started process gets stopped
	url  string
	err  error
	cmd  *exec.Cmd
}

// Main runs the package's tests and then stops the stripe-mock URL started,
// and exits with the tests' code.
func Main(m *testing.M) {
	mock.main = true
	code := m.Run()
	if c := mock.cmd; c != nil {
		c.Process.Kill() //nolint:errcheck
		c.Wait()         //nolint:errcheck
	}
	os.Exit(code)
}

// URL returns the URL of a running stripe-mock: the one in STRIPE_MOCK_URL, or
// one started from PATH on the first call (and stopped by Main). Without one
// the test is skipped, except under CI=true where it fails.
func URL(t testing.TB) string {
	t.Helper()
	if !mock.main {
		t.Fatal("stripemock.URL: run the package's tests through stripemock.Main (TestMain), which stops stripe-mock")
	}
	mock.once.Do(start)
	if mock.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run the Stripe tests: %v", mock.err)
		}
		t.Skipf("skipping: %v", mock.err)
	}
	return mock.url
}

func start() {
	if u := os.Getenv("STRIPE_MOCK_URL"); u != "" {
		mock.url = strings.TrimRight(u, "/")
		return
	}
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		mock.err = fmt.Errorf("stripe-mock is not on PATH (go install github.com/stripe/stripe-mock@v0.203.0)")
		return
	}
	httpAddr, httpsAddr, err := freeAddr()
	if err != nil {
		mock.err = err
		return
	}
	cmd := exec.Command(bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if mock.err = cmd.Start(); mock.err != nil {
		return
	}
	mock.cmd = cmd
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", httpAddr); err == nil {
			c.Close()
			mock.url = "http://" + httpAddr
			return
		}
	}
	mock.err = fmt.Errorf("stripe-mock did not listen on %s within 30s:\n%s", httpAddr, out.String())
}

// freeAddr returns two local addresses nothing listens on, for stripe-mock's
// HTTP and HTTPS ports.
func freeAddr() (string, string, error) {
	var addrs [2]string
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", err
		}
		addrs[i] = l.Addr().String()
		defer l.Close()
	}
	return addrs[0], addrs[1], nil
}

// Hooks are what a test changes about the proxy's answers. Both may be nil.
type Hooks struct {
	// Intercept sees every request first, with its form (the query of a GET,
	// else the body). When it returns ok, the proxy answers with code and body
	// instead of asking stripe-mock; it may block, to hold a request.
	Intercept func(r *http.Request, form url.Values) (code int, body string, ok bool)
	// Rewrite changes stripe-mock's successful answer to a request.
	Rewrite func(r *http.Request, form url.Values, answer []byte) []byte
}

// NewProxy starts a Stripe API for paylink (its API base) in front of
// stripe-mock, closed when the test ends. A request stripe-mock refuses fails
// the test. Answers are JSON.
func NewProxy(t *testing.T, h Hooks) *httptest.Server {
	t.Helper()
	mockURL := URL(t)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Method == http.MethodGet {
			form = r.URL.Query()
		}
		w.Header().Set("Content-Type", "application/json")
		if h.Intercept != nil {
			if code, out, ok := h.Intercept(r, form); ok {
				w.WriteHeader(code)
				io.WriteString(w, out) //nolint:errcheck
				return
			}
		}
		req, _ := http.NewRequest(r.Method, mockURL+r.URL.RequestURI(), bytes.NewReader(body))
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
			t.Errorf("stripe-mock refused %s %s %v: %d %s", r.Method, r.URL.Path, form, resp.StatusCode, out)
		} else if h.Rewrite != nil {
			out = h.Rewrite(r, form, out)
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(out) //nolint:errcheck
	}))
	t.Cleanup(s.Close)
	return s
}
