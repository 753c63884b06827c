package server

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestMetricsGuard(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("metrics")) })
	for _, tc := range []struct {
		token, remote, auth string
		want                int
	}{
		{"", "127.0.0.1:5000", "", 200},
		{"", "[::1]:5000", "", 200},
		{"", "203.0.113.9:5000", "", 403},
		{"s3cret", "203.0.113.9:5000", "Bearer s3cret", 200},
		{"s3cret", "203.0.113.9:5000", "Bearer wrong", 401},
		{"s3cret", "127.0.0.1:5000", "", 401}, // a token, once set, is asked of everyone
	} {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = tc.remote
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		w := httptest.NewRecorder()
		metricsGuard(tc.token, ok).ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("token %q from %s with %q: %d, want %d", tc.token, tc.remote, tc.auth, w.Code, tc.want)
		}
	}
}

func TestHSTSOnlyOverHTTPS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for url, want := range map[string]bool{"https://shop.example": true, "http://127.0.0.1:8080": false} {
		w := httptest.NewRecorder()
		secureHeaders(url, ok).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if got := w.Header().Get("Strict-Transport-Security") != ""; got != want {
			t.Errorf("%s: HSTS %v, want %v", url, got, want)
		}
	}
}

// A body that trickles in is cut at the deadline: the handler's read fails
// instead of waiting for as long as the client likes.
func TestBodyDeadlineCutsATrickle(t *testing.T) {
	got := make(chan error, 1)
	srv := httptest.NewServer(bodyDeadline(200*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		got <- err
	})))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // one byte every 50 ms: 5 s for the whole body
		for range 100 {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	select {
	case err := <-got:
		if err == nil {
			t.Fatal("the whole trickled body was read")
		}
	case <-time.After(4 * time.Second):
		t.Fatal("the handler still reads the trickled body")
	}
}

func TestRealClientBelievesOnlyTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	var got string
	h := realClient(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	for _, tc := range []struct{ peer, xff, want string }{
		{"127.0.0.1:5000", "203.0.113.9", "203.0.113.9:0"},
		{"127.0.0.1:5000", "198.51.100.1, 203.0.113.9, 10.1.2.3", "203.0.113.9:0"}, // the client's own claim (left) is not believed
		{"192.0.2.7:5000", "203.0.113.9", "192.0.2.7:5000"},                        // an untrusted peer's header is ignored
		{"127.0.0.1:5000", "", "127.0.0.1:5000"},
		{"127.0.0.1:5000", "not-an-ip", "127.0.0.1:5000"},
		{"[::1]:5000", "2001:db8::1", "[::1]:5000"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
}

// Behind a proxy every request comes from loopback: forwarded ones need the token.
func TestMetricsRefusesForwardedRequestsWithoutAToken(t *testing.T) {
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	w := httptest.NewRecorder()
	metricsGuard("", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Fatalf("a forwarded request from loopback: %d, want 403", w.Code)
	}
}
